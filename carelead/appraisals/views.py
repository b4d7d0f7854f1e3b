"""Appraisal pages: my appraisals, the appraisal itself (each side's part by state), HR's cycles, calibration,
the national template and completion figures."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from carelead.accounts.permissions import Scope, assignment_has, permission_required
from carelead.appraisals import services
from carelead.appraisals.forms import (
    AdjustForm,
    CalibrationForm,
    CloseForm,
    CycleForm,
    DissentForm,
    MeetingForm,
    ObjectiveForm,
    ReassignForm,
    TemplateForm,
)
from carelead.appraisals.models import Appraisal, CalibrationSession, Cycle, Template
from carelead.appraisals.permissions import PUBLISH_TEMPLATE, RUN_CYCLE, VIEW_COMPLETION
from carelead.appraisals.selectors import (
    appraisal_get,
    appraisals_given_by,
    appraisals_of,
    completion_by_organisation,
    cycle_progress,
    cycles_for,
    cycles_with_progress,
    due_date,
    overdue_q,
)
from carelead.audit.models import AuditLog
from carelead.audit.services import Actor, audit_record
from carelead.core import spreadsheet
from carelead.core.choices import AppraisalRating
from carelead.core.disclosure import count_exact, count_published, published_value
from carelead.people.permissions import VIEW_OWN_RECORD

PAGE_SIZE = 50
State = Appraisal.State


@permission_required(VIEW_OWN_RECORD)
def mine(request):
    """My appraisals, and those I give as appraiser."""
    person = request.user.person
    return render(
        request,
        "appraisals/mine.jinja",
        {
            "mine": list(appraisals_of(person)) if person else [],
            "giving": list(appraisals_given_by(person)) if person else [],
            "due_date": due_date,
        },
    )


def _rating(value: str) -> str:
    if value not in ("", *AppraisalRating.values):
        raise ValidationError("Choose a rating from the list.")
    return value


def _behaviours(post, appraisal, prefix: str) -> dict:
    return {
        row.principle_id: (
            _rating(post.get(f"{prefix}rating-{row.principle_id}", "")),
            post.get(f"{prefix}evidence-{row.principle_id}", "").strip(),
        )
        for row in appraisal.behaviours.all()
    }


def _dispatch(request, appraisal, parties) -> str:
    """Carry out the step the form asked for; returns the message to show."""
    post, user = request.POST, request.user
    step = post.get("step", "")
    if step in ("objective_add", "objective_change"):
        form = ObjectiveForm(post)
        if not form.is_valid():
            raise ValidationError("An objective needs a title and how it will be measured.")
        objective = (
            appraisal.objectives.filter(pk=post.get("objective")).first() if step == "objective_change" else None
        )
        services.objective_save(appraisal=appraisal, by=user, objective=objective, **form.cleaned_data)
        return "Objective saved."
    if step == "objective_remove":
        objective = get_object_or_404(appraisal.objectives, pk=post.get("objective"))
        services.objective_remove(appraisal=appraisal, objective=objective, by=user)
        return "Objective removed."
    if step == "agree":
        services.objectives_agree(appraisal=appraisal, by=user)
        return "Objectives agreed. The self-assessment is open."
    if step in ("self_save", "self_submit"):
        services.self_assessment_save(
            appraisal=appraisal,
            by=user,
            fields={f: post.get(f, "").strip() for f in services.APPRAISEE_SECTION_FIELDS},
            behaviours=_behaviours(post, appraisal, "self-"),
            objectives={o.pk: post.get(f"self-objective-{o.pk}", "").strip() for o in appraisal.objectives.all()},
        )
        if step == "self_submit":
            services.self_assessment_submit(appraisal=appraisal, by=user)
            return "Self-assessment sent to your appraiser."
        return "Saved."
    if step in ("review_save", "meeting"):
        fields = {f: post.get(f, "").strip() for f in ("development_plan", "appraiser_comments")}
        fields["overall_rating"] = _rating(post.get("overall_rating", ""))
        fields["development_modules"] = [c for c in post.getlist("development_modules") if c]
        services.review_save(
            appraisal=appraisal,
            by=user,
            fields=fields,
            behaviours=_behaviours(post, appraisal, ""),
            objectives={o.pk: _rating(post.get(f"objective-rating-{o.pk}", "")) for o in appraisal.objectives.all()},
            confidential_notes=post.get("confidential_notes", "").strip(),
        )
        if step == "meeting":
            form = MeetingForm(post)
            if not form.is_valid():
                raise ValidationError("Enter the date of the meeting.")
            services.meeting_record(appraisal=appraisal, by=user, meeting_on=form.cleaned_data["meeting_on"])
            return "Meeting recorded. You can both now add comments and sign."
        return "Saved."
    if step == "comments":
        services.comments_save(appraisal=appraisal, by=user, text=post.get("text", "").strip())
        return "Comments saved."
    if step == "reopen":
        services.reopen_review(appraisal=appraisal, by=user)
        return "The review is open again."
    if step == "sign":
        appraisal = services.sign(appraisal=appraisal, by=user)
        return "Appraisal signed off." if appraisal.state == State.SIGNED_OFF else "Signed. Waiting for the other side."
    if step == "dissent":
        form = DissentForm(post)
        if not form.is_valid():
            raise ValidationError("Say what you disagree with.")
        services.dissent_record(appraisal=appraisal, by=user, text=form.cleaned_data["text"])
        return "Your dissent is recorded with the appraisal."
    if step in ("reassign", "close") and parties["hr"]:
        return _hr_step(request, appraisal, step)
    raise PermissionDenied("That step is not available to you.")


def _hr_step(request, appraisal, step: str) -> str:
    from carelead.people.models import Person

    if step == "reassign":
        form = ReassignForm(request.POST)
        if not form.is_valid():
            raise ValidationError("Give the new appraiser's staff ID and the reason.")
        new = Person.objects.filter(
            staff_id=form.cleaned_data["staff_id"], organisation__path__startswith=appraisal.cycle.organisation.path
        ).first()
        if new is None:
            raise ValidationError("No member of staff in this organisation has that staff ID.")
        services.appraiser_change(
            appraisal=appraisal, new_appraiser=new, reason=form.cleaned_data["reason"], by=request.user
        )
        return f"{new} is now the appraiser."
    form = CloseForm(request.POST)
    if not form.is_valid():
        raise ValidationError("Say why the appraisal is closed.")
    services.appraisal_close(appraisal=appraisal, by=request.user, reason=form.cleaned_data["reason"])
    return "Appraisal closed."


@permission_required(VIEW_OWN_RECORD)
def detail(request, pk: int):
    """An appraisal: everyone sees the shared record; each side edits its part in its step."""
    appraisal, parties = appraisal_get(pk=pk, user=request.user, assignment=request.assignment)
    if request.method == "POST":
        try:
            message = _dispatch(request, appraisal, parties)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except PermissionDenied as exc:
            messages.error(request, str(exc) or "You cannot do that.")
        else:
            messages.success(request, message)
        return redirect("appraisals:detail", pk=pk)
    if parties["hr"] and not (parties["appraisee"] or parties["appraiser"]):
        audit_record(
            actor=Actor.of(request.user),
            action=AuditLog.Action.VIEW_SPECIAL,
            object_type="appraisals.Appraisal",
            object_id=appraisal.pk,
            object_repr=f"HR opened the appraisal of {appraisal.person.staff_id}",
            subject_person_id=appraisal.person_id,
            organisation_id=appraisal.person.organisation_id,
        )
    suggestions = []
    if parties["appraiser"] and appraisal.state == State.MANAGER_REVIEW:
        suggestions = _development_suggestions(appraisal)
    return render(
        request,
        "appraisals/detail.jinja",
        {
            "appraisal": appraisal,
            "parties": parties,
            "objectives": list(appraisal.objectives.all()),
            "behaviours": list(appraisal.behaviours.select_related("principle")),
            "dissents": list(appraisal.dissents.order_by("at")),
            "changes": list(appraisal.appraiser_changes.select_related("previous", "new").order_by("at")),
            "calibrations": list(appraisal.calibrations.select_related("by", "session").order_by("at")),
            "ratings": AppraisalRating.choices,
            "State": State,
            "due": due_date(appraisal),
            "suggestions": suggestions,
            "training": _mandatory_training(appraisal),
            "feedback": _feedback(appraisal),
            "readiness_choices": Appraisal._meta.get_field("readiness").choices,
        },
    )


def _development_suggestions(appraisal) -> list[dict]:
    """Gaps the progression gate finds for the appraisee's next level, with the quickest modules."""
    from carelead.standards.gate import eligibility_for_level, next_level

    level = next_level(appraisal.person.level)
    if level is None:
        return []
    result = eligibility_for_level(person=appraisal.person, level=level)
    return [
        {
            "requirement": f"{o.requirement.code} {o.requirement.title}",
            "reason": o.reason,
            "modules": [{"code": m["module"], "title": m["title"]} for m in o.suggestions[:2]],
        }
        for o in result.missing
    ]


def _feedback(appraisal) -> list:
    """360 feedback asked for this appraisal, with whether its combined report is ready."""
    from carelead.feedback.services import feedback_report, feedback_requests_for

    return [(request, feedback_report(request, with_comments=False)) for request in feedback_requests_for(appraisal)]


def _mandatory_training(appraisal) -> dict:
    """Mandatory training status shown on the form (domain.md section 4): current, expired, never done."""
    today = timezone.localdate()
    records = appraisal.person.training_records.filter(mandatory=True, completed=True)
    return records.aggregate(
        current=Count("id", filter=Q(expires_on__isnull=True) | Q(expires_on__gte=today)),
        expired=Count("id", filter=Q(expires_on__lt=today)),
    )


# HR: cycles ------------------------------------------------------------------------------------------------


@permission_required(RUN_CYCLE)
def cycles(request):
    """The organisation's cycles, and a form to open the next one."""
    organisation = request.assignment.organisation
    form = CycleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if organisation is None:
            raise PermissionDenied
        try:
            cycle = services.cycle_open(organisation=organisation, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, " ".join(exc.messages))
        else:
            messages.success(request, f"The {cycle.year} cycle is open: {cycle.appraisals.count():,} appraisals.")
            return redirect("appraisals:cycle", pk=cycle.pk)
    page = Paginator(cycles_with_progress(request.assignment).order_by("-opens_on", "pk"), 20).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "appraisals/cycles.jinja",
        {
            "page": page,
            "form": form,
            "template": services.current_template(),
            "page_has_errors": bool(form.errors),
        },
    )


def _cycle(request, pk: int) -> Cycle:
    cycle = cycles_for(request.assignment).filter(pk=pk).first()
    if cycle is None:
        raise Http404("No such cycle")
    return cycle


@permission_required(RUN_CYCLE)
def cycle_detail(request, pk: int):
    """Progress, the overdue list and calibration sessions for a cycle."""
    cycle = _cycle(request, pk)
    show = request.GET.get("show", "overdue")
    appraisals = cycle.appraisals.select_related("person", "appraiser")
    if show == "overdue":
        appraisals = appraisals.filter(overdue_q(cycle))
    elif show == "no_appraiser":
        appraisals = appraisals.filter(appraiser__isnull=True).exclude(state=State.CLOSED)
    elif show in State.values:
        appraisals = appraisals.filter(state=show)
    page = Paginator(appraisals.order_by("person__last_name", "person__first_name", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    form = CalibrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        session = CalibrationSession.objects.create(cycle=cycle, created_by=request.user, **form.cleaned_data)
        audit_record(
            actor=Actor.of(request.user),
            action=AuditLog.Action.CREATE,
            object_type="appraisals.CalibrationSession",
            object_id=session.pk,
            object_repr=f"Calibration: {session.title}",
            organisation_id=cycle.organisation_id,
        )
        return redirect("appraisals:calibration", pk=session.pk)
    return render(
        request,
        "appraisals/cycle.jinja",
        {
            "cycle": cycle,
            "progress": cycle_progress(cycle),
            "page": page,
            "show": show,
            "sessions": cycle.calibrations.annotate(n=Count("adjustments")),
            "form": form,
            "due_date": due_date,
            "states": State.choices,
            "page_has_errors": bool(form.errors),
        },
    )


@permission_required(RUN_CYCLE)
def cycle_export(request, pk: int):
    """The cycle's appraisal records as CSV, for ESR or another HR system (no private notes, no comments)."""
    cycle = _cycle(request, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="appraisals-{cycle.organisation.code}-{cycle.year}.csv"'
    writer = spreadsheet.csv_writer(response)
    writer.writerow(
        [
            "staff_id",
            "year",
            "appraiser_staff_id",
            "state",
            "meeting_on",
            "signed_off_on",
            "overall_rating",
            "calibrated_rating",
            "final_rating",
        ]
    )
    rows = cycle.appraisals.select_related("person", "appraiser").order_by("person__staff_id")
    for a in rows.iterator(chunk_size=2000):
        writer.writerow(
            [
                a.person.staff_id,
                cycle.year,
                a.appraiser.staff_id if a.appraiser else "",
                a.state,
                a.meeting_on or "",
                a.signed_off_on or "",
                a.overall_rating,
                a.calibrated_rating,
                a.final_rating,
            ]
        )
    audit_record(
        actor=Actor.of(request.user),
        action=AuditLog.Action.EXPORT,
        object_type="appraisals.Cycle",
        object_id=cycle.pk,
        object_repr=f"Exported {cycle.organisation.name} {cycle.year} appraisals",
        organisation_id=cycle.organisation_id,
    )
    return response


def _distribution(appraisals, attribute: str) -> list[tuple[str, int]]:
    counts = dict.fromkeys(AppraisalRating.values, 0)
    for a in appraisals:
        value = getattr(a, attribute)
        if value in counts:
            counts[value] += 1
    return [(AppraisalRating(v).label, counts[v]) for v in AppraisalRating.values]


@permission_required(RUN_CYCLE)
def calibration(request, pk: int):
    """A calibration session: the signed-off ratings it covers, adjustments with reasons, the distribution
    before and after."""
    session = get_object_or_404(CalibrationSession.objects.select_related("cycle__organisation"), pk=pk)
    _cycle(request, session.cycle_id)
    if request.method == "POST":
        try:
            if request.POST.get("step") == "close":
                services.calibration_close(session=session, by=request.user)
                messages.success(request, "Calibration session closed.")
            else:
                form = AdjustForm(request.POST)
                appraisal = get_object_or_404(
                    services.calibration_appraisals(session), pk=request.POST.get("appraisal")
                )
                if not form.is_valid():
                    raise ValidationError("Choose the calibrated rating and give the reason.")
                services.calibration_adjust(session=session, appraisal=appraisal, by=request.user, **form.cleaned_data)
                messages.success(request, f"Rating for {appraisal.person} calibrated.")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("appraisals:calibration", pk=pk)
    appraisals = list(services.calibration_appraisals(session).order_by("person__last_name", "person__first_name"))
    return render(
        request,
        "appraisals/calibration.jinja",
        {
            "session": session,
            "appraisals": appraisals,
            "distribution": [
                (label, before, after)
                for (label, before), (_, after) in zip(
                    _distribution(appraisals, "overall_rating"), _distribution(appraisals, "final_rating"), strict=True
                )
            ],
            "adjustments": session.adjustments.select_related("appraisal__person", "by").order_by("at"),
            "ratings": AppraisalRating.choices,
        },
    )


# National template and completion ---------------------------------------------------------------------------


@permission_required(PUBLISH_TEMPLATE)
def template(request):
    """The national template: the published version, drafts, and a new draft on the current Code."""
    from carelead.standards.models import Framework

    form = TemplateForm(request.POST or None)
    if request.method == "POST":
        try:
            if request.POST.get("step") == "publish":
                draft = get_object_or_404(Template, pk=request.POST.get("template"), status=Template.Status.DRAFT)
                services.template_publish(template=draft, by=request.user)
                messages.success(request, f"Version {draft.version} published. New cycles will use it.")
                return redirect("appraisals:template")
            if form.is_valid():
                code = Framework.objects.filter(kind="management", status="published").order_by("-version").first()
                if code is None:
                    raise ValidationError("Publish the Management and Leadership Code framework first.")
                last = Template.objects.order_by("-version").first()
                draft = Template.objects.create(
                    version=(last.version + 1) if last else 1, framework=code, **form.cleaned_data
                )
                audit_record(
                    actor=Actor.of(request.user),
                    action=AuditLog.Action.CREATE,
                    object_type="appraisals.Template",
                    object_id=draft.pk,
                    object_repr=f"Drafted {draft}",
                )
                messages.success(request, f"Draft version {draft.version} saved. Publish it when it is ready.")
                return redirect("appraisals:template")
        except ValidationError as exc:
            form.add_error(None, " ".join(exc.messages))
    return render(
        request,
        "appraisals/template.jinja",
        {
            "templates": Template.objects.select_related("framework", "published_by"),
            "form": form,
            "page_has_errors": bool(form.errors),
        },
    )


@permission_required(VIEW_COMPLETION)
def completion(request):
    """Appraisal completion per organisation, ICB or region for a year: computed from the records."""
    scope = Scope.of(request.assignment)
    years = list(Cycle.objects.values_list("year", flat=True).distinct().order_by("-year"))
    year = request.GET.get("year") or (years[0] if years else "")
    by = request.GET.get("by", "organisation")
    if by not in ("organisation", "icb", "region"):
        by = "organisation"
    rows = completion_by_organisation(year=year, organisations_q=scope.organisations_q("organisation__"))
    exact = assignment_has(request.assignment, RUN_CYCLE) or (
        scope.national and assignment_has(request.assignment, PUBLISH_TEMPLATE)
    )
    show = count_exact if exact else count_published
    key = {
        "organisation": "organisation__name",
        "icb": "organisation__icb__code",
        "region": "organisation__region__code",
    }[by]
    grouped: dict[str, dict] = {}
    for r in rows:
        g = grouped.setdefault(
            r[key] or "Not in an ICB", {"name": r[key] or "Not in an ICB", "total": 0, "done": 0, "closed": 0}
        )
        for k in ("total", "done", "closed"):
            g[k] += r[k]
    lines = []
    for g in grouped.values():
        # Published figures: the percentage comes from the rounded counts, and not at all from a hidden one.
        (total, t_hidden), (done, d_hidden), (closed, c_hidden) = (
            (g[k], False) if exact else published_value(g[k]) for k in ("total", "done", "closed")
        )
        hidden = t_hidden or d_hidden or c_hidden
        due = None if hidden else total - closed
        finished = None if hidden else done
        lines.append(
            {
                "name": g["name"],
                "total": show(g["total"]),
                "done": show(g["done"]),
                "percent": round(100 * finished / due, 1) if due and finished is not None else None,
            }
        )
    page = Paginator(lines, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "appraisals/completion.jinja",
        {"page": page, "years": years, "year": year, "by": by, "exact": exact},
    )

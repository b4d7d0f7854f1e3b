"""Succession plan pages: the plans in reach, one plan and its ranked candidates, creating plans (one at a time or
for every executive and senior role at once), and succession risk across the organisations of a region."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from carelead.accounts.permissions import Scope, assignment_has, permission_required
from carelead.appraisals.selectors import latest_outcomes
from carelead.core import spreadsheet
from carelead.core.choices import AppraisalRating
from carelead.core.forms import add_service_errors
from carelead.people.models import Person
from carelead.succession import services
from carelead.succession.forms import (
    CandidateAddForm,
    CandidateChangeForm,
    CandidateSearchForm,
    NewPlanForm,
    OrganisationForm,
    PlanFilterForm,
    PlanForm,
    RemoveForm,
    RiskTableForm,
)
from carelead.succession.models import CandidateSource
from carelead.succession.permissions import MANAGE_SUCCESSION, VIEW_SUCCESSION, VIEW_SUCCESSION_RISK
from carelead.succession.selectors import (
    RISK_COLOURS,
    SORTS,
    Risk,
    candidate_get,
    internal_people,
    may_add_from_pool,
    may_manage,
    people_without_plan,
    plan_candidates,
    plan_get,
    plan_organisation_default,
    plan_organisation_get,
    plan_risk_flags,
    plan_search,
    pool_memberships,
    regions,
    risk_area,
    risk_by_organisation,
    risk_totals,
)
from carelead.talent.services import latest_conversations

PAGE_SIZE = 25
RISK_PAGE_SIZE = 50
# How many people a candidate search lists before asking for a narrower search.
SEARCH_LIMIT = 20


def _plan(request, pk: int):
    return plan_get(assignment=request.assignment, user=request.user, pk=pk)


def _managed_plan(request, pk: int):
    """A plan in reach that the role may also change (403 for a reader, 404 for a plan out of reach)."""
    plan = _plan(request, pk)
    if not may_manage(assignment=request.assignment, organisation=plan.organisation):
        raise PermissionDenied
    return plan


# Plans -----------------------------------------------------------------------------------------------------------


@permission_required(VIEW_SUCCESSION)
def plan_list_view(request):
    """The plans in reach, searchable by role and organisation and filtered by level and risk flag."""
    filters = PlanFilterForm(request.GET)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    plans = plan_search(
        assignment=request.assignment,
        user=request.user,
        q=chosen.get("q", ""),
        organisation=chosen.get("organisation", ""),
        level=chosen.get("level", ""),
        risk=chosen.get("risk", ""),
    )
    page = Paginator(plans, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "succession/list.jinja",
        {
            "filters": filters,
            "filtered": any(chosen.values()),
            "page": page,
            "flags": plan_risk_flags,
            "can_manage": assignment_has(request.assignment, MANAGE_SUCCESSION),
            "can_see_risk": assignment_has(request.assignment, VIEW_SUCCESSION_RISK),
        },
    )


def _incumbent(form, organisation):
    """The person a plan form names as incumbent, looked up in the plan's organisation (None when empty)."""
    staff_id = form.cleaned_data["incumbent"].strip()
    if not staff_id:
        return None
    person = Person.objects.filter(staff_id__iexact=staff_id, organisation=organisation).first()
    if person is None:
        form.add_error("incumbent", f"No one at {organisation.name} has staff ID {staff_id}")
    return person


@permission_required(MANAGE_SUCCESSION)
def plan_new_view(request):
    """Create the succession plan for one role."""
    default = plan_organisation_default(assignment=request.assignment)
    initial = {
        "organisation": request.GET.get("org") or (default.code if default else ""),
        "critical": True,
        "review_due": services.review_default(),
    }
    form = NewPlanForm(request.POST or None, initial=initial)
    if request.method == "POST":
        form.is_valid()
        data = form.cleaned_data
        organisation = incumbent = None
        if "organisation" in data:
            organisation = plan_organisation_get(assignment=request.assignment, code=data["organisation"])
            if organisation is None:
                form.add_error("organisation", "No organisation you cover has that code")
        if organisation is not None and "incumbent" in data:
            incumbent = _incumbent(form, organisation)
        if not form.errors:
            try:
                plan = services.plan_create(
                    organisation=organisation,
                    assignment=request.assignment,
                    by=request.user,
                    role_title=data["role_title"],
                    level=data["level"],
                    incumbent=incumbent,
                    critical=data["critical"],
                    review_due=data["review_due"],
                    notes=data["notes"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"The succession plan for {plan.role_title} has been created.")
                return redirect("succession:detail", pk=plan.pk)
    return render(
        request,
        "succession/plan_form.jinja",
        {"form": form, "plan": None, "page_has_errors": bool(form.errors)},
    )


@permission_required(MANAGE_SUCCESSION)
def plan_edit_view(request, pk: int):
    """Change a plan's role title, level, incumbent, critical flag, review date or notes."""
    plan = _managed_plan(request, pk)
    initial = {
        "role_title": plan.role_title,
        "level": plan.level,
        "incumbent": plan.incumbent.staff_id if plan.incumbent else "",
        "critical": plan.critical,
        "review_due": plan.review_due,
        "notes": plan.notes,
    }
    form = PlanForm(request.POST or None, initial=initial)
    if request.method == "POST":
        form.is_valid()
        incumbent = _incumbent(form, plan.organisation) if "incumbent" in form.cleaned_data else None
        if not form.errors:
            values = {**form.cleaned_data, "incumbent": incumbent}
            try:
                services.plan_change(plan=plan, assignment=request.assignment, by=request.user, values=values)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "The plan has been changed.")
                return redirect("succession:detail", pk=plan.pk)
    return render(
        request,
        "succession/plan_form.jinja",
        {"form": form, "plan": plan, "page_has_errors": bool(form.errors)},
    )


@permission_required(MANAGE_SUCCESSION)
def plan_defaults_view(request):
    """Create, in one go, a plan for every executive and senior role in post at an organisation that has none."""
    code = request.POST.get("organisation") or request.GET.get("organisation")
    default = plan_organisation_default(assignment=request.assignment)
    form = OrganisationForm(
        {"organisation": code} if code else None, initial={"organisation": default.code if default else ""}
    )
    organisation = None
    if code and form.is_valid():
        organisation = plan_organisation_get(assignment=request.assignment, code=form.cleaned_data["organisation"])
        if organisation is None:
            form.add_error("organisation", "No organisation you cover has that code")
    elif not code and default is not None:
        organisation = default
    if request.method == "POST" and organisation is not None:
        result = services.plans_create_for_senior_roles(
            organisation=organisation, assignment=request.assignment, by=request.user
        )
        created = len(result.created)
        if created:
            noun = "plan" if created == 1 else "plans"
            messages.success(request, f"{created} succession {noun} created for {organisation.name}.")
        else:
            messages.info(request, f"No plans created: every executive and senior role at {organisation.name} has one.")
        if result.clashes:
            names = ", ".join(p.staff_id for p in result.clashes)
            messages.info(
                request, f"Not created, because a plan already has the role title with the staff ID: {names}."
            )
        return redirect(reverse("succession:list") + "?" + urlencode({"organisation": organisation.code}))
    missing = people_without_plan(organisation=organisation) if organisation is not None else None
    return render(
        request,
        "succession/defaults.jinja",
        {
            "form": form,
            "organisation": organisation,
            "missing": list(missing[:50]) if missing is not None else [],
            "missing_count": missing.count() if missing is not None else 0,
            "page_has_errors": bool(form.errors),
        },
    )


def _rating_label(value: str) -> str:
    return AppraisalRating(value).label if value in AppraisalRating.values else ""


@permission_required(VIEW_SUCCESSION)
def plan_detail_view(request, pk: int):
    """One plan: its details, risk flags and ranked candidates with readiness and latest appraisal rating."""
    plan = _plan(request, pk)
    candidates = plan_candidates(plan=plan)
    scope = Scope.of(request.assignment)
    # Appraisal ratings only of people whose records the role reaches: a pool candidate may work elsewhere.
    reachable = {c.person_id for c in candidates if scope.contains_path(c.person.organisation.path)}
    outcomes = latest_outcomes(reachable) if reachable else {}
    rows = [
        {
            "candidate": c,
            "reachable": c.person_id in reachable,
            "rating": _rating_label((outcomes.get(c.person_id) or {}).get("final_rating", "")),
            "rating_year": (outcomes.get(c.person_id) or {}).get("cycle__year", ""),
        }
        for c in candidates
    ]
    return render(
        request,
        "succession/detail.jinja",
        {
            "plan": plan,
            "flags": plan_risk_flags(plan),
            "rows": rows,
            "count": len(rows),
            "today": timezone.localdate(),
            "can_manage": may_manage(assignment=request.assignment, organisation=plan.organisation),
        },
    )


# Candidates ------------------------------------------------------------------------------------------------------


def _chosen_person(request, plan, staff_id: str, source: str):
    """The person chosen to add, looked up among those the role may add to this plan; 404 for anyone else."""
    staff_id = (staff_id or "").strip()
    if source == CandidateSource.INTERNAL:
        person = internal_people(plan=plan).filter(staff_id__iexact=staff_id).first()
    elif source == CandidateSource.POOL:
        if not may_add_from_pool(assignment=request.assignment, organisation=plan.organisation):
            raise PermissionDenied("Candidates from the regional talent pool are added by the regional talent team.")
        membership = pool_memberships(plan=plan).filter(person__staff_id__iexact=staff_id).first()
        person = membership.person if membership else None
    else:
        person = None
    if person is None:
        raise Http404("No such person among those you can add")
    return person


@permission_required(MANAGE_SUCCESSION)
def candidate_add_view(request, pk: int):
    """Find a person (in the organisation, or in the region's talent pool) and add them to the plan."""
    plan = _managed_plan(request, pk)
    from_pool = may_add_from_pool(assignment=request.assignment, organisation=plan.organisation)
    count = plan.candidates.count()
    data = request.POST if request.method == "POST" else request.GET
    staff_id, source = data.get("staff_id", ""), data.get("source", "")
    if staff_id:
        person = _chosen_person(request, plan, staff_id, source)
        conversation = latest_conversations([person.pk]).get(person.pk)
        initial = {"staff_id": person.staff_id, "source": source}
        if conversation is not None:
            initial["readiness"] = conversation.readiness
        form = CandidateAddForm(request.POST or None, initial=initial, last_rank=count + 1)
        if request.method == "POST" and form.is_valid():
            values = form.cleaned_data
            try:
                services.candidate_add(
                    plan=plan,
                    person=person,
                    source=source,
                    readiness=values["readiness"],
                    rank=values["rank"],
                    emergency=values["emergency"],
                    notes=values["notes"],
                    assignment=request.assignment,
                    by=request.user,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"{person.full_name} has been added as a candidate.")
                return redirect(reverse("succession:detail", kwargs={"pk": plan.pk}) + "#candidates")
        return render(
            request,
            "succession/candidate_add.jinja",
            {
                "plan": plan,
                "person": person,
                "source": CandidateSource(source).label,
                "conversation": conversation,
                "form": form,
                "page_has_errors": bool(form.errors),
            },
        )
    search = CandidateSearchForm(request.GET or None)
    q = search.cleaned_data["q"].strip() if search.is_valid() else ""
    internal = list(internal_people(plan=plan, q=q)[: SEARCH_LIMIT + 1])
    pool = list(pool_memberships(plan=plan, q=q)[: SEARCH_LIMIT + 1]) if from_pool else []
    return render(
        request,
        "succession/candidate_search.jinja",
        {
            "plan": plan,
            "search": search,
            "q": q,
            "internal": internal[:SEARCH_LIMIT],
            "more_internal": len(internal) > SEARCH_LIMIT,
            "pool": pool[:SEARCH_LIMIT],
            "more_pool": len(pool) > SEARCH_LIMIT,
            "from_pool": from_pool,
            "limit": SEARCH_LIMIT,
        },
    )


@permission_required(MANAGE_SUCCESSION)
def candidate_edit_view(request, pk: int, candidate_pk: int):
    """Change a candidate's readiness, rank, emergency flag or notes."""
    plan = _managed_plan(request, pk)
    candidate = candidate_get(plan=plan, pk=candidate_pk)
    initial = {f: getattr(candidate, f) for f in services.CANDIDATE_FIELDS}
    form = CandidateChangeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.candidate_change(
                candidate=candidate, assignment=request.assignment, by=request.user, values=form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"The details of {candidate.person.full_name} have been changed.")
            return redirect(reverse("succession:detail", kwargs={"pk": plan.pk}) + "#candidates")
    return render(
        request,
        "succession/candidate_edit.jinja",
        {
            "plan": plan,
            "candidate": candidate,
            "count": plan.candidates.count(),
            "form": form,
            "page_has_errors": bool(form.errors),
        },
    )


@permission_required(MANAGE_SUCCESSION)
def candidate_remove_view(request, pk: int, candidate_pk: int):
    """Take a candidate off the plan, saying why."""
    plan = _managed_plan(request, pk)
    candidate = candidate_get(plan=plan, pk=candidate_pk)
    form = RemoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.candidate_remove(
                candidate=candidate, reason=form.cleaned_data["reason"], assignment=request.assignment, by=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{candidate.person.full_name} has been removed from the plan.")
            return redirect(reverse("succession:detail", kwargs={"pk": plan.pk}) + "#candidates")
    return render(
        request,
        "succession/candidate_remove.jinja",
        {"plan": plan, "candidate": candidate, "form": form, "page_has_errors": bool(form.errors)},
    )


@require_POST
@permission_required(MANAGE_SUCCESSION)
def candidate_move_view(request, pk: int, candidate_pk: int):
    """Move a candidate one place up or down the ranking (a button on the plan, so it works without JavaScript)."""
    plan = _managed_plan(request, pk)
    candidate = candidate_get(plan=plan, pk=candidate_pk)
    direction = request.POST.get("direction", "")
    try:
        services.candidate_move(
            candidate=candidate, direction=direction, assignment=request.assignment, by=request.user
        )
    except ValidationError as exc:
        messages.info(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{candidate.person.full_name} moved {direction}.")
    return redirect(reverse("succession:detail", kwargs={"pk": plan.pk}) + "#candidates")


@require_POST
@permission_required(MANAGE_SUCCESSION)
def candidate_emergency_view(request, pk: int, candidate_pk: int):
    """Make a candidate the emergency successor, taking the flag from whoever held it."""
    plan = _managed_plan(request, pk)
    candidate = candidate_get(plan=plan, pk=candidate_pk)
    try:
        previous = services.candidate_make_emergency(
            candidate=candidate, assignment=request.assignment, by=request.user
        )
    except ValidationError as exc:
        messages.info(request, " ".join(exc.messages))
    else:
        text = f"{candidate.person.full_name} is now the emergency successor"
        messages.success(request, f"{text} in place of {previous.person.full_name}." if previous else f"{text}.")
    return redirect(reverse("succession:detail", kwargs={"pk": plan.pk}) + "#candidates")


# Succession risk across organisations ------------------------------------------------------------------------------


def _risk_table(request):
    national = Scope.of(request.assignment).national
    form = RiskTableForm(request.GET, regions=list(regions()) if national else None)
    chosen = form.cleaned_data if form.is_valid() else {}
    region, organisations = risk_area(assignment=request.assignment, region_code=chosen.get("region", ""))
    sort = chosen.get("sort") or "no_ready_now"
    rows = risk_by_organisation(organisations=organisations, sort=sort).select_related("icb")
    return form, region, organisations, sort, rows


@permission_required(VIEW_SUCCESSION_RISK)
def risk_view(request):
    """Succession risk for each organisation of the region (or England): plans, plans raising each flag and
    ready-now coverage, with totals."""
    form, region, organisations, sort, rows = _risk_table(request)
    page = Paginator(rows, RISK_PAGE_SIZE).get_page(request.GET.get("page"))
    params = {k: v for k, v in (("region", region.code if region else ""), ("sort", sort)) if v}
    return render(
        request,
        "succession/risk.jinja",
        {
            "form": form,
            "region": region,
            "page": page,
            "totals": risk_totals(organisations=organisations),
            "risks": [(r.value, r.label, RISK_COLOURS[r]) for r in Risk],
            "sort_label": SORTS[sort],
            "download_url": reverse("succession:regional_download") + ("?" + urlencode(params) if params else ""),
        },
    )


CSV_COLUMNS = [
    "organisation_code",
    "organisation_name",
    "icb_code",
    "challenged",
    "plans",
    "critical_plans",
    "critical_plans_with_ready_now_successor",
    "ready_now_coverage_percent",
    *(f"plans_{r.value}" for r in Risk),
]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, float):
        return f"{value:.1f}"
    text = str(value)
    return text  # the CSV writer keeps formula-like text as text (core.spreadsheet)


@permission_required(VIEW_SUCCESSION_RISK)
def risk_download_view(request):
    """The same table as CSV, every organisation on one sheet."""
    _, region, _, _, rows = _risk_table(request)
    area = region.code if region else "england"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="succession-risk-{area}-{timezone.localdate()}.csv"'
    writer = spreadsheet.csv_writer(response, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    written = 0
    for org in rows.iterator(chunk_size=500):
        writer.writerow(
            _cell(v)
            for v in [
                org.code,
                org.name,
                org.icb.code if org.icb else "",
                org.challenged,
                org.plans,
                org.critical_plans,
                org.critical_ready,
                org.coverage,
                *(getattr(org, f"risk_{r.value}") for r in Risk),
            ]
        )
        written += 1
    services.risk_table_exported(
        by=request.user,
        area=region.name if region else "England",
        rows=written,
        organisation_id=region.pk if region else None,
    )
    return response

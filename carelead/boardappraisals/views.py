"""Pages for board member appraisals: an organisation's board for a year, each appraisal by sections, moving it
on, signing it off, and completion across the organisations a role covers."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from carelead.accounts.permissions import Scope, assignment_has, permission_required
from carelead.boardappraisals.forms import (
    AppraiserForm,
    CompletionFilterForm,
    DomainRatingsForm,
    FeedbackForm,
    MoveForm,
    OutcomeForm,
    SignOffForm,
    StartForm,
    YearForm,
    objective_formset,
)
from carelead.boardappraisals.models import DEFAULT_DUE, BoardAppraisal, due_on_for
from carelead.boardappraisals.permissions import (
    MANAGE_BOARD_APPRAISALS,
    READ_BOARD_APPRAISAL,
    READ_OWN_BOARD_APPRAISAL,
    SIGN_OFF_BOARD_APPRAISAL,
    VIEW_BOARD_APPRAISAL_COMPLETION,
    VIEW_BOARD_APPRAISALS,
)
from carelead.boardappraisals.selectors import (
    COMPLETION_SORTS,
    board_appraisal_completion,
    board_appraisal_completion_rows,
    board_appraisal_get,
    board_appraisal_list,
    board_appraisal_may_manage,
    board_appraisal_years,
    board_appraisals_readable,
    board_chair_in_post,
    board_members_due,
    board_members_of,
    board_organisation_default,
    board_organisation_get,
    board_organisations,
    own_board_appraisals,
)
from carelead.boardappraisals.services import (
    MOVES,
    board_appraisal_appraiser_save,
    board_appraisal_feedback_save,
    board_appraisal_move,
    board_appraisal_move_problems,
    board_appraisal_outcome_save,
    board_appraisal_sign_off,
    board_appraisal_sign_off_problems,
    board_appraisal_signer_problem,
    board_appraisals_start,
    board_domain_ratings_save,
    board_objectives_save,
    section_open,
)
from carelead.core.choices import BoardRole
from carelead.core.disclosure import count_exact, count_published
from carelead.core.forms import add_service_errors

PAGE_SIZE = 25
State = BoardAppraisal.State

SECTIONS = {
    "appraiser": "Appraiser",
    "objectives": "Objectives",
    "feedback": "Multi-source feedback",
    "domains": "Board competency domains",
    "outcome": "Overall rating and comments",
}
MOVE_LABELS = {
    State.DRAFT: "Move back to draft",
    State.FEEDBACK: "Start gathering feedback",
    State.REVIEW: "Move to the appraiser's review",
    State.CLOSED: "Close the appraisal",
}
ROLE_PLURALS = {
    BoardRole.CHAIR: "Chairs",
    BoardRole.NON_EXECUTIVE: "Non-executive directors",
    BoardRole.EXECUTIVE: "Executive directors",
    BoardRole.ASSOCIATE: "Associate members",
}


COUNT_FIELDS = ("due", "signed_off", "overdue", "closed", "chairs_due", "chairs_signed_off", "chairs_overdue")


def _list_url(organisation, year: int | None = None) -> str:
    params = {"org": organisation.code}
    if year is not None:
        params["year"] = year
    return reverse("boardappraisals:list") + "?" + urlencode(params)


def _organisation(request):
    """The organisation named by ?org= (within the scope), else the assignment's own; None when neither."""
    code = request.GET.get("org", "").strip()
    if code:
        return board_organisation_get(assignment=request.assignment, code=code)
    return board_organisation_default(assignment=request.assignment)


def _with_this_year(request) -> dict:
    """The query with this year filled in when none is given, so the year shown is the year selected."""
    data = request.GET.copy()
    if not data.get("year"):
        data["year"] = str(timezone.localdate().year)
    return data


def _year(request, years: list[int]) -> tuple[YearForm, int]:
    form = YearForm(_with_this_year(request), years=years)
    year = form.cleaned_data.get("year") if form.is_valid() else None
    return form, year or timezone.localdate().year


def _require_reader(request) -> None:
    if not (
        assignment_has(request.assignment, READ_BOARD_APPRAISAL)
        or assignment_has(request.assignment, READ_OWN_BOARD_APPRAISAL)
    ):
        raise PermissionDenied


def _managed(request, pk: int) -> BoardAppraisal:
    """An appraisal the acting role records (404 when out of reach)."""
    appraisal = board_appraisal_get(assignment=request.assignment, user=request.user, pk=pk)
    if not board_appraisal_may_manage(assignment=request.assignment, appraisal=appraisal):
        raise Http404("No such board appraisal")
    return appraisal


@permission_required(VIEW_BOARD_APPRAISALS)
def board_appraisal_list_view(request):
    """One organisation's board appraisals for a year: who is due, when, how far each has got, and overdue."""
    organisation = _organisation(request)
    if organisation is None:
        messages.info(request, "Choose an organisation to see its board appraisals.")
        return redirect("boardappraisals:completion")
    today = timezone.localdate()
    years = board_appraisal_years(organisation=organisation, today=today)
    year_form, year = _year(request, years)
    appraisals = board_appraisal_list(organisation=organisation, year=year)
    page = Paginator(appraisals, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    readable = set(
        board_appraisals_readable(assignment=request.assignment, user=request.user)
        .filter(pk__in=[a.pk for a in rows])
        .values_list("pk", flat=True)
    )
    can_manage = assignment_has(request.assignment, MANAGE_BOARD_APPRAISALS)
    not_started = None
    if year >= today.year:
        not_started = board_members_due(organisation=organisation, on=today).exclude(appraisals__year=year).count()
    return render(
        request,
        "boardappraisals/list.jinja",
        {
            "organisation": organisation,
            "year": year,
            "year_form": year_form,
            "page": page,
            "rows": rows,
            "readable": readable,
            "summary": board_appraisal_completion(organisations=[organisation], year=year, today=today)["total"],
            "not_started": not_started,
            "today": today,
            "can_manage": can_manage,
            "start_url": reverse("boardappraisals:start") + "?" + urlencode({"org": organisation.code}),
            "can_see_completion": assignment_has(request.assignment, VIEW_BOARD_APPRAISAL_COMPLETION),
        },
    )


@permission_required(MANAGE_BOARD_APPRAISALS)
def board_appraisal_start_view(request):
    """Start the year's appraisals for every board member in post who has none yet."""
    organisation = _organisation(request)
    if organisation is None:
        messages.info(request, "Choose the organisation whose board appraisals you want to start.")
        return redirect("boardappraisals:completion")
    today = timezone.localdate()
    form = StartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        year = form.cleaned_data["year"]
        try:
            created = board_appraisals_start(
                organisation=organisation,
                year=year,
                by=request.user,
                include_associates=form.cleaned_data["include_associates"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if created:
                noun = "appraisal" if len(created) == 1 else "appraisals"
                messages.success(request, f"{len(created)} {year} {noun} started.")
            else:
                messages.info(request, f"Every board member in post already has an appraisal for {year}.")
            return redirect(_list_url(organisation, year))
    members = list(board_members_due(organisation=organisation, on=today, include_associates=True))
    return render(
        request,
        "boardappraisals/start.jinja",
        {
            "organisation": organisation,
            "form": form,
            "members": members,
            "due_rules": _due_rules(today.year),
            "list_url": _list_url(organisation),
            "page_has_errors": bool(form.errors),
        },
    )


def _due_rules(year: int) -> list[tuple[str, object]]:
    """(who, the day their appraisal is due in ``year``) for each board role."""
    return [(ROLE_PLURALS[role], due_on_for(role=role, year=year)) for role in DEFAULT_DUE]


def _sections(appraisal: BoardAppraisal, can_manage: bool) -> dict[str, bool]:
    """Which sections the viewer may change now."""
    return {name: can_manage and section_open(appraisal=appraisal, section=name) for name in SECTIONS}


@require_http_methods(["GET", "HEAD"])
def board_appraisal_detail_view(request, pk: int):
    """One appraisal, section by section, with the next steps the viewer may take."""
    _require_reader(request)
    appraisal = board_appraisal_get(assignment=request.assignment, user=request.user, pk=pk)
    can_manage = board_appraisal_may_manage(assignment=request.assignment, appraisal=appraisal)
    moves = []
    if can_manage:
        moves = [(to, MOVE_LABELS[to]) for to in MOVES.get(appraisal.state, ())]
    can_sign_off = appraisal.editable and assignment_has(request.assignment, SIGN_OFF_BOARD_APPRAISAL)
    objectives = list(appraisal.objectives.all())
    ratings = list(appraisal.domain_ratings.all())
    return render(
        request,
        "boardappraisals/detail.jinja",
        {
            "appraisal": appraisal,
            "objectives": objectives,
            "ratings": ratings,
            "has_edi_objective": any(o.is_edi for o in objectives),
            "sections": _sections(appraisal, can_manage),
            "moves": moves,
            "can_manage": can_manage,
            "can_sign_off": can_sign_off,
            "today": timezone.localdate(),
            "back_url": _back_url(request, appraisal),
        },
    )


def _back_url(request, appraisal: BoardAppraisal) -> str:
    if assignment_has(request.assignment, VIEW_BOARD_APPRAISALS):
        return _list_url(appraisal.organisation, appraisal.year)
    return reverse("boardappraisals:mine")


@permission_required(MANAGE_BOARD_APPRAISALS)
def board_appraisal_section_view(request, pk: int, section: str):
    """Change one section of an appraisal, while its state allows."""
    if section not in SECTIONS:
        raise Http404("No such section")
    appraisal = _managed(request, pk)
    if not section_open(appraisal=appraisal, section=section):
        if appraisal.editable:
            messages.info(request, f"{SECTIONS[section]} cannot be changed at “{appraisal.get_state_display()}”.")
        else:
            messages.info(request, f"The appraisal is {appraisal.get_state_display().lower()} and cannot be changed.")
        return redirect("boardappraisals:detail", pk=appraisal.pk)

    data = request.POST if request.method == "POST" else None
    form, save = _section_form(appraisal, section, data, request.user)
    if data is not None and form.is_valid():
        try:
            save(form)
        except ValidationError as exc:
            _add_section_errors(form, exc)
        else:
            messages.success(request, f"{SECTIONS[section]} saved.")
            return redirect(reverse("boardappraisals:detail", kwargs={"pk": appraisal.pk}) + f"#{section}")
    return render(
        request,
        f"boardappraisals/section_{section}.jinja",
        {
            "appraisal": appraisal,
            "form": form,
            "section": section,
            "heading": SECTIONS[section],
            "detail_url": reverse("boardappraisals:detail", kwargs={"pk": appraisal.pk}),
            "page_has_errors": _has_errors(form),
        },
    )


def _has_errors(form) -> bool:
    if hasattr(form, "forms"):
        return bool(form.non_form_errors()) or any(f.errors for f in form.forms)
    return bool(form.errors)


def _add_section_errors(form, exc: ValidationError) -> None:
    if hasattr(form, "forms"):
        # A formset: the service's messages concern the objectives as a whole.
        form._non_form_errors = form.error_class(exc.messages, renderer=form.renderer)
        return
    if hasattr(exc, "error_dict") and isinstance(form, DomainRatingsForm):
        codes = {row.domain.code: row.domain_id for row in form.ratings}
        for code, errors in exc.error_dict.items():
            form.add_error(f"evidence_{codes[code]}" if code in codes else None, errors)
        return
    add_service_errors(form, exc)


def _section_form(appraisal: BoardAppraisal, section: str, data, by):
    """The form for a section, and how to save it once valid."""
    if section == "appraiser":
        form = AppraiserForm(
            data,
            appraisal=appraisal,
            members=board_members_of(organisation=appraisal.organisation),
            initial={"appraiser_member": appraisal.appraiser_member_id, "appraiser_name": appraisal.appraiser_name},
        )
        return form, lambda f: board_appraisal_appraiser_save(
            appraisal=appraisal,
            by=by,
            appraiser_name=f.cleaned_data["appraiser_name"],
            appraiser_member=f.cleaned_data["appraiser_member"],
        )
    if section == "objectives":
        formset = objective_formset(
            data,
            appraisal=appraisal,
            objectives=list(appraisal.objectives.all()),
            rated=appraisal.state == State.REVIEW,
        )
        return formset, lambda f: board_objectives_save(appraisal=appraisal, by=by, rows=f.rows())
    if section == "feedback":
        fields = ("feedback_board", "feedback_executives", "feedback_partners", "feedback_staff", "feedback_themes")
        form = FeedbackForm(data, initial={name: getattr(appraisal, name) for name in fields})
        return form, lambda f: board_appraisal_feedback_save(appraisal=appraisal, by=by, **f.cleaned_data)
    if section == "domains":
        form = DomainRatingsForm(data, ratings=appraisal.domain_ratings.all())
        return form, lambda f: board_domain_ratings_save(appraisal=appraisal, by=by, ratings=f.values())
    fields = ("overall_rating", "appraiser_comments", "member_comments")
    form = OutcomeForm(data, initial={name: getattr(appraisal, name) for name in fields})
    return form, lambda f: board_appraisal_outcome_save(appraisal=appraisal, by=by, **f.cleaned_data)


@permission_required(MANAGE_BOARD_APPRAISALS)
def board_appraisal_move_view(request, pk: int):
    """Confirm a move to another state (?to=…), showing what stops it; closing asks for the reason."""
    appraisal = _managed(request, pk)
    to = (request.POST.get("to") or request.GET.get("to") or "").strip()
    if to not in MOVE_LABELS:
        raise Http404("No such step")
    closing = to == State.CLOSED
    problems = board_appraisal_move_problems(appraisal=appraisal, to=to)
    form = MoveForm(request.POST or None, closing=closing)
    if request.method == "POST" and not problems and form.is_valid():
        try:
            board_appraisal_move(
                appraisal=appraisal, by=request.user, to=to, reason=form.cleaned_data.get("reason", "")
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"The appraisal is now at “{State(to).label}”.")
            return redirect("boardappraisals:detail", pk=appraisal.pk)
    return render(
        request,
        "boardappraisals/move.jinja",
        {
            "appraisal": appraisal,
            "to": to,
            "to_label": State(to).label,
            "heading": MOVE_LABELS[to],
            "problems": problems,
            "form": form,
            "closing": closing,
            "detail_url": reverse("boardappraisals:detail", kwargs={"pk": appraisal.pk}),
            "page_has_errors": bool(form.errors) or (request.method == "POST" and bool(problems)),
        },
    )


@permission_required(SIGN_OFF_BOARD_APPRAISAL)
def board_appraisal_sign_off_view(request, pk: int):
    """Sign an appraisal off, or see clearly why it cannot be yet and who signs it off."""
    appraisal = board_appraisal_get(assignment=request.assignment, user=request.user, pk=pk)
    signer_problem = board_appraisal_signer_problem(
        appraisal=appraisal, assignment=request.assignment, user=request.user
    )
    problems = board_appraisal_sign_off_problems(appraisal=appraisal)
    on_behalf = not appraisal.is_chair
    initial = {}
    if on_behalf:
        chair = board_chair_in_post(organisation=appraisal.organisation)
        initial["signed_off_for"] = chair.name if chair else ""
    form = SignOffForm(request.POST or None, on_behalf=on_behalf, initial=initial)
    refused = False
    if request.method == "POST":
        if signer_problem or problems:
            refused = True
        elif form.is_valid():
            try:
                board_appraisal_sign_off(
                    appraisal=appraisal,
                    by=request.user,
                    assignment=request.assignment,
                    signed_off_for=form.cleaned_data.get("signed_off_for", ""),
                )
            except PermissionDenied as exc:
                signer_problem, refused = str(exc), True
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    add_service_errors(form, exc)
                else:
                    problems, refused = exc.messages, True
            else:
                messages.success(request, "The appraisal has been signed off. It can no longer be changed.")
                return redirect("boardappraisals:detail", pk=appraisal.pk)
    return render(
        request,
        "boardappraisals/sign_off.jinja",
        {
            "appraisal": appraisal,
            "form": form,
            "problems": problems,
            "signer_problem": signer_problem,
            "refused": refused,
            "on_behalf": on_behalf,
            "detail_url": reverse("boardappraisals:detail", kwargs={"pk": appraisal.pk}),
            "page_has_errors": refused or bool(form.errors),
        },
    )


def _figure_maker(*, exact: bool, national: bool):
    if exact:
        return count_exact
    return lambda n: count_published(n, national=national)


def _percent(signed_off, due) -> int | None:
    """Signed off as a whole percentage of those due; none from a hidden figure or an empty one."""
    if signed_off.suppressed or due.suppressed:
        return None
    due_n, signed_n = int(due.text.replace(",", "")), int(signed_off.text.replace(",", ""))
    return round(100 * signed_n / due_n) if due_n else None


def _shown(counts: dict, show) -> dict:
    figures = {name: show(counts[name]) for name in COUNT_FIELDS if name in counts}
    figures["percent"] = _percent(figures["signed_off"], figures["due"])
    figures["chairs_percent"] = _percent(figures["chairs_signed_off"], figures["chairs_due"])
    return figures


@permission_required(VIEW_BOARD_APPRAISAL_COMPLETION)
def board_appraisal_completion_view(request):
    """Completion of the year's board appraisals per organisation in the scope, chairs shown apart."""
    today = timezone.localdate()
    scope = Scope.of(request.assignment)
    form = CompletionFilterForm(_with_this_year(request), years=board_appraisal_years(today=today))
    chosen = form.cleaned_data if form.is_valid() else {}
    year = chosen.get("year") or today.year
    sort = chosen.get("sort") or "overdue"
    if sort not in COMPLETION_SORTS:
        sort = "overdue"
    # Roles that follow board appraisals record by record see exact counts; the others see published figures.
    exact = assignment_has(request.assignment, VIEW_BOARD_APPRAISALS)
    show = _figure_maker(exact=exact, national=False)
    rows = board_appraisal_completion_rows(assignment=request.assignment, year=year, sort=sort, today=today)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    lines = []
    for org in page.object_list:
        counts = {name: getattr(org, name) for name in COUNT_FIELDS}
        lines.append(
            {
                "organisation": org,
                "figures": _shown(counts, show),
                "not_started": show(org.not_started),
                "started": counts["due"] + counts["closed"] > 0,
            }
        )
    totals = board_appraisal_completion(
        organisations=board_organisations(assignment=request.assignment), year=year, today=today
    )
    return render(
        request,
        "boardappraisals/completion.jinja",
        {
            "form": form,
            "year": year,
            "sort": sort,
            "page": page,
            "lines": lines,
            "totals": _shown(totals["total"], _figure_maker(exact=exact, national=scope.national)),
            "exact": exact,
            "show_not_started": year >= today.year,
            "due_rules": _due_rules(year),
            "can_open": exact,
            "where": "England" if scope.national else request.assignment.organisation.name,
        },
    )


@permission_required(READ_OWN_BOARD_APPRAISAL)
def board_appraisal_mine_view(request):
    """The signed-in person's own board appraisals, when they sit on a board."""
    return render(
        request,
        "boardappraisals/mine.jinja",
        {"appraisals": list(own_board_appraisals(user=request.user)), "today": timezone.localdate()},
    )

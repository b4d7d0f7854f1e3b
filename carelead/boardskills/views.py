"""Pages for board skills: a board's matrix and gaps, setting its required mix, one member's skills (their
self-assessment and its validation), and the boards with unmet requirements across a scope, with a CSV download."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from carelead.accounts.permissions import Scope, assignment_has, permission_required
from carelead.boards.permissions import VIEW_BOARDS
from carelead.boards.selectors import OVERSEERS, regions_in_scope
from carelead.boardskills.forms import GapsFilterForm, RequirementsForm, SelfAssessmentForm, ValidationForm
from carelead.boardskills.models import Level, Priority
from carelead.boardskills.permissions import MANAGE_REQUIREMENTS, VIEW_BOARD_SKILLS, VIEW_SKILL_GAPS
from carelead.boardskills.selectors import (
    board_members_waiting,
    board_skill_gaps,
    board_skill_matrix,
    gap_boards,
    gap_coverage,
    gap_skills_by_board,
    gaps_may_see_exact,
    history_lines,
    member_skill_history,
    member_skill_lines,
    own_seats,
    requirement_shortfalls,
    requirements_of,
    skills_may_open_boards,
    skills_may_open_members,
    skills_member_get,
    skills_organisation_get,
)
from carelead.boardskills.services import (
    MAX_NEEDED,
    member_self_assessment_save,
    member_skills_validate,
    skill_requirements_save,
)
from carelead.core import spreadsheet
from carelead.core.choices import OrganisationType
from carelead.core.disclosure import count_exact, count_published
from carelead.core.forms import add_service_errors
from carelead.fitproper.selectors import chaired_organisation_ids
from carelead.nedcampaigns.permissions import RUN_CAMPAIGNS
from carelead.nedpool.models import skill_choices
from carelead.organisations.models import Organisation

GAPS_PAGE_SIZE = 25


def _board_url(organisation) -> str:
    return reverse("boardskills:board", kwargs={"code": organisation.code})


def campaign_url(organisation) -> str:
    """Where a campaign for this board's gaps is started."""
    return reverse("nedcampaigns:new") + "?" + urlencode({"org": organisation.code})


def _figure(value: int, *, exact: bool):
    return count_exact(value) if exact else count_published(value)


@require_http_methods(["GET", "HEAD"])
def board_skills_own_view(request):
    """Open the page each person starts from: HR their own board, the national and regional teams the boards with
    gaps, a chair their board, a board member their own skills."""
    assignment = request.assignment
    if (
        assignment_has(assignment, VIEW_BOARD_SKILLS)
        and assignment.organisation_id
        and assignment.organisation.type not in OVERSEERS
    ):
        return redirect("boardskills:board", code=assignment.organisation.code)
    if assignment_has(assignment, VIEW_SKILL_GAPS):
        return redirect("boardskills:gaps")
    chaired = Organisation.objects.filter(pk__in=chaired_organisation_ids(user=request.user)).order_by("name").first()
    if chaired is not None:
        return redirect("boardskills:board", code=chaired.code)
    seats = list(own_seats(user=request.user))
    if len(seats) == 1:
        return redirect("boardskills:member", pk=seats[0].pk)
    if seats:
        return render(request, "boardskills/own.jinja", {"seats": seats})
    raise PermissionDenied


@require_http_methods(["GET", "HEAD"])
def board_skills_view(request, code: str):
    """A board's skills matrix: members in post against the required mix, as a heatmap and a table, and its gaps."""
    if not skills_may_open_boards(assignment=request.assignment, user=request.user):
        raise PermissionDenied
    organisation, access = skills_organisation_get(assignment=request.assignment, user=request.user, code=code)
    today = timezone.localdate()
    gaps = board_skill_gaps(organisation=organisation, on=today)
    order = {code: i for i, (code, _) in enumerate(skill_choices())}
    columns = sorted(gaps, key=lambda g: (order.get(g.skill, len(order)), g.skill))
    matrix = board_skill_matrix(organisation=organisation, gaps=columns, on=today) if access.members else []
    exact = access.members
    lines = [
        {
            "gap": gap,
            "validated": _figure(gap.validated, exact=exact),
            "self_assessed": _figure(gap.self_assessed, exact=exact),
        }
        for gap in gaps
    ]
    short = [gap for gap in gaps if gap.short]
    may_run = assignment_has(request.assignment, RUN_CAMPAIGNS) and Scope.of(request.assignment).contains_path(
        organisation.path
    )
    return render(
        request,
        "boardskills/board.jinja",
        {
            "organisation": organisation,
            "access": access,
            "exact": exact,
            "columns": columns,
            "matrix": matrix,
            "lines": lines,
            "short": short,
            "essential_short": [gap for gap in short if gap.priority == Priority.ESSENTIAL],
            "waiting": board_members_waiting(organisation=organisation, on=today) if exact else 0,
            "campaign_url": campaign_url(organisation) if may_run and short else "",
            "levels": Level,
            "board_url": reverse("boards:board", kwargs={"code": organisation.code}),
            "can_see_board": assignment_has(request.assignment, VIEW_BOARDS),
            "today": today,
        },
    )


@permission_required(MANAGE_REQUIREMENTS)
def board_requirements_view(request, code: str):
    """Set the mix of skills and experience the board needs."""
    organisation, access = skills_organisation_get(assignment=request.assignment, user=request.user, code=code)
    if not access.manage:
        raise Http404("No such organisation")
    current = requirements_of(organisation=organisation)
    initial = {}
    for skill, _ in skill_choices():
        requirement = current.get(skill)
        initial[f"{skill}-needed"] = requirement.needed if requirement else 0
        initial[f"{skill}-level"] = requirement.level if requirement else ""
        initial[f"{skill}-priority"] = requirement.priority if requirement else ""
    form = RequirementsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            changed = skill_requirements_save(
                organisation=organisation, rows=form.rows(), by=request.user, assignment=request.assignment
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if changed:
                messages.success(request, f"The skills {organisation.name}'s board needs have been saved.")
            else:
                messages.info(request, "Nothing had changed, so nothing was saved.")
            return redirect(_board_url(organisation))
    listed = {code for code, _ in skill_choices()}
    return render(
        request,
        "boardskills/requirements.jinja",
        {
            "organisation": organisation,
            "form": form,
            "unlisted": sorted(r.skill for r in current.values() if r.skill not in listed),
            "max_needed": MAX_NEEDED,
            "board_url": _board_url(organisation),
            "page_has_errors": bool(form.errors),
        },
    )


def _skill_hint(line) -> str:
    requirement = line.requirement
    if requirement is None:
        return "Not in the board's required mix"
    members = "member" if requirement.needed == 1 else "members"
    return (
        f"The board needs {requirement.needed} {members} at {Level(requirement.level).label.lower()} or above "
        f"({requirement.get_priority_display().lower()})"
    )


def member_forms(*, lines, data=None, which: str = ""):
    """The self-assessment and validation forms of a member's page, bound only when they were the one sent."""
    skills = [(line.skill, line.label, _skill_hint(line)) for line in lines if line.listed]
    self_form = SelfAssessmentForm(
        data if which == "self" else None,
        prefix="self",
        skills=skills,
        initial={line.skill: line.self_level or 0 for line in lines},
    )
    validation_form = ValidationForm(
        data if which == "validate" else None,
        prefix="validate",
        skills=skills,
        initial={line.skill: "" if line.validated_level is None else line.validated_level for line in lines},
    )
    return self_form, validation_form


@require_http_methods(["GET", "HEAD", "POST"])
def board_skills_member_view(request, pk: int):
    """One board member's skills: as they assess them and as validated, what the board needs, and the history."""
    if not skills_may_open_members(assignment=request.assignment, user=request.user):
        raise PermissionDenied
    member, access = skills_member_get(assignment=request.assignment, user=request.user, pk=pk)
    which = request.POST.get("form", "") if request.method == "POST" else ""
    lines = member_skill_lines(member=member)
    self_form, validation_form = member_forms(lines=lines, data=request.POST or None, which=which)
    if which == "self":
        if not access.self_assess:
            raise PermissionDenied
        if self_form.is_valid():
            try:
                changed = member_self_assessment_save(
                    member=member, levels=self_form.levels(), by=request.user, assignment=request.assignment
                )
            except ValidationError as exc:
                add_service_errors(self_form, exc)
            else:
                messages.success(request, _saved("Self-assessment", changed))
                return redirect("boardskills:member", pk=member.pk)
    elif which == "validate":
        if not access.validate:
            raise PermissionDenied
        if validation_form.is_valid():
            try:
                changed = member_skills_validate(
                    member=member,
                    levels=validation_form.levels(),
                    evidence=validation_form.cleaned_data.get("evidence", ""),
                    by=request.user,
                    assignment=request.assignment,
                )
            except ValidationError as exc:
                add_service_errors(validation_form, exc)
            else:
                messages.success(request, _saved("Validation", changed))
                return redirect("boardskills:member", pk=member.pk)
    elif request.method == "POST":
        raise Http404("No such form")
    history = [
        {"entry": entry, "lines": history_lines(changes=entry.changes), "changes": entry.changes}
        for entry in member_skill_history(member=member)
    ]
    failed = self_form if self_form.errors else validation_form if validation_form.errors else None
    return render(
        request,
        "boardskills/member.jinja",
        {
            "member": member,
            "organisation": member.organisation,
            "access": access,
            "lines": lines,
            "self_form": self_form,
            "validation_form": validation_form,
            "failed": failed,
            "history": history,
            "board_url": _board_url(member.organisation) if access.board.view else "",
            "seat_url": reverse("boards:member", kwargs={"pk": member.pk})
            if assignment_has(request.assignment, VIEW_BOARDS) and access.board.members
            else "",
            "page_has_errors": failed is not None,
            "today": timezone.localdate(),
        },
    )


def _saved(what: str, changed: int) -> str:
    if not changed:
        return f"{what} saved: nothing had changed."
    return f"{what} saved: {changed} skill{'' if changed == 1 else 's'} changed."


# Boards with gaps --------------------------------------------------------------------------------------------


def _gaps(request):
    """The filter form and the unmet requirements it selects."""
    regions = list(regions_in_scope(assignment=request.assignment))
    form = GapsFilterForm(request.GET or None, regions=regions)
    chosen = form.cleaned_data if form.is_valid() else {}
    region = form.regions.get(chosen.get("region") or "")
    shortfalls = requirement_shortfalls(
        assignment=request.assignment,
        skill=chosen.get("skill") or "",
        region=region,
        essential_only=bool(chosen.get("essential")),
    )
    return form, regions, region, shortfalls


def _where(request) -> str:
    return "England" if Scope.of(request.assignment).national else request.assignment.organisation.name


@permission_required(VIEW_SKILL_GAPS)
@require_http_methods(["GET", "HEAD"])
def board_skill_gaps_view(request):
    """Boards in the scope whose required mix is not met, largest shortfall first."""
    form, regions, region, shortfalls = _gaps(request)
    exact = gaps_may_see_exact(assignment=request.assignment)
    page = Paginator(gap_boards(shortfalls=shortfalls), GAPS_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    skills = gap_skills_by_board(shortfalls=shortfalls, organisation_ids=[r["organisation_id"] for r in rows])
    boards = [
        {**row, "total": _figure(row["total_short"], exact=exact), "skills": skills.get(row["organisation_id"], [])}
        for row in rows
    ]
    return render(
        request,
        "boardskills/gaps.jinja",
        {
            "form": form,
            "show_regions": len(regions) > 1,
            "page": page,
            "boards": boards,
            "exact": exact,
            "covered": gap_coverage(assignment=request.assignment, region=region),
            "where": region.name if region else _where(request),
            "filtered": bool(request.GET.get("skill") or request.GET.get("essential")),
            "download_url": reverse("boardskills:gaps_download")
            + ("?" + request.GET.urlencode() if request.GET else ""),
        },
    )


def _cell(value) -> str:
    """A CSV cell that a spreadsheet will not read as a formula."""
    if value is None:
        return ""
    text = str(value)
    return text  # the CSV writer keeps formula-like text as text (core.spreadsheet)


CSV_COLUMNS = [
    "org_code",
    "organisation",
    "organisation_type",
    "region",
    "requirements_unmet",
    "essential_unmet",
    "total_short",
    "skills_short",
]


@permission_required(VIEW_SKILL_GAPS)
@require_http_methods(["GET", "HEAD"])
def board_skill_gaps_download_view(request):
    """The boards with unmet requirements, filtered as on the page, as a CSV file (two queries)."""
    _, _, _, shortfalls = _gaps(request)
    exact = gaps_may_see_exact(assignment=request.assignment)
    skills = gap_skills_by_board(shortfalls=shortfalls)
    types = dict(OrganisationType.choices)
    today = timezone.localdate()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="board-skill-gaps-{today}.csv"'
    writer = spreadsheet.csv_writer(response, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in gap_boards(shortfalls=shortfalls).iterator(chunk_size=2000):
        short_skills = "; ".join(
            f"{s['label']} ({s['priority']}" + (f", short by {s['short']})" if exact else ")")
            for s in skills.get(row["organisation_id"], [])
        )
        writer.writerow(
            _cell(v)
            for v in [
                row["organisation__code"],
                row["organisation__name"],
                types.get(row["organisation__type"], row["organisation__type"]),
                row["organisation__region__name"] or "",
                row["unmet"],
                row["essential_unmet"],
                _figure(row["total_short"], exact=exact).text.replace(",", ""),
                short_skills,
            ]
        )
    return response

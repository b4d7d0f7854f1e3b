"""Pages for boards: an organisation's board with each seat's term and tenure, one member's terms and reviews,
recording a term, a review or the end of a seat, and the seats whose terms end soon (with a CSV download)."""

from datetime import timedelta
from itertools import groupby

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from carelead.accounts.permissions import Scope, assignment_has, permission_required
from carelead.boardappraisals.permissions import VIEW_BOARD_APPRAISALS
from carelead.boards.committees import board_committees, member_committees
from carelead.boards.forms import SeatEndForm, TenureReviewForm, TermEndingsFilterForm, TermForm
from carelead.boards.models import MAX_YEARS, REVIEW_AFTER_YEARS, alert_months, term_years, years_end
from carelead.boards.permissions import MANAGE_TERMS, VIEW_BOARDS, VIEW_TERM_ENDINGS
from carelead.boards.selectors import (
    OVERSEERS,
    board_former_members,
    board_may_manage,
    board_member_get,
    board_organisation_get,
    board_seats,
    latest_board_appraisals,
    member_reviews,
    member_terms,
    regions_in_scope,
    seat_of,
    term_endings,
)
from carelead.boards.services import (
    board_seat_end,
    board_tenure_review_record,
    board_term_record,
    recent_extend_review,
)
from carelead.core import spreadsheet
from carelead.core.choices import BoardRole
from carelead.core.forms import add_service_errors
from carelead.nedcampaigns.permissions import RUN_CAMPAIGNS, VIEW_CAMPAIGNS

ROLE_PLURALS = {
    BoardRole.CHAIR: "Chair",
    BoardRole.NON_EXECUTIVE: "Non-executive directors",
    BoardRole.EXECUTIVE: "Executive directors",
    BoardRole.ASSOCIATE: "Associate (non-voting) members",
}
PAGE_SIZE = 50
ENDINGS_PAGE_SIZE = 25
FORMER_SHOWN = 10


def _board_url(organisation) -> str:
    return reverse("boards:board", kwargs={"code": organisation.code})


def _where(request) -> str:
    scope = Scope.of(request.assignment)
    return "England" if scope.national else request.assignment.organisation.name


@permission_required(VIEW_BOARDS)
def board_own_view(request):
    """Open the board of the organisation the role belongs to, or the list of terms ending soon."""
    assignment = request.assignment
    if assignment.organisation_id and assignment.organisation.type not in OVERSEERS:
        return redirect("boards:board", code=assignment.organisation.code)
    if assignment_has(assignment, VIEW_TERM_ENDINGS):
        return redirect("boards:endings")
    messages.info(request, "Choose an organisation to see its board.")
    return redirect("organisations:list")


@permission_required(VIEW_BOARDS)
@require_http_methods(["GET", "HEAD"])
def board_view(request, code: str):
    """An organisation's board: each seat by role, with its current term, total tenure and appraisal status."""
    organisation = board_organisation_get(assignment=request.assignment, code=code)
    today = timezone.localdate()
    page = Paginator(board_seats(organisation=organisation, today=today), PAGE_SIZE).get_page(request.GET.get("page"))
    seats = [seat_of(m, today=today) for m in page.object_list]
    appraisals = latest_board_appraisals(
        assignment=request.assignment, user=request.user, member_ids=[s.member.pk for s in seats]
    )
    groups = [(ROLE_PLURALS[role], list(group)) for role, group in groupby(seats, key=lambda s: s.member.role)]
    former = list(board_former_members(organisation=organisation, today=today)[: FORMER_SHOWN + 1])
    return render(
        request,
        "boards/board.jinja",
        {
            "organisation": organisation,
            "page": page,
            "seats": seats,
            "groups": groups,
            "appraisals": appraisals,
            "follows_appraisals": assignment_has(request.assignment, VIEW_BOARD_APPRAISALS),
            "appraisals_url": reverse("boardappraisals:list") + "?" + urlencode({"org": organisation.code}),
            "committees": board_committees(organisation=organisation, on=today),
            "former": former[:FORMER_SHOWN],
            "more_former": len(former) > FORMER_SHOWN,
            "can_manage": board_may_manage(assignment=request.assignment, organisation=organisation),
            "can_see_endings": assignment_has(request.assignment, VIEW_TERM_ENDINGS),
            "can_see_campaigns": assignment_has(request.assignment, VIEW_CAMPAIGNS),
            "can_run_campaigns": assignment_has(request.assignment, RUN_CAMPAIGNS),
            "alert_months": alert_months(),
            "term_years": term_years(),
            "today": today,
        },
    )


@permission_required(VIEW_BOARDS)
@require_http_methods(["GET", "HEAD"])
def board_member_view(request, pk: int):
    """One board member's terms of office, total tenure and tenure reviews."""
    member = board_member_get(assignment=request.assignment, pk=pk)
    today = timezone.localdate()
    seat = seat_of(member, today=today)
    return render(
        request,
        "boards/member.jinja",
        {
            "member": member,
            "organisation": member.organisation,
            "seat": seat,
            "terms": member_terms(member=member),
            "reviews": list(member_reviews(member=member)),
            "committee_places": list(member_committees(member=member)),
            "can_manage": board_may_manage(assignment=request.assignment, organisation=member.organisation)
            and (member.end_date is None or member.end_date >= today),
            "board_url": _board_url(member.organisation),
            "review_after": REVIEW_AFTER_YEARS,
            "max_years": MAX_YEARS,
            "today": today,
        },
    )


def _managed_member(request, pk: int):
    """A member the acting role records terms for (404 when out of scope, or has left the board)."""
    member = board_member_get(assignment=request.assignment, pk=pk)
    if not board_may_manage(assignment=request.assignment, organisation=member.organisation):
        raise Http404("No such board member")
    return member


def _member_url(member) -> str:
    return reverse("boards:member", kwargs={"pk": member.pk})


def _form_page(request, *, member, template: str, form, heading: str, context: dict | None = None):
    return render(
        request,
        template,
        {
            "member": member,
            "organisation": member.organisation,
            "seat": seat_of(member),
            "form": form,
            "heading": heading,
            "member_url": _member_url(member),
            "board_url": _board_url(member.organisation),
            "page_has_errors": bool(form.errors),
            **(context or {}),
        },
    )


@permission_required(MANAGE_TERMS)
def board_term_new_view(request, pk: int):
    """Record a member's next term of office; refused when it breaks the 6 and 9 year rule."""
    member = _managed_member(request, pk)
    seat = seat_of(member)
    starts = seat.term_ends_on + timedelta(days=1)
    if seat.term_assumed and seat.term_ends_on >= timezone.localdate():
        # The seat's first term has not been confirmed yet: offer to record it as it is.
        starts = member.start_date
    form = TermForm(request.POST or None, initial={"starts_on": starts, "ends_on": years_end(starts, term_years())})
    if request.method == "POST" and form.is_valid():
        try:
            term = board_term_record(
                member=member,
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
                notes=form.cleaned_data["notes"],
                by=request.user,
                assignment=request.assignment,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Term {term.number} of {member.name} recorded.")
            return redirect(_member_url(member))
    return _form_page(
        request,
        member=member,
        template="boards/term_form.jinja",
        form=form,
        heading="Record a term of office",
        context={
            "review": recent_extend_review(member=member, today=timezone.localdate()),
            "review_after": REVIEW_AFTER_YEARS,
            "max_years": MAX_YEARS,
            "term_years": term_years(),
        },
    )


@permission_required(MANAGE_TERMS)
def board_review_new_view(request, pk: int):
    """Record a rigorous tenure review of whether the member may serve beyond six years."""
    member = _managed_member(request, pk)
    form = TenureReviewForm(request.POST or None, initial={"reviewed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            board_tenure_review_record(
                member=member, by=request.user, assignment=request.assignment, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Tenure review of {member.name} recorded.")
            return redirect(_member_url(member))
    return _form_page(
        request,
        member=member,
        template="boards/review_form.jinja",
        form=form,
        heading="Record a tenure review",
        context={"review_after": REVIEW_AFTER_YEARS, "max_years": MAX_YEARS},
    )


@permission_required(MANAGE_TERMS)
def board_seat_end_view(request, pk: int):
    """Record the day a member leaves the board."""
    member = _managed_member(request, pk)
    form = SeatEndForm(request.POST or None, initial={"ended_on": member.end_date or seat_of(member).term_ends_on})
    if request.method == "POST" and form.is_valid():
        try:
            board_seat_end(
                member=member, ended_on=form.cleaned_data["ended_on"], by=request.user, assignment=request.assignment
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"The end of {member.name}'s seat has been recorded.")
            return redirect(_board_url(member.organisation))
    return _form_page(request, member=member, template="boards/end_form.jinja", form=form, heading="End a seat")


def _endings(request):
    """The filter form and the filtered seats whose terms end soon."""
    regions = list(regions_in_scope(assignment=request.assignment))
    form = TermEndingsFilterForm(request.GET or None, regions=regions, initial={"months": alert_months()})
    chosen = form.cleaned_data if form.is_valid() else {}
    months = chosen.get("months") or alert_months()
    rows = term_endings(
        assignment=request.assignment,
        months=months,
        region=form.regions.get(chosen.get("region") or ""),
        organisation_type=chosen.get("organisation_type") or "",
        role=chosen.get("role") or "",
    )
    return form, months, regions, rows


@permission_required(VIEW_TERM_ENDINGS)
@require_http_methods(["GET", "HEAD"])
def board_term_endings_view(request):
    """Every seat in the scope whose term of office ends in the next months: the vacancies to plan for."""
    form, months, regions, rows = _endings(request)
    today = timezone.localdate()
    page = Paginator(rows, ENDINGS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "boards/endings.jinja",
        {
            "form": form,
            "months": months,
            "show_regions": len(regions) > 1,
            "page": page,
            "seats": [seat_of(m, today=today) for m in page.object_list],
            "where": _where(request),
            "download_url": reverse("boards:endings_download") + ("?" + request.GET.urlencode() if request.GET else ""),
            "today": today,
            "can_run_campaigns": assignment_has(request.assignment, RUN_CAMPAIGNS),
        },
    )


def _cell(value) -> str:
    """A CSV cell that a spreadsheet will not read as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Y" if value else "N"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    text = str(value)
    return text  # the CSV writer keeps formula-like text as text (core.spreadsheet)


CSV_COLUMNS = [
    "org_code",
    "organisation",
    "organisation_type",
    "region",
    "member_id",
    "name",
    "role",
    "voting",
    "term_number",
    "term_assumed",
    "term_starts_on",
    "term_ends_on",
    "leaving_on",
    "first_term_starts_on",
    "tenure_at_term_end",
    "review_needed_beyond_6_years",
    "latest_review_outcome",
    "another_term",
]


@permission_required(VIEW_TERM_ENDINGS)
@require_http_methods(["GET", "HEAD"])
def board_term_endings_download_view(request):
    """The seats whose terms end soon, filtered as on the page, as a CSV file."""
    _, months, _, rows = _endings(request)
    today = timezone.localdate()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="board-terms-ending-{today}-{months}-months.csv"'
    writer = spreadsheet.csv_writer(response, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for member in rows.iterator(chunk_size=2000):
        seat = seat_of(member, today=today)
        org = member.organisation
        leaving = member.end_date if member.end_date and member.end_date < seat.term_ends_on else None
        writer.writerow(
            _cell(v)
            for v in [
                org.code,
                org.name,
                org.get_type_display(),
                org.region.name if org.region else "",
                member.member_id,
                member.name,
                member.get_role_display(),
                member.voting,
                seat.term_number,
                seat.term_assumed,
                seat.term_starts_on,
                seat.term_ends_on,
                leaving,
                seat.first_starts_on,
                _years_between(seat.first_starts_on, seat.term_ends_on),
                seat.beyond_six and not seat.reviewed,
                member.review_outcome or "",
                seat.reappointment_text,
            ]
        )
    return response


def _years_between(start, end) -> str:
    return f"{(end - start).days / 365.25:.1f}"

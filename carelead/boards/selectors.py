"""Reads of boards: the seats a role may see, each seat's current term of office and total tenure, and the
seats whose terms end soon. Pages reach board members only through the scoped functions here."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import (
    Case,
    DateField,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from carelead.accounts.permissions import Scope, assignment_has
from carelead.boardappraisals.models import BoardAppraisal
from carelead.boardappraisals.permissions import VIEW_BOARD_APPRAISALS
from carelead.boardappraisals.selectors import board_appraisals_readable
from carelead.boards.models import (
    MAX_YEARS,
    REVIEW_AFTER_YEARS,
    BoardMember,
    TenureReview,
    Term,
    add_months,
    alert_months,
    term_years,
    years_end,
)
from carelead.boards.permissions import MANAGE_TERMS
from carelead.core.choices import BoardRole, OrganisationType
from carelead.organisations.models import Organisation

ROLE_ORDER = {BoardRole.CHAIR: 0, BoardRole.NON_EXECUTIVE: 1, BoardRole.EXECUTIVE: 2, BoardRole.ASSOCIATE: 3}
# Regions and the national body oversee boards; they have none of their own on CareLead.
OVERSEERS = (OrganisationType.NATIONAL, OrganisationType.REGION)


class ImpliedTermEnd(Func):
    """The last day of a term of ``years`` years starting on the given date, computed by the database."""

    output_field = DateField()

    def __init__(self, expression, *, years: int):
        self.years = int(years)
        super().__init__(expression)

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"date({sql}, '+{self.years} years', '-1 day')", params

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"(CAST(({sql} + INTERVAL '{self.years} years') AS date) - 1)", params


def _role_position() -> Case:
    return Case(
        *[When(role=role, then=Value(i)) for role, i in ROLE_ORDER.items()],
        default=Value(len(ROLE_ORDER)),
        output_field=IntegerField(),
    )


def with_terms(members: QuerySet[BoardMember]) -> QuerySet[BoardMember]:
    """Annotate each member with their current term (recorded, or the one implied by the seat's start date),
    the start of their first term, and their latest tenure review; all in the one query."""
    latest = Term.objects.filter(member=OuterRef("pk")).order_by("-number")
    first = Term.objects.filter(member=OuterRef("pk")).order_by("number")
    review = TenureReview.objects.filter(member=OuterRef("pk")).order_by("-reviewed_on", "-pk")
    return members.annotate(
        recorded_term_number=Subquery(latest.values("number")[:1]),
        term_starts_on=Coalesce(Subquery(latest.values("starts_on")[:1]), F("start_date"), output_field=DateField()),
        term_ends_on=Coalesce(
            Subquery(latest.values("ends_on")[:1]),
            ImpliedTermEnd(F("start_date"), years=term_years()),
            output_field=DateField(),
        ),
        first_starts_on=Coalesce(Subquery(first.values("starts_on")[:1]), F("start_date"), output_field=DateField()),
        review_outcome=Subquery(review.values("outcome")[:1]),
        review_on=Subquery(review.values("reviewed_on")[:1]),
        role_position=_role_position(),
    )


def _tenure_text(start: date, end: date) -> str:
    if end < start:
        return "Not started yet"
    months = (end.year - start.year) * 12 + end.month - start.month - (1 if end.day < start.day else 0)
    years, months = divmod(max(months, 0), 12)
    parts = []
    if years:
        parts.append(f"{years} year" + ("" if years == 1 else "s"))
    if months or not years:
        parts.append(f"{months} month" + ("" if months == 1 else "s"))
    return ", ".join(parts)


@dataclass(frozen=True)
class Seat:
    """One seat holder with their current term and tenure, as the board pages show them."""

    member: BoardMember
    term_number: int
    term_starts_on: date
    term_ends_on: date
    term_assumed: bool
    first_starts_on: date
    today: date
    review_outcome: str | None
    review_on: date | None

    @property
    def tenure_until(self) -> date:
        """Today, or the day the member left the board when that has passed."""
        end = self.member.end_date
        return end if end is not None and end < self.today else self.today

    @property
    def tenure_days(self) -> int:
        return max((self.tenure_until - self.first_starts_on).days, 0)

    @property
    def tenure_text(self) -> str:
        return _tenure_text(self.first_starts_on, self.tenure_until)

    @property
    def review_mark(self) -> date:
        """The last day of six years in total: serving beyond it needs a rigorous review."""
        return years_end(self.first_starts_on, REVIEW_AFTER_YEARS)

    @property
    def limit(self) -> date:
        """The last day of nine years in total: nobody serves beyond it."""
        return years_end(self.first_starts_on, MAX_YEARS)

    @property
    def beyond_six(self) -> bool:
        """The current term takes the member's total tenure beyond six years."""
        return self.term_ends_on > self.review_mark

    @property
    def beyond_nine(self) -> bool:
        return self.term_ends_on > self.limit or self.tenure_until > self.limit

    @property
    def reviewed(self) -> bool:
        """The latest tenure review agreed the member may serve on."""
        return self.review_outcome == TenureReview.Outcome.EXTEND

    @property
    def ends_soon(self) -> bool:
        """The current term ends within the alert period (six months unless set otherwise)."""
        return self.today <= self.term_ends_on <= add_months(self.today, alert_months())

    @property
    def term_passed(self) -> bool:
        """The current term's planned end has passed while the seat is still held."""
        return self.term_ends_on < self.today and (self.member.end_date is None or self.member.end_date >= self.today)

    @property
    def next_term_ends_on(self) -> date:
        return years_end(self.term_ends_on + timedelta(days=1), term_years())

    @property
    def reappointment(self) -> str:
        """Whether a further term of the typical length fits the tenure rule: possible, after_review or no."""
        if self.next_term_ends_on > self.limit:
            return "no"
        if self.next_term_ends_on > self.review_mark:
            return "after_review"
        return "possible"

    @property
    def reappointment_text(self) -> str:
        return {
            "possible": "Possible",
            "after_review": "Possible after a rigorous review",
            "no": "Not possible: 9-year limit",
        }[self.reappointment]


def seat_of(member: BoardMember, *, today: date | None = None) -> Seat:
    """The seat of a member annotated by ``with_terms``."""
    today = today or timezone.localdate()
    return Seat(
        member=member,
        term_number=member.recorded_term_number or 1,
        term_starts_on=member.term_starts_on,
        term_ends_on=member.term_ends_on,
        term_assumed=member.recorded_term_number is None,
        first_starts_on=member.first_starts_on,
        today=today,
        review_outcome=member.review_outcome,
        review_on=member.review_on,
    )


def board_members_visible(*, assignment) -> QuerySet[BoardMember]:
    """Board members of the organisations in the assignment's scope: the one rule for lists and single seats."""
    return BoardMember.objects.filter(Scope.of(assignment).organisations_q("organisation__")).exclude(
        organisation__type__in=OVERSEERS
    )


def board_member_get(*, assignment, pk: int) -> BoardMember:
    """One board member the acting role may see, annotated with their terms (404 otherwise)."""
    members = with_terms(board_members_visible(assignment=assignment)).select_related(
        "organisation", "organisation__region"
    )
    try:
        return members.get(pk=pk)
    except BoardMember.DoesNotExist:
        raise Http404("No such board member") from None


def board_may_manage(*, assignment, organisation: Organisation) -> bool:
    """Whether the acting role records terms for this organisation's board."""
    return assignment_has(assignment, MANAGE_TERMS) and Scope.of(assignment).contains_path(organisation.path)


def board_organisations(*, assignment) -> QuerySet[Organisation]:
    """Organisations in the assignment's scope that may have a board."""
    return Organisation.objects.filter(Scope.of(assignment).organisations_q()).exclude(type__in=OVERSEERS)


def board_organisation_get(*, assignment, code: str) -> Organisation:
    """One organisation in the scope (404 when unknown or out of reach, alike)."""
    try:
        return board_organisations(assignment=assignment).select_related("region").get(code=code.strip().upper())
    except Organisation.DoesNotExist:
        raise Http404("No such organisation") from None


def open_seats_q(*, on: date, prefix: str = "") -> Q:
    """Seats not yet given up on ``on`` (including members appointed who have not started)."""
    return Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": on})


def board_seats(*, organisation: Organisation, today: date | None = None) -> QuerySet[BoardMember]:
    """An organisation's seats held today or later, chair first, then non-executives, executives, associates."""
    today = today or timezone.localdate()
    return with_terms(BoardMember.objects.filter(open_seats_q(on=today), organisation=organisation)).order_by(
        "role_position", "name", "pk"
    )


def board_former_members(*, organisation: Organisation, today: date | None = None) -> QuerySet[BoardMember]:
    """An organisation's members who have left the board, most recent first."""
    today = today or timezone.localdate()
    return BoardMember.objects.filter(organisation=organisation, end_date__lt=today).order_by("-end_date", "name")


def member_terms(*, member: BoardMember) -> list[dict]:
    """A member's terms, first to last; the implied term when none is recorded."""
    terms = list(member.terms.select_related("created_by").order_by("number"))
    if terms:
        return [
            {"number": t.number, "starts_on": t.starts_on, "ends_on": t.ends_on, "notes": t.notes, "assumed": False}
            for t in terms
        ]
    return [
        {
            "number": 1,
            "starts_on": member.start_date,
            "ends_on": years_end(member.start_date, term_years()),
            "notes": "",
            "assumed": True,
        }
    ]


def member_reviews(*, member: BoardMember) -> QuerySet[TenureReview]:
    """A member's tenure reviews, newest first."""
    return member.tenure_reviews.select_related("by").order_by("-reviewed_on", "-pk")


def latest_board_appraisals(*, assignment, user, member_ids: list[int]) -> dict[int, dict]:
    """The latest board appraisal of each member, for roles that follow board appraisals: {member id: {"pk",
    "year", "state", "label", "overdue", "readable"}}; empty for other roles. Two queries."""
    if not member_ids or not assignment_has(assignment, VIEW_BOARD_APPRAISALS):
        return {}
    today = timezone.localdate()
    latest: dict[int, dict] = {}
    rows = (
        BoardAppraisal.objects.filter(member_id__in=member_ids)
        .order_by("member_id", "-year", "-pk")
        .values("pk", "member_id", "year", "state", "due_on")
    )
    for row in rows:
        if row["member_id"] not in latest:
            latest[row["member_id"]] = {
                **row,
                "label": BoardAppraisal.State(row["state"]).label,
                "overdue": row["state"] in BoardAppraisal.OPEN and row["due_on"] < today,
            }
    readable = set(
        board_appraisals_readable(assignment=assignment, user=user)
        .filter(pk__in=[a["pk"] for a in latest.values()])
        .values_list("pk", flat=True)
    )
    for appraisal in latest.values():
        appraisal["readable"] = appraisal["pk"] in readable
    return latest


def regions_in_scope(*, assignment) -> QuerySet[Organisation]:
    """The regions the assignment covers: every region nationally, or its own."""
    return Organisation.objects.filter(Scope.of(assignment).organisations_q(), type=OrganisationType.REGION).order_by(
        "name"
    )


def term_endings(
    *,
    assignment,
    months: int,
    region: Organisation | None = None,
    organisation_type: str = "",
    role: str = "",
    today: date | None = None,
) -> QuerySet[BoardMember]:
    """Seats in the scope whose current term, or the member's planned leaving date, falls in the next ``months``
    months: soonest first. Each row is annotated by ``with_terms`` and with ``seat_ends_on``."""
    today = today or timezone.localdate()
    until = add_months(today, months)
    members = with_terms(board_members_visible(assignment=assignment).filter(open_seats_q(on=today)))
    members = members.annotate(
        seat_ends_on=Case(
            When(end_date__isnull=False, end_date__lt=F("term_ends_on"), then=F("end_date")),
            default=F("term_ends_on"),
            output_field=DateField(),
        )
    ).filter(seat_ends_on__gte=today, seat_ends_on__lte=until)
    if region is not None:
        members = members.filter(organisation__region=region)
    if organisation_type:
        members = members.filter(organisation__type=organisation_type)
    if role:
        members = members.filter(role=role)
    return members.select_related("organisation", "organisation__region").order_by(
        "seat_ends_on", "organisation__name", "role_position", "name", "pk"
    )

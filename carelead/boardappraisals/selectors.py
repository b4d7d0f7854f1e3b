"""Reads of board appraisals. Pages reach appraisals only through the scoped functions here; other pages (an
organisation's page, a regional dashboard) call ``board_appraisal_completion`` for counts."""

from collections.abc import Iterable
from datetime import date

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from carelead.accounts.permissions import Scope, assignment_has
from carelead.accounts.roles import Role
from carelead.boardappraisals.models import BoardAppraisal, BoardObjective, DomainRating, overdue_q
from carelead.boardappraisals.permissions import (
    MANAGE_BOARD_APPRAISALS,
    READ_BOARD_APPRAISAL,
    READ_OWN_BOARD_APPRAISAL,
)
from carelead.boards.models import BoardMember
from carelead.core.choices import BoardRole, OrganisationType
from carelead.organisations.models import Organisation

# The roles appraised every year; associates only when asked for.
APPRAISED_ROLES = (BoardRole.CHAIR, BoardRole.NON_EXECUTIVE, BoardRole.EXECUTIVE)
ROLE_ORDER = {BoardRole.CHAIR: 0, BoardRole.NON_EXECUTIVE: 1, BoardRole.EXECUTIVE: 2, BoardRole.ASSOCIATE: 3}
# Boards belong to the organisations that run services; the national body and regions only oversee them.
_OVERSEERS = (OrganisationType.NATIONAL, OrganisationType.REGION)

COUNT_NAMES = ("due", "signed_off", "overdue", "closed", "chairs_due", "chairs_signed_off", "chairs_overdue")


def in_post_q(*, on: date, prefix: str = "") -> Q:
    """Board members (reached through ``prefix``) holding their seat on ``on``."""
    return Q(**{f"{prefix}start_date__lte": on}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": on})
    )


def board_appraisals_readable(*, assignment, user) -> QuerySet[BoardAppraisal]:
    """The appraisals the acting role may read in full: the one rule for lists and single records."""
    appraisals = BoardAppraisal.objects.all()
    if assignment_has(assignment, READ_BOARD_APPRAISAL):
        appraisals = appraisals.filter(Scope.of(assignment).organisations_q("organisation__"))
        if assignment.role == Role.REGIONAL_TALENT:
            # The regional lead signs off the chairs' appraisals and has no call on the rest of the board's.
            appraisals = appraisals.filter(role=BoardRole.CHAIR)
        return appraisals
    if assignment_has(assignment, READ_OWN_BOARD_APPRAISAL) and user.person_id:
        return appraisals.filter(member__person_id=user.person_id)
    return appraisals.none()


def board_appraisal_get(*, assignment, user, pk: int) -> BoardAppraisal:
    """One appraisal the acting role may read, with everything its page shows (404 otherwise)."""
    appraisals = (
        board_appraisals_readable(assignment=assignment, user=user)
        .select_related(
            "member", "organisation", "organisation__region", "framework", "appraiser_member", "signed_off_by"
        )
        .prefetch_related(
            Prefetch("domain_ratings", queryset=DomainRating.objects.select_related("domain")),
            Prefetch("objectives", queryset=BoardObjective.objects.all()),
        )
    )
    try:
        return appraisals.get(pk=pk)
    except BoardAppraisal.DoesNotExist:
        raise Http404("No such board appraisal") from None


def board_appraisal_may_manage(*, assignment, appraisal: BoardAppraisal) -> bool:
    """Whether the acting role records this appraisal (HR of its organisation, or a national admin)."""
    return assignment_has(assignment, MANAGE_BOARD_APPRAISALS) and Scope.of(assignment).contains_path(
        appraisal.organisation.path
    )


def board_organisations(*, assignment) -> QuerySet[Organisation]:
    """Organisations in the assignment's scope that may have a board."""
    return Organisation.objects.filter(Scope.of(assignment).organisations_q()).exclude(type__in=_OVERSEERS)


def board_organisation_get(*, assignment, code: str) -> Organisation:
    """One organisation in the assignment's scope (404 when unknown or out of reach, alike)."""
    return get_object_or_404(board_organisations(assignment=assignment), code=code.strip().upper())


def board_organisation_default(*, assignment) -> Organisation | None:
    """The organisation whose board opens first: the assignment's own, unless it only oversees others."""
    if assignment is None or assignment.organisation_id is None or assignment.organisation.type in _OVERSEERS:
        return None
    return assignment.organisation


def _role_position() -> Case:
    return Case(
        *[When(role=role, then=Value(i)) for role, i in ROLE_ORDER.items()],
        default=Value(len(ROLE_ORDER)),
        output_field=IntegerField(),
    )


def board_appraisal_list(*, organisation: Organisation, year: int) -> QuerySet[BoardAppraisal]:
    """One organisation's appraisals for a year: the chair first, then non-executives, executives, associates."""
    return (
        BoardAppraisal.objects.filter(organisation=organisation, year=year)
        .select_related("member", "appraiser_member")
        .annotate(role_position=_role_position())
        .order_by("role_position", "member__name", "pk")
    )


def board_appraisal_years(*, organisation: Organisation | None = None, today: date | None = None) -> list[int]:
    """The years that have board appraisals (of one organisation, or anywhere), with this year, newest first."""
    today = today or timezone.localdate()
    appraisals = BoardAppraisal.objects.all()
    if organisation is not None:
        appraisals = appraisals.filter(organisation=organisation)
    years = set(appraisals.values_list("year", flat=True).distinct()) | {today.year}
    return sorted(years, reverse=True)


def own_board_appraisals(*, user) -> QuerySet[BoardAppraisal]:
    """The board appraisals of the signed-in person, newest first."""
    if not user.person_id:
        return BoardAppraisal.objects.none()
    return (
        BoardAppraisal.objects.filter(member__person_id=user.person_id)
        .select_related("member", "organisation")
        .order_by("-year", "due_on", "pk")
    )


def board_members_due(*, organisation: Organisation, on: date, include_associates: bool = False):
    """Board members of an organisation in post on ``on`` who are appraised (associates only when asked)."""
    roles = (*APPRAISED_ROLES, BoardRole.ASSOCIATE) if include_associates else APPRAISED_ROLES
    return BoardMember.objects.filter(in_post_q(on=on), organisation=organisation, role__in=roles).order_by(
        "role", "name", "pk"
    )


def board_chair_in_post(*, organisation: Organisation, on: date | None = None) -> BoardMember | None:
    """The organisation's chair on ``on`` (today by default), if the seat is filled."""
    on = on or timezone.localdate()
    return (
        BoardMember.objects.filter(in_post_q(on=on), organisation=organisation, role=BoardRole.CHAIR)
        .order_by("-start_date", "pk")
        .first()
    )


def board_members_of(*, organisation: Organisation, on: date | None = None) -> QuerySet[BoardMember]:
    """An organisation's board members in post, chair first (for choosing an appraiser)."""
    on = on or timezone.localdate()
    position = Case(*[When(role=role, then=Value(i)) for role, i in ROLE_ORDER.items()], output_field=IntegerField())
    return (
        BoardMember.objects.filter(in_post_q(on=on), organisation=organisation)
        .annotate(role_position=position)
        .order_by("role_position", "name", "pk")
    )


def _counts(*, today: date, prefix: str = "", field: str = "id", where: Q | None = None) -> dict:
    """Count expressions of completion over appraisals reached through ``prefix``, limited by ``where``."""
    where = where or Q()
    chair = Q(**{f"{prefix}role": BoardRole.CHAIR})
    open_ = where & ~Q(**{f"{prefix}state": BoardAppraisal.State.CLOSED})
    signed = where & Q(**{f"{prefix}state": BoardAppraisal.State.SIGNED_OFF})
    closed = where & Q(**{f"{prefix}state": BoardAppraisal.State.CLOSED})
    overdue = where & overdue_q(today=today, prefix=prefix)
    return {
        "due": Count(field, filter=open_),
        "signed_off": Count(field, filter=signed),
        "overdue": Count(field, filter=overdue),
        "closed": Count(field, filter=closed),
        "chairs_due": Count(field, filter=open_ & chair),
        "chairs_signed_off": Count(field, filter=signed & chair),
        "chairs_overdue": Count(field, filter=overdue & chair),
    }


def _empty() -> dict:
    return dict.fromkeys(COUNT_NAMES, 0)


def board_appraisal_completion(
    *, organisations: Iterable[Organisation] | QuerySet[Organisation], year: int, today: date | None = None
) -> dict:
    """Completion of the year's board appraisals for some organisations, in one query.

    Returns ``{"year": year, "by_organisation": {organisation id: counts}, "total": counts}``, where counts has
    ``due`` (appraisals not closed), ``signed_off``, ``overdue`` (past the due date, neither signed off nor
    closed), ``closed``, and the same for chairs alone (``chairs_due``, ``chairs_signed_off``, ``chairs_overdue``).
    Organisations without appraisals for the year are left out of ``by_organisation``.
    """
    today = today or timezone.localdate()
    if not isinstance(organisations, QuerySet):
        organisations = [o.pk for o in organisations]
    rows = (
        BoardAppraisal.objects.filter(organisation__in=organisations, year=year)
        .order_by()
        .values("organisation_id")
        .annotate(**_counts(today=today))
    )
    by_organisation = {}
    total = _empty()
    for row in rows:
        counts = {name: row[name] for name in COUNT_NAMES}
        by_organisation[row["organisation_id"]] = counts
        for name in COUNT_NAMES:
            total[name] += counts[name]
    return {"year": year, "by_organisation": by_organisation, "total": total}


COMPLETION_SORTS = {
    "overdue": ("-overdue", "-chairs_overdue", "name", "code"),
    "name": ("name", "code"),
    "signed_off": ("signed_off", "-due", "name", "code"),
}


def board_appraisal_completion_rows(
    *, assignment, year: int, sort: str = "overdue", today: date | None = None
) -> QuerySet[Organisation]:
    """Per organisation in the scope with a board: the year's completion counts, and members not yet started.

    ``not_started`` counts the board members in post today (chairs, non-executives, executives) who have no
    appraisal for the year. The rows are sorted by ``sort`` (a key of ``COMPLETION_SORTS``).
    """
    today = today or timezone.localdate()
    members = BoardMember.objects.filter(in_post_q(on=today), organisation=OuterRef("pk"), role__in=APPRAISED_ROLES)
    not_started = (
        members.filter(~Exists(BoardAppraisal.objects.filter(member=OuterRef("pk"), year=year)))
        .order_by()
        .values("organisation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    counts = _counts(
        today=today, prefix="board_appraisals__", field="board_appraisals", where=Q(board_appraisals__year=year)
    )
    rows = (
        board_organisations(assignment=assignment)
        .annotate(**counts, not_started=Coalesce(Subquery(not_started, output_field=IntegerField()), Value(0)))
        .filter(Q(due__gt=0) | Q(closed__gt=0) | Q(not_started__gt=0))
    )
    return rows.order_by(*COMPLETION_SORTS.get(sort, COMPLETION_SORTS["overdue"]))

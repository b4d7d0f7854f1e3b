"""Board committees and who sits on them: reads for the board and committee pages, and the writes (validated,
atomic, audited, and refused outside the acting role's scope, like terms of office).

A member sits on a committee from a date until a date, or open-ended; one member at a time chairs it. Only a
member of the same board whose seat is open on the start date may join. When a seat ends, its committee places
end with it (``memberships_end_with_seat``, called by ``board_seat_end``).
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from carelead.audit.services import Actor, audit_record, diff
from carelead.boards.models import BoardMember, Committee, CommitteeMembership
from carelead.boards.selectors import board_may_manage, board_organisation_get
from carelead.organisations.models import Organisation


def _fmt(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _current_q(on: date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}starts_on__lte": on}) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": on})
    )


# Reads ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CommitteeSummary:
    committee: Committee
    chair: BoardMember | None
    members: list[BoardMember]


def board_committees(*, organisation: Organisation, on: date | None = None) -> list[CommitteeSummary]:
    """The board's committees still sitting, each with its members on ``on`` (chair first): two queries."""
    on = on or timezone.localdate()
    current = (
        CommitteeMembership.objects.filter(_current_q(on)).select_related("member").order_by("-chairs", "member__name")
    )
    committees = (
        Committee.objects.filter(organisation=organisation)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=on))
        .prefetch_related(Prefetch("memberships", queryset=current, to_attr="current"))
        .order_by("name")
    )
    return [
        CommitteeSummary(
            committee=c,
            chair=next((m.member for m in c.current if m.chairs), None),
            members=[m.member for m in c.current],
        )
        for c in committees
    ]


def member_committees(*, member: BoardMember) -> QuerySet[CommitteeMembership]:
    """Every committee place a member has held, the latest first."""
    return member.committee_memberships.select_related("committee").order_by("-starts_on", "committee__name")


def committee_get(*, assignment, pk: int) -> Committee:
    """One committee of a board in the acting role's scope (404 otherwise, alike for unknown ids)."""
    committee = Committee.objects.select_related("organisation").filter(pk=pk).first()
    if committee is None:
        raise Http404("No such committee")
    board_organisation_get(assignment=assignment, code=committee.organisation.code)
    return committee


def committee_memberships(*, committee: Committee) -> QuerySet[CommitteeMembership]:
    """All places on a committee, current and past, the current ones and the chair first."""
    return committee.memberships.select_related("member").order_by("ends_on", "-chairs", "member__name", "-starts_on")


def membership_get(*, assignment, pk: int) -> CommitteeMembership:
    membership = CommitteeMembership.objects.select_related("committee__organisation", "member").filter(pk=pk).first()
    if membership is None:
        raise Http404("No such committee place")
    board_organisation_get(assignment=assignment, code=membership.committee.organisation.code)
    return membership


def eligible_members(*, committee: Committee, on: date | None = None) -> QuerySet[BoardMember]:
    """Members of the committee's board whose seats are open on ``on`` and who are not already on it."""
    on = on or timezone.localdate()
    sitting = CommitteeMembership.objects.filter(committee=committee, ends_on__isnull=True).values("member_id")
    return (
        BoardMember.objects.filter(organisation_id=committee.organisation_id)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .exclude(pk__in=sitting)
        .order_by("name", "pk")
    )


# Writes --------------------------------------------------------------------------------------------------------


def _check_scope(*, assignment, organisation: Organisation) -> None:
    if assignment is not None and not board_may_manage(assignment=assignment, organisation=organisation):
        raise PermissionDenied("You cannot manage this board's committees.")


def _audit(*, by, action: str, committee: Committee, object_type: str, object_id, changes: dict, member=None):
    audit_record(
        actor=Actor.of(by),
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=f"{committee.organisation.code} board committee: {committee.name}"[:255],
        changes=changes,
        subject_person_id=getattr(member, "person_id", None),
        organisation_id=committee.organisation_id,
    )


@transaction.atomic
def committee_create(*, organisation: Organisation, name: str, kind: str, purpose: str, by, assignment=None):
    """Add a committee to a board; names are unique within a board, whatever the capitals."""
    _check_scope(assignment=assignment, organisation=organisation)
    name = " ".join((name or "").split())
    errors = {}
    if not name:
        errors["name"] = ["Enter the committee's name"]
    elif Committee.objects.filter(organisation=organisation, name__iexact=name).exists():
        errors["name"] = [f"The board already has a committee called {name}"]
    if kind not in Committee.Kind.values:
        errors["kind"] = ["Choose the kind of committee"]
    if errors:
        raise ValidationError(errors)
    committee = Committee(organisation=organisation, name=name, kind=kind, purpose=(purpose or "").strip())
    committee.full_clean(exclude=["organisation"])
    try:
        with transaction.atomic():
            committee.save()
    except IntegrityError:
        raise ValidationError({"name": [f"The board already has a committee called {name}"]}) from None
    _audit(
        by=by,
        action="create",
        committee=committee,
        object_type="boards.Committee",
        object_id=committee.pk,
        changes=diff({}, {"name": name, "kind": kind}),
    )
    return committee


@transaction.atomic
def committee_member_add(
    *, committee: Committee, member: BoardMember, chairs: bool, starts_on: date, by, assignment=None
) -> CommitteeMembership:
    """Put a member of the board on the committee from ``starts_on``; a new chair needs the old one's place
    ended (or changed) first."""
    _check_scope(assignment=assignment, organisation=committee.organisation)
    committee = Committee.objects.select_for_update().select_related("organisation").get(pk=committee.pk)
    errors: dict[str, list[str]] = {}
    if member.organisation_id != committee.organisation_id:
        errors["member"] = ["Choose a member of this board"]
    elif member.end_date is not None and member.end_date < starts_on:
        errors["member"] = [f"{member.name}'s seat ended on {_fmt(member.end_date)}, before that start date"]
    elif starts_on < member.start_date:
        errors["starts_on"] = [f"{member.name} joined the board on {_fmt(member.start_date)}: start on or after it"]
    if committee.closed_on is not None:
        errors["__all__"] = [f"The committee was stood down on {_fmt(committee.closed_on)}"]
    open_places = CommitteeMembership.objects.filter(committee=committee, ends_on__isnull=True)
    if not errors and open_places.filter(member=member).exists():
        errors["member"] = [f"{member.name} already sits on the committee"]
    if chairs and not errors:
        chair = open_places.filter(chairs=True).select_related("member").first()
        if chair is not None:
            errors["chairs"] = [f"{chair.member.name} chairs the committee: end their place first"]
    if errors:
        raise ValidationError(errors)
    membership = CommitteeMembership.objects.create(
        committee=committee, member=member, chairs=chairs, starts_on=starts_on
    )
    _audit(
        by=by,
        action="create",
        committee=committee,
        object_type="boards.CommitteeMembership",
        object_id=membership.pk,
        changes=diff({}, {"member": member.member_id, "chairs": chairs, "starts_on": starts_on}),
        member=member,
    )
    return membership


@transaction.atomic
def committee_member_end(*, membership: CommitteeMembership, ends_on: date, by, assignment=None):
    """Record the last day of a member's place on a committee."""
    membership = (
        CommitteeMembership.objects.select_for_update(of=("self",))
        .select_related("committee__organisation", "member")
        .get(pk=membership.pk)
    )
    _check_scope(assignment=assignment, organisation=membership.committee.organisation)
    if membership.ends_on is not None:
        raise ValidationError({"__all__": [f"This place already ended on {_fmt(membership.ends_on)}"]})
    if ends_on < membership.starts_on:
        raise ValidationError({"ends_on": [f"The place cannot end before it started on {_fmt(membership.starts_on)}"]})
    membership.ends_on = ends_on
    membership.save(update_fields=["ends_on", "updated_at"])
    _audit(
        by=by,
        action="update",
        committee=membership.committee,
        object_type="boards.CommitteeMembership",
        object_id=membership.pk,
        changes=diff({"ends_on": None}, {"ends_on": ends_on}),
        member=membership.member,
    )
    return membership


@transaction.atomic
def committee_close(*, committee: Committee, closed_on: date, by, assignment=None) -> Committee:
    """Stand a committee down from ``closed_on``: its open places end that day, and places due to start later
    are removed."""
    committee = Committee.objects.select_for_update().select_related("organisation").get(pk=committee.pk)
    _check_scope(assignment=assignment, organisation=committee.organisation)
    if committee.closed_on is not None:
        raise ValidationError({"__all__": [f"The committee was stood down on {_fmt(committee.closed_on)}"]})
    if closed_on < committee.created_at.date():
        raise ValidationError(
            {"closed_on": [f"The committee was added on {_fmt(committee.created_at.date())}: choose that day or later"]}
        )
    open_places = CommitteeMembership.objects.filter(committee=committee, ends_on__isnull=True)
    dropped, _ = open_places.filter(starts_on__gt=closed_on).delete()
    ended = open_places.update(ends_on=closed_on, updated_at=timezone.now())
    committee.closed_on = closed_on
    committee.save(update_fields=["closed_on", "updated_at"])
    _audit(
        by=by,
        action="update",
        committee=committee,
        object_type="boards.Committee",
        object_id=committee.pk,
        changes=diff({"closed_on": None, "open_places": ended + dropped}, {"closed_on": closed_on, "open_places": 0}),
    )
    return committee


def memberships_end_with_seat(*, member: BoardMember, ended_on: date) -> int:
    """End every open committee place of a member whose seat ends on ``ended_on``; returns how many."""
    open_places = CommitteeMembership.objects.filter(member=member, ends_on__isnull=True)
    ended = open_places.filter(starts_on__lte=ended_on).update(ends_on=ended_on, updated_at=timezone.now())
    # A place due to start after the seat has ended never begins.
    dropped, _ = open_places.filter(starts_on__gt=ended_on).delete()
    return ended + dropped

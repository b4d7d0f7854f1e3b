"""Regional talent pools: who may do what to which pool, and every write (validated, atomic and audited).

A region has at most one pool per level. Line managers nominate the people they manage, and HR anyone in its
organisation, to the pool of the person's region at a chosen level, with a reason. The region's talent team
approves (the membership then runs for the pool's number of months) or declines, always with a reason; it
renews an approved membership or withdraws it, again with a reason. A person has at most one live nomination or
membership per pool; a membership whose expiry date has passed is expired until it is renewed or withdrawn.
"""

import calendar
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from carelead.accounts.permissions import Scope, assignment_has
from carelead.accounts.roles import Role
from carelead.audit.models import AuditLog
from carelead.audit.services import Actor, audit_record
from carelead.core.choices import LEVEL_ORDER, Level, OrganisationType
from carelead.people.models import Person
from carelead.people.selectors import reports_q
from carelead.talent.models import LIVE_MEMBERSHIP, MembershipStatus, PoolMembership, TalentPool
from carelead.talent.permissions import NOMINATE_TO_POOL, RUN_POOLS, VIEW_POOLS

EXPIRING_DAYS = 90


def months_after(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it is shorter (31 January + 1 = 28 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def today() -> date:
    return timezone.localdate()


def _day(day: date) -> str:
    """A date as pages write it: 3 April 2026."""
    return f"{day.day} {day:%B %Y}"


# Who may do what --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PoolPolicy:
    """One answer to "which pools, nominations and people may this user reach, and may they decide?".

    The regional talent team reads and runs its own region's pools; national administrators read every pool and
    decide nothing; line managers nominate the people they manage and read the nominations they made; HR
    nominates anyone in its organisation and reads its organisation's nominations; everyone reads their own.
    """

    assignment: Any
    user: Any

    @classmethod
    def of(cls, request) -> "PoolPolicy":
        return cls(assignment=getattr(request, "assignment", None), user=request.user)

    @property
    def role(self) -> str | None:
        return getattr(self.assignment, "role", None)

    @property
    def region_id(self) -> int | None:
        """The region whose pools this assignment runs (regional talent only)."""
        if self.role == Role.REGIONAL_TALENT:
            return self.assignment.organisation_id
        return None

    def pools(self) -> QuerySet[TalentPool]:
        """The pools this user may read."""
        pools = TalentPool.objects.select_related("region")
        if not assignment_has(self.assignment, VIEW_POOLS):
            return pools.none()
        if self.role == Role.NATIONAL_ADMIN:
            return pools
        if self.region_id:
            return pools.filter(region_id=self.region_id)
        return pools.none()

    def runs(self, pool: TalentPool) -> bool:
        """Whether this user decides for the pool (its region's talent team)."""
        return assignment_has(self.assignment, RUN_POOLS) and self.region_id == pool.region_id

    def nominable_q(self) -> Q:
        """The people this user may nominate."""
        if not assignment_has(self.assignment, NOMINATE_TO_POOL):
            return Q(pk__in=[])
        if self.role == Role.ORG_HR:
            return Scope.of(self.assignment).organisations_q("organisation__")
        if self.role == Role.LINE_MANAGER and self.user.person_id:
            return reports_q(manager_id=self.user.person_id)
        return Q(pk__in=[])

    def may_nominate(self, person: Person) -> bool:
        return Person.objects.filter(self.nominable_q(), pk=person.pk).exists()

    def memberships_q(self) -> Q:
        """The nominations and memberships this user may read."""
        q = Q(person_id=self.user.person_id) if self.user.person_id else Q(pk__in=[])
        if self.role == Role.LINE_MANAGER and assignment_has(self.assignment, NOMINATE_TO_POOL):
            q |= Q(nominated_by=self.user)
        elif self.role == Role.ORG_HR and assignment_has(self.assignment, NOMINATE_TO_POOL):
            q |= Scope.of(self.assignment).organisations_q("person__organisation__")
        elif assignment_has(self.assignment, VIEW_POOLS):
            q |= Q(pool__in=self.pools())
        return q


def pool_get(*, policy: PoolPolicy, pk: int) -> TalentPool:
    """A pool the user may read; 404 for another region's."""
    pool = policy.pools().filter(pk=pk).first()
    if pool is None:
        raise Http404("No such talent pool")
    return pool


def membership_get(*, policy: PoolPolicy, pk: int) -> PoolMembership:
    """A nomination or membership the user may read; 404 for anyone else's."""
    membership = (
        PoolMembership.objects.filter(policy.memberships_q(), pk=pk)
        .select_related(
            "pool__region", "person__organisation", "person__organisation__icb", "nominated_by", "decided_by"
        )
        .first()
    )
    if membership is None:
        raise Http404("No such nomination")
    return membership


# Writes -----------------------------------------------------------------------------------------------------


def _audit(by, membership: PoolMembership, action: str, step: str, changes: dict) -> None:
    audit_record(
        actor=Actor.of(by),
        action=action,
        object_type="talent.PoolMembership",
        object_id=membership.pk,
        object_repr=f"{step}: {membership.person.staff_id} in {membership.pool.name}"[:255],
        changes={"step": step, **changes},
        subject_person_id=membership.person_id,
        organisation_id=membership.person.organisation_id,
    )


def _reason(reason: str, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": message})
    return reason


@transaction.atomic
def pool_create(
    *, name: str, level: str, description: str = "", membership_months: int = 24, by, assignment
) -> TalentPool:
    """Open a pool for the acting regional talent team's region at one level."""
    policy = PoolPolicy(assignment=assignment, user=by)
    if not assignment_has(assignment, RUN_POOLS) or not policy.region_id:
        raise PermissionDenied("Only a regional talent team opens talent pools, for its own region.")
    region = assignment.organisation
    if region.type != OrganisationType.REGION:
        raise PermissionDenied("Talent pools belong to a region.")
    if level not in LEVEL_ORDER:
        raise ValidationError({"level": "Choose the level the pool prepares people for."})
    if TalentPool.objects.filter(region=region, level=level).exists():
        raise ValidationError(
            {"level": f"{region.name} already has a talent pool for {Level(level).label.lower()} roles."}
        )
    pool = TalentPool(
        region=region,
        level=level,
        name=(name or "").strip(),
        description=(description or "").strip(),
        membership_months=membership_months,
    )
    pool.full_clean()
    pool.save()
    audit_record(
        actor=Actor.of(by),
        action=AuditLog.Action.CREATE,
        object_type="talent.TalentPool",
        object_id=pool.pk,
        object_repr=f"Opened {pool.name} ({region.code}, {level})"[:255],
        changes={"name": pool.name, "level": level, "membership_months": pool.membership_months},
        organisation_id=region.pk,
    )
    return pool


def _live_refusal(existing: PoolMembership, person: Person, on: date) -> str:
    pool = existing.pool.name
    if existing.status == MembershipStatus.NOMINATED:
        return (
            f"{person.full_name} was nominated to {pool} on {_day(existing.nominated_on)} "
            "and is waiting for a decision."
        )
    if existing.expires_on is not None and existing.expires_on < on:
        return (
            f"{person.full_name}'s membership of {pool} expired on {_day(existing.expires_on)}. The regional "
            "talent team can renew it, or withdraw it so that a new nomination can be made."
        )
    return f"{person.full_name} is already a member of {pool} until {_day(existing.expires_on)}."


@transaction.atomic
def membership_nominate(*, person: Person, level: str, reason: str, by, assignment) -> PoolMembership:
    """Nominate someone to their region's pool at ``level``."""
    policy = PoolPolicy(assignment=assignment, user=by)
    if not policy.may_nominate(person):
        raise PermissionDenied("You can nominate only people you manage, or in your organisation if you are HR.")
    person = Person.objects.select_related("organisation__region").get(pk=person.pk)
    on = today()
    if by.person_id == person.pk:
        raise ValidationError("You cannot nominate yourself.")
    if person.end_date is not None and person.end_date < on:
        raise ValidationError(f"{person.full_name} has left, so cannot be nominated.")
    if level not in LEVEL_ORDER:
        raise ValidationError({"level": "Choose the level of the pool."})
    if LEVEL_ORDER.index(level) < LEVEL_ORDER.index(person.level):
        raise ValidationError(
            {
                "level": f"{person.full_name} already works at {Level(person.level).label.lower()} level; "
                "choose that level or a higher one."
            }
        )
    region = person.organisation.region
    if region is None:
        raise ValidationError(
            {"level": f"{person.organisation.name} is not in a region, so there is no regional talent pool for it."}
        )
    pool = TalentPool.objects.filter(region=region, level=level).select_related("region").first()
    if pool is None:
        raise ValidationError(
            {
                "level": f"{region.name} has no talent pool for {Level(level).label.lower()} roles yet. "
                "The regional talent team opens its pools."
            }
        )
    reason = _reason(reason, "Give the reason for the nomination.")
    existing = (
        PoolMembership.objects.filter(pool=pool, person=person, status__in=LIVE_MEMBERSHIP)
        .select_related("pool")
        .first()
    )
    if existing is not None:
        raise ValidationError(_live_refusal(existing, person, on))
    membership = PoolMembership(pool=pool, person=person, nominated_by=by, nominated_on=on, nomination_reason=reason)
    membership.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError as exc:
        # Two nominations at the same moment: the database's one-live-membership rule turned the second away.
        raise ValidationError(f"{person.full_name} already has a nomination or membership in {pool.name}.") from exc
    _audit(by, membership, AuditLog.Action.CREATE, "nominate", {"level": level, "reason": reason})
    return membership


def _locked(membership: PoolMembership) -> PoolMembership:
    return (
        PoolMembership.objects.select_for_update(of=("self",))
        .select_related("pool__region", "person__organisation")
        .get(pk=membership.pk)
    )


def _require_runs(policy: PoolPolicy, membership: PoolMembership) -> None:
    if not policy.runs(membership.pool):
        raise PermissionDenied(f"Only {membership.pool.region.name}'s talent team decides on this pool.")
    if policy.user.person_id and policy.user.person_id == membership.person_id:
        raise PermissionDenied("You cannot decide on your own nomination or membership.")


@transaction.atomic
def membership_decide(*, membership: PoolMembership, approve: bool, reason: str, by, assignment) -> PoolMembership:
    """Approve (the membership runs for the pool's months from today) or decline a nomination, with a reason."""
    membership = _locked(membership)
    _require_runs(PoolPolicy(assignment=assignment, user=by), membership)
    if membership.status != MembershipStatus.NOMINATED:
        raise ValidationError(
            f"This nomination has already been decided: it is {membership.get_status_display().lower()}."
        )
    reason = _reason(reason, "Give the reason for the decision.")
    on = today()
    membership.status = MembershipStatus.APPROVED if approve else MembershipStatus.DECLINED
    membership.decided_by, membership.decided_on, membership.decision_reason = by, on, reason
    membership.expires_on = months_after(on, membership.pool.membership_months) if approve else None
    membership.save(update_fields=["status", "decided_by", "decided_on", "decision_reason", "expires_on", "updated_at"])
    _audit(
        by,
        membership,
        AuditLog.Action.UPDATE,
        "approve" if approve else "decline",
        {
            "status": [MembershipStatus.NOMINATED, membership.status],
            "expires_on": membership.expires_on.isoformat() if membership.expires_on else None,
            "reason": reason,
        },
    )
    return membership


def renewal_latest(membership: PoolMembership, on: date | None = None) -> date:
    """The latest expiry date a renewal may set: the pool's number of months from today."""
    return months_after(on or today(), membership.pool.membership_months)


@transaction.atomic
def membership_renew(*, membership: PoolMembership, expires_on: date, reason: str, by, assignment) -> PoolMembership:
    """Renew an approved membership (expired or not) to a new expiry date, with a reason."""
    membership = _locked(membership)
    _require_runs(PoolPolicy(assignment=assignment, user=by), membership)
    if membership.status != MembershipStatus.APPROVED:
        raise ValidationError(
            f"Only an approved membership can be renewed; this one is {membership.get_status_display().lower()}."
        )
    on = today()
    errors = {}
    latest = renewal_latest(membership, on)
    if expires_on is None or expires_on <= on:
        errors["expires_on"] = "The new expiry date must be in the future."
    elif membership.expires_on and expires_on <= membership.expires_on:
        errors["expires_on"] = f"The new expiry date must be after the current one, {_day(membership.expires_on)}."
    elif expires_on > latest:
        errors["expires_on"] = (
            f"A renewal runs for at most {membership.pool.membership_months} months: "
            f"choose a date no later than {_day(latest)}."
        )
    if not (reason or "").strip():
        errors["reason"] = "Give the reason for the renewal."
    if errors:
        raise ValidationError(errors)
    reason = reason.strip()
    before = membership.expires_on
    membership.expires_on = expires_on
    membership.renewals += 1
    membership.save(update_fields=["expires_on", "renewals", "updated_at"])
    _audit(
        by,
        membership,
        AuditLog.Action.UPDATE,
        "renew",
        {
            "expires_on": [before.isoformat() if before else None, expires_on.isoformat()],
            "renewals": membership.renewals,
            "reason": reason,
        },
    )
    return membership


@transaction.atomic
def membership_withdraw(*, membership: PoolMembership, reason: str, by, assignment) -> PoolMembership:
    """Withdraw an approved membership, with a reason; the person may then be nominated again."""
    membership = _locked(membership)
    _require_runs(PoolPolicy(assignment=assignment, user=by), membership)
    if membership.status != MembershipStatus.APPROVED:
        raise ValidationError(
            f"Only an approved membership can be withdrawn; this one is {membership.get_status_display().lower()}."
        )
    reason = _reason(reason, "Give the reason for withdrawing the membership.")
    membership.status = MembershipStatus.WITHDRAWN
    membership.save(update_fields=["status", "updated_at"])
    _audit(
        by,
        membership,
        AuditLog.Action.UPDATE,
        "withdraw",
        {"status": [MembershipStatus.APPROVED, MembershipStatus.WITHDRAWN], "reason": reason},
    )
    return membership

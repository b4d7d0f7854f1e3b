"""Writes to succession plans: validated, atomic, audited and checked against the acting role's scope.

Candidates keep ranks 1 to n with no gaps or ties: adding at a rank, moving and removing shift the others. At most
one candidate per plan is the emergency successor. Plans and candidates are confidential workforce planning data,
so nobody changes a plan on which they are themselves a candidate.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from carelead.audit.models import AuditLog
from carelead.audit.services import Actor, AuditEntry, audit_bulk, audit_record, diff
from carelead.core.choices import Level
from carelead.organisations.models import Organisation
from carelead.people.models import Person
from carelead.succession.models import CandidateSource, SuccessionCandidate, SuccessionPlan
from carelead.succession.selectors import may_add_from_pool, may_manage, people_without_plan
from carelead.talent.models import MembershipStatus, PoolMembership, Readiness

PLAN_FIELDS = ("role_title", "level", "incumbent", "critical", "review_due", "notes")
CANDIDATE_FIELDS = ("readiness", "rank", "emergency", "notes")
ROLE_TITLE_MAX = SuccessionPlan._meta.get_field("role_title").max_length


def _today() -> date:
    return timezone.localdate()


def review_default(today: date | None = None) -> date:
    """When a new plan is next reviewed unless someone says otherwise: a year on."""
    return (today or _today()) + timedelta(days=365)


def _check_manage(assignment, organisation: Organisation) -> None:
    if not may_manage(assignment=assignment, organisation=organisation):
        raise PermissionDenied("You cannot manage succession plans for this organisation.")


def _check_not_candidate(plan: SuccessionPlan, by) -> None:
    """A candidate never handles the plan they are on (the pages hide it from them too)."""
    if by.person_id and plan.candidates.filter(person_id=by.person_id).exists():
        raise PermissionDenied("You are a candidate on this plan, so you cannot change it.")


def _plan_audit(by, plan: SuccessionPlan, action: str, changes: dict, what: str) -> None:
    audit_record(
        actor=Actor.of(by),
        action=action,
        object_type="succession.SuccessionPlan",
        object_id=plan.pk,
        object_repr=f"{what}: {plan.role_title} ({plan.organisation.code})",
        changes=changes,
        organisation_id=plan.organisation_id,
    )


def _candidate_audit(by, candidate: SuccessionCandidate, action: str, changes: dict, what: str) -> None:
    plan = candidate.plan
    audit_record(
        actor=Actor.of(by),
        action=action,
        object_type="succession.SuccessionCandidate",
        object_id=candidate.pk,
        object_repr=f"{what}: {candidate.person.staff_id} for {plan.role_title} ({plan.organisation.code})",
        changes={"plan": plan.pk, **changes},
        subject_person_id=candidate.person_id,
        organisation_id=plan.organisation_id,
    )


def _in_post(person: Person, today: date) -> bool:
    return person.end_date is None or person.end_date >= today


# Plans ---------------------------------------------------------------------------------------------------------


def _check_plan(plan: SuccessionPlan, today: date) -> None:
    errors = {}
    title = (plan.role_title or "").strip()
    plan.role_title = title
    if not title:
        errors["role_title"] = "Enter the role title."
    elif (
        SuccessionPlan.objects.filter(organisation_id=plan.organisation_id, role_title__iexact=title)
        .exclude(pk=plan.pk)
        .exists()
    ):
        errors["role_title"] = f"{plan.organisation.name} already has a succession plan for “{title}”."
    incumbent = plan.incumbent
    if incumbent is not None:
        if incumbent.organisation_id != plan.organisation_id or not _in_post(incumbent, today):
            errors["incumbent"] = f"The incumbent must be in post at {plan.organisation.name}."
        elif plan.pk and plan.candidates.filter(person=incumbent).exists():
            errors["incumbent"] = f"{incumbent.full_name} is a candidate on this plan. Remove them first."
    if errors:
        raise ValidationError(errors)


def _lock(organisation: Organisation) -> Organisation:
    """Serialise plan creation within an organisation, so two writers cannot both take a role title."""
    return Organisation.objects.select_for_update().get(pk=organisation.pk)


@transaction.atomic
def plan_create(
    *,
    organisation: Organisation,
    assignment,
    by,
    role_title: str,
    level: str,
    incumbent: Person | None = None,
    critical: bool = True,
    review_due: date | None = None,
    notes: str = "",
) -> SuccessionPlan:
    """Create the succession plan for one role in an organisation."""
    _check_manage(assignment, organisation)
    _lock(organisation)
    plan = SuccessionPlan(
        organisation=organisation,
        role_title=role_title,
        level=level,
        incumbent=incumbent,
        critical=critical,
        review_due=review_due,
        notes=(notes or "").strip(),
        created_by=by,
    )
    _check_plan(plan, _today())
    plan.full_clean()
    plan.save()
    _plan_audit(
        by,
        plan,
        AuditLog.Action.CREATE,
        diff({}, {f: getattr(plan, f) for f in PLAN_FIELDS}),
        "Succession plan created",
    )
    return plan


@transaction.atomic
def plan_change(*, plan: SuccessionPlan, assignment, by, values: dict) -> SuccessionPlan:
    """Change a plan's role title, level, incumbent, critical flag, review date or notes."""
    plan = SuccessionPlan.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=plan.pk)
    _check_manage(assignment, plan.organisation)
    _check_not_candidate(plan, by)
    _lock(plan.organisation)
    before = {f: getattr(plan, f) for f in PLAN_FIELDS}
    for name in PLAN_FIELDS:
        if name in values:
            setattr(plan, name, values[name])
    plan.notes = (plan.notes or "").strip()
    _check_plan(plan, _today())
    plan.full_clean()
    changes = diff(before, {f: getattr(plan, f) for f in PLAN_FIELDS})
    if changes:
        plan.save()
        _plan_audit(by, plan, AuditLog.Action.UPDATE, changes, "Succession plan changed")
    return plan


def default_role_title(person: Person) -> str:
    """The role title a default plan takes: the person's job title, or the level and staff ID without one."""
    title = (person.job_title or "").strip()
    if not title:
        return f"{Level(person.level).label} role ({person.staff_id})"
    return title


def _suffixed(title: str, staff_id: str) -> str:
    suffix = f" ({staff_id})"
    return title[: ROLE_TITLE_MAX - len(suffix)].rstrip() + suffix


@dataclass
class DefaultPlansResult:
    created: list[SuccessionPlan] = field(default_factory=list)
    # People left without a plan because even the title with their staff ID is already taken.
    clashes: list[Person] = field(default_factory=list)


@transaction.atomic
def plans_create_for_senior_roles(*, organisation: Organisation, assignment, by) -> DefaultPlansResult:
    """Create a plan for every executive and senior role in post at the organisation that has none yet.

    The incumbent is the person in the role; the title is their job title. When job titles repeat (among the
    people, or against an existing plan), the staff ID is added to tell the plans apart. Running it again creates
    only the plans still missing.
    """
    _check_manage(assignment, organisation)
    _lock(organisation)
    today = _today()
    people = list(people_without_plan(organisation=organisation, today=today))
    taken = {
        t.casefold()
        for t in SuccessionPlan.objects.filter(organisation=organisation).values_list("role_title", flat=True)
    }
    shared: dict[str, int] = {}
    for person in people:
        key = default_role_title(person).casefold()
        shared[key] = shared.get(key, 0) + 1
    result = DefaultPlansResult()
    review_due = review_default(today)
    for person in people:
        title = default_role_title(person)
        if shared[title.casefold()] > 1 or title.casefold() in taken:
            title = _suffixed(title, person.staff_id)
        if title.casefold() in taken:
            result.clashes.append(person)
            continue
        taken.add(title.casefold())
        plan = SuccessionPlan(
            organisation=organisation,
            role_title=title[:ROLE_TITLE_MAX],
            level=person.level,
            incumbent=person,
            critical=True,
            review_due=review_due,
            created_by=by,
        )
        # The foreign keys come from rows just read, so skip the per-row lookups full_clean would make.
        plan.full_clean(exclude=["organisation", "incumbent", "created_by"], validate_constraints=False)
        result.created.append(plan)
    SuccessionPlan.objects.bulk_create(result.created)
    audit_bulk(
        actor=Actor.of(by),
        entries=[
            AuditEntry(
                action=AuditLog.Action.BULK_CREATE,
                object_type="succession.SuccessionPlan",
                object_id=plan.pk,
                object_repr=f"Default succession plan created: {plan.role_title} ({organisation.code})",
                changes={"role_title": plan.role_title, "level": plan.level, "incumbent": plan.incumbent.staff_id},
                organisation_id=organisation.pk,
            )
            for plan in result.created
        ],
    )
    return result


# Candidates ----------------------------------------------------------------------------------------------------


def _lock_plan(plan: SuccessionPlan) -> SuccessionPlan:
    return SuccessionPlan.objects.select_for_update(of=("self",)).select_related("organisation__region").get(pk=plan.pk)


def _emergency_holder(plan: SuccessionPlan, exclude_pk: int | None = None) -> SuccessionCandidate | None:
    holders = plan.candidates.filter(emergency=True).select_related("person")
    if exclude_pk is not None:
        holders = holders.exclude(pk=exclude_pk)
    return holders.first()


def _emergency_taken(holder: SuccessionCandidate) -> ValidationError:
    return ValidationError(
        {
            "emergency": (
                f"{holder.person.full_name} is already the emergency successor for this role. A plan has one "
                "emergency successor: untick this, or use “Make emergency successor” on the plan to move the flag."
            )
        }
    )


def _check_readiness(readiness: str) -> None:
    if readiness not in Readiness.values:
        raise ValidationError({"readiness": "Choose how ready the candidate is."})


def _check_source(plan: SuccessionPlan, person: Person, source: str, assignment, today: date) -> None:
    organisation = plan.organisation
    if source == CandidateSource.INTERNAL:
        if person.organisation_id != organisation.pk:
            raise ValidationError(
                {
                    "person": (
                        f"{person.full_name} does not work at {organisation.name}, so cannot be an internal candidate."
                    )
                }
            )
        return
    if source != CandidateSource.POOL:
        raise ValidationError({"source": "Choose whether the candidate is internal or from the regional talent pool."})
    if not may_add_from_pool(assignment=assignment, organisation=organisation):
        raise PermissionDenied("Candidates from the regional talent pool are added by the regional talent team.")
    active = PoolMembership.objects.filter(
        person=person,
        pool__region_id=organisation.region_id,
        status=MembershipStatus.APPROVED,
        expires_on__gte=today,
    ).exists()
    if not active:
        raise ValidationError(
            {
                "person": (
                    f"{person.full_name} is not an approved member of a talent pool in {organisation.region.name} "
                    "whose membership runs today."
                )
            }
        )


@transaction.atomic
def candidate_add(
    *,
    plan: SuccessionPlan,
    person: Person,
    source: str,
    readiness: str,
    assignment,
    by,
    rank: int | None = None,
    emergency: bool = False,
    notes: str = "",
) -> SuccessionCandidate:
    """Add a person to a plan at a rank (last when none is given), moving those at that rank and below down one."""
    plan = _lock_plan(plan)
    _check_manage(assignment, plan.organisation)
    _check_not_candidate(plan, by)
    today = _today()
    if by.person_id and by.person_id == person.pk:
        raise ValidationError({"person": "You cannot add yourself as a candidate."})
    if plan.incumbent_id == person.pk:
        raise ValidationError({"person": f"{person.full_name} holds this role, so cannot succeed to it."})
    if not _in_post(person, today):
        raise ValidationError({"person": f"{person.full_name} has left and cannot be a candidate."})
    if plan.candidates.filter(person=person).exists():
        raise ValidationError({"person": f"{person.full_name} is already a candidate on this plan."})
    _check_source(plan, person, source, assignment, today)
    _check_readiness(readiness)
    count = plan.candidates.count()
    rank = count + 1 if rank is None else rank
    if not 1 <= rank <= count + 1:
        raise ValidationError({"rank": f"Rank must be a whole number from 1 to {count + 1}."})
    if emergency and (holder := _emergency_holder(plan)):
        raise _emergency_taken(holder)
    plan.candidates.filter(rank__gte=rank).update(rank=F("rank") + 1)
    candidate = SuccessionCandidate(
        plan=plan,
        person=person,
        source=source,
        readiness=readiness,
        rank=rank,
        emergency=emergency,
        notes=(notes or "").strip(),
    )
    candidate.full_clean(exclude=["plan", "person"])
    candidate.save()
    _candidate_audit(
        by,
        candidate,
        AuditLog.Action.CREATE,
        {"source": source, "readiness": readiness, "rank": rank, "emergency": emergency},
        "Succession candidate added",
    )
    return candidate


def _move_to(candidate: SuccessionCandidate, new: int) -> None:
    """Put a candidate at a new rank, shifting those in between by one."""
    old = candidate.rank
    others = candidate.plan.candidates.exclude(pk=candidate.pk)
    if new < old:
        others.filter(rank__gte=new, rank__lt=old).update(rank=F("rank") + 1)
    elif new > old:
        others.filter(rank__gt=old, rank__lte=new).update(rank=F("rank") - 1)
    candidate.rank = new


def _locked_candidate(candidate: SuccessionCandidate, assignment, by) -> SuccessionCandidate:
    plan = _lock_plan(candidate.plan)
    _check_manage(assignment, plan.organisation)
    _check_not_candidate(plan, by)
    locked = plan.candidates.select_related("person").filter(pk=candidate.pk).first()
    if locked is None:
        raise ValidationError("That candidate is no longer on the plan.")
    locked.plan = plan
    return locked


@transaction.atomic
def candidate_change(*, candidate: SuccessionCandidate, assignment, by, values: dict) -> SuccessionCandidate:
    """Change a candidate's readiness, rank, emergency flag or notes."""
    candidate = _locked_candidate(candidate, assignment, by)
    plan = candidate.plan
    before = {f: getattr(candidate, f) for f in CANDIDATE_FIELDS}
    readiness = values.get("readiness", candidate.readiness)
    _check_readiness(readiness)
    count = plan.candidates.count()
    rank = values.get("rank", candidate.rank)
    if rank is None or not 1 <= rank <= count:
        raise ValidationError({"rank": f"Rank must be a whole number from 1 to {count}."})
    emergency = values.get("emergency", candidate.emergency)
    if emergency and not candidate.emergency and (holder := _emergency_holder(plan, exclude_pk=candidate.pk)):
        raise _emergency_taken(holder)
    _move_to(candidate, rank)
    candidate.readiness = readiness
    candidate.emergency = emergency
    candidate.notes = (values.get("notes", candidate.notes) or "").strip()
    candidate.full_clean(exclude=["plan", "person"])
    changes = diff(before, {f: getattr(candidate, f) for f in CANDIDATE_FIELDS})
    if changes:
        candidate.save()
        _candidate_audit(by, candidate, AuditLog.Action.UPDATE, changes, "Succession candidate changed")
    return candidate


@transaction.atomic
def candidate_move(*, candidate: SuccessionCandidate, direction: str, assignment, by) -> SuccessionCandidate:
    """Move a candidate one place up (towards rank 1) or down."""
    candidate = _locked_candidate(candidate, assignment, by)
    count = candidate.plan.candidates.count()
    if direction not in ("up", "down"):
        raise ValidationError("Choose whether to move the candidate up or down.")
    new = candidate.rank - 1 if direction == "up" else candidate.rank + 1
    if not 1 <= new <= count:
        where = "first" if direction == "up" else "last"
        raise ValidationError(f"{candidate.person.full_name} is already {where}.")
    old = candidate.rank
    _move_to(candidate, new)
    candidate.save(update_fields=["rank", "updated_at"])
    _candidate_audit(by, candidate, AuditLog.Action.UPDATE, {"rank": [old, new]}, "Succession candidate moved")
    return candidate


@transaction.atomic
def candidate_make_emergency(*, candidate: SuccessionCandidate, assignment, by) -> SuccessionCandidate | None:
    """Make a candidate the plan's emergency successor, taking the flag from whoever held it; returns them."""
    candidate = _locked_candidate(candidate, assignment, by)
    if candidate.emergency:
        return None
    previous = _emergency_holder(candidate.plan, exclude_pk=candidate.pk)
    if previous is not None:
        previous.plan = candidate.plan
        previous.emergency = False
        previous.save(update_fields=["emergency", "updated_at"])
        _candidate_audit(
            by, previous, AuditLog.Action.UPDATE, {"emergency": [True, False]}, "Emergency successor flag moved"
        )
    candidate.emergency = True
    candidate.save(update_fields=["emergency", "updated_at"])
    _candidate_audit(by, candidate, AuditLog.Action.UPDATE, {"emergency": [False, True]}, "Made emergency successor")
    return previous


@transaction.atomic
def candidate_remove(*, candidate: SuccessionCandidate, reason: str, assignment, by) -> None:
    """Take a candidate off a plan, with the reason; those ranked below move up one."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the candidate is being removed."})
    candidate = _locked_candidate(candidate, assignment, by)
    plan, rank, pk = candidate.plan, candidate.rank, candidate.pk
    candidate.delete()
    plan.candidates.filter(rank__gt=rank).update(rank=F("rank") - 1)
    candidate.pk = pk
    _candidate_audit(
        by,
        candidate,
        AuditLog.Action.DELETE,
        {
            "reason": reason,
            "rank": rank,
            "readiness": candidate.readiness,
            "source": candidate.source,
            "emergency": candidate.emergency,
        },
        "Succession candidate removed",
    )


def risk_table_exported(*, by, area: str, rows: int, organisation_id: int | None) -> None:
    """Record a download of the succession risk table."""
    audit_record(
        actor=Actor.of(by),
        action=AuditLog.Action.EXPORT,
        object_type="succession.RiskTable",
        object_repr=f"Succession risk by organisation, {area} ({rows} rows)",
        organisation_id=organisation_id,
    )

"""Writes to the NED candidate pool: every one validated, atomic and audited.

A registration comes from the public form and is audited under a system actor; it stores what the candidate gave
and nothing about where it came from. A repeat registration with an address already held changes none of the
candidate's details: the record only notes that it arrived. The team's writes check that the candidate is in
the acting role's reach before changing anything.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from carelead.accounts.permissions import Scope
from carelead.audit.models import AuditLog
from carelead.audit.services import Actor, audit_record, diff
from carelead.core.choices import ETHNIC_CATEGORIES, Disability, OrganisationType, Sex
from carelead.nedpool.models import (
    ADMITTED,
    Candidate,
    CandidateMonitoring,
    CandidateReadiness,
    CandidateSkill,
    CandidateStatus,
    Enrolment,
    Placement,
    RoleInterest,
    add_months,
    skill_choices,
)
from carelead.nedpool.selectors import candidate_may_manage
from carelead.organisations.models import Organisation

REGISTRATION_ACTOR = Actor(system="ned-registration")
CANDIDATE = "nedpool.Candidate"
# Readiness must be recorded before a candidate is marked as any of these.
NEEDS_READINESS = (CandidateStatus.ASSESSED, CandidateStatus.IN_POOL, CandidateStatus.PLACED)


def _audit(*, actor: Actor, action: str, object_type: str, obj, label: str, changes: dict) -> None:
    audit_record(
        actor=actor, action=action, object_type=object_type, object_id=obj.pk, object_repr=label, changes=changes
    )


# Registration --------------------------------------------------------------------------------------------------


def _registration_errors(
    *, name: str, email: str, regions, sectors, skills, statement: str, roles, monitoring: dict
) -> dict:
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = "Enter your full name"
    if not email.strip():
        errors["email"] = "Enter your email address"
    if not regions:
        errors["regions"] = "Select at least one region"
    elif any(region.type != OrganisationType.REGION for region in regions):
        errors["regions"] = "Select regions from the list"
    if not sectors:
        errors["sectors"] = "Select NHS, adult social care or both"
    elif set(sectors) - {"nhs", "social_care"}:
        errors["sectors"] = "Select sectors from the list"
    known_skills = {code for code, _ in skill_choices()}
    if not skills:
        errors["skills"] = "Select at least one area of skills and experience"
    elif set(skills) - known_skills:
        errors["skills"] = "Select skills from the list"
    if not statement.strip():
        errors["statement"] = "Tell us why you are interested in a board role"
    if not roles:
        errors["roles"] = "Select at least one kind of role"
    elif set(roles) - set(RoleInterest.values):
        errors["roles"] = "Select roles from the list"
    if monitoring.get("sex", "") not in ("", *Sex.values):
        errors["sex"] = "Select an answer from the list"
    if monitoring.get("ethnic_category", "") not in ("", *ETHNIC_CATEGORIES):
        errors["ethnic_category"] = "Select an answer from the list"
    if monitoring.get("disability", "") not in ("", *Disability.values):
        errors["disability"] = "Select an answer from the list"
    return errors


def _note_repeat(candidate: Candidate) -> Candidate:
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    before = candidate.repeat_registrations
    candidate.repeat_registrations = before + 1
    candidate.last_repeat_at = timezone.now()
    candidate.save(update_fields=["repeat_registrations", "last_repeat_at", "updated_at"])
    _audit(
        actor=REGISTRATION_ACTOR,
        action=AuditLog.Action.UPDATE,
        object_type=CANDIDATE,
        obj=candidate,
        label=f"NED candidate {candidate.name}: repeat registration",
        changes={"repeat_registrations": [before, before + 1]},
    )
    return candidate


@transaction.atomic
def candidate_register(
    *,
    name: str,
    email: str,
    phone: str = "",
    regions: list[Organisation],
    sectors: list[str],
    skills: list[str],
    statement: str,
    board_experience: str = "",
    roles: list[str],
    monitoring: dict[str, str] | None = None,
) -> tuple[Candidate, bool]:
    """Register interest in a board role; returns the candidate and whether the record is new.

    An email address already registered changes nothing the candidate gave before: the existing record notes that
    a repeat registration arrived, and the caller shows the same confirmation either way. Monitoring answers
    (sex, ethnic_category, disability; blank for unanswered) are stored apart, and only when any was given.
    """
    monitoring = {key: (value or "") for key, value in (monitoring or {}).items()}
    errors = _registration_errors(
        name=name,
        email=email,
        regions=regions,
        sectors=sectors,
        skills=skills,
        statement=statement,
        roles=roles,
        monitoring=monitoring,
    )
    if errors:
        raise ValidationError(errors)
    email = email.strip().lower()
    existing = Candidate.objects.filter(email=email).first()
    if existing is not None:
        return _note_repeat(existing), False
    candidate = Candidate(
        name=name.strip(),
        email=email,
        phone=phone.strip(),
        sector_nhs="nhs" in sectors,
        sector_social_care="social_care" in sectors,
        roles=[code for code in RoleInterest.values if code in roles],
        statement=statement.strip(),
        board_experience=board_experience.strip(),
        consented_at=timezone.now(),
    )
    candidate.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            candidate.save()
    except IntegrityError:
        # The same address arrived twice at once: the first registration stands.
        return _note_repeat(Candidate.objects.get(email=email)), False
    candidate.regions.set(regions)
    CandidateSkill.objects.bulk_create(
        [CandidateSkill(candidate=candidate, skill=code) for code in sorted(set(skills))]
    )
    if any(monitoring.get(key) for key in ("sex", "ethnic_category", "disability")):
        CandidateMonitoring.objects.create(
            candidate=candidate,
            sex=monitoring.get("sex") or Sex.UNKNOWN,
            ethnic_category=monitoring.get("ethnic_category", ""),
            disability=monitoring.get("disability") or Disability.UNKNOWN,
        )
    _audit(
        actor=REGISTRATION_ACTOR,
        action=AuditLog.Action.CREATE,
        object_type=CANDIDATE,
        obj=candidate,
        label=f"NED candidate {candidate.name}",
        changes={"status": [None, CandidateStatus.REGISTERED]},
    )
    return candidate, True


# The team's assessment -----------------------------------------------------------------------------------------


def _check_reach(*, assignment, candidate: Candidate) -> None:
    if not candidate_may_manage(assignment=assignment, candidate=candidate):
        raise PermissionDenied


def _assessment(candidate: Candidate, validated: list[str]) -> dict:
    return {
        "status": candidate.status,
        "readiness": candidate.readiness,
        "notes": candidate.notes,
        "validated_skills": sorted(validated),
        "assessed_on": candidate.assessed_on,
        "admitted_on": candidate.admitted_on,
    }


@transaction.atomic
def candidate_assess(
    *,
    assignment,
    by,
    candidate: Candidate,
    status: str,
    readiness: str,
    validated_skills: list[str],
    notes: str,
    today: date | None = None,
) -> Candidate:
    """Record the team's assessment: status, readiness, the skills it has validated and its notes."""
    _check_reach(assignment=assignment, candidate=candidate)
    today = today or timezone.localdate()
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    held = list(CandidateSkill.objects.filter(candidate=candidate, validated=True).values_list("skill", flat=True))
    errors: dict[str, str] = {}
    if status not in CandidateStatus.values:
        errors["status"] = "Select a status from the list"
    if readiness and readiness not in CandidateReadiness.values:
        errors["readiness"] = "Select a readiness from the list"
    elif not readiness and status in NEEDS_READINESS:
        errors["readiness"] = "Select how ready the candidate is before marking them assessed, in the pool or placed"
    allowed = {code for code, _ in skill_choices()} | set(held)
    if set(validated_skills) - allowed:
        errors["validated_skills"] = "Select skills from the list"
    if errors:
        raise ValidationError(errors)
    before = _assessment(candidate, held)
    candidate.status, candidate.readiness, candidate.notes = status, readiness, notes.strip()
    if candidate.assessed_on is None and status not in (CandidateStatus.REGISTERED, CandidateStatus.WITHDRAWN):
        candidate.assessed_on = today
    if candidate.admitted_on is None and status in ADMITTED:
        candidate.admitted_on = today
    candidate.full_clean(exclude=["regions"], validate_unique=False)
    candidate.save(update_fields=["status", "readiness", "notes", "assessed_on", "admitted_on", "updated_at"])
    wanted = set(validated_skills)
    CandidateSkill.objects.filter(candidate=candidate, validated=True).exclude(skill__in=wanted).delete()
    CandidateSkill.objects.bulk_create(
        [CandidateSkill(candidate=candidate, skill=code, validated=True) for code in sorted(wanted - set(held))]
    )
    changes = diff(before, _assessment(candidate, list(wanted)))
    if changes:
        _audit(
            actor=Actor(user=by),
            action=AuditLog.Action.UPDATE,
            object_type=CANDIDATE,
            obj=candidate,
            label=f"NED candidate {candidate.name}",
            changes=changes,
        )
    return candidate


# Development routes ---------------------------------------------------------------------------------------------

PLACEMENT_FIELDS = ("host_id", "starts_on", "ends_on", "mentor_name", "status")
ENROLMENT_FIELDS = ("cohort_name", "starts_on", "status")


def placement_bounds(starts_on: date) -> tuple[date, date]:
    """The earliest and latest end dates of a placement starting on ``starts_on`` (6 and 12 months on)."""
    return add_months(starts_on, Placement.MIN_MONTHS), add_months(starts_on, Placement.MAX_MONTHS)


def _host(*, assignment, code: str) -> Organisation:
    code = (code or "").strip().upper()
    if not code:
        raise ValidationError({"host_code": "Enter the code of the host organisation"})
    host = Organisation.objects.filter(code=code).first()
    if host is None or host.type in (OrganisationType.NATIONAL, OrganisationType.REGION):
        raise ValidationError({"host_code": f"No organisation with a board has the code {code}"})
    if not Scope.of(assignment).contains_path(host.path):
        raise ValidationError({"host_code": f"{host.name} is outside your region"})
    return host


@transaction.atomic
def placement_save(
    *,
    assignment,
    by,
    candidate: Candidate,
    placement: Placement | None = None,
    host_code: str,
    starts_on: date,
    ends_on: date,
    mentor_name: str,
    status: str,
) -> Placement:
    """Record a NExT Director placement of the candidate, or change one: 6 to 12 months on a host board."""
    _check_reach(assignment=assignment, candidate=candidate)
    if placement is not None:
        placement = Placement.objects.select_for_update().get(pk=placement.pk)
        if placement.candidate_id != candidate.pk:
            raise PermissionDenied
    errors: dict[str, str] = {}
    try:
        host = _host(assignment=assignment, code=host_code)
    except ValidationError as exc:
        errors.update({key: value[0] for key, value in exc.message_dict.items()})
        host = None
    if not mentor_name.strip():
        errors["mentor_name"] = "Enter the mentor's name"
    if status not in Placement.Status.values:
        errors["status"] = "Select a status from the list"
    earliest, latest = placement_bounds(starts_on)
    if not earliest <= ends_on <= latest:
        errors["ends_on"] = (
            f"A NExT Director placement lasts 6 to 12 months: the end date must be from {earliest.day} "
            f"{earliest:%B %Y} to {latest.day} {latest:%B %Y}"
        )
    if errors:
        raise ValidationError(errors)
    creating = placement is None
    placement = placement or Placement(candidate=candidate)
    before = {} if creating else {name: getattr(placement, name) for name in PLACEMENT_FIELDS}
    placement.host, placement.starts_on, placement.ends_on = host, starts_on, ends_on
    placement.mentor_name, placement.status = mentor_name.strip(), status
    placement.full_clean()
    placement.save()
    changes = diff(before, {name: getattr(placement, name) for name in PLACEMENT_FIELDS})
    if changes:
        _audit(
            actor=Actor(user=by),
            action=AuditLog.Action.CREATE if creating else AuditLog.Action.UPDATE,
            object_type="nedpool.Placement",
            obj=placement,
            label=f"NExT Director placement of {candidate.name} at {host.code}",
            changes=changes,
        )
    return placement


@transaction.atomic
def enrolment_save(
    *,
    assignment,
    by,
    candidate: Candidate,
    enrolment: Enrolment | None = None,
    cohort_name: str,
    starts_on: date,
    status: str,
) -> Enrolment:
    """Record the candidate's place on an aspiring chair programme cohort, or change it."""
    _check_reach(assignment=assignment, candidate=candidate)
    if enrolment is not None:
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if enrolment.candidate_id != candidate.pk:
            raise PermissionDenied
    cohort_name = cohort_name.strip()
    errors: dict[str, str] = {}
    if not cohort_name:
        errors["cohort_name"] = "Enter the cohort's name"
    elif (
        Enrolment.objects.filter(candidate=candidate, cohort_name__iexact=cohort_name)
        .exclude(pk=getattr(enrolment, "pk", None))
        .exists()
    ):
        errors["cohort_name"] = f"{candidate.name} already has a place on the cohort {cohort_name}"
    if status not in Enrolment.Status.values:
        errors["status"] = "Select a status from the list"
    if errors:
        raise ValidationError(errors)
    creating = enrolment is None
    enrolment = enrolment or Enrolment(candidate=candidate)
    before = {} if creating else {name: getattr(enrolment, name) for name in ENROLMENT_FIELDS}
    enrolment.cohort_name, enrolment.starts_on, enrolment.status = cohort_name, starts_on, status
    enrolment.full_clean(validate_unique=False)
    enrolment.save()
    changes = diff(before, {name: getattr(enrolment, name) for name in ENROLMENT_FIELDS})
    if changes:
        _audit(
            actor=Actor(user=by),
            action=AuditLog.Action.CREATE if creating else AuditLog.Action.UPDATE,
            object_type="nedpool.Enrolment",
            obj=enrolment,
            label=f"Aspiring chair programme place of {candidate.name}, {cohort_name}",
            changes=changes,
        )
    return enrolment


# Erasure -------------------------------------------------------------------------------------------------------

ERASED_NAME = "Erased candidate"


@transaction.atomic
def candidate_erase(*, assignment, by, candidate: Candidate, reason: str, now=None) -> Candidate:
    """Erase what a candidate told us, at their request, keeping an anonymous row.

    The row stays because campaign decisions and the pool's counts point at it; everything that identifies the
    candidate goes: name, email, telephone, statement, experience, the team's notes, regions, skills, roles and
    the equality monitoring answers. Placements and programme places stay as dated facts about the host board.
    The audit entry records who erased the record and why, never what was erased.
    """
    _check_reach(assignment=assignment, candidate=candidate)
    return candidate_anonymise(candidate=candidate, actor=Actor(user=by), reason=reason, now=now)


@transaction.atomic
def candidate_anonymise(*, candidate: Candidate, actor: Actor, reason: str, now=None) -> Candidate:
    """The erasure itself, without a reach check: for a request (``candidate_erase``) or for the retention
    period, under a system actor (carelead/core/retention.py)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": "Enter why the candidate's details are being erased, such as the date of their request"}
        )
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.erased_at is not None:
        raise ValidationError({"reason": "This candidate's details have already been erased"})
    candidate.name = ERASED_NAME
    candidate.email = f"erased-{candidate.pk}@erased.invalid"
    candidate.phone = candidate.statement = candidate.board_experience = candidate.notes = ""
    candidate.roles = []
    candidate.repeat_registrations, candidate.last_repeat_at = 0, None
    if candidate.status != CandidateStatus.APPOINTED:
        candidate.status = CandidateStatus.WITHDRAWN
    candidate.erased_at = now or timezone.now()
    candidate.save()
    candidate.regions.clear()
    CandidateSkill.objects.filter(candidate=candidate).delete()
    CandidateMonitoring.objects.filter(candidate=candidate).delete()
    audit_record(
        actor=actor,
        action=AuditLog.Action.UPDATE,
        object_type=CANDIDATE,
        object_id=candidate.pk,
        object_repr=f"NED candidate {candidate.pk} (erased)",
        changes={"erased": [False, True], "reason": [None, reason]},
    )
    return candidate

"""Writes to board skills: a board's required mix, a member's self-assessment and the validation of their skills.

Each write checks the acting person's right (``selectors.skills_access``), validates, locks the row it hangs
from (the organisation for the required mix, the seat for a member's skills) so that two people saving at once
are taken one after the other, and writes one audit entry with the values before and after.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from carelead.audit.models import AuditLog
from carelead.audit.services import Actor, audit_record
from carelead.boards.models import BoardMember
from carelead.boardskills.models import Level, MemberSkill, Priority, SkillRequirement
from carelead.boardskills.selectors import (
    AUDIT_MEMBER_SKILLS,
    AUDIT_REQUIREMENTS,
    member_access,
    skills_access,
)
from carelead.nedpool.models import skill_choices
from carelead.organisations.models import Organisation

MAX_NEEDED = 20
EVIDENCE_MIN = 10
EVIDENCE_MAX = 4000
LEVELS = {level.value for level in Level}
REQUIRED_LEVELS = LEVELS - {Level.NONE}


def _listed() -> dict[str, str]:
    return dict(skill_choices())


def _requirement_value(requirement: SkillRequirement | None) -> dict | None:
    if requirement is None:
        return None
    return {"needed": requirement.needed, "level": requirement.level, "priority": requirement.priority}


# The required mix ---------------------------------------------------------------------------------------------


def requirement_problems(*, rows: dict[str, dict]) -> dict[str, list[str]]:
    """What is wrong with a proposed mix, by form field (``<skill>-needed`` and so on); empty when nothing is."""
    problems: dict[str, list[str]] = {}
    listed = _listed()
    for skill, row in rows.items():
        label = listed.get(skill)
        if label is None:
            problems.setdefault("__all__", []).append(f"“{skill}” is not on the list of skills")
            continue
        needed = row.get("needed")
        if not isinstance(needed, int) or isinstance(needed, bool) or not 0 <= needed <= MAX_NEEDED:
            problems[f"{skill}-needed"] = [f"Enter how many members should hold {label}, from 0 to {MAX_NEEDED}"]
            continue
        if needed == 0:
            continue
        if row.get("level") not in REQUIRED_LEVELS:
            problems[f"{skill}-level"] = [f"Choose the level of {label} the board needs"]
        if row.get("priority") not in Priority.values:
            problems[f"{skill}-priority"] = [f"Choose whether {label} is essential or desirable"]
    return problems


@transaction.atomic
def skill_requirements_save(*, organisation: Organisation, rows: dict[str, dict], by, assignment) -> int:
    """Set the board's required mix from ``rows`` ({skill: {"needed", "level", "priority"}}; needed 0 takes the
    skill out of the mix). Skills not in ``rows`` are left as they are. Returns how many skills changed."""
    if not skills_access(assignment=assignment, user=by, organisation=organisation).manage:
        raise PermissionDenied("You cannot set the skills this board needs.")
    problems = requirement_problems(rows=rows)
    if problems:
        raise ValidationError(problems)
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    current = {r.skill: r for r in SkillRequirement.objects.filter(organisation=organisation, skill__in=list(rows))}
    changes: dict[str, list] = {}
    for skill in sorted(rows):
        row = rows[skill]
        existing = current.get(skill)
        before = _requirement_value(existing)
        if row["needed"] == 0:
            if existing is not None:
                existing.delete()
                changes[skill] = [before, None]
            continue
        after = {"needed": row["needed"], "level": row["level"], "priority": row["priority"]}
        if before == after:
            continue
        requirement = existing or SkillRequirement(organisation=organisation, skill=skill)
        requirement.needed, requirement.level, requirement.priority = row["needed"], row["level"], row["priority"]
        requirement.updated_by = by
        requirement.full_clean()
        if existing is None:
            requirement.save()
        else:
            requirement.save(update_fields=["needed", "level", "priority", "updated_by", "updated_at"])
        changes[skill] = [before, after]
    if changes:
        audit_record(
            actor=Actor.of(by),
            action=AuditLog.Action.UPDATE,
            object_type=AUDIT_REQUIREMENTS,
            object_id=organisation.code,
            object_repr=f"{organisation.code} board: required skills"[:255],
            changes=changes,
            organisation_id=organisation.pk,
        )
    return len(changes)


# A member's skills --------------------------------------------------------------------------------------------


def _locked(member: BoardMember) -> BoardMember:
    """The seat's row, locked so that two people saving the member's skills at once are taken in turn."""
    return BoardMember.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=member.pk)


def _audit_member(*, by, member: BoardMember, changes: dict, note: str) -> None:
    audit_record(
        actor=Actor.of(by),
        action=AuditLog.Action.UPDATE,
        object_type=AUDIT_MEMBER_SKILLS,
        object_id=member.pk,
        object_repr=f"{member.organisation.code} board: {member.name} ({note})"[:255],
        changes=changes,
        subject_person_id=member.person_id,
        organisation_id=member.organisation_id,
    )


def _check_levels(levels: dict, *, allow_blank: bool) -> dict[str, list[str]]:
    listed = _listed()
    problems: dict[str, list[str]] = {}
    for skill, level in levels.items():
        if skill not in listed:
            problems.setdefault("__all__", []).append(f"“{skill}” is not on the list of skills")
        elif not (level in LEVELS or (allow_blank and level is None)):
            problems[skill] = [f"Choose a level for {listed[skill]}"]
    return problems


@transaction.atomic
def member_self_assessment_save(
    *, member: BoardMember, levels: dict[str, int], by, assignment, today: date | None = None
) -> int:
    """Record the member's own view of their level in each skill in ``levels``; returns how many changed.

    The member records it themselves, or the NED appointments team or the organisation's HR and OD lead enter it
    on their behalf (the audit entry says so). A skill never assessed before and given as "None" is not stored.
    """
    today = today or timezone.localdate()
    member = _locked(member)
    access = member_access(assignment=assignment, user=by, member=member, today=today)
    if not access.open:
        raise ValidationError(f"{member.name} has left the board: their skills can no longer be changed.")
    if not access.self_assess:
        raise PermissionDenied("You cannot record this member's self-assessment.")
    problems = _check_levels(levels, allow_blank=False)
    if problems:
        raise ValidationError(problems)
    current = {r.skill: r for r in MemberSkill.objects.filter(member=member, skill__in=list(levels))}
    changes: dict[str, list] = {}
    for skill in sorted(levels):
        level = levels[skill]
        record = current.get(skill)
        before = record.self_level if record is not None and record.self_assessed_on else None
        if before == level or (before is None and level == Level.NONE):
            continue
        if record is None:
            record = MemberSkill(member=member, skill=skill)
        record.self_level, record.self_assessed_on = level, today
        record.full_clean()
        if record.pk is None:
            record.save()
        else:
            record.save(update_fields=["self_level", "self_assessed_on", "updated_at"])
        changes[f"{skill}.self_level"] = [before, level]
    if changes:
        if access.on_behalf:
            changes["entered_on_behalf"] = [None, True]
        _audit_member(
            by=by,
            member=member,
            changes=changes,
            note="self-assessment" + (" entered for them" if access.on_behalf else ""),
        )
    return len([key for key in changes if key.endswith(".self_level")])


@transaction.atomic
def member_skills_validate(
    *, member: BoardMember, levels: dict[str, int | None], evidence: str, by, assignment, today: date | None = None
) -> int:
    """Validate the member's level in each skill in ``levels`` (None withdraws a validation) on what ``evidence``
    says, dated today; returns how many changed. The NED appointments team or the board's chair validates, never
    the member themselves."""
    today = today or timezone.localdate()
    member = _locked(member)
    access = member_access(assignment=assignment, user=by, member=member, today=today)
    if not access.open:
        raise ValidationError(f"{member.name} has left the board: their skills can no longer be changed.")
    if access.own:
        raise PermissionDenied("You cannot validate your own skills: the NED appointments team or the chair does.")
    if not access.validate:
        raise PermissionDenied("You cannot validate this member's skills.")
    problems = _check_levels(levels, allow_blank=True)
    evidence = (evidence or "").strip()
    current = {r.skill: r for r in MemberSkill.objects.filter(member=member, skill__in=list(levels))}
    changed = [
        skill
        for skill in sorted(levels)
        if levels[skill] != (current[skill].validated_level if skill in current else None)
    ]
    if changed and any(levels[s] is not None for s in changed):
        if len(evidence) < EVIDENCE_MIN:
            problems["evidence"] = [
                f"Describe what the validation rests on in at least {EVIDENCE_MIN} characters, such as the "
                "interview, references or qualifications seen"
            ]
        elif len(evidence) > EVIDENCE_MAX:
            problems["evidence"] = [f"The evidence must be {EVIDENCE_MAX:,} characters or fewer"]
    if problems:
        raise ValidationError(problems)
    changes: dict[str, list] = {}
    for skill in changed:
        level = levels[skill]
        record = current.get(skill) or MemberSkill(member=member, skill=skill)
        before = record.validated_level
        if level is None:
            record.validated_level = record.validated_on = record.validated_by = None
            record.evidence = ""
        else:
            record.validated_level, record.validated_on, record.validated_by = level, today, by
            record.evidence = evidence
        record.full_clean()
        if record.pk is None:
            record.save()
        else:
            record.save(update_fields=["validated_level", "validated_on", "validated_by", "evidence", "updated_at"])
        changes[f"{skill}.validated_level"] = [before, level]
    if changes:
        if any(levels[s] is not None for s in changed):
            changes["evidence"] = [None, evidence]
        in_own_right = skills_access(
            assignment=assignment, user=None, organisation=member.organisation, chaired=set()
        ).validate
        if access.board.chair and not in_own_right:
            changes["validated_as"] = [None, "chair"]
        _audit_member(by=by, member=member, changes=changes, note="validation")
    return len(changed)

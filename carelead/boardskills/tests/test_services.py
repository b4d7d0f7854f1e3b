"""Board skills services and selectors: the gaps arithmetic, the required mix, self-assessment and validation,
with their rules, scope refusals and audit entries."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from carelead.accounts.models import RoleAssignment
from carelead.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from carelead.audit.models import AuditLog
from carelead.boardskills.models import Level, MemberSkill, Priority, SkillRequirement
from carelead.boardskills.selectors import (
    AUDIT_MEMBER_SKILLS,
    AUDIT_REQUIREMENTS,
    board_skill_gaps,
    board_skill_matrix,
    gap_boards,
    gap_coverage,
    gap_skills_by_board,
    requirement_shortfalls,
)
from carelead.boardskills.services import (
    member_self_assessment_save,
    member_skills_validate,
    skill_requirements_save,
)
from carelead.boardskills.tests.factories import BoardMemberFactory, held


def _assignment(user):
    return RoleAssignment.objects.filter(user=user).select_related("organisation").first()


def _as(world, persona):
    user = world.users[persona]
    return {"by": user, "assignment": _assignment(user)}


def _gaps(organisation):
    return {g.skill: g for g in board_skill_gaps(organisation=organisation)}


# The gaps ------------------------------------------------------------------------------------------------------


def test_gaps_count_validated_members_in_post_only(world, skills):
    gaps = board_skill_gaps(organisation=world.orgs["RAA"])
    assert [g.skill for g in gaps] == ["finance", "digital", "clinical"]
    finance, digital, clinical = gaps
    # The leaver's validated finance and the future member's validated digital do not count.
    assert (finance.needed, finance.validated, finance.self_assessed, finance.short) == (2, 1, 1, 1)
    assert (digital.validated, digital.short) == (0, 1)
    assert (clinical.validated, clinical.short) == (1, 0)


def test_a_validation_below_the_required_level_does_not_count(world, skills):
    member = BoardMemberFactory(organisation=world.orgs["RAA"])
    held(member, "finance", own=3, validated=1)
    finance = _gaps(world.orgs["RAA"])["finance"]
    assert (finance.validated, finance.self_assessed, finance.short) == (1, 1, 1)


def test_the_matrix_has_members_in_post_chair_first(world, skills):
    gaps = board_skill_gaps(organisation=world.orgs["RAA"])
    rows = board_skill_matrix(organisation=world.orgs["RAA"], gaps=gaps)
    assert [r.member.name for r in rows] == ["Eve Executive", "Nina Nonexec", "Colin Clinical"]
    nina = {c.skill: c for c in rows[1].cells}
    assert nina["finance"].claims and not nina["finance"].meets
    assert nina["finance"].self_level == 3 and nina["finance"].validated_level is None
    assert nina["clinical"].self_level is None


def test_boards_with_gaps_are_aggregated_and_filtered(world, skills):
    national = _assignment(world.users["ned_team"])
    rows = list(gap_boards(shortfalls=requirement_shortfalls(assignment=national)))
    assert [(r["organisation__code"], r["total_short"], r["unmet"], r["essential_unmet"]) for r in rows] == [
        ("RCC", 3, 1, 1),
        ("RAA", 2, 2, 1),
        ("RBB", 1, 1, 1),
    ]
    regional = _assignment(world.users["regional_talent"])
    assert [r["organisation__code"] for r in gap_boards(shortfalls=requirement_shortfalls(assignment=regional))] == [
        "RAA",
        "RBB",
    ]
    essential = gap_boards(shortfalls=requirement_shortfalls(assignment=national, essential_only=True))
    assert {r["organisation__code"]: r["total_short"] for r in essential} == {"RCC": 3, "RAA": 1, "RBB": 1}
    digital = gap_boards(shortfalls=requirement_shortfalls(assignment=national, skill="digital"))
    assert [r["organisation__code"] for r in digital] == ["RAA"]
    other = gap_boards(shortfalls=requirement_shortfalls(assignment=national, region=world.orgs["Y98"]))
    assert [r["organisation__code"] for r in other] == ["RCC"]
    by_board = gap_skills_by_board(shortfalls=requirement_shortfalls(assignment=national))
    assert [s["skill"] for s in by_board[world.orgs["RAA"].pk]] == ["finance", "digital"]
    assert gap_coverage(assignment=national) == 3 and gap_coverage(assignment=regional) == 2


def test_a_met_board_is_not_listed(world, skills):
    held(skills["rbb_ned"], "finance", validated=Level.EXPERT)
    national = _assignment(world.users["ned_team"])
    codes = [r["organisation__code"] for r in gap_boards(shortfalls=requirement_shortfalls(assignment=national))]
    assert "RBB" not in codes


# The required mix ----------------------------------------------------------------------------------------------


def test_hr_sets_the_mix_and_it_is_audited_before_and_after(world, skills):
    raa = world.orgs["RAA"]
    changed = skill_requirements_save(
        organisation=raa,
        rows={
            "finance": {"needed": 3, "level": 2, "priority": "essential"},
            "clinical": {"needed": 0, "level": None, "priority": ""},
            "legal": {"needed": 1, "level": 1, "priority": "desirable"},
            "digital": {"needed": 1, "level": 1, "priority": "desirable"},
        },
        **_as(world, "org_hr"),
    )
    assert changed == 3
    mix = {r.skill: (r.needed, r.level, r.priority) for r in SkillRequirement.objects.filter(organisation=raa)}
    assert mix == {"finance": (3, 2, "essential"), "legal": (1, 1, "desirable"), "digital": (1, 1, "desirable")}
    entry = AuditLog.objects.get(object_type=AUDIT_REQUIREMENTS)
    assert entry.actor == world.users["org_hr"] and entry.organisation_id == raa.pk
    assert entry.changes["finance"] == [
        {"needed": 2, "level": 2, "priority": "essential"},
        {"needed": 3, "level": 2, "priority": "essential"},
    ]
    assert entry.changes["clinical"][1] is None and entry.changes["legal"][0] is None
    assert "digital" not in entry.changes


def test_nothing_changed_writes_no_audit(world, skills):
    skill_requirements_save(
        organisation=world.orgs["RAA"],
        rows={"finance": {"needed": 2, "level": 2, "priority": "essential"}},
        **_as(world, "ned_team"),
    )
    assert not AuditLog.objects.filter(object_type=AUDIT_REQUIREMENTS).exists()


def test_the_mix_is_validated_with_clear_messages(world, skills):
    with pytest.raises(ValidationError) as caught:
        skill_requirements_save(
            organisation=world.orgs["RAA"],
            rows={
                "finance": {"needed": 21, "level": 2, "priority": "essential"},
                "legal": {"needed": 1, "level": None, "priority": "sometimes"},
                "astrology": {"needed": 1, "level": 2, "priority": "essential"},
            },
            **_as(world, "org_hr"),
        )
    errors = caught.value.message_dict
    assert errors["finance-needed"] == ["Enter how many members should hold Finance, from 0 to 20"]
    assert errors["legal-level"] == ["Choose the level of Legal the board needs"]
    assert errors["legal-priority"] == ["Choose whether Legal is essential or desirable"]
    assert "“astrology” is not on the list of skills" in errors["__all__"]
    assert SkillRequirement.objects.get(organisation=world.orgs["RAA"], skill="finance").needed == 2


@pytest.mark.parametrize(("persona", "code"), [("org_hr", "RBB"), ("national_admin", "RAA"), ("regulator", "RAA")])
def test_the_mix_is_refused_out_of_scope_or_role(world, skills, persona, code):
    with pytest.raises(PermissionDenied):
        skill_requirements_save(
            organisation=world.orgs[code],
            rows={"finance": {"needed": 1, "level": 2, "priority": "essential"}},
            **_as(world, persona),
        )


def test_a_regional_ned_team_sets_the_mix_only_in_its_region(world, skills):
    user = UserFactory()
    assignment = RoleAssignmentFactory(user=user, role="ned_team", organisation=world.orgs["Y98"])
    row = {"finance": {"needed": 1, "level": 2, "priority": "essential"}}
    assert skill_requirements_save(organisation=world.orgs["RCC"], rows=row, by=user, assignment=assignment) == 1
    with pytest.raises(PermissionDenied):
        skill_requirements_save(organisation=world.orgs["RAA"], rows=row, by=user, assignment=assignment)


# Self-assessment -----------------------------------------------------------------------------------------------


def test_a_member_assesses_themselves_and_it_never_closes_a_gap(world, skills):
    ned = skills.users["ned"]
    changed = member_self_assessment_save(
        member=skills["ned"],
        levels={"finance": 3, "digital": 3, "legal": 0},
        by=ned,
        assignment=_assignment(ned),
    )
    assert changed == 1  # finance unchanged, legal never assessed and still none: not stored
    assert not MemberSkill.objects.filter(member=skills["ned"], skill="legal").exists()
    digital = _gaps(world.orgs["RAA"])["digital"]
    assert (digital.validated, digital.self_assessed, digital.short) == (0, 1, 1)
    entry = AuditLog.objects.get(object_type=AUDIT_MEMBER_SKILLS)
    assert entry.object_id == str(skills["ned"].pk) and entry.actor == ned
    assert entry.changes == {"digital.self_level": [None, 3]}
    assert entry.subject_person_id == skills["ned"].person_id


def test_hr_enters_a_self_assessment_on_behalf_and_it_is_audited_as_such(world, skills):
    member_self_assessment_save(member=skills["clinical"], levels={"legal": 2}, **_as(world, "org_hr"))
    entry = AuditLog.objects.get(object_type=AUDIT_MEMBER_SKILLS)
    assert entry.changes["entered_on_behalf"] == [None, True]
    assert "entered for them" in entry.object_repr


@pytest.mark.parametrize("persona", ["regional_talent", "national_admin", "regulator"])
def test_other_roles_cannot_enter_a_self_assessment(world, skills, persona):
    with pytest.raises(PermissionDenied):
        member_self_assessment_save(member=skills["ned"], levels={"legal": 2}, **_as(world, persona))


def test_hr_cannot_enter_one_for_another_organisation(world, skills):
    with pytest.raises(PermissionDenied):
        member_self_assessment_save(member=skills["rbb_ned"], levels={"legal": 2}, **_as(world, "org_hr"))


def test_a_member_cannot_assess_someone_else(world, skills):
    ned = skills.users["ned"]
    with pytest.raises(PermissionDenied):
        member_self_assessment_save(member=skills["clinical"], levels={"legal": 2}, by=ned, assignment=_assignment(ned))


def test_skills_of_a_member_who_left_cannot_change(world, skills):
    with pytest.raises(ValidationError, match="left the board"):
        member_self_assessment_save(member=skills["left"], levels={"legal": 2}, **_as(world, "ned_team"))
    with pytest.raises(ValidationError, match="left the board"):
        member_skills_validate(
            member=skills["left"], levels={"legal": 2}, evidence="Seen at interview", **_as(world, "ned_team")
        )


def test_levels_must_be_on_the_scale(world, skills):
    with pytest.raises(ValidationError) as caught:
        member_self_assessment_save(member=skills["ned"], levels={"legal": 7}, **_as(world, "ned_team"))
    assert caught.value.message_dict == {"legal": ["Choose a level for Legal"]}


# Validation ----------------------------------------------------------------------------------------------------


def test_the_ned_team_validates_with_evidence_and_the_gap_closes(world, skills):
    changed = member_skills_validate(
        member=skills["ned"],
        levels={"finance": 2, "digital": None},
        evidence="  Chartered accountant; references seen  ",
        **_as(world, "ned_team"),
    )
    assert changed == 1
    record = MemberSkill.objects.get(member=skills["ned"], skill="finance")
    assert record.validated_level == 2 and record.validated_by == world.users["ned_team"]
    assert record.validated_on is not None and record.evidence == "Chartered accountant; references seen"
    assert record.self_level == 3  # the member's own view is kept beside the validated one
    finance = _gaps(world.orgs["RAA"])["finance"]
    assert (finance.validated, finance.self_assessed, finance.short) == (2, 0, 0)
    entry = AuditLog.objects.get(object_type=AUDIT_MEMBER_SKILLS)
    assert entry.changes["finance.validated_level"] == [None, 2]
    assert entry.changes["evidence"] == [None, "Chartered accountant; references seen"]
    assert "validated_as" not in entry.changes


def test_validating_needs_evidence(world, skills):
    with pytest.raises(ValidationError) as caught:
        member_skills_validate(member=skills["ned"], levels={"finance": 2}, evidence="ok", **_as(world, "ned_team"))
    assert "evidence" in caught.value.message_dict
    assert MemberSkill.objects.get(member=skills["ned"], skill="finance").validated_level is None


def test_withdrawing_a_validation_needs_no_evidence(world, skills):
    member_skills_validate(member=skills["clinical"], levels={"clinical": None}, evidence="", **_as(world, "ned_team"))
    record = MemberSkill.objects.get(member=skills["clinical"], skill="clinical")
    assert record.validated_level is None and record.validated_by is None and record.evidence == ""
    assert _gaps(world.orgs["RAA"])["clinical"].short == 1


def test_the_chair_validates_other_members_whatever_their_role(world, skills):
    chair = skills.users["chair"]
    member_skills_validate(
        member=skills["ned"],
        levels={"finance": 3},
        evidence="Chair's review of her experience as a finance director",
        by=chair,
        assignment=_assignment(chair),
    )
    entry = AuditLog.objects.get(object_type=AUDIT_MEMBER_SKILLS)
    assert entry.changes["validated_as"] == [None, "chair"]


def test_the_chair_cannot_validate_their_own_skills(world, skills):
    chair = skills.users["chair"]
    with pytest.raises(PermissionDenied, match="your own"):
        member_skills_validate(
            member=skills["chair"],
            levels={"clinical": 3},
            evidence="I know this well",
            by=chair,
            assignment=_assignment(chair),
        )


def test_the_chair_of_one_board_cannot_validate_another(world, skills):
    chair = skills.users["chair"]
    with pytest.raises(PermissionDenied):
        member_skills_validate(
            member=skills["rbb_ned"],
            levels={"finance": 3},
            evidence="Seen at interview",
            by=chair,
            assignment=_assignment(chair),
        )


def test_a_ned_team_member_who_sits_on_the_board_cannot_validate_themselves(world, skills):
    team_user = skills.users["ned"]
    assignment = RoleAssignmentFactory(user=team_user, role="ned_team")
    with pytest.raises(PermissionDenied, match="your own"):
        member_skills_validate(
            member=skills["ned"],
            levels={"finance": 3},
            evidence="Seen at interview",
            by=team_user,
            assignment=assignment,
        )
    # They still validate their colleagues.
    member_skills_validate(
        member=skills["clinical"],
        levels={"legal": 1},
        evidence="Seen at interview",
        by=team_user,
        assignment=assignment,
    )


@pytest.mark.parametrize("persona", ["org_hr", "regional_talent", "national_admin"])
def test_other_roles_cannot_validate(world, skills, persona):
    with pytest.raises(PermissionDenied):
        member_skills_validate(
            member=skills["ned"], levels={"finance": 3}, evidence="Seen at interview", **_as(world, persona)
        )


def test_priority_and_level_choices_match_the_model():
    assert set(Priority.values) == {"essential", "desirable"}
    assert [level.value for level in Level] == [0, 1, 2, 3]

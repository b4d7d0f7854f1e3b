"""Boards for the board skills tests, on the shared world (conftest.py at the root)."""

from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from django.utils import timezone

from carelead.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from carelead.boardskills.models import Level, Priority
from carelead.boardskills.tests.factories import BoardMemberFactory, SkillRequirementFactory, held
from carelead.core.choices import BoardRole


@dataclass
class Skills:
    members: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)

    def __getitem__(self, key):
        return self.members[key]


@pytest.fixture
def skills(world) -> Skills:
    """RAA needs 2 in finance (strong, essential), 1 in clinical (strong, essential) and 1 in digital (working,
    desirable). In post: the chair (Eve Executive, with an account acting as a line manager) validated expert in
    finance; Nina, a NED with her own account (staff), who says she is expert in finance, not validated; Colin,
    validated strong in clinical. Not counting: Lee who left (validated expert in finance) and Fay who starts next
    month (validated strong in digital). So RAA is short of 1 in finance and 1 in digital, and clinical is met.
    RBB (same region) needs 1 in finance and has nobody; RCC (other region) needs 3 in audit and risk."""
    raa, rbb, rcc = world.orgs["RAA"], world.orgs["RBB"], world.orgs["RCC"]
    today = timezone.localdate()
    ned_person = world.people["others"][0]
    s = Skills()
    s.members = {
        "chair": BoardMemberFactory(
            organisation=raa, name="Eve Executive", role=BoardRole.CHAIR, person=world.people["exec"]
        ),
        "ned": BoardMemberFactory(organisation=raa, name="Nina Nonexec", person=ned_person),
        "clinical": BoardMemberFactory(organisation=raa, name="Colin Clinical", role=BoardRole.EXECUTIVE),
        "left": BoardMemberFactory(
            organisation=raa, name="Lee Leaver", start_date=date(2019, 4, 1), end_date=today - timedelta(days=30)
        ),
        "future": BoardMemberFactory(organisation=raa, name="Fay Future", start_date=today + timedelta(days=30)),
        "rbb_ned": BoardMemberFactory(organisation=rbb, name="Ned Rbb"),
        "rcc_ned": BoardMemberFactory(organisation=rcc, name="Finn Farned"),
    }
    SkillRequirementFactory(organisation=raa, skill="finance", needed=2)
    SkillRequirementFactory(organisation=raa, skill="clinical")
    SkillRequirementFactory(organisation=raa, skill="digital", level=Level.WORKING, priority=Priority.DESIRABLE)
    SkillRequirementFactory(organisation=rbb, skill="finance")
    SkillRequirementFactory(organisation=rcc, skill="audit_risk", needed=3)
    held(s["chair"], "finance", own=3, validated=3)
    held(s["ned"], "finance", own=3)
    held(s["clinical"], "clinical", own=2, validated=2)
    held(s["left"], "finance", own=3, validated=3)
    held(s["future"], "digital", own=2, validated=2)
    s.users["chair"] = UserFactory(
        email="eve.chair@example.org", full_name="Eve Executive", person=world.people["exec"]
    )
    RoleAssignmentFactory(user=s.users["chair"], role="line_manager", organisation=raa)
    s.users["ned"] = UserFactory(email="nina@example.org", full_name="Nina Nonexec", person=ned_person)
    RoleAssignmentFactory(user=s.users["ned"], role="staff", organisation=raa)
    return s

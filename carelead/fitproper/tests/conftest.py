"""Boards for the fit and proper person test tests, on the shared world (conftest.py at the root)."""

from dataclasses import dataclass, field

import pytest

from carelead.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from carelead.core.choices import BoardRole
from carelead.fitproper.tests.factories import BoardMemberFactory, leaver


@dataclass
class Boards:
    members: dict = field(default_factory=dict)
    chair_user: object = None

    def __getitem__(self, key):
        return self.members[key]


@pytest.fixture
def boards(world) -> Boards:
    """RAA: a chair (Eve Executive, whose staff record has an account acting as a line manager), a NED, an executive
    director and a NED who has left. RBB (same region): a chair with no account and a NED. RCC (other region):
    a chair and a NED."""
    raa, rbb, rcc = world.orgs["RAA"], world.orgs["RBB"], world.orgs["RCC"]
    b = Boards()
    b.members = {
        "chair": BoardMemberFactory(
            organisation=raa, name="Eve Executive", role=BoardRole.CHAIR, person=world.people["exec"]
        ),
        "ned": BoardMemberFactory(organisation=raa, name="Nina Nonexec", role=BoardRole.NON_EXECUTIVE),
        "exec": BoardMemberFactory(organisation=raa, name="Chris Chief", role=BoardRole.EXECUTIVE),
        "left": leaver(raa),
        "rbb_chair": BoardMemberFactory(organisation=rbb, name="Rita Rbbchair", role=BoardRole.CHAIR),
        "rbb_ned": BoardMemberFactory(organisation=rbb, name="Ned Rbb", role=BoardRole.NON_EXECUTIVE),
        "rcc_chair": BoardMemberFactory(organisation=rcc, name="Faye Farchair", role=BoardRole.CHAIR),
        "rcc_ned": BoardMemberFactory(organisation=rcc, name="Finn Farned", role=BoardRole.NON_EXECUTIVE),
    }
    b.chair_user = UserFactory(email="eve.chair@example.org", full_name="Eve Executive", person=world.people["exec"])
    RoleAssignmentFactory(user=b.chair_user, role="line_manager", organisation=raa)
    return b


@pytest.fixture
def storage(settings, tmp_path):
    """Uploaded files go to a temporary folder for the test."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    return tmp_path

"""Boards for the board appraisal tests, on the shared world (conftest.py at the root)."""

import datetime
from dataclasses import dataclass, field

import pytest

from carelead.boardappraisals.tests.factories import BoardMemberFactory
from carelead.core.choices import BoardRole


@dataclass
class Boards:
    members: dict = field(default_factory=dict)

    def __getitem__(self, key):
        return self.members[key]


@pytest.fixture
def boards(world) -> Boards:
    """RAA: a chair, two NEDs, two executives (one is Eve Executive), an associate and a NED who has left.
    RBB (same region): a chair and a NED. RCC (the other region): a chair and a NED."""
    raa, rbb, rcc = world.orgs["RAA"], world.orgs["RBB"], world.orgs["RCC"]
    b = Boards()
    b.members = {
        "chair": BoardMemberFactory(organisation=raa, name="Carol Chair", role=BoardRole.CHAIR),
        "ned": BoardMemberFactory(organisation=raa, name="Nina Nonexec", role=BoardRole.NON_EXECUTIVE),
        "ned2": BoardMemberFactory(organisation=raa, name="Sid Senior", role=BoardRole.NON_EXECUTIVE),
        "exec": BoardMemberFactory(
            organisation=raa, name="Eve Executive", role=BoardRole.EXECUTIVE, person=world.people["exec"]
        ),
        "ceo": BoardMemberFactory(organisation=raa, name="Chris Chief", role=BoardRole.EXECUTIVE),
        "associate": BoardMemberFactory(organisation=raa, name="Ada Associate", role=BoardRole.ASSOCIATE, voting=False),
        "left": BoardMemberFactory(
            organisation=raa,
            name="Lee Leaver",
            role=BoardRole.NON_EXECUTIVE,
            end_date=datetime.date(2025, 3, 31),
        ),
        "rbb_chair": BoardMemberFactory(organisation=rbb, name="Rita Rbbchair", role=BoardRole.CHAIR),
        "rbb_ned": BoardMemberFactory(organisation=rbb, name="Ned Rbb", role=BoardRole.NON_EXECUTIVE),
        "rcc_chair": BoardMemberFactory(organisation=rcc, name="Faye Farchair", role=BoardRole.CHAIR),
        "rcc_ned": BoardMemberFactory(organisation=rcc, name="Finn Farned", role=BoardRole.NON_EXECUTIVE),
    }
    return b

"""Boards, workforces and population figures for the board diversity tests, on the shared world (conftest.py at
the root).

RAA: 12 members in post, 10 voting (7 White, 2 BME, 1 not stated; 1 Disabled), 2 associates (1 BME), and one
who left in 2019; a workforce of 46 (12 BME). RBB: 9 voting members, all White and none disabled; a workforce of
31 (10 BME). RCC (the other region): 8 voting members, all BME; a workforce of 41 (21 BME).
"""

import datetime
from dataclasses import dataclass

import pytest

from carelead.boarddiversity.tests.factories import seat
from carelead.core.choices import BoardRole
from carelead.people.tests.factories import MonitoringFactory


@dataclass
class Boards:
    raa: list
    rbb: list
    rcc: list


def staff(organisation, count: int, *, ethnic: str = "A", disability: str = "N") -> None:
    for _ in range(count):
        MonitoringFactory(
            person__organisation=organisation,
            person__start_date=datetime.date(2019, 4, 1),
            ethnic_category=ethnic,
            disability=disability,
        )


@pytest.fixture
def boards(world) -> Boards:
    raa, rbb, rcc = world.orgs["RAA"], world.orgs["RBB"], world.orgs["RCC"]
    staff(raa, 30)
    staff(raa, 10, ethnic="H", disability="Y")
    staff(rbb, 20)
    staff(rbb, 10, ethnic="M")
    staff(rcc, 20, ethnic="N")
    staff(rcc, 20)
    voting = [
        ("A", "F", "N", BoardRole.CHAIR),
        ("A", "M", "N", BoardRole.NON_EXECUTIVE),
        ("A", "F", "N", BoardRole.NON_EXECUTIVE),
        ("A", "M", "Y", BoardRole.NON_EXECUTIVE),
        ("H", "F", "N", BoardRole.NON_EXECUTIVE),
        ("N", "M", "N", BoardRole.NON_EXECUTIVE),
        ("Z", "M", "U", BoardRole.NON_EXECUTIVE),
        ("A", "F", "N", BoardRole.EXECUTIVE),
        ("A", "M", "N", BoardRole.EXECUTIVE),
        ("A", "M", "N", BoardRole.EXECUTIVE),
    ]
    b = Boards(
        raa=[seat(raa, ethnic=e, sex=s, disability=d, role=r) for e, s, d, r in voting],
        rbb=[seat(rbb, role=BoardRole.NON_EXECUTIVE) for _ in range(9)],
        rcc=[seat(rcc, ethnic="H", role=BoardRole.NON_EXECUTIVE) for _ in range(8)],
    )
    b.raa += [
        seat(raa, ethnic="H", sex="F", role=BoardRole.ASSOCIATE, voting=False),
        seat(raa, role=BoardRole.ASSOCIATE, voting=False),
        seat(raa, ethnic="M", start_date=datetime.date(2015, 4, 1), end_date=datetime.date(2019, 12, 31), name="Left"),
    ]
    return b

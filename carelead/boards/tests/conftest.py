"""Boards for the board tests, on the shared world (conftest.py at the root), with dates relative to today."""

from dataclasses import dataclass, field
from datetime import date

import pytest
from django.utils import timezone

from carelead.boardappraisals.tests.factories import BoardMemberFactory
from carelead.boards.models import Term, add_months, add_years, years_end
from carelead.core.choices import BoardRole


def started_for_term_ending(*, months: int, today: date | None = None) -> date:
    """A seat start date whose assumed 3-year first term ends ``months`` months from today."""
    today = today or timezone.localdate()
    return add_years(add_months(today, months), -3)


@dataclass
class Boards:
    today: date
    members: dict = field(default_factory=dict)

    def __getitem__(self, key):
        return self.members[key]


@pytest.fixture
def boards(world) -> Boards:
    """RAA: a chair whose recorded term 3 ends in 2 months (over 6 years, reviewed: none), a NED whose assumed
    term ends in 4 months, a NED whose term ends in 10 months, a non-voting associate, and a NED who has left.
    RBB (same region): a NED whose term ends in 1 month. RCC (the other region): a chair whose term ends in 5
    months."""
    today = timezone.localdate()
    raa, rbb, rcc = world.orgs["RAA"], world.orgs["RBB"], world.orgs["RCC"]
    b = Boards(today=today)
    chair_start = add_years(add_months(today, 2), -9)
    b.members = {
        "chair": BoardMemberFactory(organisation=raa, name="Carol Chair", role=BoardRole.CHAIR, start_date=chair_start),
        "ned": BoardMemberFactory(
            organisation=raa, name="Nina Nonexec", start_date=started_for_term_ending(months=4, today=today)
        ),
        "ned_later": BoardMemberFactory(
            organisation=raa, name="Larry Later", start_date=started_for_term_ending(months=10, today=today)
        ),
        "associate": BoardMemberFactory(
            organisation=raa,
            name="Ada Associate",
            role=BoardRole.ASSOCIATE,
            voting=False,
            start_date=started_for_term_ending(months=20, today=today),
        ),
        "left": BoardMemberFactory(
            organisation=raa, name="Lee Leaver", start_date=date(2019, 4, 1), end_date=date(2024, 3, 31)
        ),
        "rbb_ned": BoardMemberFactory(
            organisation=rbb, name="Ned Rbb", start_date=started_for_term_ending(months=1, today=today)
        ),
        "rcc_chair": BoardMemberFactory(
            organisation=rcc,
            name="Faye Farchair",
            role=BoardRole.CHAIR,
            start_date=started_for_term_ending(months=5, today=today),
        ),
    }
    for number in (1, 2, 3):
        starts = add_years(chair_start, 3 * (number - 1))
        Term.objects.create(member=b["chair"], number=number, starts_on=starts, ends_on=years_end(starts, 3))
    return b

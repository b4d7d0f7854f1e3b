"""Outcome tracking against hand-computed figures, quarter ends, and proactive suggestions."""

import datetime
from datetime import date

import pytest
from django.utils import timezone

from carelead.challenged.models import IncentivePackage, StatusChange
from carelead.challenged.selectors import Status, outcomes, quarter_ends, suggestions
from carelead.organisations.models import Organisation
from carelead.organisations.services import organisation_tree_rebuild
from carelead.people.tests.factories import PersonFactory
from carelead.standards.models import Requirement
from carelead.vacancies.tests.factories import ApplicationFactory, VacancyFactory
from carelead.vacancies.tests.test_matching import join, talk

ON = date(2026, 10, 15)


def history(org, *rows):
    for day, segment, rating, challenged in rows:
        StatusChange.objects.create(
            organisation=org, effective_on=day, oversight_segment=segment, cqc_rating=rating, challenged=challenged
        )


def trust(world, code, name):
    org = Organisation.objects.create(code=code, name=name, type="trust", sector="nhs", parent=world.orgs["QZZ"])
    organisation_tree_rebuild()
    org.refresh_from_db()
    return org


def filled(world, org, *, opens_on, filled_on, person, level="senior"):
    return VacancyFactory(
        organisation=org,
        level=level,
        status="filled",
        opens_on=opens_on,
        closes_on=opens_on + datetime.timedelta(days=28),
        filled_on=filled_on,
        appointed=person,
        created_by=world.users["org_hr"],
    )


@pytest.fixture
def scenario(world):
    rdd, ree = trust(world, "RDD", "Delta Trust"), trust(world, "REE", "Echo Trust")
    history(
        rdd,
        (date(2024, 1, 1), 4, "requires_improvement", False),
        (date(2025, 4, 1), 5, "requires_improvement", True),
        (date(2025, 12, 1), 4, "requires_improvement", False),
        (date(2026, 8, 1), 3, "good", False),
    )
    history(ree, (date(2025, 5, 1), 3, "inadequate", True))
    p1 = PersonFactory(organisation=rdd, staff_id="RDD-1")
    p2 = PersonFactory(organisation=rdd, staff_id="RDD-2", end_date=date(2026, 3, 1))
    p3 = PersonFactory(organisation=ree, staff_id="REE-3")
    v1 = filled(world, rdd, opens_on=date(2025, 5, 1), filled_on=date(2025, 6, 20), person=p1)
    filled(world, rdd, opens_on=date(2025, 9, 1), filled_on=date(2025, 10, 1), person=p2)
    v3 = filled(world, ree, opens_on=date(2026, 1, 1), filled_on=date(2026, 3, 11), person=p3)
    # Filled when no longer challenged; a staff-level post; a filled post in another region.
    filled(world, rdd, opens_on=date(2026, 8, 1), filled_on=date(2026, 9, 1), person=p1)
    filled(world, ree, opens_on=date(2026, 1, 1), filled_on=date(2026, 2, 1), person=p3, level="staff")
    filled(world, world.orgs["RCC"], opens_on=date(2026, 1, 1), filled_on=date(2026, 2, 1), person=world.people["rcc"])
    IncentivePackage.objects.create(vacancy=v1, status="approved", proposed_by=world.users["org_hr"])
    IncentivePackage.objects.create(vacancy=v3, status="proposed", proposed_by=world.users["org_hr"])
    return rdd, ree


def test_quarter_ends():
    assert quarter_ends(date(2025, 6, 20), date(2026, 1, 5)) == [
        date(2025, 6, 30),
        date(2025, 9, 30),
        date(2025, 12, 31),
    ]
    assert quarter_ends(date(2025, 6, 30), date(2025, 9, 29)) == []


def test_outcomes_match_the_hand_computed_figures(world, scenario):
    result = outcomes(assignment=world.users["regional_talent"].assignments.get(), on=ON)
    rows = {r.vacancy.appointed.staff_id: r for r in result.rows}
    assert sorted(rows) == ["RDD-1", "RDD-2", "REE-3"]
    one, two, three = rows["RDD-1"], rows["RDD-2"], rows["REE-3"]
    assert (one.days_to_fill, one.tenure_days, one.in_post, one.package_approved) == (50, 482, True, True)
    assert (two.days_to_fill, two.tenure_days, two.in_post, two.package_approved) == (30, 151, False, False)
    assert (three.days_to_fill, three.tenure_days, three.package_approved) == (69, 218, False)
    assert one.at_appointment == Status(5, "requires_improvement")
    assert [(d, s.segment, s.rating) for d, s in one.quarters] == [
        (date(2025, 6, 30), 5, "requires_improvement"),
        (date(2025, 9, 30), 5, "requires_improvement"),
        (date(2025, 12, 31), 4, "requires_improvement"),
        (date(2026, 3, 31), 4, "requires_improvement"),
        (date(2026, 6, 30), 4, "requires_improvement"),
        (date(2026, 9, 30), 3, "good"),
    ]
    assert result.median_days_to_fill == 50
    # Appointed at least a year before 15 October 2026: RDD-1 (stayed) and RDD-2 (left after 5 months).
    assert (result.twelve_month_due, result.twelve_month_stayed, result.twelve_month_share) == (2, 1, 50.0)
    # Delta went from segment 5 to segment 3 and good; Echo is unchanged.
    by_org = {o.organisation.code: o for o in result.organisations}
    assert by_org["RDD"].improved and not by_org["REE"].improved
    assert (by_org["RDD"].appointments, by_org["RDD"].median_days_to_fill, by_org["RDD"].packages_approved) == (
        2,
        40,
        1,
    )
    assert result.organisations_improved == 1


def test_the_scope_limits_outcomes(world, scenario):
    national = outcomes(assignment=world.users["national_admin"].assignments.get(), on=ON)
    assert len(national.rows) == 4  # the region's three and RCC's
    org_hr = outcomes(assignment=world.users["org_hr"].assignments.get(), on=ON)
    assert org_hr.rows == [] and org_hr.median_days_to_fill is None


def test_a_status_counts_as_improved_only_when_nothing_got_worse():
    assert Status(3, "inadequate").better_than(Status(5, "inadequate"))
    assert not Status(3, "inadequate").better_than(Status(5, "good"))
    assert Status(None, "good").better_than(Status(2, "inadequate"))
    assert not Status(2, "good").better_than(Status(2, "good"))


def test_suggestions_are_ready_now_with_the_right_mobility(world):
    # No gating requirement is active, so everyone passes the gate.
    Requirement.objects.update(active=False)
    today = timezone.localdate()
    ready_mobile, ready_static, later = world.people["member"], world.people["others"][0], world.people["rcc"]
    applied = world.people["others"][1]
    for person in (ready_mobile, ready_static, later, applied):
        join(world, person, level="senior", expires_on=today + datetime.timedelta(days=90))
    talk(world, ready_mobile, "ready_now", regions=["Y99"], held_on=today)
    talk(world, ready_static, "ready_now", held_on=today)
    talk(world, later, "1_2_years", regions=["Y99"], held_on=today)
    talk(world, applied, "ready_now", sectors=["nhs"], held_on=today)
    vacancy = VacancyFactory(organisation=world.orgs["RBB"], level="senior", created_by=world.users["org_hr"])
    ApplicationFactory(vacancy=vacancy, person=applied)
    VacancyFactory(organisation=world.orgs["RAA"], level="senior", created_by=world.users["org_hr"])  # not challenged
    picked, total = suggestions(assignment=world.users["regional_talent"].assignments.get())
    assert total == 1
    ((v, candidates),) = picked
    assert v == vacancy and [c.person for c in candidates] == [ready_mobile]

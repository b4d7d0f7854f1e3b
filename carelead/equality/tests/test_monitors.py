"""Fairness monitors: each registered decision type compared by ethnicity, disability, sex and age band."""

import datetime

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from carelead.equality.engine import Period, relative_likelihood
from carelead.equality.monitors import MONITORS, Decision, Source, compute_monitors, register
from carelead.learning.models import TrainingRecord
from carelead.people.models import EmploymentChange, EqualityMonitoring, Person
from carelead.people.tests.factories import PersonFactory

P = Period.parse("2025-26")


def staff(org, n, *, ethnic="A", disability="N", sex="F", born=datetime.date(1980, 5, 1), **extra):
    out = []
    for _ in range(n):
        person = PersonFactory(organisation=org, start_date=datetime.date(2020, 1, 1), **extra)
        EqualityMonitoring.objects.create(
            person=person, ethnic_category=ethnic, disability=disability, sex=sex, date_of_birth=born
        )
        out.append(person)
    return out


def cpd(people, day=datetime.date(2025, 6, 1)):
    for person in people:
        TrainingRecord.objects.create(
            record_id=f"T-{person.pk}", person=person, course_code="CPD", mandatory=False, date=day
        )


def monitor(code, scope, characteristic, group, published=False):
    rows = [
        r
        for r in compute_monitors(period=P, published=published, codes=[code])
        if r["scope"] == scope and r["characteristic"] == characteristic and r["group"] == group
    ]
    assert len(rows) == 1, rows
    return rows[0]


def test_development_access_by_ethnicity_matches_the_relative_likelihood(world):
    raa = world.orgs["RAA"]
    white, bme = staff(world.orgs["RAA"], 40, ethnic="A"), staff(raa, 30, ethnic="M")
    cpd(white[:20] + bme[:6])
    row = monitor("FAIR-CPD", "org:RAA", "ethnicity", "bme")
    # the world adds one White and two BME people in post in RAA, none with development records
    expected = relative_likelihood(20, 41, 6, 32)
    assert row["value"] == pytest.approx(expected["value"])
    assert row["ci_low"] == pytest.approx(expected["ci_low"])
    assert row["outside_band"] is True and row["significant"] is True
    assert row["reference"] == "white"


def test_age_bands_compare_each_band_with_everyone_else_of_known_age(world):
    raa = world.orgs["RAA"]
    young = staff(raa, 20, born=datetime.date(2003, 1, 1))  # 23 on 31 March 2026
    older = staff(raa, 30, born=datetime.date(1965, 1, 1))  # 61
    middle = staff(raa, 10, born=datetime.date(1990, 4, 1))  # 35: 35 to 44
    staff(raa, 4, born=None)
    cpd(young[:15] + older[:6] + middle[:5])
    row = monitor("FAIR-CPD", "org:RAA", "age", "55_plus")
    assert row["value"] == pytest.approx((20 / 30) / (6 / 30))
    assert monitor("FAIR-CPD", "org:RAA", "age", "under_25")["reference"] == "others"
    assert monitor("FAIR-CPD", "org:RAA", "age", "35_44")["compared_group"] == 10


def test_promotions_count_level_increases_only(world):
    raa = world.orgs["RAA"]
    men, women = staff(raa, 20, sex="M"), staff(raa, 20, sex="F")
    for person in men[:8] + women[:2]:
        EmploymentChange.objects.create(
            person=person,
            effective_on=datetime.date(2025, 8, 1),
            kind="changed",
            organisation=raa,
            pay_band="7",
            level="first_line",
            previous={"level": "staff", "pay_band": "5"},
        )
    for person in women[2:10]:  # a band change at the same level is not a promotion
        EmploymentChange.objects.create(
            person=person,
            effective_on=datetime.date(2025, 8, 1),
            kind="changed",
            organisation=raa,
            pay_band="6",
            level="staff",
            previous={"pay_band": "5"},
        )
    row = monitor("FAIR-PROMOTION", "org:RAA", "sex", "female")
    women_in_raa = Person.objects.filter(organisation=raa, monitoring__sex="F").count()
    assert row["compared_count"] == 2 and row["compared_group"] == women_in_raa
    assert row["reference_count"] == 8


def test_programme_selection_and_exceptions_are_monitored(world):
    from carelead.standards.models import Cohort, CohortApplication, GateException

    raa = world.orgs["RAA"]
    applicants = staff(raa, 12, disability="Y") + staff(raa, 12, disability="N")
    cohort = Cohort.objects.create(
        code="C1",
        title="Cohort",
        applications_close_on=datetime.date(2025, 5, 1),
        starts_on=datetime.date(2025, 6, 1),
        ends_on=datetime.date(2025, 12, 1),
        places=10,
    )
    decided = timezone.make_aware(datetime.datetime(2025, 5, 10, 12))
    for i, person in enumerate(applicants):
        selected = (i < 12 and i < 3) or (i >= 12 and i < 21)
        CohortApplication.objects.create(
            cohort=cohort,
            person=person,
            statement="s",
            status="selected" if selected else "not_selected",
            decided_at=decided,
        )
    CohortApplication.objects.create(cohort=cohort, person=staff(raa, 1)[0], statement="s", status="submitted")
    row = monitor("FAIR-MIDCAREER", "org:RAA", "disability", "disabled")
    assert (row["compared_count"], row["compared_group"], row["reference_count"], row["reference_group"]) == (
        3,
        12,
        9,
        12,
    )
    for i, person in enumerate(applicants[:10]):
        GateException.objects.create(
            person=person,
            level="middle",
            reason="r",
            requested_by=world.users["org_hr"],
            status="approved" if i < 4 else "refused",
            decided_at=decided,
            expires_on=datetime.date(2026, 1, 1),
        )
    exceptions = monitor("FAIR-EXCEPTION", "national", "disability", "disabled")
    assert exceptions["compared_count"] == 4 and exceptions["compared_group"] == 10


def test_published_monitors_hide_small_counts_below_national(world):
    raa = world.orgs["RAA"]
    white, bme = staff(raa, 40), staff(raa, 5, ethnic="N")
    cpd(white[:10] + bme[:2])
    published = monitor("FAIR-CPD", "org:RAA", "ethnicity", "bme", published=True)
    assert published["suppressed"] and published["value"] is None and published["compared_count"] is None
    assert not monitor("FAIR-CPD", "national", "ethnicity", "bme", published=True)["suppressed"]


def test_the_interpretation_band_is_a_setting(world, settings):
    raa = world.orgs["RAA"]
    white, bme = staff(raa, 40), staff(raa, 40, ethnic="N")
    cpd(white[:20] + bme[:18])
    assert monitor("FAIR-CPD", "org:RAA", "ethnicity", "bme")["outside_band"] is False
    settings.CARELEAD_INTERPRETATION_BAND = (0.95, 1.05)
    assert monitor("FAIR-CPD", "org:RAA", "ethnicity", "bme")["outside_band"] is True


def test_a_registered_decision_type_gets_its_monitor(world):
    raa = world.orgs["RAA"]
    staff(raa, 10, ethnic="A")

    def everyone(period):
        from django.db.models import Q

        return Source(Person.objects.all(), Q(bank=False), "monitoring__", "organisation_id", period.end)

    register(Decision("FAIR-TEST", "Test decision", "everyone", "not bank", everyone))
    try:
        rows = compute_monitors(period=P, published=False, codes=["FAIR-TEST"])
        assert {r["characteristic"] for r in rows} == {"ethnicity", "disability", "sex", "age"}
    finally:
        MONITORS.pop("FAIR-TEST")


class RollUps(TestCase):
    """A roll-up's monitor equals the relative likelihood of its organisations' counts added together."""

    @settings(max_examples=6, deadline=None)
    @given(st.lists(st.tuples(*[st.integers(0, 9)] * 4), min_size=3, max_size=3))
    def test_a_roll_up_equals_the_pooled_computation(self, orgs):
        from conftest import build_world

        world = build_world()
        for code, (w_yes, w_no, b_yes, b_no) in zip(("RAA", "RBB", "RCC"), orgs, strict=True):
            org = world.orgs[code]
            cpd(staff(org, w_yes) + staff(org, b_yes, ethnic="N"))
            staff(org, w_no)
            staff(org, b_no, ethnic="N")
        rows = compute_monitors(period=P, published=False, codes=["FAIR-CPD"])
        wanted = [r for r in rows if r["characteristic"] == "ethnicity"]
        by_scope = {r["scope"]: r for r in wanted}
        orgs_rows = [r for r in wanted if r["scope"].startswith("org:")]
        keys = ("reference_count", "reference_group", "compared_count", "compared_group")
        summed = [sum(r[k] for r in orgs_rows) for k in keys]
        national = by_scope["national"]
        assert [national[k] for k in keys] == summed
        expected = relative_likelihood(*summed)
        assert national["value"] == (pytest.approx(expected["value"]) if expected["value"] is not None else None)

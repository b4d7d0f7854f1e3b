"""The risk flags of a plan, from their one definition, case by case."""

import datetime

import pytest
from django.utils import timezone

from carelead.people.tests.factories import PersonFactory
from carelead.succession.models import SuccessionPlan
from carelead.succession.selectors import Risk, plan_risk_flags, plan_search, with_risks
from carelead.succession.tests.factories import CandidateFactory, PlanFactory

TODAY = timezone.localdate()
NOW, ONE_TWO, THREE = "ready_now", "1_2_years", "3_plus_years"
R = Risk

# (candidates as (readiness, emergency), review date relative to today in days or None, the flags expected)
CASES = [
    ("empty plan", [], 30, {R.NO_CANDIDATES, R.NO_READY_NOW, R.NO_EMERGENCY}),
    ("one ready now, emergency", [(NOW, True)], 30, {R.SINGLE_CANDIDATE}),
    ("one not ready", [(THREE, False)], 30, {R.SINGLE_CANDIDATE, R.NO_READY_NOW, R.NO_EMERGENCY}),
    ("two, none ready now", [(ONE_TWO, True), (THREE, False)], 30, {R.NO_READY_NOW}),
    ("two, ready now, no emergency", [(NOW, False), (ONE_TWO, False)], 30, {R.NO_EMERGENCY}),
    ("well covered", [(NOW, True), (ONE_TWO, False), (THREE, False)], 30, set()),
    ("well covered, review due today", [(NOW, True), (NOW, False)], 0, set()),
    ("well covered, review passed", [(NOW, True), (NOW, False)], -1, {R.REVIEW_OVERDUE}),
    ("no review date", [(NOW, True), (NOW, False)], None, set()),
    ("empty and overdue", [], -90, {R.NO_CANDIDATES, R.NO_READY_NOW, R.NO_EMERGENCY, R.REVIEW_OVERDUE}),
]


def build(world, candidates, review_in) -> SuccessionPlan:
    review_due = None if review_in is None else TODAY + datetime.timedelta(days=review_in)
    plan = PlanFactory(organisation=world.orgs["RAA"], created_by=world.users["org_hr"], review_due=review_due)
    for readiness, emergency in candidates:
        person = PersonFactory(organisation=world.orgs["RAA"])
        CandidateFactory(plan=plan, person=person, readiness=readiness, emergency=emergency)
    return plan


@pytest.mark.parametrize(("name", "candidates", "review_in", "expected"), CASES, ids=[c[0] for c in CASES])
def test_flags(world, name, candidates, review_in, expected):
    plan = build(world, candidates, review_in)
    annotated = with_risks(SuccessionPlan.objects.filter(pk=plan.pk), today=TODAY).get()
    assert {code for code, _, _ in plan_risk_flags(annotated)} == {r.value for r in expected}
    assert annotated.n_candidates == len(candidates)
    assert annotated.n_ready_now == sum(1 for readiness, _ in candidates if readiness == NOW)


def test_the_filter_uses_the_same_definition(world):
    plans = {name: build(world, candidates, review_in).pk for name, candidates, review_in, _ in CASES}
    assignment = world.users["org_hr"].assignments.get()
    for risk in Risk:
        found = set(
            plan_search(assignment=assignment, user=world.users["org_hr"], risk=risk.value, today=TODAY).values_list(
                "pk", flat=True
            )
        )
        assert found == {plans[name] for name, _, _, expected in CASES if risk in expected}, risk


def test_flags_come_in_a_fixed_order_with_labels_and_colours(world):
    plan = with_risks(SuccessionPlan.objects.filter(pk=build(world, [], -1).pk), today=TODAY).get()
    assert plan_risk_flags(plan) == [
        ("no_ready_now", "No ready-now successor", "red"),
        ("no_candidates", "No candidates", "red"),
        ("no_emergency", "No emergency successor", "orange"),
        ("review_overdue", "Review overdue", "yellow"),
    ]

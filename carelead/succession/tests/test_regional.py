"""Succession risk across organisations: the figures against hand-worked values, the order, totals and the CSV."""

import csv
import datetime
import io

import pytest
from django.utils import timezone

from carelead.audit.models import AuditLog
from carelead.people.tests.factories import PersonFactory
from carelead.succession.selectors import risk_area, risk_by_organisation, risk_totals
from carelead.succession.tests.factories import CandidateFactory, PlanFactory

TODAY = timezone.localdate()


def plan(world, code, candidates, *, critical=True, review_in=60):
    p = PlanFactory(
        organisation=world.orgs[code],
        created_by=world.users["org_hr"],
        critical=critical,
        review_due=TODAY + datetime.timedelta(days=review_in),
    )
    for readiness, emergency in candidates:
        CandidateFactory(
            plan=p, person=PersonFactory(organisation=world.orgs[code]), readiness=readiness, emergency=emergency
        )
    return p


@pytest.fixture
def plans(world):
    # RAA: one well covered, one with a single candidate not ready, one empty non-critical plan past its review.
    plan(world, "RAA", [("ready_now", True), ("1_2_years", False)])
    plan(world, "RAA", [("1_2_years", False)])
    plan(world, "RAA", [], critical=False, review_in=-10)
    # RBB (challenged): one ready-now candidate without the emergency flag, one empty, one well covered.
    plan(world, "RBB", [("ready_now", False)])
    plan(world, "RBB", [])
    plan(world, "RBB", [("ready_now", True), ("1_2_years", False)])
    # RCC is in the other region.
    plan(world, "RCC", [("ready_now", True), ("3_plus_years", False)])
    return world


FIELDS = (
    "plans",
    "critical_plans",
    "critical_ready",
    "risk_no_ready_now",
    "risk_single_candidate",
    "risk_no_candidates",
    "risk_no_emergency",
    "risk_review_overdue",
)
ZERO = dict.fromkeys(FIELDS, 0)
# Worked out by hand from the plans above.
EXPECTED = {
    "RAA": {
        "plans": 3,
        "critical_plans": 2,
        "critical_ready": 1,
        "risk_no_ready_now": 2,
        "risk_single_candidate": 1,
        "risk_no_candidates": 1,
        "risk_no_emergency": 2,
        "risk_review_overdue": 1,
    },
    "RBB": {
        "plans": 3,
        "critical_plans": 3,
        "critical_ready": 2,
        "risk_no_ready_now": 1,
        "risk_single_candidate": 1,
        "risk_no_candidates": 1,
        "risk_no_emergency": 2,
        "risk_review_overdue": 0,
    },
    "RCC": {
        "plans": 1,
        "critical_plans": 1,
        "critical_ready": 1,
        **dict.fromkeys(FIELDS[3:], 0),
    },
}


def table(world, persona, region_code="", sort="no_ready_now"):
    region, organisations = risk_area(assignment=world.users[persona].assignments.get(), region_code=region_code)
    return (
        region,
        list(risk_by_organisation(organisations=organisations, sort=sort)),
        risk_totals(organisations=organisations),
    )


def test_the_regional_teams_region_organisation_by_organisation(plans):
    region, rows, totals = table(plans, "regional_talent")
    assert region == plans.orgs["Y99"]
    assert [r.code for r in rows] == ["RAA", "RBB", "QZZ", "CP001"]  # most plans without a ready-now successor first
    for row in rows:
        assert {f: getattr(row, f) for f in FIELDS} == EXPECTED.get(row.code, ZERO), row.code
    by_code = {r.code: r for r in rows}
    assert by_code["RAA"].coverage == pytest.approx(50.0)
    assert by_code["RBB"].coverage == pytest.approx(200 / 3)
    assert by_code["CP001"].coverage is None
    assert [r.challenged for r in rows] == [False, True, False, False]
    assert by_code["RBB"].is_challenged and not by_code["RAA"].is_challenged
    assert {f: totals[f] for f in FIELDS} == {f: EXPECTED["RAA"][f] + EXPECTED["RBB"][f] for f in FIELDS}
    assert totals["coverage"] == pytest.approx(60.0)  # 3 of 5 critical plans


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("coverage", ["RAA", "RBB", "QZZ", "CP001"]),
        ("challenged", ["RBB", "RAA", "QZZ", "CP001"]),
        ("no_candidates", ["RAA", "RBB", "QZZ", "CP001"]),
        ("review_overdue", ["RAA", "RBB", "QZZ", "CP001"]),
        ("name", ["QZZ", "RAA", "RBB", "CP001"]),
    ],
)
def test_sorting(plans, sort, order):
    assert [r.code for r in table(plans, "regional_talent", sort=sort)[1]] == order


def test_national_view_and_region_chooser(plans):
    region, rows, totals = table(plans, "national_admin")
    assert region is None
    assert {r.code for r in rows} == {"QZZ", "QYY", "RAA", "RBB", "RCC", "CP001", "PRV01"}
    assert totals["plans"] == 7 and totals["critical_plans"] == 6 and totals["critical_ready"] == 4
    assert totals["coverage"] == pytest.approx(400 / 6)
    region, rows, totals = table(plans, "national_admin", region_code="y98")
    assert region == plans.orgs["Y98"] and [r.code for r in rows] == ["RCC", "QYY"]
    assert totals["plans"] == 1 and totals["coverage"] == pytest.approx(100.0)
    # A regional team cannot look at another region by asking.
    region, rows, _ = table(plans, "regional_talent", region_code="Y98")
    assert region == plans.orgs["Y99"] and "RCC" not in {r.code for r in rows}


def test_the_page_shows_the_figures_and_totals(plans, client_for):
    page = client_for("regional_talent").get("/succession/regional/").content.decode()
    assert "Holdout Large Trust" in page and "Far Away Trust" not in page
    assert "50.0%" in page and "66.7%" in page and "60.0%" in page
    assert "Challenged" in page and "1 of 2 critical" in page
    assert 'name="region"' not in page  # no chooser for a region's own team
    national = client_for("national_admin").get("/succession/regional/?region=Y98&sort=name").content.decode()
    assert "Far Away Trust" in national and "Holdout Large Trust" not in national and 'name="region"' in national
    assert client_for("national_admin").get("/succession/regional/?region=NOPE").status_code == 200  # ignored choice


def test_the_csv_has_the_same_table(plans, client_for):
    response = client_for("regional_talent").get("/succession/regional/download/?sort=name")
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="succession-risk-Y99-' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["organisation_code"] for r in rows] == ["QZZ", "RAA", "RBB", "CP001"]
    raa = rows[1]
    assert raa["plans"] == "3" and raa["plans_no_ready_now"] == "2" and raa["plans_review_overdue"] == "1"
    assert raa["ready_now_coverage_percent"] == "50.0" and raa["challenged"] == "N" and raa["icb_code"] == "QZZ"
    assert rows[2]["challenged"] == "Y" and rows[0]["ready_now_coverage_percent"] == ""
    entry = AuditLog.objects.get(action="export", object_type="succession.RiskTable")
    assert entry.organisation_id == plans.orgs["Y99"].pk and "4 rows" in entry.object_repr

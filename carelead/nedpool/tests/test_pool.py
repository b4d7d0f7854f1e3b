"""The NED appointments team's pool: reach per persona, search and filters, assessment, development routes, the
placement length rule, audit rows, published composition, the fairness monitor and query counts."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carelead.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from carelead.audit.models import AuditLog
from carelead.equality.engine import Period
from carelead.equality.monitors import MONITORS, compute_monitors
from carelead.nedpool import selectors, services
from carelead.nedpool.models import Candidate, CandidateSkill, Enrolment, Placement, add_months
from carelead.nedpool.tests.factories import candidate, enrolment, placement


@pytest.fixture
def regional_ned(world):
    """A NED appointments team member for the region Y99 only."""
    user = UserFactory(email="ned-y99@example.org", full_name="Regional Ned")
    RoleAssignmentFactory(user=user, role="ned_team", organisation=world.orgs["Y99"])
    return user


@pytest.fixture
def pool(world):
    y99, y98 = world.orgs["Y99"], world.orgs["Y98"]
    return {
        "ada": candidate(
            regions=[y99],
            name="Ada Lovelace",
            email="ada@example.org",
            skills=("digital", "finance"),
            validated=("digital",),
            status="in_pool",
            readiness="ready_ned",
            assessed_on=datetime.date(2026, 1, 10),
            admitted_on=datetime.date(2026, 1, 10),
        ),
        "bo": candidate(
            regions=[y99, y98], name="Bo Brown", email="bo@example.org", skills=("clinical",), social_care=True
        ),
        "cy": candidate(
            regions=[y98],
            name="Cy Far",
            email="cy@elsewhere.example",
            skills=("legal",),
            nhs=False,
            social_care=True,
            status="assessed",
            readiness="one_to_two_years",
        ),
    }


def names(response) -> set[str]:
    text = response.content.decode()
    return {n for n in ("Ada Lovelace", "Bo Brown", "Cy Far") if n in text}


# Reach per persona -------------------------------------------------------------------------------------------


def test_the_national_team_sees_every_candidate(client_for, pool):
    assert names(client_for("ned_team").get("/ned/candidates/")) == {"Ada Lovelace", "Bo Brown", "Cy Far"}


def test_a_regional_team_sees_only_candidates_who_named_its_region(client, world, pool, regional_ned):
    client.force_login(regional_ned)
    assert names(client.get("/ned/candidates/")) == {"Ada Lovelace", "Bo Brown"}
    cy = pool["cy"]
    for path in (
        f"/ned/candidates/{cy.pk}/",
        f"/ned/candidates/{cy.pk}/assess/",
        f"/ned/candidates/{cy.pk}/placements/new/",
        f"/ned/candidates/{cy.pk}/programme/new/",
    ):
        assert client.get(path).status_code == 404, path
    assert client.post(f"/ned/candidates/{cy.pk}/assess/", {"status": "withdrawn"}).status_code == 404
    other = placement(candidate=cy, host=world.orgs["RCC"])
    place = enrolment(candidate=cy)
    assert client.get(f"/ned/placements/{other.pk}/").status_code == 404
    assert client.get(f"/ned/programme/{place.pk}/").status_code == 404
    assert "Cy Far" not in client.get("/ned/placements/").content.decode()
    assert "Cy Far" not in client.get("/ned/programme/").content.decode()
    assert Candidate.objects.get(pk=cy.pk).status == "assessed"


def test_the_services_refuse_a_candidate_out_of_reach(world, pool, regional_ned):
    assignment = regional_ned.assignments.get()
    with pytest.raises(PermissionDenied):
        services.candidate_assess(
            assignment=assignment,
            by=regional_ned,
            candidate=pool["cy"],
            status="withdrawn",
            readiness="",
            validated_skills=[],
            notes="",
        )
    admin = world.users["national_admin"].assignments.get()
    with pytest.raises(PermissionDenied):
        services.enrolment_save(
            assignment=admin,
            by=world.users["national_admin"],
            candidate=pool["ada"],
            cohort_name="Spring",
            starts_on=datetime.date(2026, 3, 1),
            status="enrolled",
        )


def test_national_admins_read_and_change_nothing(client_for, pool):
    client = client_for("national_admin")
    ada = pool["ada"]
    page = client.get(f"/ned/candidates/{ada.pk}/").content.decode()
    assert "Ada Lovelace" in page and "Assess Ada Lovelace" not in page
    assert "Record a NExT Director placement" not in page
    assert client.post(f"/ned/candidates/{ada.pk}/assess/", {"status": "withdrawn"}).status_code == 403
    assert Candidate.objects.get(pk=ada.pk).status == "in_pool"


@pytest.mark.parametrize("persona", ["staff", "line_manager", "org_hr", "regional_talent", "regulator", "guardian"])
def test_everyone_else_is_refused(client_for, pool, persona):
    client = client_for(persona)
    assert client.get("/ned/candidates/").status_code == 403
    assert client.get(f"/ned/candidates/{pool['ada'].pk}/").status_code == 403


# Search and filters --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=lovelace", {"Ada Lovelace"}),
        ("q=elsewhere.example", {"Cy Far"}),
        ("skill=finance", {"Ada Lovelace"}),
        ("skill=digital&validated_only=on", {"Ada Lovelace"}),
        ("skill=finance&validated_only=on", set()),
        ("sector=social_care", {"Bo Brown", "Cy Far"}),
        ("sector=nhs", {"Ada Lovelace", "Bo Brown"}),
        ("region=Y98", {"Bo Brown", "Cy Far"}),
        ("readiness=ready_ned", {"Ada Lovelace"}),
        ("status=assessed", {"Cy Far"}),
        ("route=placement", {"Bo Brown"}),
        ("route=programme", {"Cy Far"}),
        ("route=none", {"Ada Lovelace"}),
    ],
)
def test_the_filters(client_for, world, pool, query, expected):
    placement(candidate=pool["bo"], host=world.orgs["RAA"])
    enrolment(candidate=pool["cy"])
    response = client_for("ned_team").get(f"/ned/candidates/?{query}")
    assert names(response) == expected
    if not expected:
        assert "No candidates match these filters" in response.content.decode()


def test_the_empty_pool_explains_itself(client_for, world):
    page = client_for("ned_team").get("/ned/candidates/").content.decode()
    assert "Nobody has registered yet" in page and "/ned/register/" in page


# Assessment ----------------------------------------------------------------------------------------------------


def test_the_team_assesses_a_candidate_and_every_change_is_audited(client_for, pool):
    client = client_for("ned_team")
    bo = pool["bo"]
    url = f"/ned/candidates/{bo.pk}/assess/"
    assert "Clinical" in client.get(url).content.decode()
    bad = client.post(url, {"status": "in_pool", "readiness": "", "notes": ""}).content.decode()
    assert "Select how ready the candidate is before marking them assessed, in the pool or placed" in bad
    page = client.post(
        url,
        {
            "status": "in_pool",
            "readiness": "ready_chair",
            "validated_skills": ["clinical", "workforce"],
            "notes": "Strong interview.",
        },
        follow=True,
    ).content.decode()
    assert "Assessment of Bo Brown saved." in page and "Ready now for a chair role" in page
    assert "Strong interview." in page
    bo.refresh_from_db()
    assert (bo.status, bo.readiness, bo.notes) == ("in_pool", "ready_chair", "Strong interview.")
    assert bo.assessed_on is not None and bo.admitted_on == bo.assessed_on
    assert set(CandidateSkill.objects.filter(candidate=bo, validated=True).values_list("skill", flat=True)) == {
        "clinical",
        "workforce",
    }
    # The declared skills are untouched beside the validated ones.
    assert list(CandidateSkill.objects.filter(candidate=bo, validated=False).values_list("skill", flat=True)) == [
        "clinical"
    ]
    entry = AuditLog.objects.get(object_type="nedpool.Candidate", object_id=str(bo.pk))
    assert entry.actor_label == "ned_team@example.org" and entry.action == "update"
    assert entry.changes["status"] == ["registered", "in_pool"]
    assert entry.changes["validated_skills"] == [[], ["clinical", "workforce"]]
    assert entry.changes["notes"] == ["", "Strong interview."]
    # Withdrawing keeps the first assessment and admission dates; unvalidating a skill is audited too.
    client.post(url, {"status": "withdrawn", "readiness": "ready_chair", "validated_skills": ["clinical"], "notes": ""})
    bo.refresh_from_db()
    assert bo.status == "withdrawn" and bo.admitted_on is not None
    latest = AuditLog.objects.filter(object_type="nedpool.Candidate", object_id=str(bo.pk)).order_by("-id").first()
    assert latest.changes["validated_skills"] == [["clinical", "workforce"], ["clinical"]]


def test_saving_without_a_change_writes_no_audit_row(world, pool):
    ned = world.users["ned_team"]
    ada = pool["ada"]
    services.candidate_assess(
        assignment=ned.assignments.get(),
        by=ned,
        candidate=ada,
        status="in_pool",
        readiness="ready_ned",
        validated_skills=["digital"],
        notes="",
    )
    assert not AuditLog.objects.filter(object_type="nedpool.Candidate").exists()


def test_equality_monitoring_is_never_shown_for_one_candidate(client_for, world):
    y99 = world.orgs["Y99"]
    one = candidate(
        regions=[y99], name="Mo Monitored", monitoring={"sex": "M", "ethnic_category": "M", "disability": "Y"}
    )
    for persona in ("ned_team", "national_admin"):
        page = client_for(persona).get(f"/ned/candidates/{one.pk}/").content.decode()
        assert "Mo Monitored" in page
        assert "Caribbean" not in page and "Disabled" not in page and "Male" not in page


def test_the_pool_composition_is_published(client_for, world):
    y99 = world.orgs["Y99"]
    for _i in range(12):
        candidate(regions=[y99], monitoring={"sex": "F", "ethnic_category": "N", "disability": "N"}, status="in_pool")
    for _i in range(3):
        candidate(regions=[y99], monitoring={"sex": "M", "ethnic_category": "A", "disability": "Y"})
    candidate(regions=[y99], status="withdrawn", monitoring={"sex": "M", "ethnic_category": "A", "disability": "Y"})
    tables = {t["code"]: t for t in selectors.pool_composition(assignment=world.users["ned_team"].assignments.get())}
    ethnicity = {r["label"]: r for r in tables["ethnicity"]["rows"]}
    assert ethnicity["BME"]["candidates"].text == "10" and ethnicity["White"]["candidates"].text == "*"
    # The lone hidden cell would follow from the total, so the smallest other is hidden with it.
    assert ethnicity["Not known, not stated or prefer not to say"]["candidates"].text == "*"
    assert tables["ethnicity"]["candidates_total"].text == "15"
    assert ethnicity["BME"]["pool"].text == "10" and ethnicity["White"]["pool"].text == "0"
    page = client_for("ned_team").get("/ned/candidates/").content.decode()
    assert "Who is in the pool" in page and "published figures" in page


# Development routes --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("starts", "ends", "ok"),
    [
        ("2026-01-31", "2026-07-31", True),  # exactly 6 months
        ("2026-01-31", "2026-07-30", False),  # a day short
        ("2026-01-31", "2027-01-31", True),  # exactly 12 months
        ("2026-01-31", "2027-02-01", False),  # a day over
        ("2025-08-31", "2026-02-28", True),  # 6 months on from 31 August ends in February
    ],
)
def test_the_placement_length_rule(client_for, world, pool, starts, ends, ok):
    client = client_for("ned_team")
    response = client.post(
        f"/ned/candidates/{pool['ada'].pk}/placements/new/",
        {"host_code": "raa", "starts_on": starts, "ends_on": ends, "mentor_name": "Carol Chair", "status": "planned"},
    )
    if ok:
        assert response.status_code == 302
        placed = Placement.objects.get()
        assert placed.host == world.orgs["RAA"] and placed.ends_on.isoformat() == ends
    else:
        assert "A NExT Director placement lasts 6 to 12 months" in response.content.decode()
        assert not Placement.objects.exists()


def test_add_months_keeps_to_the_end_of_short_months():
    assert add_months(datetime.date(2024, 8, 31), 6) == datetime.date(2025, 2, 28)
    assert add_months(datetime.date(2023, 8, 31), 6) == datetime.date(2024, 2, 29)
    assert add_months(datetime.date(2026, 11, 15), 3) == datetime.date(2027, 2, 15)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "Enter the code of the host organisation"),
        ("NOPE1", "No organisation with a board has the code NOPE1"),
        ("Y99", "No organisation with a board has the code Y99"),
    ],
)
def test_the_host_must_be_a_board(client_for, pool, code, message):
    response = client_for("ned_team").post(
        f"/ned/candidates/{pool['ada'].pk}/placements/new/",
        {
            "host_code": code,
            "starts_on": "2026-01-05",
            "ends_on": "2026-10-05",
            "mentor_name": "M",
            "status": "planned",
        },
    )
    assert message in response.content.decode()


def test_a_regional_team_places_candidates_only_on_its_region_boards(client, world, pool, regional_ned):
    client.force_login(regional_ned)
    url = f"/ned/candidates/{pool['bo'].pk}/placements/new/"
    data = {"starts_on": "2026-01-05", "ends_on": "2026-10-05", "mentor_name": "Mentor", "status": "planned"}
    refused = client.post(url, {**data, "host_code": "RCC"}).content.decode()
    assert "Far Away Trust is outside your region" in refused
    assert client.post(url, {**data, "host_code": "RBB"}).status_code == 302


def test_placements_are_recorded_changed_audited_and_listed(client_for, world, pool):
    client = client_for("ned_team")
    ada = pool["ada"]
    client.post(
        f"/ned/candidates/{ada.pk}/placements/new/",
        {
            "host_code": "RBB",
            "starts_on": "2026-01-05",
            "ends_on": "2026-10-05",
            "mentor_name": "Carol Chair",
            "status": "planned",
        },
    )
    placed = Placement.objects.get()
    page = client.post(
        f"/ned/placements/{placed.pk}/",
        {
            "host_code": "RBB",
            "starts_on": "2026-01-05",
            "ends_on": "2026-12-05",
            "mentor_name": "Carol Chair",
            "status": "active",
        },
        follow=True,
    ).content.decode()
    assert "NExT Director placement saved." in page and "Holdout Small Trust" in page and "Under way" in page
    entries = list(AuditLog.objects.filter(object_type="nedpool.Placement").order_by("id"))
    assert [e.action for e in entries] == ["create", "update"]
    assert entries[1].changes == {"ends_on": ["2026-10-05", "2026-12-05"], "status": ["planned", "active"]}
    listing = client.get("/ned/placements/").content.decode()
    assert "Ada Lovelace" in listing and "Holdout Small Trust" in listing
    assert "Ada Lovelace" not in client.get("/ned/placements/?status=completed").content.decode()
    assert "Ada Lovelace" in client_for("national_admin").get("/ned/placements/").content.decode()


def test_programme_places_are_recorded_changed_audited_and_listed(client_for, pool):
    client = client_for("ned_team")
    bo = pool["bo"]
    url = f"/ned/candidates/{bo.pk}/programme/new/"
    assert (
        client.post(url, {"cohort_name": "Spring 2026", "starts_on": "2026-03-02", "status": "enrolled"}).status_code
        == 302
    )
    again = client.post(url, {"cohort_name": "spring 2026", "starts_on": "2026-03-02", "status": "enrolled"})
    assert "Bo Brown already has a place on the cohort spring 2026" in again.content.decode()
    missing = client.post(url, {"cohort_name": "", "starts_on": "", "status": "enrolled"}).content.decode()
    assert "Enter the cohort&#39;s name" in missing and "Enter the start date" in missing
    place = Enrolment.objects.get()
    client.post(
        f"/ned/programme/{place.pk}/", {"cohort_name": "Spring 2026", "starts_on": "2026-03-02", "status": "completed"}
    )
    place.refresh_from_db()
    assert place.status == "completed"
    entries = list(AuditLog.objects.filter(object_type="nedpool.Enrolment").order_by("id"))
    assert [e.action for e in entries] == ["create", "update"]
    assert entries[1].changes == {"status": ["enrolled", "completed"]}
    page = client.get(f"/ned/candidates/{bo.pk}/").content.decode()
    assert "Spring 2026" in page and "Completed" in page
    listing = client.get("/ned/programme/?cohort=spring").content.decode()
    assert "Bo Brown" in listing
    assert "Bo Brown" not in client.get("/ned/programme/?status=withdrawn").content.decode()


def test_the_candidate_page_shows_a_repeat_registration(client_for, world):
    one = candidate(regions=[world.orgs["Y99"]], name="Rita Repeat", repeat_registrations=2)
    page = client_for("ned_team").get(f"/ned/candidates/{one.pk}/").content.decode()
    assert "Registered again" in page and "2 times" in page


# The fairness monitor ------------------------------------------------------------------------------------------


def test_the_fairness_monitor_counts_assessed_candidates_nationally(world):
    y99 = world.orgs["Y99"]
    day = datetime.date(2025, 6, 1)
    for i in range(4):
        candidate(
            regions=[y99],
            assessed_on=day,
            admitted_on=day if i < 3 else None,
            monitoring={"sex": "F", "ethnic_category": "A", "disability": "N"},
        )
    for i in range(4):
        candidate(
            regions=[y99],
            assessed_on=day,
            admitted_on=day if i < 1 else None,
            monitoring={"sex": "F", "ethnic_category": "M", "disability": "N"},
        )
    candidate(regions=[y99])  # never assessed: not counted
    assert "FAIR-NED-POOL" in MONITORS
    rows = compute_monitors(period=Period.parse("2025-26"), published=False, codes=["FAIR-NED-POOL"])
    ethnicity = next(r for r in rows if r["characteristic"] == "ethnicity")
    assert ethnicity["scope"] == "national"
    assert ethnicity["value"] == pytest.approx((3 / 4) / (1 / 4))
    assert {r["scope"] for r in rows} == {"national"}


# Query counts ----------------------------------------------------------------------------------------------------


def _grow(world, n: int, start: int):
    y99, y98 = world.orgs["Y99"], world.orgs["Y98"]
    for i in range(n):
        made = candidate(
            regions=[y99, y98],
            name=f"Grown {start + i:03d}",
            skills=("finance", "legal"),
            validated=("finance",),
            monitoring={"sex": "F", "ethnic_category": "A", "disability": "N"},
        )
        placement(candidate=made, host=world.orgs["RAA"])
        enrolment(candidate=made)
        enrolment(candidate=made, cohort_name="Autumn 2026")


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries)


@pytest.mark.parametrize("path", ["/ned/candidates/", "/ned/placements/", "/ned/programme/"])
def test_list_queries_do_not_grow(client_for, world, path):
    client = client_for("ned_team")
    _grow(world, 3, 0)
    small = _queries(client, path)
    _grow(world, 30, 100)
    assert _queries(client, path) == small


def test_candidate_pages_queries_do_not_grow(client_for, world):
    client = client_for("ned_team")
    few = candidate(regions=[world.orgs["Y99"]], skills=("finance",))
    many = candidate(
        regions=[world.orgs["Y99"], world.orgs["Y98"]],
        skills=("finance", "legal", "digital", "clinical"),
        validated=("finance", "legal"),
    )
    placement(candidate=few, host=world.orgs["RAA"])
    enrolment(candidate=few)
    for i in range(8):
        placement(candidate=many, host=world.orgs["RBB"], starts_on=datetime.date(2024 + i % 3, 1 + i, 1))
        enrolment(candidate=many, cohort_name=f"Cohort {i}")
    for suffix in ("", "assess/", "placements/new/", "programme/new/"):
        assert _queries(client, f"/ned/candidates/{few.pk}/{suffix}") == _queries(
            client, f"/ned/candidates/{many.pk}/{suffix}"
        ), suffix
    for kind, model in (("placements", Placement), ("programme", Enrolment)):
        small = _queries(client, f"/ned/{kind}/{model.objects.filter(candidate=few).get().pk}/")
        large = _queries(client, f"/ned/{kind}/{model.objects.filter(candidate=many).first().pk}/")
        assert small == large, kind


def test_a_validation_error_from_the_service_names_the_field(world, pool):
    ned = world.users["ned_team"]
    with pytest.raises(ValidationError) as caught:
        services.placement_save(
            assignment=ned.assignments.get(),
            by=ned,
            candidate=pool["ada"],
            host_code="RAA",
            starts_on=datetime.date(2026, 1, 1),
            ends_on=datetime.date(2026, 3, 1),
            mentor_name="",
            status="planned",
        )
    assert set(caught.value.message_dict) == {"ends_on", "mentor_name"}

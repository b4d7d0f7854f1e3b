"""The 9-box: the derivation rule, calibration kept beside the original, who sees whose, and bounded queries."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carelead.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from carelead.appraisals.models import Appraisal
from carelead.appraisals.selectors import latest_outcomes
from carelead.audit.models import AuditLog
from carelead.people.models import Person
from carelead.people.tests.factories import PersonFactory
from carelead.talent import ninebox
from carelead.talent.models import NineBoxCalibration, PoolMembership, TalentConversation
from carelead.talent.services import latest_conversations
from carelead.talent.tests.permission_rows import member_in_pool, pool

TODAY = timezone.localdate()


def talk(world, person, *, impact="medium", growth="medium", readiness="1_2_years", days_ago=30):
    return TalentConversation.objects.create(
        person=person,
        held_on=TODAY - datetime.timedelta(days=days_ago),
        impact=impact,
        growth=growth,
        growth_direction="stretch",
        readiness=readiness,
        mobility_regions=["Y99"],
        mobility_sectors=["nhs"],
        recorded_by=world.users["line_manager"],
    )


@pytest.fixture
def cycle(world):
    from carelead.appraisals.tests.test_workflow import open_cycle

    return open_cycle(world)


def sign_off(cycle, person, rating, *, calibrated=""):
    Appraisal.objects.filter(cycle=cycle, person=person).update(
        state="signed_off", overall_rating=rating, calibrated_rating=calibrated, signed_off_on=TODAY
    )


# The rule ---------------------------------------------------------------------------------------------------

RULE = [
    # rating, impact, growth, readiness -> performance, potential, source
    ("exceptional", "low", "high", "3_plus_years", 3, 3, "appraisal"),
    ("good", "high", "medium", "1_2_years", 2, 2, "appraisal"),
    ("development_needed", "high", "low", "ready_now", 1, 1, "appraisal"),  # low growth is never raised
    ("unsatisfactory", "", "medium", "ready_now", 1, 3, "appraisal"),  # ready now raises medium to high
    ("", "high", "high", "ready_now", 3, 3, "conversation"),  # never above 3
    ("", "medium", "low", "1_2_years", 2, 1, "conversation"),
    ("", "low", "medium", "3_plus_years", 1, 2, "conversation"),
    ("", "low", "low", "ready_now", 1, 1, "conversation"),
]


@pytest.mark.parametrize(("rating", "impact", "growth", "readiness", "performance", "potential", "source"), RULE)
def test_the_rule(rating, impact, growth, readiness, performance, potential, source):
    derived = ninebox.placement_derive(rating=rating, impact=impact, growth=growth, readiness=readiness)
    assert (derived.performance, derived.potential, derived.performance_source) == (performance, potential, source)
    assert derived.placed and derived.reason == ""


@pytest.mark.parametrize(
    ("rating", "growth", "reason"),
    [("", "", ninebox.NO_RECORDS), ("good", "", ninebox.NO_CONVERSATION), ("exceptional", "", ninebox.NO_CONVERSATION)],
)
def test_people_without_both_sources_are_not_placed_and_told_why(rating, growth, reason):
    derived = ninebox.placement_derive(rating=rating, growth=growth)
    assert not derived.placed and derived.reason == reason


INPUTS = {
    "rating": st.sampled_from(["", "exceptional", "good", "development_needed", "unsatisfactory", "nonsense"]),
    "impact": st.sampled_from(["", "low", "medium", "high", "huge"]),
    "growth": st.sampled_from(["", "low", "medium", "high"]),
    "readiness": st.sampled_from(["", "ready_now", "1_2_years", "3_plus_years"]),
}
CALIBRATION = st.none() | st.fixed_dictionaries(
    {
        "original_performance": st.integers(1, 3),
        "original_potential": st.integers(1, 3),
        "performance": st.integers(1, 3),
        "potential": st.integers(1, 3),
    }
)


@given(inputs=st.fixed_dictionaries(INPUTS), calibration=CALIBRATION)
def test_a_placement_is_always_within_the_grid(inputs, calibration):
    derived = ninebox.placement_derive(**inputs)
    stored = dict(calibration) if calibration is not None else None
    performance, potential, state = ninebox.calibration_resolve(derived, calibration)
    if derived.placed:
        assert performance in (1, 2, 3) and potential in (1, 2, 3)
        assert state in ("none", "applies", "stale")
    else:
        assert (performance, potential) == (derived.performance, derived.potential) and derived.reason
    # Calibration applies only to the placement it adjusted.
    if state == "applies":
        assert (calibration["original_performance"], calibration["original_potential"]) == (
            derived.performance,
            derived.potential,
        )
    # Resolving a placement never touches the stored calibration.
    assert calibration == stored


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    conversations=st.lists(
        st.tuples(st.sampled_from(["low", "medium", "high"]), st.sampled_from(["low", "medium", "high"])),
        min_size=1,
        max_size=3,
    ),
    boxes=st.lists(st.tuples(st.integers(1, 3), st.integers(1, 3)), min_size=1, max_size=4),
)
def test_calibration_never_changes_a_stored_original(world, conversations, boxes):
    member, hr = world.people["member"], world.users["org_hr"]
    assignment = hr.assignments.get()
    with transaction.atomic():
        savepoint = transaction.savepoint()
        stored = {}
        for day, ((impact, growth), (performance, potential)) in enumerate(zip(conversations * 4, boxes, strict=False)):
            talk(world, member, impact=impact, growth=growth, days_ago=100 - day)
            before = ninebox.placement_of(member)
            try:
                c = ninebox.ninebox_calibrate(
                    person=member,
                    performance=performance,
                    potential=potential,
                    reason="Calibration panel",
                    by=hr,
                    assignment=assignment,
                )
            except ValidationError:
                assert (performance, potential) == (before.performance, before.potential)
            else:
                assert (c.original_performance, c.original_potential) == (
                    before.derived.performance,
                    before.derived.potential,
                )
                stored[c.pk] = (c.original_performance, c.original_potential)
            after = ninebox.placement_of(member)
            assert after.performance in (1, 2, 3) and after.potential in (1, 2, 3)
        for pk, original in stored.items():
            row = NineBoxCalibration.objects.get(pk=pk)
            assert (row.original_performance, row.original_potential) == original
        transaction.savepoint_rollback(savepoint)


# Reading in bulk --------------------------------------------------------------------------------------------


def test_bulk_placements_read_the_same_records_as_the_appraisal_and_talent_selectors(world, cycle):
    member, manager, exec_ = world.people["member"], world.people["manager"], world.people["exec"]
    sign_off(cycle, member, "good", calibrated="exceptional")
    sign_off(cycle, manager, "development_needed")
    talk(world, member, impact="low", growth="medium", readiness="ready_now", days_ago=90)
    talk(world, member, impact="low", growth="high", readiness="1_2_years", days_ago=10)
    talk(world, exec_, impact="high", growth="low", readiness="ready_now")
    ids = [member.pk, manager.pk, exec_.pk]
    outcomes, conversations = latest_outcomes(ids), latest_conversations(ids)
    placements = {p.person_id: p for p in ninebox.placements_for(Person.objects.filter(pk__in=ids))}
    for pk in ids:
        assert (placements[pk].appraisal or {}).get("final_rating") == (outcomes.get(pk) or {}).get("final_rating")
        conversation = conversations.get(pk)
        assert (placements[pk].conversation or {}).get("pk") == (conversation.pk if conversation else None)
    assert (placements[member.pk].performance, placements[member.pk].potential) == (3, 3)  # calibrated rating counts
    assert placements[manager.pk].derived.reason == ninebox.NO_CONVERSATION
    assert (placements[exec_.pk].performance, placements[exec_.pk].potential) == (3, 1)


# Calibrating ------------------------------------------------------------------------------------------------


def hr_calibrates(world, person, performance, potential, reason="Agreed at the calibration panel"):
    hr = world.users["org_hr"]
    return ninebox.ninebox_calibrate(
        person=person,
        performance=performance,
        potential=potential,
        reason=reason,
        by=hr,
        assignment=hr.assignments.get(),
    )


def test_a_calibration_keeps_the_original_and_applies_until_the_records_move_on(world):
    member = world.people["member"]
    talk(world, member, impact="medium", growth="medium", days_ago=60)
    c = hr_calibrates(world, member, 3, 2)
    assert (c.original_performance, c.original_potential, c.performance, c.potential) == (2, 2, 3, 2)
    placement = ninebox.placement_of(member)
    assert (placement.performance, placement.potential, placement.calibrated) == (3, 2, True)
    assert AuditLog.objects.filter(object_type="talent.NineBoxCalibration", subject_person_id=member.pk).count() == 1
    c.reason = "changed"
    with pytest.raises(PermissionDenied):
        c.save()
    # A newer conversation gives a different placement: the calibration no longer applies.
    talk(world, member, impact="high", growth="low", days_ago=1)
    placement = ninebox.placement_of(member)
    assert (placement.performance, placement.potential, placement.calibration_state) == (3, 1, "stale")
    c.refresh_from_db()
    assert (c.original_performance, c.original_potential) == (2, 2)


def test_a_calibration_can_be_undone_by_calibrating_back_to_the_records(world):
    member = world.people["member"]
    talk(world, member, impact="medium", growth="medium")
    hr_calibrates(world, member, 1, 1)
    hr_calibrates(world, member, 2, 2, reason="New evidence from the service review")
    placement = ninebox.placement_of(member)
    assert (placement.performance, placement.potential, placement.calibrated) == (2, 2, True)
    assert NineBoxCalibration.objects.filter(person=member).count() == 2


def test_calibration_refusals_name_the_problem(world):
    member = world.people["member"]
    with pytest.raises(ValidationError, match="not placed on the 9-box"):
        hr_calibrates(world, member, 2, 2)
    talk(world, member, impact="medium", growth="medium")
    with pytest.raises(ValidationError, match="already in the box"):
        hr_calibrates(world, member, 2, 2)
    with pytest.raises(ValidationError) as error:
        hr_calibrates(world, member, 3, 3, reason="  ")
    assert error.value.message_dict == {"reason": ["Give the reason for the calibration."]}
    with pytest.raises(ValidationError) as error:
        hr_calibrates(world, member, 4, 0)
    assert set(error.value.message_dict) == {"performance", "potential"}
    manager = world.users["line_manager"]
    with pytest.raises(PermissionDenied):
        ninebox.ninebox_calibrate(
            person=member, performance=3, potential=3, reason="x", by=manager, assignment=manager.assignments.get()
        )
    # HR of one organisation cannot calibrate another's staff.
    talk(world, world.people["rcc"], impact="low", growth="low")
    with pytest.raises(PermissionDenied):
        hr_calibrates(world, world.people["rcc"], 3, 3)
    assert not NineBoxCalibration.objects.exists()


def test_the_regional_talent_team_calibrates_only_its_pools_current_members(world):
    member, talent = world.people["member"], world.users["regional_talent"]
    talk(world, member, impact="medium", growth="medium")
    args = {"performance": 3, "potential": 3, "reason": "Pool panel", "by": talent}
    with pytest.raises(PermissionDenied):
        ninebox.ninebox_calibrate(person=member, assignment=talent.assignments.get(), **args)
    member_in_pool(world)
    c = ninebox.ninebox_calibrate(person=member, assignment=talent.assignments.get(), **args)
    assert (c.original_performance, c.original_potential) == (2, 2)


# Pages ------------------------------------------------------------------------------------------------------


def test_a_line_manager_sees_their_teams_grid_and_table(client_for, world, cycle):
    member = world.people["member"]
    sign_off(cycle, member, "exceptional")
    talk(world, member, impact="low", growth="high", readiness="ready_now")
    page = client_for("line_manager").get("/talent/ninebox/").content.decode()
    assert "Your team&#39;s 9-box" in page or "Your team's 9-box" in page
    assert "High potential, high performance" in page and "Low potential, low performance" in page
    assert "Sam Staffmember" in page and "Appraisal 2026-27: Exceptional" in page
    assert "Not placed" in page and "no signed-off appraisal and no talent conversation" in page
    assert "Rob Otherteam" not in page and "Cara Faraway" not in page
    assert "How people are placed" in page and "ready now" in page
    # The box's link lists the people in it.
    only_box = client_for("line_manager").get("/talent/ninebox/?cell=3-3").content.decode()
    assert "Sam Staffmember" in only_box and "RAA-00100" not in only_box
    none_box = client_for("line_manager").get("/talent/ninebox/?cell=none").content.decode()
    assert "Sam Staffmember" not in none_box.split('id="people"')[1]


def test_hr_sees_its_organisation_and_calibrates_through_the_page(client_for, world):
    member = world.people["member"]
    talk(world, member, impact="medium", growth="medium")
    client = client_for("org_hr")
    page = client.get("/talent/ninebox/").content.decode()
    assert "Holdout Large Trust" in page and "Sam Staffmember" in page and "Rob Otherteam" not in page
    assert client.get("/talent/ninebox/?org=RCC").status_code == 404
    person_page = client.get("/talent/ninebox/RAA-00003/").content.decode()
    assert "Record the calibration" in person_page
    bad = client.post("/talent/ninebox/RAA-00003/", {"performance": "3", "potential": "2", "reason": ""})
    assert "Give the reason for the calibration" in bad.content.decode() and not NineBoxCalibration.objects.exists()
    response = client.post(
        "/talent/ninebox/RAA-00003/", {"performance": "3", "potential": "2", "reason": "Panel"}, follow=True
    )
    page = response.content.decode()
    assert "Calibration recorded" in page and "Medium potential, high performance" in page
    assert client.get("/talent/ninebox/RCC-00001/").status_code == 404


def test_a_line_manager_reads_but_cannot_calibrate(client_for, world):
    talk(world, world.people["member"])
    client = client_for("line_manager")
    page = client.get("/talent/ninebox/RAA-00003/").content.decode()
    assert "Record the calibration" not in page and "Nominate Sam to a talent pool" in page
    assert (
        client.post("/talent/ninebox/RAA-00003/", {"performance": "3", "potential": "3", "reason": "x"}).status_code
        == 403
    )
    assert client.get("/talent/ninebox/RBB-00001/").status_code == 404
    assert client.get("/talent/ninebox/RAA-00001/").status_code == 404  # their own manager


def test_the_regional_talent_team_sees_its_pools_grid_only(client_for, world):
    membership = member_in_pool(world)
    talk(world, membership.person, impact="high", growth="high")
    other = pool(world, region="Y98")
    client = client_for("regional_talent")
    choose = client.get("/talent/ninebox/").content.decode()
    assert "Y99 first_line pool" in choose and "Y98" not in choose
    page = client.get(f"/talent/pools/{membership.pool_id}/ninebox/").content.decode()
    assert "High potential, high performance" in page and "Sam Staffmember" in page
    assert "Maya Manager" not in page
    assert client.get(f"/talent/pools/{other.pk}/ninebox/").status_code == 404
    assert "Record the calibration" in client.get("/talent/ninebox/RAA-00003/").content.decode()
    assert client.get("/talent/ninebox/RAA-00002/").status_code == 404  # not in a pool


def test_national_admins_choose_an_organisation_and_decide_nothing(client_for, world):
    talk(world, world.people["rcc"], impact="low", growth="medium")
    client = client_for("national_admin")
    assert "Organisation code" in client.get("/talent/ninebox/").content.decode()
    page = client.get("/talent/ninebox/?org=RCC").content.decode()
    assert "Cara Faraway" in page and "Sam Staffmember" not in page
    assert "Record the calibration" not in client.get("/talent/ninebox/RCC-00001/").content.decode()
    assert (
        client.post("/talent/ninebox/RCC-00001/", {"performance": "3", "potential": "3", "reason": "x"}).status_code
        == 403
    )
    assert client.get("/talent/ninebox/?org=NOPE").status_code == 404


@pytest.mark.parametrize("persona", ["staff", "org_admin", "regulator", "guardian", "provider", "ned_team"])
def test_everyone_else_is_refused(client_for, world, persona):
    client = client_for(persona)
    assert client.get("/talent/ninebox/").status_code == 403
    assert client.get("/talent/ninebox/RAA-00003/").status_code == 403


# Bounded queries --------------------------------------------------------------------------------------------


def grow(world, cycle, n: int) -> None:
    """n more people in the team, organisation and pool, each with an appraisal, conversation and calibration."""
    manager, raa = world.people["manager"], world.orgs["RAA"]
    hr = world.users["org_hr"]
    the_pool = pool(world)
    for i in range(n):
        person = PersonFactory(organisation=raa, line_manager=manager, last_name=f"Grown{i}")
        Appraisal.objects.create(
            cycle=cycle, person=person, state="signed_off", overall_rating="good", signed_off_on=TODAY
        )
        talk(world, person, impact="high", growth="medium")
        NineBoxCalibration.objects.create(
            person=person,
            original_performance=2,
            original_potential=2,
            performance=3,
            potential=3,
            reason="Panel",
            by=hr,
        )
        PoolMembership.objects.create(
            pool=the_pool,
            person=person,
            status="approved",
            nominated_by=world.users["line_manager"],
            nominated_on=TODAY,
            nomination_reason="x",
            decided_on=TODAY,
            expires_on=TODAY + datetime.timedelta(days=300),
        )


def count(client, path):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured)


@pytest.mark.parametrize(
    ("persona", "path"),
    [
        ("line_manager", "/talent/ninebox/"),
        ("org_hr", "/talent/ninebox/"),
        ("org_hr", "/talent/ninebox/?cell=3-3&q=Grown"),
        ("national_admin", "/talent/ninebox/?org=RAA"),
        ("regional_talent", "/talent/pools/{pool}/ninebox/"),
        ("org_hr", "/talent/ninebox/RAA-00003/"),
    ],
)
def test_ninebox_pages_make_the_same_queries_whatever_the_size(client_for, world, cycle, persona, path):
    talk(world, world.people["member"])
    path = path.format(pool=pool(world).pk)
    client = client_for(persona)
    grow(world, cycle, 3)
    small = count(client, path)
    grow(world, cycle, 60)
    large = count(client, path)
    assert small == large, (path, small, large)
    assert small <= 15, (path, small)


def test_a_large_organisation_is_placed_in_four_queries(world):
    raa = world.orgs["RAA"]
    Person.objects.bulk_create(
        [
            Person(
                staff_id=f"BULK-{i:05d}",
                organisation=raa,
                first_name="Bulk",
                last_name=f"Person{i}",
                pay_band="5",
                level="staff",
                start_date=datetime.date(2020, 1, 1),
            )
            for i in range(1500)
        ]
    )
    user = UserFactory()
    RoleAssignmentFactory(user=user, role="org_hr", organisation=raa)
    with CaptureQueriesContext(connection) as captured:
        placements = ninebox.placements_for(ninebox.organisation_people(organisation=raa))
    assert len(captured) == 4 and len(placements) > 1500
    grid = ninebox.grid_of(placements)
    assert grid.total == len(placements) and grid.not_placed == len(placements)

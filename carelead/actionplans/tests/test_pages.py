"""The action plan pages: who may read and record what, forms and their errors, the summary and the CSV."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from carelead.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from carelead.actionplans.models import Action, ActionUpdate
from carelead.actionplans.tests.factories import ActionFactory, ActionUpdateFactory
from carelead.audit.models import AuditLog

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
READERS = {"org_hr", "regional_talent", "national_admin", "regulator", "ned_team"}


def form_data(**overrides):
    data = {
        "measure_code": "WRES2",
        "title": "Diverse interview panels",
        "description": "A trained BME panel member on every panel for band 8a and above.",
        "success_measure": "WRES2 below 1.25 by March 2027",
        "owner_name": "Priya Patel",
        "owner_role": "Director of People",
        "owner_email": "",
        "start_on": (TODAY - 10 * DAY).isoformat(),
        "due_on": (TODAY + 120 * DAY).isoformat(),
        "status": "planned",
    }
    return {**data, **overrides}


@pytest.fixture
def plans(world):
    """Actions for RAA and RBB (region Y99) and RCC (region Y98)."""
    return {
        code: ActionFactory(organisation=world.orgs[code], title=f"{code} action", created_by=world.users["org_hr"])
        for code in ("RAA", "RBB", "RCC")
    }


def test_hr_lands_on_an_empty_plan_that_explains_itself_and_adds_the_first_action(client_for, world):
    hr = client_for("org_hr")
    page = hr.get("/equality/actions/").content.decode()
    assert "Holdout Large Trust" in page and "has no actions yet" in page
    assert "Add the first action" in page and "/equality/actions/new/?org=RAA" in page

    form = hr.get("/equality/actions/new/?org=RAA").content.decode()
    assert '<optgroup label="Workforce Race Equality Standard (WRES)">' in form
    assert '<optgroup label="Workforce Disability Equality Standard (WDES)">' in form
    response = hr.post("/equality/actions/new/?org=RAA", form_data())
    action = Action.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/equality/actions/{action.pk}/"
    assert action.organisation == world.orgs["RAA"] and action.created_by == world.users["org_hr"]
    assert AuditLog.objects.filter(object_type="actionplans.Action", action="create").count() == 1

    page = hr.get("/equality/actions/").content.decode()
    assert "WRES2: Appointment from shortlisting, White relative to BME applicants" in page
    assert "Diverse interview panels" in page and "has no actions yet" not in page


def test_a_reader_who_cannot_manage_sees_no_way_to_add(client_for, world):
    page = client_for("regulator").get("/equality/actions/?org=RAA").content.decode()
    assert "has no actions yet" in page and "Add the first action" not in page


@pytest.mark.parametrize(
    ("errors", "field", "message"),
    [
        ({"due_on": (TODAY - 20 * DAY).isoformat()}, "due_on", "The due date must be after the start date"),
        ({"measure_code": "WRES99"}, "measure_code", "Choose a measure from the list"),
        ({"measure_code": ""}, "measure_code", "Choose the equality measure"),
        ({"title": ""}, "title", "Enter a title"),
        ({"due_on": "next year"}, "due_on", "Enter the due date as a date"),
        ({"owner_email": "regulator@example.org"}, "owner_email", "There is no CareLead user with this email"),
    ],
)
def test_the_action_form_shows_each_error_in_a_summary_and_by_its_field(client_for, world, errors, field, message):
    response = client_for("org_hr").post("/equality/actions/new/?org=RAA", form_data(**errors))
    page = response.content.decode()
    assert response.status_code == 200 and not Action.objects.exists()
    assert "There is a problem" in page and f'href="#id_{field}"' in page
    assert page.count(message) >= 2  # in the summary and beside the field
    assert "<title>Error: Add an action" in page


def test_the_owner_can_be_linked_to_a_carelead_user_of_the_organisation(client_for, world):
    owner = UserFactory(email="chief.people@example.org")
    RoleAssignmentFactory(user=owner, role="org_hr", organisation=world.orgs["RAA"])
    client_for("org_hr").post("/equality/actions/new/?org=RAA", form_data(owner_email="Chief.People@example.org"))
    assert Action.objects.get().owner == owner


def test_hr_of_one_trust_cannot_reach_anothers_plan(client_for, world, plans):
    hr = client_for("org_hr")
    rbb = plans["RBB"]
    for path in (
        "/equality/actions/?org=RBB",
        "/equality/actions/?org=RCC",
        f"/equality/actions/{rbb.pk}/",
        f"/equality/actions/{rbb.pk}/edit/",
        "/equality/actions/new/?org=RBB",
        "/equality/actions/download/?org=RBB",
    ):
        assert hr.get(path).status_code == 404, path
    assert hr.post(f"/equality/actions/{rbb.pk}/", {"date": TODAY, "status": "done"}).status_code == 404
    assert hr.post("/equality/actions/new/?org=RBB", form_data()).status_code == 404
    assert Action.objects.filter(organisation=world.orgs["RBB"]).count() == 1
    page = hr.get("/equality/actions/").content.decode()
    assert "RAA action" in page and "RBB action" not in page
    assert "Choose another organisation" not in page


def test_an_icb_hr_lead_covers_the_trusts_of_the_icb(client_for, world, plans):
    user = UserFactory()
    RoleAssignmentFactory(user=user, role="org_hr", organisation=world.orgs["QZZ"])
    client = client_for("staff")
    client.force_login(user)
    assert client.get("/equality/actions/").status_code == 200  # the ICB's own (empty) plan
    assert "Choose another organisation" in client.get("/equality/actions/").content.decode()
    assert "RBB action" in client.get("/equality/actions/?org=RBB").content.decode()
    assert client.get(f"/equality/actions/{plans['RCC'].pk}/").status_code == 404


def test_a_regional_lead_reads_the_regions_plans_only_and_changes_nothing(client_for, world, plans):
    talent = client_for("regional_talent")
    chooser = talent.get("/equality/actions/").content.decode()
    assert "Holdout Large Trust" in chooser and "Far Away Trust" not in chooser
    assert "?org=Y99" not in chooser  # regions oversee plans rather than hold them
    assert "RBB action" in talent.get("/equality/actions/?org=RBB").content.decode()
    assert talent.get("/equality/actions/?org=RCC").status_code == 404
    assert talent.get(f"/equality/actions/{plans['RCC'].pk}/").status_code == 404
    detail = talent.get(f"/equality/actions/{plans['RAA'].pk}/").content.decode()
    assert "Add an update" not in detail and "Change the action" not in detail
    assert talent.post(f"/equality/actions/{plans['RAA'].pk}/", {"date": TODAY, "status": "done"}).status_code == 403
    assert talent.get("/equality/actions/new/?org=RAA").status_code == 403


def test_the_regulator_reads_every_plan_in_full_but_cannot_change_one(client_for, world, plans):
    regulator = client_for("regulator")
    action = plans["RCC"]
    ActionUpdateFactory(action=action, note="Reverse mentoring started", recorded_by=world.users["org_hr"])
    detail = regulator.get(f"/equality/actions/{action.pk}/").content.decode()
    assert "Reverse mentoring started" in detail and "WRES2 below 1.25 by March 2027" in detail
    assert "Priya Patel" in detail and "Add an update" not in detail
    assert regulator.get("/equality/actions/download/?org=RCC").status_code == 200
    assert regulator.post(f"/equality/actions/{action.pk}/", {"date": TODAY, "status": "done"}).status_code == 403
    assert regulator.get(f"/equality/actions/{action.pk}/edit/").status_code == 403
    assert regulator.post("/equality/actions/new/?org=RCC", form_data()).status_code == 403
    assert ActionUpdate.objects.count() == 1 and Action.objects.get(pk=action.pk).status == "planned"


@pytest.mark.parametrize("persona", ["staff", "line_manager", "org_admin", "guardian", "provider"])
def test_roles_without_equality_work_are_refused(client_for, world, plans, persona):
    client = client_for(persona)
    for path in ("/equality/actions/", "/equality/actions/summary/", f"/equality/actions/{plans['RAA'].pk}/"):
        assert client.get(path).status_code == 403, path


def test_adding_updates_moves_the_status_and_keeps_the_log(client_for, world, plans):
    hr = client_for("org_hr")
    action = plans["RAA"]
    path = f"/equality/actions/{action.pk}/"
    page = hr.get(path).content.decode()
    assert "No progress has been recorded yet." in page and "Add an update" in page

    response = hr.post(path, {"date": TODAY.isoformat(), "status": "in_progress", "note": "Panels trained"})
    assert response.status_code == 302
    followed = hr.get(path).content.decode()
    assert "the action is now in progress" in followed and "Panels trained" in followed
    assert "Planned to in progress" in followed

    refused = hr.post(path, {"date": TODAY.isoformat(), "status": "dropped", "note": ""})
    assert refused.status_code == 200 and "Give the reason for dropping the action" in refused.content.decode()
    nothing = hr.post(path, {"date": TODAY.isoformat(), "status": "in_progress", "note": ""})
    assert "Say what has happened, or change the status" in nothing.content.decode()
    future = hr.post(path, {"date": (TODAY + DAY).isoformat(), "status": "done", "note": ""})
    assert "today or in the past" in future.content.decode()

    hr.post(path, {"date": TODAY.isoformat(), "status": "dropped", "note": "Superseded by the ICB scheme"})
    action.refresh_from_db()
    assert action.status == "dropped" and action.dropped_reason == "Superseded by the ICB scheme"
    assert list(action.updates.values_list("status", flat=True)) == ["dropped", "in_progress"]
    assert AuditLog.objects.filter(object_type="actionplans.Action", action="update").count() == 2
    assert "Why it was dropped" in hr.get(path).content.decode()


def test_editing_changes_the_wording_but_not_the_status(client_for, world, plans):
    hr = client_for("org_hr")
    action = plans["RAA"]
    form = hr.get(f"/equality/actions/{action.pk}/edit/").content.decode()
    assert "Has work started?" not in form and "RAA action" in form
    data = form_data(title="Panels for every band", status="done")
    response = hr.post(f"/equality/actions/{action.pk}/edit/", data)
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.title == "Panels for every band" and action.status == "planned"
    entry = AuditLog.objects.get(object_type="actionplans.Action", action="update")
    assert entry.changes["title"] == ["RAA action", "Panels for every band"]


def test_the_plan_groups_by_measure_counts_and_filters(client_for, world):
    raa = world.orgs["RAA"]
    start = TODAY - 100 * DAY
    ActionFactory(organisation=raa, measure_code="WDES3", title="Capability review", start_on=start, due_on=TODAY - DAY)
    ActionFactory(organisation=raa, measure_code="WRES2", title="Panels", status="in_progress")
    ActionFactory(
        organisation=raa,
        measure_code="WRES2",
        title="Shortlisting audit",
        status="done",
        start_on=start,
        due_on=TODAY,
        completed_on=TODAY,
    )
    hr = client_for("org_hr")
    page = hr.get("/equality/actions/").content.decode()
    assert page.index("WRES2: Appointment") < page.index("WDES3: Entering the formal capability")
    assert page.count("nhsuk-tag--red") == 1  # the one overdue action
    assert "(1 on time)" in page
    overdue = hr.get("/equality/actions/?org=RAA&overdue=on").content.decode()
    assert "Capability review" in overdue and ">Panels</a>" not in overdue
    done = hr.get("/equality/actions/?org=RAA&status=done").content.decode()
    assert "Shortlisting audit" in done and "Capability review" not in done
    by_measure = hr.get("/equality/actions/?org=RAA&measure=WDES3").content.decode()
    assert "Capability review" in by_measure and "Shortlisting audit" not in by_measure
    none = hr.get("/equality/actions/?org=RAA&measure=WRES9").content.decode()
    assert "No actions match these filters." in none


def test_what_people_type_is_shown_as_text(client_for, world):
    action = ActionFactory(
        organisation=world.orgs["RAA"], title="<script>x</script>", description="First line\n<b>Second</b>"
    )
    page = client_for("org_hr").get(f"/equality/actions/{action.pk}/").content.decode()
    assert "<script>x</script>" not in page and "&lt;script&gt;x&lt;/script&gt;" in page
    assert '<p class="nhsuk-body">First line</p>' in page and "&lt;b&gt;Second&lt;/b&gt;" in page


def test_national_users_choose_an_organisation(client_for, world, plans):
    admin = client_for("national_admin")
    chooser = admin.get("/equality/actions/").content.decode()
    assert "Far Away Trust" in chooser and "Holdout Small Trust" in chooser
    found = admin.get("/equality/actions/?q=far").content.decode()
    assert "Far Away Trust" in found and "Holdout Small Trust" not in found
    assert "No organisations you cover match" in admin.get("/equality/actions/?q=zzz").content.decode()
    assert admin.get("/equality/actions/new/").status_code == 302  # no organisation chosen yet
    assert admin.get("/equality/actions/?org=NOPE").status_code == 404
    assert admin.post("/equality/actions/new/?org=RCC", form_data()).status_code == 302
    assert Action.objects.filter(organisation=world.orgs["RCC"]).count() == 2


def test_the_summary_ranks_organisations_by_overdue_actions(client_for, world, plans):
    start = TODAY - 100 * DAY
    for _ in range(2):
        ActionFactory(organisation=world.orgs["RBB"], start_on=start, due_on=TODAY - DAY, measure_code="WDES2")
    talent = client_for("regional_talent")
    page = talent.get("/equality/actions/summary/").content.decode()
    assert page.index("Holdout Small Trust") < page.index("Holdout Large Trust")
    assert "Far Away Trust" not in page and "Meadow View Care Home" not in page
    everyone = talent.get("/equality/actions/summary/?include_empty=on").content.decode()
    assert "Meadow View Care Home" in everyone and "Far Away Trust" not in everyone
    national = client_for("regulator").get("/equality/actions/summary/").content.decode()
    assert "Far Away Trust" in national
    assert client_for("org_hr").get("/equality/actions/summary/").status_code == 403


def test_the_csv_holds_the_whole_plan(client_for, world, plans):
    action = plans["RAA"]
    action.title = "=HYPERLINK(evil)"
    action.save(update_fields=["title"])
    ActionUpdateFactory(action=action, date=TODAY - 3 * DAY, note="Older", recorded_by=world.users["org_hr"])
    ActionUpdateFactory(action=action, date=TODAY - DAY, note="Latest", recorded_by=world.users["org_hr"])
    ActionFactory(
        organisation=world.orgs["RAA"], measure_code="WDES10", title="Board", created_by=world.users["org_hr"]
    )
    response = client_for("org_hr").get("/equality/actions/download/")
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="edi-action-plan-RAA-' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["measure_code"] for r in rows] == ["WRES2", "WDES10"]
    first = rows[0]
    assert first["organisation_code"] == "RAA" and first["standard"] == "WRES"
    assert first["title"] == "'=HYPERLINK(evil)"
    assert first["how_success_is_measured"] == "WRES2 below 1.25 by March 2027"
    assert (first["updates"], first["last_update_note"]) == ("2", "Latest")
    assert first["last_update_on"] == (TODAY - DAY).isoformat()
    assert first["status"] == "Planned" and first["overdue"] == "N"
    assert rows[1]["updates"] == "0" and rows[1]["measure_title"].startswith("Disabled board membership")
    assert "RBB action" not in response.content.decode()
    assert AuditLog.objects.filter(action="export", object_type="actionplans.Action").count() == 1
    assert client_for("national_admin").get("/equality/actions/download/").status_code == 404


def _count(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(captured)


def _grow(world, n: int) -> None:
    codes = ["WRES2", "WRES3", "WDES3", "WDES10"]
    for i in range(n):
        for code in ("RAA", "RBB"):
            action = ActionFactory(
                organisation=world.orgs[code], measure_code=codes[i % len(codes)], created_by=world.users["org_hr"]
            )
            ActionUpdateFactory(action=action, recorded_by=world.users["org_hr"])


def test_queries_do_not_grow_with_the_number_of_actions(client_for, world):
    _grow(world, 2)
    first = Action.objects.filter(organisation=world.orgs["RAA"]).first()
    pages = [
        ("org_hr", "/equality/actions/"),
        ("org_hr", "/equality/actions/?org=RAA&status=planned&overdue=on"),
        ("org_hr", f"/equality/actions/{first.pk}/"),
        ("org_hr", "/equality/actions/download/"),
        ("regional_talent", "/equality/actions/"),
        ("regional_talent", "/equality/actions/summary/"),
        ("regulator", "/equality/actions/summary/?include_empty=on"),
    ]
    small = {path: _count(client_for(persona), path) for persona, path in pages}
    _grow(world, 30)
    for _ in range(10):
        ActionUpdateFactory(action=first, recorded_by=world.users["org_hr"])
    large = {path: _count(client_for(persona), path) for persona, path in pages}
    assert large == small
    assert max(small.values()) <= 15, small

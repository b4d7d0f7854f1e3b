"""The mid-career programme: eligibility, manager support, selection with reasons and places, completion."""

import datetime

from django.utils import timezone

from carelead.learning.models import TrainingRecord
from carelead.standards.gate import eligibility_for_level
from carelead.standards.models import Cohort, CohortApplication, Module, Provider


def cohort(**extra):
    today = timezone.localdate()
    return Cohort.objects.create(
        code=extra.pop("code", "MCP-T1"),
        title="Mid-career 2027",
        applications_close_on=today + datetime.timedelta(30),
        starts_on=today + datetime.timedelta(60),
        ends_on=today + datetime.timedelta(240),
        places=1,
        eligible_levels=["first_line", "middle"],
        min_months_in_role=12,
        module=Module.objects.get(code="MCP-301"),
        provider=Provider.objects.get(code="PRV01"),
        **extra,
    )


def test_the_whole_journey(client_for, world):
    c = cohort()
    # Maya (first line) applies, her manager Eve supports, the national team selects, and she completes.
    manager_person = world.people["manager"]
    line_manager = world.users["line_manager"]
    line_manager.person = world.people["exec"]
    line_manager.save()
    eve = client_for("line_manager")
    from carelead.accounts.tests.factories import RoleAssignmentFactory, UserFactory

    maya = UserFactory(email="maya@example.org", person=manager_person)
    RoleAssignmentFactory(user=maya, role="staff", organisation=world.orgs["RAA"])
    from django.test import Client

    maya_client = Client()
    maya_client.force_login(maya)
    assert b"Apply to MCP-T1" in maya_client.get("/programmes/").content
    maya_client.post("/programmes/MCP-T1/apply/", {"statement": "I lead a ward team and want to lead services."})
    application = CohortApplication.objects.get()
    assert application.status == "submitted"
    eve.post("/programmes/support/", {"application": application.pk, "decision": "support", "note": ""})
    application.refresh_from_db()
    assert application.status == "supported"
    national = client_for("national_admin")
    national.post(
        f"/programmes/cohorts/{c.code}/",
        {"application": application.pk, "decision": "selected", "reason": "Strong statement and manager support"},
    )
    application.refresh_from_db()
    assert application.status == "selected" and application.decision_reason
    national.post(
        f"/programmes/cohorts/{c.code}/",
        {
            "application": application.pk,
            "action": "complete",
            "sessions": 8,
            "completed_on": timezone.localdate().isoformat(),
        },
    )
    application.refresh_from_db()
    assert application.status == "completed"
    record = TrainingRecord.objects.get(course_code="MCP-301")
    assert record.person == manager_person and record.provider_code == "PRV01"
    assert eligibility_for_level(person=manager_person, level="middle").missing  # the programme is not gating


def test_staff_level_and_new_starters_cannot_apply(client_for, world):
    cohort()
    page = client_for("staff").get("/programmes/").content.decode()
    assert "You cannot apply" in page and "first-line manager" in page
    response = client_for("staff").post("/programmes/MCP-T1/apply/", {"statement": "x"})
    assert b"You cannot apply" in response.content
    assert not CohortApplication.objects.exists()


def test_places_are_enforced_and_reasons_required(world):
    import pytest
    from django.core.exceptions import ValidationError

    from carelead.standards.programme import application_decide

    c = cohort()
    first = CohortApplication.objects.create(
        cohort=c, person=world.people["manager"], statement="a", status="supported"
    )
    second = CohortApplication.objects.create(
        cohort=c, person=world.people["others"][0], statement="b", status="supported"
    )
    by = world.users["national_admin"]
    with pytest.raises(ValidationError):
        application_decide(application=first, decision="selected", reason="", by=by)
    application_decide(application=first, decision="selected", reason="Met every criterion", by=by)
    with pytest.raises(ValidationError, match="places are taken"):
        application_decide(application=second, decision="selected", reason="Also good", by=by)
    application_decide(application=second, decision="waitlisted", reason="Next in line", by=by)
    second.refresh_from_db()
    assert second.status == "waitlisted"


def test_a_regional_team_sees_only_its_cohorts(client_for, world):
    cohort(code="MCP-Y98", region=world.orgs["Y98"])
    cohort(code="MCP-Y99", region=world.orgs["Y99"])
    page = client_for("regional_talent").get("/programmes/cohorts/").content.decode()
    assert "MCP-Y99" in page and "MCP-Y98" not in page
    assert client_for("regional_talent").get("/programmes/cohorts/MCP-Y98/").status_code == 404

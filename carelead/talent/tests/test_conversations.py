"""Talent conversations: owned by the person, held with a manager or coach; the person sees and comments on all."""

import datetime

from django.utils import timezone

from carelead.audit.models import AuditLog
from carelead.talent.models import TalentConversation
from carelead.talent.services import latest_conversations

TODAY = timezone.localdate()


def form(**changes):
    data = {
        "held_on": TODAY.isoformat(),
        "coach_name": "",
        "impact": "high",
        "growth": "medium",
        "growth_direction": "stretch",
        "readiness": "1_2_years",
        "mobility_regions": ["Y99"],
        "mobility_sectors": ["nhs", "social_care"],
        "aspiration": "Lead a ward",
        "development_plan": "Shadow the matron",
    }
    data.update(changes)
    return data


def test_a_manager_records_one_and_the_person_sees_everything_and_comments(client_for, world):
    manager = client_for("line_manager")
    response = manager.post("/talent/new/", {**form(), "staff_id": "RAA-00003"}, follow=True)
    conversation = TalentConversation.objects.get()
    assert response.request["PATH_INFO"] == f"/talent/{conversation.pk}/"
    assert conversation.person == world.people["member"] and conversation.held_with == world.people["manager"]
    assert conversation.mobility_regions == ["Y99"] and conversation.readiness == "1_2_years"
    staff = client_for("staff")
    page = staff.get(f"/talent/{conversation.pk}/").content.decode()
    assert "Lead a ward" in page and "Shadow the matron" in page and "Ready in 1 to 2 years" in page
    staff.post(f"/talent/{conversation.pk}/", {"step": "comment", "text": "I would like breadth first"})
    conversation.refresh_from_db()
    assert conversation.person_comments == "I would like breadth first"
    assert AuditLog.objects.filter(object_type="talent.TalentConversation").count() == 2


def test_only_the_person_and_their_managers_reach_it(client_for, world):
    client_for("staff").post("/talent/new/", form(coach_name="Pat Coach"))
    conversation = TalentConversation.objects.get()
    assert conversation.person == world.people["member"] and conversation.coach_name == "Pat Coach"
    assert client_for("line_manager").get(f"/talent/{conversation.pk}/").status_code == 200
    for persona in ("org_hr", "regional_talent", "national_admin", "regulator"):
        assert client_for(persona).get(f"/talent/{conversation.pk}/").status_code == 404, persona
    # a manager cannot record one about someone outside their team
    assert client_for("line_manager").get("/talent/new/?staff_id=RBB-00001").status_code == 404


def test_bad_answers_are_named_and_nothing_is_saved(client_for, world):
    future = (TODAY + datetime.timedelta(days=3)).isoformat()
    page = client_for("staff").post("/talent/new/", form(held_on=future, growth_direction="sideways")).content.decode()
    assert "nhsuk-error-summary" in page and "future" in page
    assert not TalentConversation.objects.exists()


def test_the_latest_conversation_per_person_is_one_read(client_for, world):
    client = client_for("staff")
    client.post(
        "/talent/new/", form(held_on=(TODAY - datetime.timedelta(days=90)).isoformat(), readiness="3_plus_years")
    )
    client.post("/talent/new/", form())
    latest = latest_conversations([world.people["member"].pk])
    assert latest[world.people["member"].pk].readiness == "1_2_years"

"""An organisation's HR team sets its own rater limits; the floor of three for shown groups cannot be lowered."""

from datetime import timedelta

from django.utils import timezone

from carelead.feedback.models import OrganisationRules
from carelead.feedback.rules import feedback_rules_default
from carelead.feedback.services import feedback_request_create

FIELDS = ("manager", "peer", "direct_report", "other")


def form(**changes):
    data = {"manager_min": 0, "manager_max": 1, "peer_min": 3, "peer_max": 8}
    data.update({"direct_report_min": 0, "direct_report_max": 8, "other_min": 0, "other_max": 5})
    data.update(changes)
    return data


def test_hr_sets_rules_that_new_requests_use(client_for, world):
    c = client_for("org_hr")
    page = c.post("/feedback/rules/", form(peer_min=4, peer_max=6), follow=True).content.decode()
    assert "apply to requests made from now on" in page
    assert OrganisationRules.objects.get(organisation=world.orgs["RAA"]).rules["peer"] == [4, 6]
    request = feedback_request_create(
        subject=None,
        person=world.people["member"],
        manager=world.people["manager"],
        organisation=world.orgs["RAA"],
        title="360",
        deadline=timezone.localdate() + timedelta(days=14),
        by=world.users["staff"],
    )
    assert request.rules["peer"] == [4, 6]
    elsewhere = feedback_request_create(
        subject=None,
        person=world.people["rbb"],
        manager=None,
        organisation=world.orgs["RBB"],
        title="360",
        deadline=timezone.localdate() + timedelta(days=14),
        by=world.users["staff"],
    )
    assert elsewhere.rules["peer"] == list(feedback_rules_default()["peer"])


def test_a_group_of_one_or_two_cannot_be_allowed(client_for, world):
    page = client_for("org_hr").post("/feedback/rules/", form(peer_min=2, peer_max=2)).content.decode()
    assert "nhsuk-error-summary" in page
    assert not OrganisationRules.objects.exists()


def test_only_hr_sets_rules(client_for, world):
    for persona in ("staff", "line_manager", "regional_talent", "national_admin", "regulator"):
        assert client_for(persona).get("/feedback/rules/").status_code == 403, persona

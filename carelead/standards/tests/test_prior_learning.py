"""Recognition of prior learning: apply, review by someone else, and the approval meets the requirement."""

from carelead.standards.gate import eligibility_for_level
from carelead.standards.models import PriorLearning


def test_apply_then_hr_approves_and_the_requirement_is_met(client_for, world):
    staff = client_for("staff")
    response = staff.post(
        "/standards/prior-learning/apply/",
        {"requirement": "REQ-INDUCTION", "evidence": "Care Certificate, 2024, Meadow View"},
    )
    assert response.status_code == 302
    application = PriorLearning.objects.get()
    assert not eligibility_for_level(person=world.people["member"], level="first_line").eligible
    hr = client_for("org_hr")
    hr.post(f"/standards/prior-learning/{application.pk}/", {"decision": "approve", "note": ""})
    application.refresh_from_db()
    assert application.status == "approved" and application.reviewed_by == world.users["org_hr"]
    result = eligibility_for_level(person=world.people["member"], level="first_line")
    assert result.eligible and result.met[0].reason == "recognised prior learning"


def test_rejection_needs_a_reason_and_nobody_reviews_their_own(client_for, world):
    reviewer_self = world.people["others"][0]
    application = PriorLearning.objects.create(
        person=reviewer_self, evidence="x", requirement_id=world_requirement_id()
    )
    hr = client_for("org_hr")
    no_reason = hr.post(f"/standards/prior-learning/{application.pk}/", {"decision": "reject", "note": ""})
    assert b"Say why the application is rejected" in no_reason.content
    hr_user = world.users["org_hr"]
    hr_user.person = reviewer_self
    hr_user.save()
    own = client_for("org_hr").post(f"/standards/prior-learning/{application.pk}/", {"decision": "approve"})
    assert b"cannot review your own application" in own.content
    application.refresh_from_db()
    assert application.status == "pending"


def test_hr_outside_the_organisation_cannot_see_the_application(client_for, world):
    application = PriorLearning.objects.create(
        person=world.people["rcc"], evidence="x", requirement_id=world_requirement_id()
    )
    assert client_for("org_hr").get(f"/standards/prior-learning/{application.pk}/").status_code == 404


def world_requirement_id() -> int:
    from carelead.standards.models import Requirement

    return Requirement.objects.get(code="REQ-INDUCTION").pk

"""Erasing a candidate's details on request: what goes, what stays, who may, and the audit entry."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from carelead.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from carelead.audit.models import AuditLog
from carelead.nedpool import services
from carelead.nedpool.models import Candidate, CandidateMonitoring, CandidateSkill, Placement
from carelead.nedpool.tests.factories import candidate, placement

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada(world):
    made = candidate(
        regions=[world.orgs["Y99"]],
        name="Ada Lovelace",
        email="ada@example.org",
        phone="0113 496 0000",
        skills=("digital",),
        validated=("finance",),
        status="in_pool",
        readiness="ready_ned",
        notes="Strong on digital.",
        board_experience="Trustee of a charity.",
        admitted_on=datetime.date(2026, 1, 10),
        monitoring={"sex": "F", "ethnic_category": "A", "disability": "N"},
    )
    placement(candidate=made, host=world.orgs["RAA"])
    return made


def _ned(world, region=None):
    user = UserFactory()
    return user, RoleAssignmentFactory(user=user, role="ned_team", organisation=region)


def test_erasure_removes_everything_that_identifies_the_candidate(world, ada):
    user, assignment = _ned(world)
    services.candidate_erase(assignment=assignment, by=user, candidate=ada, reason="Asked by email on 1 March")
    row = Candidate.objects.get(pk=ada.pk)
    assert row.name == services.ERASED_NAME
    assert row.email == f"erased-{ada.pk}@erased.invalid"
    assert (row.phone, row.statement, row.board_experience, row.notes, row.roles) == ("", "", "", "", [])
    assert row.status == "withdrawn" and row.erased_at is not None
    assert row.admitted_on == datetime.date(2026, 1, 10)  # a date of the team's decision, kept for the counts
    assert not row.regions.exists()
    assert not CandidateSkill.objects.filter(candidate=ada).exists()
    assert not CandidateMonitoring.objects.filter(candidate=ada).exists()
    assert Placement.objects.filter(candidate=ada).count() == 1
    entry = AuditLog.objects.get(object_type="nedpool.Candidate", object_id=str(ada.pk), changes__has_key="erased")
    assert entry.actor == user and "Ada" not in str(entry.changes) and "Ada" not in entry.object_repr


def test_erasure_needs_a_reason_and_happens_once(world, ada):
    user, assignment = _ned(world)
    with pytest.raises(ValidationError) as caught:
        services.candidate_erase(assignment=assignment, by=user, candidate=ada, reason="  ")
    assert "reason" in caught.value.message_dict
    assert Candidate.objects.get(pk=ada.pk).name == "Ada Lovelace"
    services.candidate_erase(assignment=assignment, by=user, candidate=ada, reason="Asked")
    with pytest.raises(ValidationError):
        services.candidate_erase(assignment=assignment, by=user, candidate=ada, reason="Again")


def test_a_regional_team_cannot_erase_a_candidate_outside_its_region(world, ada):
    user, assignment = _ned(world, region=world.orgs["Y98"])
    with pytest.raises(PermissionDenied):
        services.candidate_erase(assignment=assignment, by=user, candidate=ada, reason="Asked")
    assert Candidate.objects.get(pk=ada.pk).erased_at is None


def test_the_same_person_can_register_again_afresh(world, ada):
    user, assignment = _ned(world)
    services.candidate_erase(assignment=assignment, by=user, candidate=ada, reason="Asked")
    again = candidate(regions=[world.orgs["Y99"]], name="Ada Lovelace", email="ada@example.org")
    assert again.pk != ada.pk and again.status == "registered"


def test_the_erase_page_asks_for_a_reason_and_a_confirmation(client_for, world, ada):
    client = client_for("ned_team")
    url = f"/ned/candidates/{ada.pk}/erase/"
    page = client.post(url, {"reason": ""})
    text = page.content.decode()
    assert page.status_code == 200
    assert "Enter why the candidate" in text and "Confirm that you understand" in text
    assert Candidate.objects.get(pk=ada.pk).erased_at is None
    done = client.post(url, {"reason": "Asked by letter", "confirm": "on"})
    assert done.status_code == 302
    shown = client.get(f"/ned/candidates/{ada.pk}/").content.decode()
    assert "were erased at their request" in shown and "Ada" not in shown and "Erase this candidate" not in shown

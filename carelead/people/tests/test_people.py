"""Who can reach staff records and special-category data, and the audit trail of every look."""

import pytest
from rest_framework.authtoken.models import Token

from carelead.audit.models import AuditLog
from carelead.people.models import EqualityMonitoring


def test_hr_sees_monitoring_only_on_request_and_the_look_is_audited_and_shown_to_the_person(client_for, world):
    member = world.people["member"]
    hr = client_for("org_hr")
    page = hr.get(f"/people/{member.staff_id}/")
    assert b"Show equality monitoring answers" in page.content
    assert b"Black or Black British" not in page.content
    assert not AuditLog.objects.filter(action="view_special", subject_person_id=member.pk).exists()
    shown = hr.get(f"/people/{member.staff_id}/?show=monitoring")
    assert b"Black or Black British - African" in shown.content
    entry = AuditLog.objects.get(action="view_special", subject_person_id=member.pk)
    assert entry.actor == world.users["org_hr"]
    own = client_for("staff").get("/people/me/")
    assert b"org_hr@example.org" in own.content


@pytest.mark.parametrize("persona", ["line_manager", "regional_talent", "org_admin"])
def test_roles_without_the_need_never_see_monitoring(client_for, world, persona):
    member = world.people["member"]
    response = client_for(persona).get(f"/people/{member.staff_id}/?show=monitoring")
    assert response.status_code == 200
    assert b"Equality monitoring" not in response.content
    assert b"Black or Black British" not in response.content
    assert not AuditLog.objects.filter(action="view_special").exists()


def test_hr_cannot_reach_another_organisations_staff(client_for, world):
    hr = client_for("org_hr")
    assert hr.get(f"/people/{world.people['rcc'].staff_id}/").status_code == 404
    assert hr.get(f"/people/{world.people['rbb'].staff_id}/").status_code == 404
    listing = hr.get("/people/?q=Faraway")
    assert b"RCC-00001" not in listing.content and b"No staff records match" in listing.content


def test_regional_talent_reaches_the_region_but_not_beyond(client_for, world):
    talent = client_for("regional_talent")
    assert talent.get(f"/people/{world.people['rbb'].staff_id}/").status_code == 200
    assert talent.get(f"/people/{world.people['rcc'].staff_id}/").status_code == 404


def test_a_manager_sees_direct_and_indirect_reports_only(client_for, world):
    exec_user = world.users["line_manager"]
    exec_user.person = world.people["exec"]
    exec_user.save()
    page = client_for("line_manager").get("/people/team/")
    text = page.content.decode()
    assert "Maya Manager" in text and "Sam Staffmember" in text
    assert "Rob Otherteam" not in text


def test_a_person_updates_their_own_answers_and_the_log_keeps_no_values(client_for, world):
    staff = client_for("staff")
    response = staff.post(
        "/people/me/equality-monitoring/",
        {
            "sex": "U",
            "ethnic_category": "",
            "disability": "U",
            "sexual_orientation": "Prefer not to say",
            "religion": "Prefer not to say",
        },
    )
    assert response.status_code == 302
    monitoring = EqualityMonitoring.objects.get(person=world.people["member"])
    assert (monitoring.sex, monitoring.ethnic_category, monitoring.updated_by_self) == ("U", "Z", True)
    entry = AuditLog.objects.get(action="update", object_type="people.EqualityMonitoring")
    assert set(entry.changes) == {"sex", "ethnic_category", "disability", "sexual_orientation", "religion"}
    assert all(v == ["(changed)", "(changed)"] for v in entry.changes.values())


def test_an_invalid_answer_is_refused_with_an_error_summary(client_for, world):
    response = client_for("staff").post("/people/me/equality-monitoring/", {"sex": "Q"})
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert b"Error: " in response.content


def test_api_gives_monitoring_only_to_entitled_roles_and_audits_it(client, world):
    member = world.people["member"]
    for persona, expected in (("org_hr", True), ("regional_talent", False), ("national_admin", True)):
        token = Token.objects.create(user=world.users[persona])
        response = client.get(f"/api/v1/people/{member.staff_id}/", HTTP_AUTHORIZATION=f"Token {token.key}")
        assert response.status_code == 200
        body = response.json()
        assert (body["equality_monitoring"] is not None) is expected, persona
    assert AuditLog.objects.filter(action="view_special", subject_person_id=member.pk).count() == 2


def test_api_scopes_and_error_shape(client, world):
    token = Token.objects.create(user=world.users["org_hr"])
    auth = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    listing = client.get("/api/v1/people/", **auth).json()
    ids = {p["staff_id"] for p in listing["results"]}
    assert "RCC-00001" not in ids and "RAA-00003" in ids
    missing = client.get("/api/v1/people/RCC-00001/", **auth)
    assert missing.status_code == 404
    assert set(missing.json()["error"]) == {"code", "message", "fields"}
    staff_token = Token.objects.create(user=world.users["staff"])
    denied = client.get("/api/v1/people/", HTTP_AUTHORIZATION=f"Token {staff_token.key}")
    assert denied.status_code == 403 and denied.json()["error"]["code"] == "permission_denied"
    assert client.get("/api/v1/people/").status_code == 401

"""Signed credentials for counted completions, checked by anyone at the public checker."""

import json

from carelead.learning.credentials import credential_verify
from carelead.learning.models import IssuedCredential, TrainingRecord


def counted(world, record_id="CR-1", provider="PRV01"):
    return TrainingRecord.objects.create(
        record_id=record_id,
        person=world.people["member"],
        course_code="IND-101",
        mandatory=False,
        date="2026-01-10",
        provider_code=provider,
    )


def test_download_verify_and_tamper(client_for, world, client):
    counted(world)
    response = client_for("staff").get("/credentials/mine/CR-1/")
    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert document["proof"]["cryptosuite"] == "eddsa-jcs-2022"
    assert document["credentialSubject"]["name"] == "Sam Staffmember"
    again = client_for("staff").get("/credentials/mine/CR-1/")
    assert json.loads(again.content) == document and IssuedCredential.objects.count() == 1

    assert credential_verify(document)["valid"] is True
    forged = {**document, "name": "Board readiness"}
    result = credential_verify(forged)
    assert result["valid"] is False
    assert [c["check"] for c in result["checks"] if not c["passed"]] == ["signature"]

    client.logout()
    page = client.post("/credentials/verify/", {"credential": json.dumps(document)}).content.decode()
    assert "This credential is genuine" in page and "Sam Staffmember" in page
    bad = client.post("/credentials/verify/", {"credential": json.dumps(forged)}).content.decode()
    assert "could not be verified" in bad


def test_revoked_credentials_fail_and_only_counted_records_are_issued(client_for, world):
    counted(world)
    counted(world, record_id="CR-2", provider="NOT-ACCREDITED")
    staff = client_for("staff")
    document = json.loads(staff.get("/credentials/mine/CR-1/").content)
    from django.utils import timezone

    IssuedCredential.objects.update(revoked_at=timezone.now(), revoked_reason="issued in error")
    assert credential_verify(document)["valid"] is False
    assert staff.get("/credentials/mine/CR-2/").status_code == 404
    assert client_for("line_manager").get("/credentials/mine/CR-1/").status_code == 404


def test_the_issuer_profile_publishes_the_key(client):
    profile = client.get("/credentials/issuer").json()
    assert profile["verificationMethod"][0]["publicKeyMultibase"].startswith("z6Mk")

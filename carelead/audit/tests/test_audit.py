"""The audit log is append-only, in the application and in the database."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction

from carelead.audit.models import AuditLog
from carelead.audit.services import Actor, audit_record


def test_entries_cannot_be_changed_or_deleted(db):
    entry = audit_record(actor=Actor(system="test"), action=AuditLog.Action.IMPORT, object_type="x")
    entry.object_repr = "changed"
    with pytest.raises(PermissionDenied):
        entry.save()
    with pytest.raises(PermissionDenied):
        entry.delete()
    with pytest.raises(PermissionDenied):
        AuditLog.objects.filter(pk=entry.pk).update(object_repr="changed")
    with pytest.raises(PermissionDenied):
        AuditLog.objects.all().delete()


def test_the_database_refuses_updates_too(db):
    entry = audit_record(actor=Actor(system="test"), action=AuditLog.Action.IMPORT, object_type="x")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditlog SET object_repr = 'changed' WHERE id = %s", [entry.pk])
    entry.refresh_from_db()
    assert entry.object_repr == ""


def test_org_admin_sees_only_their_organisations_entries(client_for, world):
    audit_record(
        actor=Actor(system="test"),
        action=AuditLog.Action.IMPORT,
        object_type="in-scope",
        organisation_id=world.orgs["RAA"].pk,
    )
    audit_record(
        actor=Actor(system="test"),
        action=AuditLog.Action.IMPORT,
        object_type="out-of-scope",
        organisation_id=world.orgs["RCC"].pk,
    )
    page = client_for("org_admin").get("/audit/").content
    assert b"in-scope" in page and b"out-of-scope" not in page
    everything = client_for("national_admin").get("/audit/").content
    assert b"out-of-scope" in everything


def test_sign_in_and_failed_sign_in_are_audited(client, world):
    client.post("/accounts/login/", {"username": "staff@example.org", "password": "wrong"})
    client.post("/accounts/login/", {"username": "staff@example.org", "password": world.password})
    actions = list(AuditLog.objects.values_list("action", flat=True).order_by("id"))
    assert actions == ["sign_in_failed", "sign_in"]

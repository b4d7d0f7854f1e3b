"""The retention period: closed cases past it lose their content and keep only the quarterly return's columns,
one case at a time and whole, audited in counts, run by its own command and by the daily reminders."""

import datetime
import io
import os

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.management import call_command
from django.utils import timezone

from carelead.audit.models import AuditLog
from carelead.speakup import services
from carelead.speakup.models import ATTACHMENT_PREFIX, Attachment, Case, Escalation, IdentityAccess, Message, Note
from carelead.speakup.tests.factories import history, raised

TODAY = datetime.date(2026, 11, 2)
# What the quarterly return counts, and so what a purged case keeps.
KEPT = (
    "organisation_id",
    "received_on",
    "mode",
    "status",
    "professional_group",
    "is_patient_safety",
    "is_bullying",
    "is_behaviour",
    "is_worker_safety",
    "is_detriment",
    "is_discrimination",
    "is_other",
    "reporter_detriment",
    "reporter_detriment_on",
    "detriment",
    "feedback_given",
    "feedback_given_on",
    "closed_on",
)


def closed_case(world, *, closed_on, mode="confidential", files=(), **extra):
    """A concern raised, handled (with its full history) and closed on ``closed_on``."""
    receipt = raised(organisation=world.orgs["RAA"], mode=mode, categories=("bullying", "detriment"), files=files)
    guardian = world.users["guardian"]
    history(case=receipt.case, guardian=guardian, size=2)
    Case.objects.filter(pk=receipt.case.pk).update(
        status=extra.pop("status", "closed"),
        received_on=closed_on - datetime.timedelta(days=40),
        closed_on=closed_on,
        outcome="Extra nurse rostered on nights.",
        triaged_on=closed_on - datetime.timedelta(days=38),
        feedback_given=True,
        feedback_given_on=closed_on,
        detriment=True,
        reporter_detriment="yes",
        reporter_detriment_on=closed_on - datetime.timedelta(days=10),
        identity_revealed_on=closed_on - datetime.timedelta(days=5),
        **extra,
    )
    receipt.case.refresh_from_db()
    return receipt


def columns(case: Case) -> dict:
    return {name: getattr(case, name) for name in KEPT}


def test_a_case_past_the_period_keeps_only_the_returns_columns(
    world, storage, files, settings, django_capture_on_commit_callbacks
):
    settings.CARELEAD_SPEAKUP_RETENTION_DAYS = 365
    old = closed_case(world, closed_on=TODAY - datetime.timedelta(days=366), files=[files("photo.jpg")])
    kept_before = columns(old.case)
    stored = old.case.attachments.order_by("pk").first().file.name
    assert (storage / stored).exists()

    with django_capture_on_commit_callbacks(execute=True) as removals:
        totals = services.cases_purge(on=TODAY)
    # The stored files go only once the case's deletion is committed.
    assert len(removals) == 1
    assert totals["cases"] == 1 and totals["attachments"] == 5 and totals["messages"] == 4 and totals["notes"] == 2

    case = Case.objects.get(pk=old.case.pk)
    assert columns(case) == kept_before
    assert case.purged_on == TODAY and case.is_purged
    for name in ("description", "outcome", "reporter_name", "reporter_email", "reporter_phone"):
        assert getattr(case, name) == "", name
    assert case.reported_categories == [] and case.triaged_on is None and case.identity_revealed_on is None
    assert case.secret_hash == "!" and case.receipt_digest == f"purged-{case.pk}"
    for model in (Message, Note, Escalation, IdentityAccess, Attachment):
        assert not model.objects.filter(case=case).exists(), model
    assert not (storage / stored).exists()
    # Audited in counts only, by the purge itself.
    entry = AuditLog.objects.get(object_type="speakup.Case", action="delete")
    assert entry.actor is None and entry.actor_label == "system:speakup_purge"
    assert entry.changes == {
        "content_deleted": {
            "attachments": 5,
            "messages": 4,
            "notes": 2,
            "escalations": 2,
            "identity_accesses": 2,
        }
    }
    # Running again changes nothing and audits nothing.
    assert services.cases_purge(on=TODAY)["cases"] == 0
    assert AuditLog.objects.filter(action="delete").count() == 1


def test_only_closed_cases_past_the_period_are_purged(world, settings):
    settings.CARELEAD_SPEAKUP_RETENTION_DAYS = 30
    on_the_day = closed_case(world, closed_on=TODAY - datetime.timedelta(days=30))
    one_day_more = closed_case(world, closed_on=TODAY - datetime.timedelta(days=31))
    still_open = raised(organisation=world.orgs["RAA"]).case
    Case.objects.filter(pk=still_open.pk).update(received_on=TODAY - datetime.timedelta(days=900))
    # Reopened: closed long ago, then put back in progress (the closing date is cleared when reopened).
    reopened = closed_case(world, closed_on=TODAY - datetime.timedelta(days=90), status="in_progress")
    assert services.cases_purge(on=TODAY)["cases"] == 1
    purged = set(Case.objects.filter(purged_on__isnull=False).values_list("pk", flat=True))
    assert purged == {one_day_more.case.pk}
    for kept in (on_the_day.case, still_open, reopened.case):
        assert Case.objects.get(pk=kept.pk).description, kept


def test_a_failure_part_way_leaves_the_case_whole(world, storage, files, monkeypatch):
    old = closed_case(world, closed_on=TODAY - datetime.timedelta(days=400), files=[files("photo.jpg")])
    stored = old.case.attachments.order_by("pk").first().file.name

    def broken(**kwargs):
        raise RuntimeError("audit unavailable")

    monkeypatch.setattr(services, "audit_record", broken)
    with pytest.raises(RuntimeError):
        services.cases_purge(on=TODAY)
    case = Case.objects.get(pk=old.case.pk)
    assert case.purged_on is None and case.description and case.outcome
    assert Message.objects.filter(case=case).count() == 4 and Attachment.objects.filter(case=case).count() == 5
    assert (storage / stored).exists()


def test_guardians_see_a_purged_case_as_content_deleted(client_for, world, settings):
    old = closed_case(world, closed_on=TODAY - datetime.timedelta(days=400), mode="named")
    services.cases_purge(on=TODAY)
    guardian = client_for("guardian")
    page = " ".join(guardian.get(f"/speak-up/cases/{old.case.pk}/").content.decode().split())
    assert "Content deleted under the retention policy" in page
    for gone in ("one nurse", "Alex Reporter", "Reporter message", "Note 0", "Director 0", "Extra nurse"):
        assert gone not in page, gone
    assert "Bullying or harassment" in page and "Feedback given" in page
    listing = guardian.get("/speak-up/cases/").content.decode()
    assert "Content deleted under the retention policy" in listing
    # Nothing left to act on: the action pages lead back to the case, and the services refuse.
    for suffix in ("triage/", "notes/", "reply/", "escalate/", "feedback/", "close/"):
        response = guardian.post(f"/speak-up/cases/{old.case.pk}/{suffix}", {"body": "x"})
        assert response.status_code == 302 and response["Location"] == f"/speak-up/cases/{old.case.pk}/", suffix
    user = world.users["guardian"]
    with pytest.raises(ValidationError, match="retention policy"):
        services.case_note_add(assignment=user.assignments.get(), by=user, case=old.case, body="x")
    assert not Note.objects.exists()


def test_the_receipt_code_opens_nothing_after_the_purge(client, world):
    old = closed_case(world, closed_on=TODAY - datetime.timedelta(days=400), mode="anonymous")
    services.cases_purge(on=TODAY)
    response = client.post("/speak-up/follow/", {"receipt": old.receipt, "secret": old.secret})
    assert response.status_code == 200 and "The receipt code or secret is not right" in response.content.decode()


def test_the_command_dry_run_counts_and_deletes_nothing(world, storage, files):
    closed_case(world, closed_on=TODAY - datetime.timedelta(days=400), files=[files("photo.jpg")])
    out = io.StringIO()
    call_command("speakup_purge", "--dry-run", "--on", TODAY.isoformat(), stdout=out)
    text = out.getvalue()
    assert "365 days after closure" in text
    assert "would delete the content of 1 closed cases (5 files)" in text
    assert not Case.objects.filter(purged_on__isnull=False).exists()
    out = io.StringIO()
    call_command("speakup_purge", "--on", TODAY.isoformat(), "--no-progress", stdout=out)
    assert "deleted the content of 1 closed cases (4 messages, 2 notes" in out.getvalue()
    assert Case.objects.filter(purged_on=TODAY).count() == 1


def test_the_daily_reminders_run_the_purge(world):
    closed_case(world, closed_on=TODAY - datetime.timedelta(days=400))
    out = io.StringIO()
    call_command("reminders", "--on", TODAY.isoformat(), "--dry-run", stdout=out)
    assert "speak-up retention: would delete the content of 1 closed cases" in out.getvalue()
    assert not Case.objects.filter(purged_on__isnull=False).exists()
    out = io.StringIO()
    call_command("reminders", "--on", TODAY.isoformat(), stdout=out)
    assert "speak-up retention: deleted the content of 1 closed cases" in out.getvalue()
    assert Case.objects.filter(purged_on=TODAY).count() == 1


def test_unreferenced_files_are_swept_once_they_are_old(world, storage):
    folder = storage / ATTACHMENT_PREFIX
    folder.mkdir(parents=True)
    stale, fresh = folder / "stale.pdf", folder / "fresh.pdf"
    stale.write_bytes(b"%PDF-")
    fresh.write_bytes(b"%PDF-")
    long_ago = (timezone.now() - datetime.timedelta(days=5)).timestamp()
    os.utime(stale, (long_ago, long_ago))
    assert services.cases_purge(dry_run=True)["orphan_files"] == 1
    assert stale.exists()
    assert services.cases_purge()["orphan_files"] == 1
    assert not stale.exists() and fresh.exists()
    entry = AuditLog.objects.get(object_type="speakup.Attachment")
    assert entry.changes == {"unreferenced_files_deleted": 1}


def test_the_retention_period_must_be_at_least_a_day(world, settings):
    settings.CARELEAD_SPEAKUP_RETENTION_DAYS = 0
    with pytest.raises(ImproperlyConfigured):
        services.cases_purge(on=TODAY)

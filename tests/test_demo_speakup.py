"""The demo's speak-up cases: how many, the same for the same seed, every status, category and way of being known at
the persona trust, purged and purgeable cases, and the demo receipt that opens its case through /speak-up/follow/."""

from collections import Counter

import pytest
from django.core.files.storage import default_storage

from carelead.accounts.models import RoleAssignment
from carelead.demo.speakup import demo_receipt, speakup_demo_create
from carelead.speakup import services
from carelead.speakup.models import Attachment, Case, Category, Escalation, IdentityAccess, Message, Mode, Note, Status

pytestmark = pytest.mark.django_db

SEED = 5


@pytest.fixture
def storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    return tmp_path


@pytest.fixture
def tiny(monkeypatch, storage):
    """A tiny demo load without speak-up cases, should the load write them itself; returns the guardian."""
    from carelead.demo import generate

    monkeypatch.setattr(generate, "speakup_demo_create", lambda **kwargs: 0, raising=False)
    generate.demo_load(size="tiny", seed=SEED)
    Case.objects.all().delete()
    return RoleAssignment.objects.select_related("user", "organisation").get(role="guardian")


def _fingerprint() -> list[tuple]:
    rows = []
    for case in Case.objects.order_by("pk"):
        rows.append(
            (
                case.organisation_id,
                case.mode,
                case.status,
                case.received_on,
                case.description,
                case.categories,
                case.reporter_name,
                case.closed_on,
                case.purged_on,
                case.feedback_given,
                case.detriment,
                tuple(case.messages.values_list("sender", "body", "sent_on")),
            )
        )
    return rows


def test_counts_and_everything_a_guardian_needs_to_see(tiny):
    count = speakup_demo_create(seed=SEED, guardian_user=tiny.user)
    assert count == Case.objects.count()
    trust = tiny.organisation
    mine = Case.objects.filter(organisation=trust)
    # Eight quarters of about thirty concerns, plus the other organisations' lighter cases.
    assert 230 <= mine.count() <= 260
    assert Case.objects.exclude(organisation=trust).exists()
    assert set(mine.values_list("status", flat=True)) == set(Status.values)
    assert set(mine.values_list("mode", flat=True)) == set(Mode.values)
    for code in Category.values:
        assert mine.filter(**{f"is_{code}": True}).exists(), code
    assert mine.filter(detriment=True).exists() and mine.filter(feedback_given=True).exists()
    assert mine.filter(reporter_detriment="yes").exists()
    assert Escalation.objects.filter(case__organisation=trust).exists()
    assert Note.objects.filter(case__organisation=trust).exists()
    assert IdentityAccess.objects.filter(case__organisation=trust).exists()
    # Anonymous conversations go both ways.
    anonymous = Message.objects.filter(case__organisation=trust, case__mode=Mode.ANONYMOUS)
    assert set(anonymous.values_list("sender", flat=True)) == {"reporter", "guardian"}
    assert not Message.objects.filter(sender="reporter", author__isnull=False).exists()
    assert not Case.objects.filter(mode=Mode.ANONYMOUS).exclude(reporter_name="").exists()
    # Some content already gone under the retention policy, and some due at the next purge.
    purged = Case.objects.filter(purged_on__isnull=False)
    assert purged.exists() and not purged.exclude(description="").exists()
    assert not Message.objects.filter(case__purged_on__isnull=False).exists()
    assert services.cases_due_for_purge().exists()
    # Roughly the shape of a real caseload: most old cases closed, the newest still open.
    statuses = Counter(mine.values_list("status", flat=True))
    assert statuses[Status.CLOSED] > statuses[Status.NEW]


def test_the_same_seed_writes_the_same_cases(tiny):
    speakup_demo_create(seed=SEED, guardian_user=tiny.user)
    first = _fingerprint()
    Attachment.objects.all().delete()
    Case.objects.all().delete()
    speakup_demo_create(seed=SEED, guardian_user=tiny.user)
    assert _fingerprint() == first
    Attachment.objects.all().delete()
    Case.objects.all().delete()
    speakup_demo_create(seed=SEED + 1, guardian_user=tiny.user)
    assert _fingerprint() != first


def test_the_guardian_sees_a_realistic_list(client, tiny):
    speakup_demo_create(seed=SEED, guardian_user=tiny.user)
    client.force_login(tiny.user)
    page = client.get("/speak-up/cases/")
    text = page.content.decode()
    assert page.status_code == 200 and "Reporter waiting for a reply" in text
    assert " ".join(["of", str(Case.objects.filter(organisation=tiny.organisation).count()), "cases"]) in " ".join(
        text.split()
    )
    purged = Case.objects.filter(organisation=tiny.organisation, purged_on__isnull=False).first()
    detail = client.get(f"/speak-up/cases/{purged.pk}/").content.decode()
    assert "Content deleted under the retention policy" in detail


def test_the_demo_receipt_opens_its_case(client, tiny):
    speakup_demo_create(seed=SEED, guardian_user=tiny.user)
    receipt, secret = demo_receipt(seed=SEED)
    assert receipt.startswith("DEMO") and len(receipt) == 16 and len(secret) == 12
    assert demo_receipt(seed=SEED) == (receipt, secret) and demo_receipt(seed=SEED + 1) != (receipt, secret)
    response = client.post("/speak-up/follow/", {"receipt": receipt.lower(), "secret": secret})
    assert response.status_code == 302 and response["Location"] == "/speak-up/follow/case/"
    page = client.get("/speak-up/follow/case/").content.decode()
    assert "Agency nurses on ward 7" in page and "Mostly weekend nights" in page
    checklist = Attachment.objects.get(name="Handover checklist.txt")
    assert default_storage.exists(checklist.file.name)
    download = client.get(f"/speak-up/follow/case/files/{checklist.pk}/")
    assert download.status_code == 200 and b"Allergies checked" in b"".join(download.streaming_content)
    # Only that one case has a way in.
    assert Case.objects.exclude(secret_hash="!").count() == 1

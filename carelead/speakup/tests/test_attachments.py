"""Files with concerns and messages: the type read from the content, the limits, errors naming the file, storage
under a private prefix with nothing identifying in rows or paths, and downloads only by the case's guardians
(audited) and by the reporter with their receipt code."""

import datetime
import os
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from carelead.audit.models import AuditLog
from carelead.speakup import services
from carelead.speakup.models import ATTACHMENT_PREFIX, Attachment, Case, Escalation, IdentityAccess, Message, Note
from carelead.speakup.tests.conftest import JPEG, PDF, docx_bytes
from carelead.speakup.tests.factories import raised
from carelead.speakup.tests.test_guardian import guardian_of

RAISE = "/speak-up/raise/"
FOLLOW = "/speak-up/follow/"
FOLLOW_CASE = "/speak-up/follow/case/"
ADDRESS = "203.0.113.61"
# A phone's own name for a photo: the sender's name and the moment it was taken.
PHOTO_NAME = "Jo Bloggs IMG_20261103_143507.jpg"


def concern(**changes) -> dict:
    data = {
        "organisation": "RAA",
        "mode": "anonymous",
        "description": "The lift on ward 7 has been broken for a month.",
        "categories": ["worker_safety"],
        "submission": "",
        "website": "",
    }
    data.update(changes)
    return data


def codes(response) -> tuple[str, str]:
    text = response.content.decode()
    return (
        re.search(r'id="receipt-code">([A-Z0-9-]+)<', text).group(1),
        re.search(r'id="receipt-secret">([A-Z0-9-]+)<', text).group(1),
    )


def stored_files(root) -> list[str]:
    return sorted(
        os.path.relpath(os.path.join(folder, name), root) for folder, _, names in os.walk(root) for name in names
    )


def every_stored_value():
    for model in (Case, Message, Note, Escalation, IdentityAccess, Attachment):
        for row in model.objects.all():
            for field in row._meta.concrete_fields:
                yield model.__name__, field, getattr(row, field.attname)


# Raising with files -------------------------------------------------------------------------------------------------


def test_an_anonymous_concern_with_files_keeps_nothing_identifying(client, world, storage, files):
    audits = AuditLog.objects.count()
    response = client.post(
        RAISE,
        concern(files=[files(PHOTO_NAME), files("Statement by Jo Bloggs.pdf")]),
        REMOTE_ADDR=ADDRESS,
    )
    assert response.status_code == 200 and "receipt-code" in response.content.decode()
    case = Case.objects.get()
    kept = list(Attachment.objects.order_by("pk"))
    # Renamed in the order sent; the type comes from the content; no message: they came with the concern.
    assert [(a.name, a.content_type, a.message_id) for a in kept] == [
        ("attachment-1.jpg", "image/jpeg", None),
        ("attachment-2.pdf", "application/pdf", None),
    ]
    assert [a.size for a in kept] == [len(JPEG), len(PDF)]
    # Nothing is stripped: the photo's metadata is stored exactly as it came.
    with kept[0].file.open("rb") as handle:
        assert handle.read() == JPEG
    # Stored under the private prefix with random names: no name, no time, no date folders.
    paths = stored_files(storage)
    assert len(paths) == 2
    for path in paths:
        assert re.fullmatch(rf"{ATTACHMENT_PREFIX}/[0-9a-f]{{32}}\.(jpg|pdf)", path), path
        assert "Jo" not in path and "Bloggs" not in path and "143507" not in path and "2026" not in path
        # The file system keeps the day only: the modified time is the start of the day received.
        modified = datetime.datetime.fromtimestamp(os.path.getmtime(storage / path), tz=timezone.get_current_timezone())
        assert modified.time() == datetime.time(0, 0) and modified.date() == case.received_on
    # Every column of every speak-up row: no trace of the file names given, the sender, the address or a time.
    for model, field, value in every_stored_value():
        text = str(value)
        for trace in ("Jo Bloggs", "Bloggs", "IMG_", "143507", "Statement", ADDRESS):
            assert trace not in text, (model, field.name)
        assert not isinstance(field, models.DateTimeField) or value is None, (model, field.name)
        if isinstance(field, models.ForeignKey) and field.related_model._meta.label == "accounts.User":
            assert value is None, (model, field.name)
    assert AuditLog.objects.count() == audits


def test_a_named_concern_keeps_the_file_names_given(client, world, storage, files):
    response = client.post(
        RAISE, concern(mode="named", name="Jo Bloggs", files=[files("ward 7 rota.docx"), files("notes.TXT")])
    )
    assert response.status_code == 200
    assert list(Attachment.objects.values_list("name", "content_type")) == [
        ("ward 7 rota.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("notes.TXT", "text/plain"),
    ]


def test_a_confidential_concern_renames_its_files(world, storage, files):
    case = raised(organisation=world.orgs["RAA"], mode="confidential", files=[files("Alex Reporter.png")]).case
    assert case.attachments.get().name == "attachment-1.png"


@pytest.mark.parametrize(
    ("name", "content", "msg"),
    [
        ("setup.exe", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 40, "\u201csetup.exe\u201d must be a PDF, PNG, JPEG"),
        ("scan.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "\u201cscan.pdf\u201d is not a real PDF file"),
        ("photo.jpg", b"%PDF-1.7\n", "\u201cphoto.jpg\u201d is not a real JPG file"),
        ("report.pdf.exe", b"%PDF-1.7\n", "The name of the file \u201creport.pdf.exe\u201d must end .pdf"),
        ("empty.txt", b"", "The file \u201cempty.txt\u201d is empty"),
        ("binary.txt", b"abc\x00\x01\x02def", "\u201cbinary.txt\u201d must be a PDF"),
        ("letter.docx", docx_bytes(macros=True), "\u201cletter.docx\u201d contains macros"),
        ("archive.docx", b"PK\x03\x04not really a zip", "\u201carchive.docx\u201d must be a PDF"),
    ],
)
def test_files_are_judged_by_their_content_and_errors_name_the_file(client, world, storage, files, name, content, msg):
    response = client.post(RAISE, concern(files=[files("fine.png"), files(name, content)]), REMOTE_ADDR=ADDRESS)
    text = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in text
    assert msg in text
    assert 'href="#id_files"' in text
    # Nothing is kept when any file is refused, not even the good one.
    assert not Case.objects.exists() and not Attachment.objects.exists()
    assert stored_files(storage) == []


def test_size_and_count_limits_come_from_settings(client, world, storage, files, settings):
    settings.CARELEAD_SPEAKUP_ATTACHMENT_MAX_BYTES = 100
    settings.CARELEAD_SPEAKUP_ATTACHMENTS_PER_MESSAGE = 2
    big = client.post(RAISE, concern(files=[files("big.txt", b"x" * 101)])).content.decode()
    assert "The file \u201cbig.txt\u201d must be smaller than 1 KB" in big
    many = client.post(RAISE, concern(files=[files("a.txt"), files("b.txt"), files("c.txt")])).content.decode()
    assert "Choose no more than 2 files" in many
    page = client.get(RAISE, {"org": "RAA"}).content.decode()
    assert "Up to 2 files" in page and "multiple" in page and 'enctype="multipart/form-data"' in page
    assert not Case.objects.exists() and stored_files(storage) == []


def test_the_raise_page_warns_that_files_can_identify_the_reporter(client, world):
    text = " ".join(client.get(RAISE, {"org": "RAA"}).content.decode().split())
    assert "Files can say who you are" in text
    assert "where and when they were taken" in text and "does not remove any of this" in text
    assert "saved as attachment-1, attachment-2" in text


# Following with files --------------------------------------------------------------------------------------------


def _follow(client, receipt):
    response = client.post(FOLLOW, {"receipt": receipt.receipt, "secret": receipt.secret}, REMOTE_ADDR=ADDRESS)
    assert response.status_code == 302


def test_the_conversation_carries_files_both_ways_and_each_side_downloads_them(client, world, storage, files):
    receipt = raised(organisation=world.orgs["RAA"], files=[files("mine.pdf")])
    _follow(client, receipt)
    sent = client.post(
        FOLLOW_CASE, {"action": "reply", "reply-body": "Here is the rota.", "reply-files": [files("rota.txt")]}
    )
    assert sent.status_code == 302
    message = Message.objects.get(sender="reporter")
    assert message.attachments.get().name == "attachment-2.txt"

    guardian = world.users["guardian"]
    services.case_reply(
        assignment=guardian.assignments.get(),
        by=guardian,
        case=receipt.case,
        body="The policy is attached.",
        files=[files("Speaking up policy.pdf")],
    )
    policy = Attachment.objects.get(message__sender="guardian")
    assert policy.name == "Speaking up policy.pdf"

    page = client.get(FOLLOW_CASE).content.decode()
    for a in Attachment.objects.all():
        assert f"/speak-up/follow/case/files/{a.pk}/" in page and a.name in page
    download = client.get(f"/speak-up/follow/case/files/{policy.pk}/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert "Speaking up policy.pdf" in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Type"] == "application/pdf"
    assert "no-store" in download["Cache-Control"]
    assert b"".join(download.streaming_content) == PDF


def test_a_reporter_reaches_only_their_own_cases_files(client, world, storage, files):
    mine = raised(organisation=world.orgs["RAA"], files=[files("mine.txt")])
    theirs = raised(organisation=world.orgs["RAA"], files=[files("theirs.txt")])
    other = theirs.case.attachments.get()
    # Without codes, the way in is the follow page.
    assert client.get(f"/speak-up/follow/case/files/{other.pk}/")["Location"] == FOLLOW
    _follow(client, mine)
    assert client.get(f"/speak-up/follow/case/files/{other.pk}/").status_code == 404
    assert client.get(f"/speak-up/follow/case/files/{mine.case.attachments.get().pk}/").status_code == 200


def test_reporter_reply_file_errors_are_shown_and_nothing_is_kept(client, world, storage, files):
    receipt = raised(organisation=world.orgs["RAA"])
    _follow(client, receipt)
    text = client.post(
        FOLLOW_CASE, {"action": "reply", "reply-body": "See file", "reply-files": [files("virus.txt", b"\x00\x00")]}
    ).content.decode()
    assert "There is a problem" in text and "virus.txt" in text
    assert not Message.objects.exists() and stored_files(storage) == []


# Guardians ---------------------------------------------------------------------------------------------------------


def test_guardians_download_files_and_each_download_is_audited(client_for, world, storage, files):
    case = raised(organisation=world.orgs["RAA"], files=[files("photo.jpg")]).case
    kept = case.attachments.get()
    guardian = client_for("guardian")
    page = guardian.get(f"/speak-up/cases/{case.pk}/").content.decode()
    assert f"/speak-up/cases/{case.pk}/files/{kept.pk}/" in page and "attachment-1.jpg" in page
    download = guardian.get(f"/speak-up/cases/{case.pk}/files/{kept.pk}/")
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="attachment-1.jpg"'
    assert download["X-Content-Type-Options"] == "nosniff" and download["Content-Type"] == "image/jpeg"
    assert b"".join(download.streaming_content) == JPEG
    entry = AuditLog.objects.get(object_type="speakup.Case", action="export")
    assert entry.actor == world.users["guardian"] and entry.object_id == str(case.pk)
    assert entry.changes == {"attachment": kept.pk, "size": len(JPEG)}
    # The file's number under another case's address is not found.
    other = raised(organisation=world.orgs["RAA"]).case
    assert guardian.get(f"/speak-up/cases/{other.pk}/files/{kept.pk}/").status_code == 404


def test_a_guardian_of_another_organisation_cannot_download(client, world, storage, files):
    case = raised(organisation=world.orgs["RAA"], files=[files("photo.jpg")]).case
    kept = case.attachments.get()
    client.force_login(guardian_of(world, "RBB"))
    assert client.get(f"/speak-up/cases/{case.pk}/files/{kept.pk}/").status_code == 404
    assert not AuditLog.objects.filter(action="export").exists()


@pytest.mark.parametrize("persona", ["staff", "org_hr", "org_admin", "national_admin", "regulator", "ned_team"])
def test_no_other_role_downloads_a_file(client_for, world, storage, files, persona):
    case = raised(organisation=world.orgs["RAA"], files=[files("photo.jpg")]).case
    kept = case.attachments.get()
    response = client_for(persona).get(f"/speak-up/cases/{case.pk}/files/{kept.pk}/")
    assert response.status_code == 403
    assert JPEG not in response.content


def test_a_guardian_replies_with_files_from_the_case_page(client_for, world, storage, files):
    case = raised(organisation=world.orgs["RAA"]).case
    guardian = client_for("guardian")
    page = guardian.get(f"/speak-up/cases/{case.pk}/").content.decode()
    assert 'enctype="multipart/form-data"' in page
    response = guardian.post(
        f"/speak-up/cases/{case.pk}/reply/", {"body": "Form attached.", "files": [files("Form A.docx")]}
    )
    assert response.status_code == 302
    assert Attachment.objects.get().name == "Form A.docx"
    entry = AuditLog.objects.get(object_type="speakup.Case")
    assert entry.changes["attachments"] == 1 and "Form A" not in str(entry.changes)
    refused = guardian.post(f"/speak-up/cases/{case.pk}/reply/", {"body": "x", "files": [files("a.pdf", b"nope")]})
    assert "The file \u201ca.pdf\u201d is not a real PDF file" in refused.content.decode()


def test_stored_files_have_no_web_address(client_for, world, storage, files):
    case = raised(organisation=world.orgs["RAA"], files=[files("photo.jpg")]).case
    name = case.attachments.get().file.name
    guardian = client_for("guardian")
    for path in (f"/{name}", f"/media/{name}", f"/static/{name}", f"/uploads/{name}"):
        assert guardian.get(path).status_code == 404, path


def test_the_service_checks_files_before_writing(world, storage, files):
    with pytest.raises(ValidationError) as refused:
        services.case_raise(
            organisation=world.orgs["RAA"],
            mode="anonymous",
            description="x",
            categories=["other"],
            files=[files("a.txt", b"")],
        )
    assert refused.value.message_dict["files"] == ["The file \u201ca.txt\u201d is empty"]
    assert not Case.objects.exists()

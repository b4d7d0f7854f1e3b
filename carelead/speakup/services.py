"""Writes to speak-up cases: each validated and atomic.

Reporters' writes (raising a concern, replying, saying whether they were treated worse) are never audited and
never see who is signed in: an audit row would tie a user, a request id and a time to the case. What the reporter
does is recorded in the case itself, by date.

Guardians' writes check that the case is in the acting role's reach, lock it, write and audit. Audit rows name the
case by number and say what kind of thing changed, never what the concern is about or who raised it: the audit log
is read by administrators, who must not learn a case's content.

Files sent with a concern or a message are checked (``carelead.speakup.attachments``) before anything is written.
A reporter's files are kept under "attachment-1.pdf" and so on unless the concern is named: a file's own name often
carries the sender's name, and a phone's photo names carry the time of day the picture was taken, which the case
deliberately never holds. A guardian's files keep the name the guardian gave them.

Once a closed case has passed the retention period, ``cases_purge`` deletes its content and keeps only the columns
the quarterly return counts.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from carelead.audit.models import AuditLog
from carelead.audit.services import Actor, audit_record
from carelead.organisations.models import Organisation
from carelead.speakup import attachments, credentials
from carelead.speakup.models import (
    ATTACHMENT_PREFIX,
    CATEGORY_FIELDS,
    Attachment,
    Case,
    Category,
    Escalation,
    IdentityAccess,
    Message,
    Mode,
    Note,
    ProfessionalGroup,
    ReporterDetriment,
    Status,
)
from carelead.speakup.selectors import NOT_EMPLOYERS, case_may_handle

CASE = "speakup.Case"
TEXT_LIMIT = 10_000
SHORT_LIMIT = 200
RETENTION_DAYS = 365
PURGED = "This case's content was deleted under the retention policy, so it cannot be changed"
PURGE_ACTOR = Actor(system="speakup_purge")
# Stored files with no row are deleted by the purge once they are this old: younger ones may belong to a concern
# still being saved.
ORPHAN_AGE = timedelta(days=2)


@dataclass(frozen=True)
class Receipt:
    """What the reporter is shown once, after raising a concern: nothing here is kept in a readable form."""

    case: Case
    receipt: str
    secret: str

    @property
    def receipt_display(self) -> str:
        return credentials.grouped(self.receipt)

    @property
    def secret_display(self) -> str:
        return credentials.grouped(self.secret)


def _text_errors(errors: dict, field: str, value: str, *, required: str, limit: int = TEXT_LIMIT) -> None:
    if not value.strip():
        errors[field] = required
    elif len(value) > limit:
        errors[field] = f"Write no more than {limit:,} characters"


def _category_errors(errors: dict, categories: list[str]) -> None:
    if not categories:
        errors["categories"] = "Select at least one thing your concern is about"
    elif set(categories) - set(Category.values):
        errors["categories"] = "Select from the list"


def _set_categories(case: Case, categories: list[str]) -> None:
    for code, field in CATEGORY_FIELDS.items():
        setattr(case, field, code in categories)


def _files_checked(errors: dict, files: Sequence) -> list[attachments.Checked]:
    checked, problems = attachments.files_check(files)
    if problems:
        errors["files"] = problems
    return checked


def _files_store(
    *, case: Case, message: Message | None, checked: list[attachments.Checked], rename: bool, day: date
) -> list[Attachment]:
    """Keep the checked files on the case (and message); a failure part way removes the files already stored."""
    if not checked:
        return []
    number = Attachment.objects.filter(case=case).count()
    stored: list[Attachment] = []
    try:
        for item in checked:
            number += 1
            kept = Attachment(
                case=case,
                message=message,
                name=f"attachment-{number}{item.suffix}" if rename else item.name,
                content_type=item.file_type.content_type,
                size=item.size,
            )
            item.upload.seek(0)
            kept.file.save("upload", item.upload, save=False)
            stored.append(kept)
            attachments.file_date_only(kept.file.name, day)
            kept.save()
    except Exception:
        attachments.files_delete([k.file.name for k in stored])
        raise
    # Should the surrounding transaction roll back after this, the purge's sweep of unreferenced files removes them.
    return stored


# Reporters ---------------------------------------------------------------------------------------------------------


@transaction.atomic
def case_raise(
    *,
    organisation: Organisation,
    mode: str,
    description: str,
    categories: list[str],
    professional_group: str = "",
    name: str = "",
    email: str = "",
    phone: str = "",
    files: Sequence = (),
) -> Receipt:
    """Raise a concern with an organisation's guardians; returns the receipt code and secret, shown only once.

    An anonymous concern keeps no name or contact details: the caller must not pass any. Nothing about the
    request, the user or the time of day is stored, and nothing is audited. ``files`` are checked before anything
    is written and kept with the concern.
    """
    errors: dict[str, str] = {}
    if organisation is None or organisation.type in NOT_EMPLOYERS:
        errors["organisation"] = "Choose the organisation your concern is about"
    if mode not in Mode.values:
        errors["mode"] = "Choose how you want to raise your concern"
    _text_errors(errors, "description", description, required="Describe your concern")
    _category_errors(errors, categories)
    if professional_group and professional_group not in ProfessionalGroup.values:
        errors["professional_group"] = "Select your professional group from the list"
    if mode == Mode.ANONYMOUS and (name.strip() or email.strip() or phone.strip()):
        errors["mode"] = "An anonymous concern cannot include your name or contact details"
    if mode in (Mode.NAMED, Mode.CONFIDENTIAL) and not name.strip():
        errors["name"] = "Enter your name, or choose to raise your concern anonymously"
    checked = _files_checked(errors, files)
    if errors:
        raise ValidationError(errors)
    for _attempt in range(3):
        receipt, secret = (
            credentials.new_code(credentials.RECEIPT_LENGTH),
            credentials.new_code(credentials.SECRET_LENGTH),
        )
        case = Case(
            organisation=organisation,
            mode=mode,
            received_on=timezone.localdate(),
            description=description.strip(),
            professional_group=professional_group,
            reported_categories=[code for code in Category.values if code in categories],
            reporter_name=name.strip(),
            reporter_email=email.strip().lower(),
            reporter_phone=phone.strip(),
            receipt_digest=credentials.receipt_digest(receipt),
            secret_hash=credentials.secret_hash(secret),
        )
        _set_categories(case, categories)
        case.full_clean(validate_unique=False)
        try:
            with transaction.atomic():
                case.save()
        except IntegrityError:
            continue  # the receipt code is already taken: draw again
        _files_store(case=case, message=None, checked=checked, rename=mode != Mode.NAMED, day=case.received_on)
        return Receipt(case=case, receipt=receipt, secret=secret)
    raise RuntimeError("could not draw an unused receipt code")


@transaction.atomic
def case_reporter_reply(*, case: Case, body: str, files: Sequence = ()) -> Message:
    """The reporter answers the guardians, or adds to their concern, with any files."""
    errors: dict = {}
    _text_errors(errors, "body", body, required="Write your message")
    checked = _files_checked(errors, files)
    if errors:
        raise ValidationError(errors)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.purged_on is not None:
        raise ValidationError(PURGED)
    message = Message(case=case, sender=Message.Sender.REPORTER, body=body.strip(), sent_on=timezone.localdate())
    message.full_clean()
    message.save()
    _files_store(case=case, message=message, checked=checked, rename=case.mode != Mode.NAMED, day=message.sent_on)
    case.awaiting_reply = True
    case.save(update_fields=["awaiting_reply"])
    return message


@transaction.atomic
def case_reporter_detriment(*, case: Case, answer: str, details: str = "") -> Case:
    """The reporter says whether they have been treated worse for speaking up; any details join the conversation."""
    errors: dict[str, str] = {}
    if answer not in (ReporterDetriment.YES, ReporterDetriment.NO):
        errors["answer"] = "Select yes or no"
    if len(details) > TEXT_LIMIT:
        errors["details"] = f"Write no more than {TEXT_LIMIT:,} characters"
    if errors:
        raise ValidationError(errors)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.purged_on is not None:
        raise ValidationError(PURGED)
    today = timezone.localdate()
    case.reporter_detriment = answer
    case.reporter_detriment_on = today
    fields = ["reporter_detriment", "reporter_detriment_on"]
    if details.strip():
        Message.objects.create(case=case, sender=Message.Sender.REPORTER, body=details.strip(), sent_on=today)
        case.awaiting_reply = True
        fields.append("awaiting_reply")
    case.save(update_fields=fields)
    return case


# Guardians ---------------------------------------------------------------------------------------------------------


def _locked(*, assignment, case: Case) -> Case:
    if not case_may_handle(assignment=assignment, case=case):
        raise PermissionDenied
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.purged_on is not None:
        raise ValidationError(PURGED)
    return locked


def _audit(*, by, action: str, case: Case, changes: dict) -> None:
    audit_record(
        actor=Actor.of(by),
        action=action,
        object_type=CASE,
        object_id=case.pk,
        object_repr=f"Speak-up case {case.reference}",
        changes=changes,
        organisation_id=case.organisation_id,
    )


def _date_errors(errors: dict, field: str, value: date | None, case: Case, *, noun: str) -> None:
    if value is None:
        errors[field] = f"Enter the date {noun}"
    elif value > timezone.localdate():
        errors[field] = f"The date {noun} cannot be in the future"
    elif value < case.received_on:
        errors[field] = f"The date {noun} cannot be before the concern was received"


@transaction.atomic
def case_triage(*, assignment, by, case: Case, status: str, categories: list[str]) -> Case:
    """Set a case's status and correct its categories. Closing has its own step, which records the outcome."""
    errors: dict[str, str] = {}
    if status not in Status.values:
        errors["status"] = "Select a status"
    _category_errors(errors, categories)
    if errors:
        raise ValidationError(errors)
    case = _locked(assignment=assignment, case=case)
    if status == Status.CLOSED and case.status != Status.CLOSED:
        raise ValidationError({"status": "Close the case from its page, with a summary of the outcome"})
    before_status, before_categories = case.status, case.categories
    case.status = status
    _set_categories(case, categories)
    fields = ["status", *CATEGORY_FIELDS.values()]
    if case.triaged_on is None and status != Status.NEW:
        case.triaged_on = timezone.localdate()
        fields.append("triaged_on")
    if before_status == Status.CLOSED and status != Status.CLOSED:
        case.closed_on = None
        fields.append("closed_on")
    case.full_clean()
    case.save(update_fields=fields)
    changes: dict = {}
    if before_status != status:
        changes["status"] = [before_status, status]
    if before_categories != case.categories:
        changes["changed"] = ["categories"]
    if changes:
        _audit(by=by, action=AuditLog.Action.UPDATE, case=case, changes=changes)
    return case


@transaction.atomic
def case_note_add(*, assignment, by, case: Case, body: str) -> Note:
    """Keep an internal note on a case: the reporter never sees it."""
    errors: dict[str, str] = {}
    _text_errors(errors, "body", body, required="Write the note")
    if errors:
        raise ValidationError(errors)
    case = _locked(assignment=assignment, case=case)
    note = Note(case=case, body=body.strip(), written_by=by, written_at=timezone.now())
    note.full_clean()
    note.save()
    _audit(by=by, action=AuditLog.Action.CREATE, case=case, changes={"added": ["note", note.pk]})
    return note


@transaction.atomic
def case_reply(*, assignment, by, case: Case, body: str, files: Sequence = ()) -> Message:
    """Reply to the reporter, with any files: they read it when they next follow their case with their receipt code."""
    errors: dict = {}
    _text_errors(errors, "body", body, required="Write your reply")
    checked = _files_checked(errors, files)
    if errors:
        raise ValidationError(errors)
    case = _locked(assignment=assignment, case=case)
    message = Message(
        case=case, sender=Message.Sender.GUARDIAN, body=body.strip(), sent_on=timezone.localdate(), author=by
    )
    message.full_clean()
    message.save()
    stored = _files_store(case=case, message=message, checked=checked, rename=False, day=message.sent_on)
    case.awaiting_reply = False
    case.save(update_fields=["awaiting_reply"])
    changes: dict = {"added": ["reply", message.pk]}
    if stored:
        changes["attachments"] = len(stored)
    _audit(by=by, action=AuditLog.Action.CREATE, case=case, changes=changes)
    return message


@transaction.atomic
def case_escalate(
    *, assignment, by, case: Case, escalated_to: str, escalated_on: date | None, details: str = ""
) -> Escalation:
    """Record that the concern was taken to someone else; the case becomes escalated."""
    errors: dict[str, str] = {}
    _text_errors(
        errors, "escalated_to", escalated_to, required="Enter who the concern was escalated to", limit=SHORT_LIMIT
    )
    _date_errors(errors, "escalated_on", escalated_on, case, noun="it was escalated")
    if len(details) > TEXT_LIMIT:
        errors["details"] = f"Write no more than {TEXT_LIMIT:,} characters"
    if errors:
        raise ValidationError(errors)
    case = _locked(assignment=assignment, case=case)
    if case.status == Status.CLOSED:
        raise ValidationError("This case is closed. Change its status to reopen it before escalating it")
    escalation = Escalation(
        case=case,
        escalated_to=escalated_to.strip(),
        escalated_on=escalated_on,
        details=details.strip(),
        recorded_by=by,
        recorded_at=timezone.now(),
    )
    escalation.full_clean()
    escalation.save()
    before = case.status
    case.status = Status.ESCALATED
    fields = ["status"]
    if case.triaged_on is None:
        case.triaged_on = timezone.localdate()
        fields.append("triaged_on")
    case.save(update_fields=fields)
    changes: dict = {"added": ["escalation", escalation.pk]}
    if before != case.status:
        changes["status"] = [before, case.status]
    _audit(by=by, action=AuditLog.Action.UPDATE, case=case, changes=changes)
    return escalation


@transaction.atomic
def case_feedback_record(
    *, assignment, by, case: Case, feedback_given: bool, feedback_given_on: date | None, detriment: bool
) -> Case:
    """Record whether feedback was given to the reporter (and when), and whether they suffered detriment."""
    errors: dict[str, str] = {}
    if feedback_given:
        _date_errors(errors, "feedback_given_on", feedback_given_on, case, noun="feedback was given")
    if errors:
        raise ValidationError(errors)
    case = _locked(assignment=assignment, case=case)
    before = {"feedback_given": case.feedback_given, "detriment": case.detriment}
    case.feedback_given = feedback_given
    case.feedback_given_on = feedback_given_on if feedback_given else None
    case.detriment = detriment
    case.full_clean()
    case.save(update_fields=["feedback_given", "feedback_given_on", "detriment"])
    changed = [key for key, value in before.items() if getattr(case, key) != value]
    if changed:
        _audit(by=by, action=AuditLog.Action.UPDATE, case=case, changes={"changed": changed})
    return case


@transaction.atomic
def case_close(*, assignment, by, case: Case, outcome: str, closed_on: date | None) -> Case:
    """Close a case with a summary of its outcome."""
    errors: dict[str, str] = {}
    _text_errors(errors, "outcome", outcome, required="Summarise the outcome")
    _date_errors(errors, "closed_on", closed_on, case, noun="the case was closed")
    if errors:
        raise ValidationError(errors)
    case = _locked(assignment=assignment, case=case)
    if case.status == Status.CLOSED:
        raise ValidationError("This case is already closed")
    before = case.status
    case.status = Status.CLOSED
    case.outcome = outcome.strip()
    case.closed_on = closed_on
    fields = ["status", "outcome", "closed_on"]
    if case.triaged_on is None:
        case.triaged_on = timezone.localdate()
        fields.append("triaged_on")
    case.full_clean()
    case.save(update_fields=fields)
    _audit(by=by, action=AuditLog.Action.UPDATE, case=case, changes={"status": [before, Status.CLOSED]})
    return case


def _identity_case(*, assignment, case: Case) -> Case:
    case = _locked(assignment=assignment, case=case)
    if case.mode != Mode.CONFIDENTIAL:
        raise ValidationError("Only a confidential reporter's identity is kept back")
    return case


@transaction.atomic
def case_identity_show(*, assignment, by, case: Case) -> IdentityAccess:
    """Show a confidential reporter's name and contact details to the acting guardian: recorded and audited."""
    case = _identity_case(assignment=assignment, case=case)
    access = IdentityAccess.objects.create(case=case, kind=IdentityAccess.Kind.SHOWN, by=by, at=timezone.now())
    _audit(by=by, action=AuditLog.Action.VIEW_SPECIAL, case=case, changes={"identity": ["shown", access.pk]})
    return access


@transaction.atomic
def case_identity_reveal(*, assignment, by, case: Case, revealed_to: str, reason: str) -> IdentityAccess:
    """Record that a confidential reporter's identity was revealed: to whom and why. Recorded and audited."""
    errors: dict[str, str] = {}
    _text_errors(
        errors, "revealed_to", revealed_to, required="Enter who the identity is revealed to", limit=SHORT_LIMIT
    )
    _text_errors(errors, "reason", reason, required="Give the reason for revealing the identity")
    if errors:
        raise ValidationError(errors)
    case = _identity_case(assignment=assignment, case=case)
    access = IdentityAccess(
        case=case,
        kind=IdentityAccess.Kind.REVEALED,
        revealed_to=revealed_to.strip(),
        reason=reason.strip(),
        by=by,
        at=timezone.now(),
    )
    access.full_clean()
    access.save()
    fields = []
    if case.identity_revealed_on is None:
        case.identity_revealed_on = timezone.localdate()
        fields.append("identity_revealed_on")
        case.save(update_fields=fields)
    _audit(by=by, action=AuditLog.Action.VIEW_SPECIAL, case=case, changes={"identity": ["revealed", access.pk]})
    return access


# Attachments -------------------------------------------------------------------------------------------------------


def attachment_downloaded(*, assignment, by, attachment: Attachment) -> None:
    """Audit a guardian's download of a file: the case and the file's number and size, never its name."""
    case = attachment.case
    if not case_may_handle(assignment=assignment, case=case):
        raise PermissionDenied
    _audit(
        by=by,
        action=AuditLog.Action.EXPORT,
        case=case,
        changes={"attachment": attachment.pk, "size": attachment.size},
    )


# Retention ---------------------------------------------------------------------------------------------------------


def retention_days() -> int:
    """Days a closed case keeps its content (``CARELEAD_SPEAKUP_RETENTION_DAYS``)."""
    days = int(getattr(settings, "CARELEAD_SPEAKUP_RETENTION_DAYS", RETENTION_DAYS))
    if days < 1:
        raise ImproperlyConfigured("CARELEAD_SPEAKUP_RETENTION_DAYS must be at least 1")
    return days


def purge_before(*, on: date | None = None) -> date:
    """Cases closed before this day have passed the retention period on ``on`` (default today)."""
    return (on or timezone.localdate()) - timedelta(days=retention_days())


def cases_due_for_purge(*, on: date | None = None):
    """Closed cases, not yet purged, whose closing date is older than the retention period."""
    return Case.objects.filter(status=Status.CLOSED, purged_on__isnull=True, closed_on__lt=purge_before(on=on))


@transaction.atomic
def case_purge(*, case: Case, on: date | None = None) -> dict[str, int] | None:
    """Delete one case's content and keep only what the quarterly return counts; all or nothing.

    Returns what was deleted, as counts, or None when the case is not (or no longer) due. The stored files go once
    the deletion is committed.
    """
    on = on or timezone.localdate()
    case = Case.objects.select_for_update().filter(pk=case.pk).first()
    if (
        case is None
        or case.purged_on is not None
        or case.status != Status.CLOSED
        or case.closed_on is None
        or case.closed_on >= purge_before(on=on)
    ):
        return None
    files = list(Attachment.objects.filter(case=case).values_list("file", flat=True))
    counts = {
        "attachments": Attachment.objects.filter(case=case).delete()[0],
        "messages": Message.objects.filter(case=case).delete()[0],
        "notes": Note.objects.filter(case=case).delete()[0],
        "escalations": Escalation.objects.filter(case=case).delete()[0],
        "identity_accesses": IdentityAccess.objects.filter(case=case).delete()[0],
    }
    Case.objects.filter(pk=case.pk).update(
        description="",
        outcome="",
        reported_categories=[],
        reporter_name="",
        reporter_email="",
        reporter_phone="",
        # The receipt code opens nothing any more, and a written-down code no longer matches any case.
        receipt_digest=f"purged-{case.pk}",
        secret_hash="!",  # noqa: S106 - an unusable hash: no secret matches it
        awaiting_reply=False,
        triaged_on=None,
        identity_revealed_on=None,
        purged_on=on,
    )
    audit_record(
        actor=PURGE_ACTOR,
        action=AuditLog.Action.DELETE,
        object_type=CASE,
        object_id=case.pk,
        object_repr=f"Speak-up case {case.reference}",
        changes={"content_deleted": counts},
        organisation_id=case.organisation_id,
    )
    transaction.on_commit(lambda: attachments.files_delete(files))
    return counts


def attachment_orphans(*, on: date | None = None) -> list[str]:
    """Stored files under the private prefix that no attachment row names, old enough to be left over."""
    try:
        _dirs, names = default_storage.listdir(ATTACHMENT_PREFIX)
    except (FileNotFoundError, NotImplementedError):
        return []
    known = set(Attachment.objects.values_list("file", flat=True))
    cutoff = timezone.now() - ORPHAN_AGE
    orphans = []
    for name in sorted(names):
        path = f"{ATTACHMENT_PREFIX}/{name}"
        if path in known:
            continue
        try:
            if default_storage.get_modified_time(path) > cutoff:
                continue
        except (FileNotFoundError, NotImplementedError):
            continue
        orphans.append(path)
    return orphans


def cases_purge(
    *, on: date | None = None, dry_run: bool = False, progress: Callable[[int, int], None] | None = None
) -> dict[str, int]:
    """Purge every case past the retention period, one transaction per case, and remove unreferenced files.

    ``progress`` is called with (cases done, cases due). A dry run counts without deleting anything.
    """
    on = on or timezone.localdate()
    due = list(cases_due_for_purge(on=on).order_by("pk").values_list("pk", flat=True))
    totals = {"cases": 0, "messages": 0, "notes": 0, "escalations": 0, "identity_accesses": 0, "attachments": 0}
    if dry_run:
        totals["cases"] = len(due)
        totals["attachments"] = Attachment.objects.filter(case__in=cases_due_for_purge(on=on)).count()
        totals["orphan_files"] = len(attachment_orphans(on=on))
        return totals
    for done, pk in enumerate(due, start=1):
        counts = case_purge(case=Case(pk=pk), on=on)
        if counts is not None:
            totals["cases"] += 1
            for key, value in counts.items():
                totals[key] += value
        if progress is not None:
            progress(done, len(due))
    orphans = attachment_orphans(on=on)
    totals["orphan_files"] = attachments.files_delete(orphans)
    if orphans:
        audit_record(
            actor=PURGE_ACTOR,
            action=AuditLog.Action.DELETE,
            object_type="speakup.Attachment",
            object_id=f"{len(orphans)} files",
            changes={"unreferenced_files_deleted": totals["orphan_files"]},
        )
    return totals

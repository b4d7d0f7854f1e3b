"""Speak-up cases for the tests, raised through the service as a reporter would, or written straight to the
database in bulk for query-count tests."""

import datetime
import itertools

from django.utils import timezone

from carelead.speakup import credentials
from carelead.speakup.models import (
    CATEGORY_FIELDS,
    Attachment,
    Case,
    Escalation,
    IdentityAccess,
    Message,
    Mode,
    Note,
)
from carelead.speakup.services import Receipt, case_raise

_numbers = itertools.count(1)


def raised(*, organisation, mode: str = Mode.ANONYMOUS, categories=("bullying",), **extra) -> Receipt:
    """A concern raised through the service; returns the receipt (case, receipt code and secret)."""
    identity = {} if mode == Mode.ANONYMOUS else {"name": "Alex Reporter", "email": "alex@example.org"}
    return case_raise(
        organisation=organisation,
        mode=mode,
        description=extra.pop("description", "The night shift on ward 7 is routinely left with one nurse."),
        categories=list(categories),
        professional_group=extra.pop("professional_group", "registered_nurses"),
        **{**identity, **extra},
    )


def case(*, organisation, mode: str = Mode.ANONYMOUS, status: str = "new", categories=("bullying",), **extra) -> Case:
    """A case written straight to the database (no slow hashing), for bulk set-ups."""
    n = next(_numbers)
    made = Case(
        organisation=organisation,
        mode=mode,
        status=status,
        received_on=extra.pop("received_on", timezone.localdate() - datetime.timedelta(days=n % 30)),
        description=f"Concern number {n}",
        reported_categories=list(categories),
        receipt_digest=credentials.receipt_digest(f"TEST{n:012d}"),
        secret_hash="!",
        reporter_name="" if mode == Mode.ANONYMOUS else f"Reporter {n}",
        **extra,
    )
    for code, field in CATEGORY_FIELDS.items():
        setattr(made, field, code in categories)
    made.save()
    return made


def attachment(*, case: Case, message: Message | None = None, name: str = "attachment-1.txt") -> Attachment:
    """An attachment row naming a stored file that need not exist (for pages that only list files)."""
    return Attachment.objects.create(
        case=case, message=message, name=name, content_type="text/plain", size=120, file=f"private/speakup/{name}"
    )


def history(*, case: Case, guardian, size: int) -> None:
    """Messages (each with a file), notes, escalations and identity looks on a case, ``size`` of each."""
    now = timezone.now()
    today = timezone.localdate()
    for i in range(size):
        sent = Message.objects.create(case=case, sender="reporter", body=f"Reporter message {i}", sent_on=today)
        attachment(case=case, message=sent, name=f"attachment-{i}.txt")
        attachment(case=case, name=f"concern-{i}.txt")
        Message.objects.create(case=case, sender="guardian", body=f"Reply {i}", sent_on=today, author=guardian)
        Note.objects.create(case=case, body=f"Note {i}", written_by=guardian, written_at=now)
        Escalation.objects.create(
            case=case, escalated_to=f"Director {i}", escalated_on=today, recorded_by=guardian, recorded_at=now
        )
        IdentityAccess.objects.create(case=case, kind="shown", by=guardian, at=now)

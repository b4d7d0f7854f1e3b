"""Reminders of the national induction, sent once each, before it is due and when it is overdue."""

from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from carelead.accounts.permissions import Scope
from carelead.standards.induction import completed_induction_exists, joiners
from carelead.standards.models import Reminder

BEFORE_DAYS = 14


class ReminderRun:
    """One run of a reminder job: each reminder is sent once (the Reminder table remembers it), emails go out in
    batches, and the run counts what was sent due soon, overdue and already sent before."""

    BATCH = 500

    def __init__(self, *, dry_run: bool = False) -> None:
        self.dry_run = dry_run
        self.counts = {"due_soon": 0, "overdue": 0, "already_sent": 0}
        self._messages: list[tuple] = []

    def send(self, *, person, kind: str, due_on: date, overdue: bool, subject: str, body: str) -> None:
        bucket = "overdue" if overdue else "due_soon"
        if self.dry_run:
            self.counts[bucket] += 1
            return
        try:
            with transaction.atomic():
                Reminder.objects.create(person=person, kind=kind, due_on=due_on, sent_at=timezone.now())
        except IntegrityError:
            self.counts["already_sent"] += 1
            return
        self.counts[bucket] += 1
        self._messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [person.email]))
        if len(self._messages) >= self.BATCH:
            self._flush()

    def _flush(self) -> None:
        if self._messages:
            send_mass_mail(self._messages, fail_silently=False)
            self._messages = []

    def finish(self) -> dict[str, int]:
        self._flush()
        return self.counts


def induction_reminders_send(*, on: date | None = None, dry_run: bool = False) -> dict[str, int]:
    """Email joiners whose induction is due within two weeks, or overdue, and not complete; each reminder once."""
    on = on or timezone.localdate()
    due_days = settings.CARELEAD_INDUCTION_DUE_DAYS
    pending = (
        joiners(scope=Scope(path=None, organisation_id=None, role=""), on=on)
        .annotate(done=completed_induction_exists())
        .filter(done=False)
        .exclude(email="")
        .filter(start_date__lte=on - timedelta(days=due_days - BEFORE_DAYS))
        .only("id", "email", "first_name", "start_date")
    )
    run = ReminderRun(dry_run=dry_run)
    for person in pending.iterator(chunk_size=2000):
        due_on = person.start_date + timedelta(days=due_days)
        overdue = due_on < on
        when = f"was due on {due_on:%d %B %Y}" if overdue else f"is due by {due_on:%d %B %Y}"
        run.send(
            person=person,
            kind="induction_overdue" if overdue else "induction_due",
            due_on=due_on,
            overdue=overdue,
            subject="Your national induction" + (" is overdue" if overdue else " is due soon"),
            body=f"Dear {person.first_name},\n\nYour national induction {when}. Your development page in CareLead "
            f"shows the providers that run it: {settings.CARELEAD_PUBLIC_URL}/standards/my-development/\n\n"
            "If you have already completed it, ask your HR team to check that the record has reached CareLead.\n",
        )
    return run.finish()

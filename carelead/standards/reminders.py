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
    counts = {"due_soon": 0, "overdue": 0, "already_sent": 0}
    messages = []
    for person in pending.iterator(chunk_size=2000):
        due_on = person.start_date + timedelta(days=due_days)
        kind = "induction_overdue" if due_on < on else "induction_due"
        if dry_run:
            counts["overdue" if kind == "induction_overdue" else "due_soon"] += 1
            continue
        try:
            with transaction.atomic():
                Reminder.objects.create(person=person, kind=kind, due_on=due_on, sent_at=timezone.now())
        except IntegrityError:
            counts["already_sent"] += 1
            continue
        counts["overdue" if kind == "induction_overdue" else "due_soon"] += 1
        when = f"was due on {due_on:%d %B %Y}" if kind == "induction_overdue" else f"is due by {due_on:%d %B %Y}"
        messages.append(
            (
                "Your national induction" + (" is overdue" if kind == "induction_overdue" else " is due soon"),
                f"Dear {person.first_name},\n\nYour national induction {when}. Your development page in CareLead "
                f"shows the providers that run it: {settings.CARELEAD_PUBLIC_URL}/standards/my-development/\n\n"
                "If you have already completed it, ask your HR team to check that the record has reached CareLead.\n",
                settings.DEFAULT_FROM_EMAIL,
                [person.email],
            )
        )
        if len(messages) >= 500:
            send_mass_mail(messages, fail_silently=False)
            messages = []
    if messages:
        send_mass_mail(messages, fail_silently=False)
    return counts

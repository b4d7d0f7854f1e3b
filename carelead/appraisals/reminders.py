"""Appraisal reminders: to whoever must act next, a week before the step is due and once it is overdue; each
reminder is sent once (the Reminder table keeps them)."""

from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from carelead.appraisals.models import Appraisal, Cycle
from carelead.appraisals.selectors import due_date
from carelead.standards.models import Reminder

BEFORE_DAYS = 7
State = Appraisal.State
STEP_TEXT = {
    State.DRAFT: ("appraiser", "agree the objectives"),
    State.SELF_ASSESSMENT: ("appraisee", "finish the self-assessment"),
    State.MANAGER_REVIEW: ("appraiser", "finish the review and hold the meeting"),
    State.MEETING_HELD: ("both", "sign the appraisal"),
}


def _who(appraisal: Appraisal) -> list:
    role = STEP_TEXT[appraisal.state][0]
    if role == "appraisee":
        return [appraisal.person]
    if role == "appraiser":
        return [appraisal.appraiser] if appraisal.appraiser else []
    out = []
    if appraisal.appraisee_signed_at is None:
        out.append(appraisal.person)
    if appraisal.appraiser_signed_at is None and appraisal.appraiser:
        out.append(appraisal.appraiser)
    return out


def appraisal_reminders_send(*, on: date | None = None, dry_run: bool = False) -> dict[str, int]:
    on = on or timezone.localdate()
    counts = {"due_soon": 0, "overdue": 0, "already_sent": 0}
    messages = []
    pending = (
        Appraisal.objects.filter(cycle__status=Cycle.Status.OPEN, cycle__imported=False, state__in=list(STEP_TEXT))
        .select_related("cycle", "person", "appraiser")
        .order_by("pk")
    )
    for appraisal in pending.iterator(chunk_size=2000):
        due_on = due_date(appraisal)
        if due_on is None or due_on > on + timedelta(days=BEFORE_DAYS):
            continue
        overdue = due_on < on
        kind = f"appraisal_{appraisal.state}_{'overdue' if overdue else 'due'}"
        for person in _who(appraisal):
            if not person.email:
                continue
            if dry_run:
                counts["overdue" if overdue else "due_soon"] += 1
                continue
            try:
                with transaction.atomic():
                    Reminder.objects.create(person=person, kind=kind, due_on=due_on, sent_at=timezone.now())
            except IntegrityError:
                counts["already_sent"] += 1
                continue
            counts["overdue" if overdue else "due_soon"] += 1
            mine = person.pk == appraisal.person_id
            whose = "your" if mine else "the"
            link = f"{settings.CARELEAD_PUBLIC_URL}/appraisals/" + (f"{appraisal.pk}/" if mine else "")
            step = STEP_TEXT[appraisal.state][1]
            when = f"was due on {due_on:%d %B %Y}" if overdue else f"is due by {due_on:%d %B %Y}"
            messages.append(
                (
                    f"Appraisal: please {step}",
                    f"Dear {person.first_name},\n\nThe next step of {whose} {appraisal.cycle.year} appraisal"
                    + ("" if mine else "s you give")
                    + f" is to {step}. It {when}.\n\n{link}\n",
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

"""Appraisal reminders: to whoever must act next, a week before the step is due and once it is overdue; each
reminder is sent once (the Reminder table keeps them)."""

from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone

from carelead.appraisals.models import Appraisal, Cycle
from carelead.appraisals.selectors import due_date
from carelead.standards.reminders import ReminderRun

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
    run = ReminderRun(dry_run=dry_run)
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
        step = STEP_TEXT[appraisal.state][1]
        when = f"was due on {due_on:%d %B %Y}" if overdue else f"is due by {due_on:%d %B %Y}"
        for person in _who(appraisal):
            if not person.email:
                continue
            mine = person.pk == appraisal.person_id
            link = f"{settings.CARELEAD_PUBLIC_URL}/appraisals/" + (f"{appraisal.pk}/" if mine else "")
            run.send(
                person=person,
                kind=f"appraisal_{appraisal.state}_{'overdue' if overdue else 'due'}",
                due_on=due_on,
                overdue=overdue,
                subject=f"Appraisal: please {step}",
                body=f"Dear {person.first_name},\n\nThe next step of {'your' if mine else 'the'} "
                f"{appraisal.cycle.year} appraisal{'' if mine else 's you give'} is to {step}. It {when}.\n\n{link}\n",
            )
    return run.finish()

"""The national mid-career programme: eligibility, applications, manager support, fair selection, completion."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from carelead.audit.models import AuditLog
from carelead.audit.services import Actor, audit_record
from carelead.core.choices import Level
from carelead.learning.models import TrainingRecord
from carelead.standards.models import Cohort, CohortApplication

Status = CohortApplication.Status


def months_in_role(*, person, on: date) -> int:
    """Whole months since the person's level last changed (or since they started)."""
    last_change = person.history.filter(effective_on__lte=on).exclude(previous={}).order_by("-effective_on").first()
    since = last_change.effective_on if last_change else person.start_date
    return (on.year - since.year) * 12 + (on.month - since.month) - (1 if on.day < since.day else 0)


def cohort_eligibility(*, cohort: Cohort, person, on: date | None = None) -> list[str]:
    """Why a person may not apply to a cohort; an empty list when they may."""
    on = on or timezone.localdate()
    reasons = []
    if on > cohort.applications_close_on:
        reasons.append(f"applications closed on {cohort.applications_close_on.isoformat()}")
    if cohort.eligible_levels and person.level not in cohort.eligible_levels:
        levels = ", ".join(Level(v).label.lower() for v in cohort.eligible_levels)
        reasons.append(f"the programme is for {levels} roles")
    months = months_in_role(person=person, on=on)
    if months < cohort.min_months_in_role:
        reasons.append(f"it needs {cohort.min_months_in_role} months in your current role (you have {months})")
    if cohort.region_id and not person.organisation.path.startswith(cohort.region.path):
        reasons.append(f"this cohort is for {cohort.region.name}")
    return reasons


@transaction.atomic
def cohort_apply(*, cohort: Cohort, person, statement: str, by) -> CohortApplication:
    """Apply to a cohort; the line manager is asked to support it."""
    reasons = cohort_eligibility(cohort=cohort, person=person)
    if reasons:
        raise ValidationError(f"You cannot apply: {'; '.join(reasons)}.")
    if not statement.strip():
        raise ValidationError("Say why you want to join and what you will bring back to your work.")
    if CohortApplication.objects.filter(cohort=cohort, person=person).exists():
        raise ValidationError("You have already applied to this cohort.")
    application = CohortApplication.objects.create(cohort=cohort, person=person, statement=statement.strip())
    _audit(by, application, "applied")
    return application


@transaction.atomic
def application_support(*, application: CohortApplication, support: bool, note: str, by) -> CohortApplication:
    """The applicant's line manager supports the application or explains why not."""
    application = CohortApplication.objects.select_for_update().get(pk=application.pk)
    if application.status != Status.SUBMITTED:
        raise ValidationError("This application is no longer waiting for support.")
    if not support and not note.strip():
        raise ValidationError("Say why you do not support the application.")
    application.status = Status.SUPPORTED if support else Status.NOT_SUPPORTED
    application.manager, application.manager_note = by, note.strip()
    application.save(update_fields=["status", "manager", "manager_note", "updated_at"])
    _audit(by, application, application.status)
    return application


@transaction.atomic
def application_decide(*, application: CohortApplication, decision: str, reason: str, by) -> CohortApplication:
    """Select, waitlist or not select a supported application, with the reason recorded; places are enforced."""
    cohort = Cohort.objects.select_for_update().get(pk=application.cohort_id)
    application = CohortApplication.objects.select_for_update().get(pk=application.pk)
    if decision not in (Status.SELECTED, Status.WAITLISTED, Status.NOT_SELECTED):
        raise ValidationError("Choose selected, waiting list or not selected.")
    if application.status not in (Status.SUPPORTED, Status.WAITLISTED):
        raise ValidationError("Only supported or waiting-list applications can be decided.")
    if not reason.strip():
        raise ValidationError("Record the reason for the decision: selection must be explainable.")
    if decision == Status.SELECTED:
        taken = cohort.applications.filter(status__in=[Status.SELECTED, Status.COMPLETED]).count()
        if taken >= cohort.places:
            raise ValidationError(f"All {cohort.places} places are taken: put the application on the waiting list.")
    application.status, application.decision_reason = decision, reason.strip()
    application.decided_by, application.decided_at = by, timezone.now()
    application.save(update_fields=["status", "decision_reason", "decided_by", "decided_at", "updated_at"])
    _audit(by, application, decision)
    return application


@transaction.atomic
def application_complete(*, application: CohortApplication, sessions: int, on: date, by) -> CohortApplication:
    """Record attendance and completion; the completion becomes a training record of the programme's module."""
    application = (
        CohortApplication.objects.select_for_update(of=("self",))
        .select_related("cohort", "cohort__module", "cohort__provider")
        .get(pk=application.pk)
    )
    if application.status != Status.SELECTED:
        raise ValidationError("Only selected participants can complete the programme.")
    application.status, application.sessions_attended, application.completed_on = Status.COMPLETED, sessions, on
    application.save(update_fields=["status", "sessions_attended", "completed_on", "updated_at"])
    cohort = application.cohort
    if cohort.module_id:
        TrainingRecord.objects.update_or_create(
            record_id=f"MCP:{cohort.code}:{application.person_id}"[:40],
            defaults={
                "person_id": application.person_id,
                "course_code": cohort.module.code,
                "mandatory": False,
                "date": on,
                "completed": True,
                "provider_code": cohort.provider.code if cohort.provider_id else "",
            },
        )
    _audit(by, application, "completed")
    return application


def cohort_funnel(*, cohort: Cohort) -> dict[str, int]:
    """How many applications reached each stage."""
    counts = cohort.applications.aggregate(
        applied=Count("id"),
        supported=Count("id", filter=~Q(status__in=[Status.SUBMITTED, Status.NOT_SUPPORTED, Status.WITHDRAWN])),
        selected=Count("id", filter=Q(status__in=[Status.SELECTED, Status.COMPLETED])),
        waitlisted=Count("id", filter=Q(status=Status.WAITLISTED)),
        completed=Count("id", filter=Q(status=Status.COMPLETED)),
    )
    return counts


def _audit(by, application: CohortApplication, what: str) -> None:
    audit_record(
        actor=Actor(user=by),
        action=AuditLog.Action.UPDATE,
        object_type="standards.CohortApplication",
        object_id=application.pk,
        object_repr=f"{application.person_id} for {application.cohort_id}",
        changes={"status": [None, what]},
        subject_person_id=application.person_id,
        organisation_id=application.person.organisation_id,
    )

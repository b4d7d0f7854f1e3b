"""Writes to frameworks: import a draft, publish it, start a new version from a published one."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from carelead.audit.models import AuditLog
from carelead.audit.services import Actor, audit_record
from carelead.standards.loading import framework_document, framework_load
from carelead.standards.models import Framework, GateException, PriorLearning


@transaction.atomic
def framework_import(*, document: dict, by) -> Framework:
    """Load a framework document as a new draft version."""
    framework = framework_load(document, status=Framework.Status.DRAFT)
    audit_record(
        actor=Actor(user=by),
        action=AuditLog.Action.CREATE,
        object_type="standards.Framework",
        object_id=framework.pk,
        object_repr=str(framework),
    )
    return framework


@transaction.atomic
def framework_publish(*, framework: Framework, by) -> Framework:
    """Publish a draft: it becomes the active, unchangeable version and the previous one retires."""
    framework = Framework.objects.select_for_update().get(pk=framework.pk)
    if framework.status != Framework.Status.DRAFT:
        raise ValidationError("Only a draft can be published.")
    retired = list(Framework.objects.filter(code=framework.code, status=Framework.Status.PUBLISHED))
    Framework.objects.filter(pk__in=[f.pk for f in retired]).update(status=Framework.Status.RETIRED)
    framework.status, framework.published_at, framework.published_by = (Framework.Status.PUBLISHED, timezone.now(), by)
    framework.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    audit_record(
        actor=Actor(user=by),
        action=AuditLog.Action.UPDATE,
        object_type="standards.Framework",
        object_id=framework.pk,
        object_repr=str(framework),
        changes={"status": ["draft", "published"], "retired": [None, [f.version for f in retired]]},
    )
    return framework


@transaction.atomic
def framework_new_version(*, framework: Framework, by) -> Framework:
    """Start the next draft version as a copy of an existing version."""
    if Framework.objects.filter(code=framework.code, status=Framework.Status.DRAFT).exists():
        raise ValidationError("A draft of this framework already exists: edit or publish that one first.")
    document = framework_document(framework)
    latest = Framework.objects.filter(code=framework.code).order_by("-version").values_list("version", flat=True)[0]
    document["version"] = latest + 1
    return framework_import(document=document, by=by)


MAX_EXCEPTION_DAYS = 365


@transaction.atomic
def exception_request(*, person, level: str, reason: str, expires_on, by) -> GateException:
    """Ask for a time-limited way past a failed gate; the reason is required and everything is audited."""
    from carelead.standards.gate import eligibility_for_level

    if not reason.strip():
        raise ValidationError("Give the reason for the exception.")
    today = timezone.localdate()
    if expires_on <= today or (expires_on - today).days > MAX_EXCEPTION_DAYS:
        raise ValidationError(f"The exception must end after today and within {MAX_EXCEPTION_DAYS} days.")
    if eligibility_for_level(person=person, level=level).eligible:
        raise ValidationError(f"{person.full_name} already meets every requirement for this level.")
    exception = GateException.objects.create(
        person=person, level=level, reason=reason.strip(), requested_by=by, expires_on=expires_on
    )
    audit_record(
        actor=Actor(user=by),
        action=AuditLog.Action.CREATE,
        object_type="standards.GateException",
        object_id=exception.pk,
        object_repr=f"{person.staff_id} to {level}",
        changes={"reason": [None, exception.reason], "expires_on": [None, expires_on.isoformat()]},
        subject_person_id=person.pk,
        organisation_id=person.organisation_id,
    )
    return exception


@transaction.atomic
def exception_decide(*, exception, approve: bool, by, note: str = "") -> GateException:
    """Approve or refuse a requested exception; the person who asked can never decide it."""
    exception = GateException.objects.select_for_update().get(pk=exception.pk)
    if exception.status != GateException.Status.REQUESTED:
        raise ValidationError("This exception has already been decided.")
    if exception.requested_by_id == by.pk:
        raise ValidationError("Someone other than the person who asked must decide an exception.")
    exception.status = GateException.Status.APPROVED if approve else GateException.Status.REFUSED
    exception.decided_by, exception.decided_at = by, timezone.now()
    exception.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    audit_record(
        actor=Actor(user=by),
        action=AuditLog.Action.UPDATE,
        object_type="standards.GateException",
        object_id=exception.pk,
        object_repr=f"{exception.person.staff_id} to {exception.level}",
        changes={"status": ["requested", exception.status], "note": [None, note]},
        subject_person_id=exception.person_id,
        organisation_id=exception.person.organisation_id,
    )
    return exception


@transaction.atomic
def person_change_level(*, person, level: str, pay_band: str, job_title: str, effective_on, by) -> None:
    """Record a promotion or appointment at a level; the progression gate decides whether it may happen."""
    from carelead.core.choices import LEVEL_ORDER
    from carelead.people.models import EmploymentChange, Person
    from carelead.standards.gate import eligibility_for_level

    person = Person.objects.select_for_update().get(pk=person.pk)
    if LEVEL_ORDER.index(level) > LEVEL_ORDER.index(person.level):
        result = eligibility_for_level(person=person, level=level, on=effective_on)
        if not result.appointable:
            raise ValidationError(result.explain())
    before = {"level": person.level, "pay_band": person.pay_band, "job_title": person.job_title}
    person.level, person.pay_band, person.job_title = level, pay_band, job_title
    person.full_clean()
    person.save(update_fields=["level", "pay_band", "job_title", "updated_at"])
    EmploymentChange.objects.create(
        person=person,
        effective_on=effective_on,
        kind=EmploymentChange.Kind.CHANGED,
        organisation_id=person.organisation_id,
        pay_band=pay_band,
        level=level,
        job_title=job_title,
        previous=before,
        source=f"page:{by.email}"[:100],
    )
    audit_record(
        actor=Actor(user=by),
        action=AuditLog.Action.UPDATE,
        object_type="people.Person",
        object_id=person.staff_id,
        changes={
            k: [before[k], v]
            for k, v in {"level": level, "pay_band": pay_band, "job_title": job_title}.items()
            if before[k] != v
        },
        subject_person_id=person.pk,
        organisation_id=person.organisation_id,
    )


@transaction.atomic
def prior_learning_apply(*, person, requirement, evidence: str, by) -> PriorLearning:
    """A person asks for their earlier learning or experience to meet a requirement."""
    if not evidence.strip():
        raise ValidationError("Describe the learning or experience and where it can be checked.")
    if PriorLearning.objects.filter(
        person=person, requirement=requirement, status__in=[PriorLearning.Status.PENDING, PriorLearning.Status.APPROVED]
    ).exists():
        raise ValidationError("You already have an application for this requirement.")
    application = PriorLearning.objects.create(person=person, requirement=requirement, evidence=evidence.strip())
    audit_record(
        actor=Actor(user=by),
        action=AuditLog.Action.CREATE,
        object_type="standards.PriorLearning",
        object_id=application.pk,
        object_repr=f"{person.staff_id} for {requirement.code}",
        subject_person_id=person.pk,
        organisation_id=person.organisation_id,
    )
    return application


@transaction.atomic
def prior_learning_review(*, application, approve: bool, note: str, by) -> PriorLearning:
    """An authorised reviewer, never the applicant, approves or rejects an application."""
    application = PriorLearning.objects.select_for_update(of=("self",)).select_related("person").get(pk=application.pk)
    if application.status != PriorLearning.Status.PENDING:
        raise ValidationError("This application has already been reviewed.")
    if by.person_id == application.person_id:
        raise ValidationError("You cannot review your own application.")
    if not approve and not note.strip():
        raise ValidationError("Say why the application is rejected.")
    application.status = PriorLearning.Status.APPROVED if approve else PriorLearning.Status.REJECTED
    application.reviewed_by, application.reviewed_on, application.review_note = by, timezone.localdate(), note.strip()
    application.save(update_fields=["status", "reviewed_by", "reviewed_on", "review_note", "updated_at"])
    audit_record(
        actor=Actor(user=by),
        action=AuditLog.Action.UPDATE,
        object_type="standards.PriorLearning",
        object_id=application.pk,
        object_repr=f"{application.person.staff_id}",
        changes={"status": ["pending", application.status]},
        subject_person_id=application.person_id,
        organisation_id=application.person.organisation_id,
    )
    return application

"""Writes to frameworks: import a draft, publish it, start a new version from a published one."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from carelead.audit.models import AuditLog
from carelead.audit.services import Actor, audit_record
from carelead.standards.loading import framework_document, framework_load
from carelead.standards.models import Framework


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

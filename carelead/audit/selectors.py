"""Reads of the audit log, limited to the reader's scope."""

from datetime import date, datetime, time

from django.db.models import Q, QuerySet
from django.utils import timezone

from carelead.accounts.permissions import Scope
from carelead.audit.models import AuditLog


def audit_list(
    *,
    scope: Scope,
    person: str = "",
    actor: str = "",
    action: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AuditLog]:
    """Audit entries the reader may see: everything nationally, else those about their organisations."""
    entries = AuditLog.objects.all()
    if not scope.national:
        entries = entries.filter(
            Q(organisation__path__startswith=scope.path) | Q(subject_person__organisation__path__startswith=scope.path)
        )
    if person:
        entries = entries.filter(Q(subject_person__staff_id=person) | Q(object_id=person))
    if actor:
        entries = entries.filter(actor_label__icontains=actor)
    if action:
        entries = entries.filter(action=action)
    tz = timezone.get_current_timezone()
    if date_from:
        entries = entries.filter(at__gte=datetime.combine(date_from, time.min, tzinfo=tz))
    if date_to:
        entries = entries.filter(at__lte=datetime.combine(date_to, time.max, tzinfo=tz))
    return entries.order_by("-at", "-id")

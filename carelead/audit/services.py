"""The Auditor: the one way to write the audit log."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone

from carelead.audit.models import AuditLog
from carelead.core.context import current_request_id


@dataclass(frozen=True)
class Actor:
    """Who acted: a signed-in user, or a named system job (an import, the demo loader)."""

    user: Any = None
    system: str = ""

    @property
    def label(self) -> str:
        if self.user is not None:
            return self.user.email
        return f"system:{self.system or 'unknown'}"

    @classmethod
    def of(cls, user) -> "Actor":
        return cls(
            user=user if user is not None and user.is_authenticated else None, system="" if user else "anonymous"
        )


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Changed fields as {field: [before, after]}."""
    return {
        key: [_plain(before.get(key)), _plain(after.get(key))]
        for key in sorted(set(before) | set(after))
        if _plain(before.get(key)) != _plain(after.get(key))
    }


@dataclass
class AuditEntry:
    action: str
    object_type: str
    object_id: str = ""
    object_repr: str = ""
    changes: dict = field(default_factory=dict)
    subject_person_id: int | None = None
    organisation_id: int | None = None


def audit_record(
    *,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: Any = "",
    object_repr: str = "",
    changes: dict | None = None,
    subject_person_id: int | None = None,
    organisation_id: int | None = None,
) -> AuditLog:
    """Write one audit entry."""
    return AuditLog.objects.create(
        at=timezone.now(),
        actor=actor.user,
        actor_label=actor.label[:200],
        action=action,
        object_type=object_type,
        object_id=str(object_id)[:64],
        object_repr=object_repr[:255],
        changes=changes or {},
        subject_person_id=subject_person_id,
        organisation_id=organisation_id,
        request_id=current_request_id(),
    )


def audit_bulk(*, actor: Actor, entries: Iterable[AuditEntry], batch_size: int = 2000) -> int:
    """Write many audit entries in batches (for imports and other bulk writes)."""
    now = timezone.now()
    request_id = current_request_id()
    rows = [
        AuditLog(
            at=now,
            actor=actor.user,
            actor_label=actor.label[:200],
            action=e.action,
            object_type=e.object_type,
            object_id=str(e.object_id)[:64],
            object_repr=e.object_repr[:255],
            changes=e.changes,
            subject_person_id=e.subject_person_id,
            organisation_id=e.organisation_id,
            request_id=request_id,
        )
        for e in entries
    ]
    AuditLog.objects.bulk_create(rows, batch_size=batch_size)
    return len(rows)

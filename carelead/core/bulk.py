"""Batch upsert shared by the import kinds: one read of what exists, then bulk creates and updates, audited."""

from collections.abc import Callable, Sequence
from typing import Any

from django.db import models

from carelead.audit.models import AuditLog
from carelead.audit.services import AuditEntry, audit_bulk, diff
from carelead.core.importing import WriteCounts


def bulk_upsert(
    *,
    model: type[models.Model],
    key_fields: Sequence[str],
    records: list[dict[str, Any]],
    actor,
    source: str,
    redact: frozenset[str] = frozenset(),
    audit_org: Callable[[dict[str, Any]], int | None] | None = None,
    audit_person: Callable[[dict[str, Any]], int | None] | None = None,
) -> tuple[WriteCounts, dict[tuple, int]]:
    """Create or update ``records`` (dicts of field attnames) by their key; returns counts and key -> pk.

    Fields named in ``redact`` are audited by name only, so special-category values never reach the log.
    """
    counts = WriteCounts()
    if not records:
        return counts, {}
    fields = [f for f in records[0] if f not in key_fields]
    # Narrow by each key field's values (a long OR of composite keys overflows SQLite's expression depth),
    # then match whole keys here.
    key_filter = models.Q(**{f"{k}__in": {r[k] for r in records} for k in key_fields})
    wanted = {tuple(r[k] for k in key_fields) for r in records}
    existing = {
        key: row
        for row in model.objects.filter(key_filter).values("pk", *key_fields, *fields)
        if (key := tuple(row[k] for k in key_fields)) in wanted
    }
    label = model._meta.label
    to_create: list[models.Model] = []
    to_update: list[models.Model] = []
    changed_fields: set[str] = set()
    entries: list[AuditEntry] = []
    pks: dict[tuple, int] = {}
    for record in records:
        key = tuple(record[k] for k in key_fields)
        current = existing.get(key)
        if current is None:
            to_create.append(model(**record))
            continue
        pks[key] = current["pk"]
        changes = diff({f: current[f] for f in fields}, {f: record[f] for f in fields})
        if not changes:
            counts.unchanged += 1
            continue
        counts.updated += 1
        changed_fields.update(changes)
        to_update.append(model(pk=current["pk"], **record))
        shown = {f: (["(changed)", "(changed)"] if f in redact else v) for f, v in changes.items()}
        entries.append(
            AuditEntry(
                action=AuditLog.Action.UPDATE,
                object_type=label,
                object_id="/".join(map(str, key)),
                changes=shown,
                organisation_id=audit_org(record) if audit_org else None,
                subject_person_id=audit_person(record) if audit_person else None,
            )
        )
    if to_create:
        model.objects.bulk_create(to_create, batch_size=1000)
        counts.created += len(to_create)
        for obj in to_create:
            pks[tuple(getattr(obj, k) for k in key_fields)] = obj.pk
        first, last = to_create[0], to_create[-1]
        entries.append(
            AuditEntry(
                action=AuditLog.Action.BULK_CREATE,
                object_type=label,
                object_id=f"{len(to_create)} records",
                object_repr=f"{_key_text(first, key_fields)} … {_key_text(last, key_fields)}"[:255],
                changes={"count": len(to_create), "source": source},
            )
        )
    if to_update:
        model.objects.bulk_update(to_update, sorted(changed_fields), batch_size=1000)
    audit_bulk(actor=actor, entries=entries)
    return counts, pks


def _key_text(obj: models.Model, key_fields: Sequence[str]) -> str:
    return "/".join(str(getattr(obj, k)) for k in key_fields)

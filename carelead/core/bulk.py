"""Batch upsert shared by the import kinds: one read of what exists, then bulk creates and updates, audited."""

import json
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
    to_create: list[dict[str, Any]] = []
    to_update: list[models.Model] = []
    changed_fields: set[str] = set()
    entries: list[AuditEntry] = []
    pks: dict[tuple, int] = {}
    for record in records:
        key = tuple(record[k] for k in key_fields)
        current = existing.get(key)
        if current is None:
            to_create.append(record)
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
        new_ids = fast_insert(model=model, rows=to_create, return_ids=True)
        counts.created += len(to_create)
        for record, pk in zip(to_create, new_ids, strict=True):
            pks[tuple(record[k] for k in key_fields)] = pk
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


def _key_text(record: dict[str, Any], key_fields: Sequence[str]) -> str:
    return "/".join(str(record[k]) for k in key_fields)


def _converter(field, connection):
    """How one field's Python value becomes a database parameter, decided once per field, not per value."""
    from django.db.models import DateField, DateTimeField, DecimalField, JSONField

    if isinstance(field, DateTimeField):
        return connection.ops.adapt_datetimefield_value
    if isinstance(field, DateField):
        return connection.ops.adapt_datefield_value
    if isinstance(field, DecimalField):
        return lambda v: connection.ops.adapt_decimalfield_value(v, field.max_digits, field.decimal_places)
    if isinstance(field, JSONField):
        return lambda v: None if v is None else json.dumps(v, cls=field.encoder)
    return None


def fast_insert(*, model: type[models.Model], rows: list[dict[str, Any]], return_ids: bool = False) -> list[int]:
    """Insert plain dicts of attnames with multi-row INSERTs, skipping the ORM's per-value machinery.

    For the import and demo hot paths, where Model.objects.bulk_create spends most of its time resolving
    expressions. Values must already be valid (the import runner has checked them). auto_now fields not given
    are set to now. Returns the new primary keys, in order, when asked.
    """
    if not rows:
        return []
    names = list(rows[0])
    if model._meta.pk.attname in names:
        # The key is given (a one-to-one primary key): nothing to allocate or read back.
        _insert(model, rows, names)
        return [row[model._meta.pk.attname] for row in rows] if return_ids else []
    return _insert(model, rows, names, return_ids=return_ids)


def _insert(
    model: type[models.Model], rows: list[dict[str, Any]], names: list[str], *, return_ids: bool = False
) -> list[int]:
    from django.db import connection
    from django.utils import timezone

    meta = model._meta
    now = timezone.now()
    stamped = [
        f.attname for f in meta.concrete_fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    stamped = [name for name in stamped if name not in names]
    by_attname = {f.attname: f for f in meta.concrete_fields}
    defaulted = [
        f.attname
        for f in meta.concrete_fields
        if f.attname not in names and f.attname not in stamped and not f.primary_key
    ]
    fields = [by_attname[n] for n in [*names, *stamped, *defaulted]]
    stamp_values = [now] * len(stamped) + [by_attname[n].get_default() for n in defaulted]
    if connection.vendor == "postgresql":
        return _copy_insert(meta, fields, names, rows, stamp_values, return_ids)
    converters = [_converter(f, connection) for f in fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    returning = f" RETURNING {connection.ops.quote_name(meta.pk.column)}" if return_ids else ""
    per_statement = max(1, min(500, 30000 // len(fields)))
    ids: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            params: list[Any] = []
            for row in chunk:
                values = [row[n] for n in names] + stamp_values
                params.extend(c(v) if c and v is not None else v for c, v in zip(converters, values, strict=True))
            # Table and column names come from the model; every value is a bound parameter.
            table = connection.ops.quote_name(meta.db_table)
            values_sql = ", ".join([one] * len(chunk))
            sql = f"INSERT INTO {table} ({columns}) VALUES {values_sql}{returning}"  # noqa: S608
            cursor.execute(sql, params)
            if return_ids:
                ids.extend(r[0] for r in cursor.fetchall())
    return ids


def _copy_insert(meta, fields, names, rows, extra_values, return_ids: bool) -> list[int]:
    """PostgreSQL: COPY the rows in, with ids drawn from the table's sequence first when they are wanted."""
    from django.db import connection
    from django.db.models import JSONField

    quote = connection.ops.quote_name
    json_positions = {i for i, f in enumerate(fields) if isinstance(f, JSONField)}
    ids: list[int] = []
    columns = [quote(f.column) for f in fields]
    with connection.cursor() as cursor:
        if return_ids:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, len(rows)],
            )
            ids = [r[0] for r in cursor.fetchall()]
            columns = [quote(meta.pk.column), *columns]
        raw = cursor.cursor
        with raw.copy(f"COPY {quote(meta.db_table)} ({', '.join(columns)}) FROM STDIN") as copy:
            for index, row in enumerate(rows):
                values = [row[n] for n in names] + extra_values
                for position in json_positions:
                    values[position] = None if values[position] is None else json.dumps(values[position])
                copy.write_row([ids[index], *values] if return_ids else values)
    return ids

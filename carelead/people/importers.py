"""The staff import KIND: people, their employment history and their equality monitoring."""

from collections.abc import Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from carelead.audit.models import AuditLog
from carelead.audit.services import AuditEntry, audit_bulk, diff
from carelead.core.bulk import fast_insert
from carelead.core.choices import LEVEL_ORDER, Disability, Level, PayBand, Sex, is_valid_ethnic_category
from carelead.core.importing import (
    BatchContext,
    CellError,
    Column,
    ImportKind,
    Row,
    WriteCounts,
    choice,
    parse_bool,
    parse_date,
    text,
)
from carelead.core.references import org_ids, person_ids, unknown_org_message
from carelead.people.models import EmploymentChange, EqualityMonitoring, Person

PERSON_FIELDS = (
    "organisation_id",
    "first_name",
    "last_name",
    "email",
    "job_title",
    "staff_group",
    "pay_band",
    "level",
    "start_date",
    "end_date",
    "bank",
)
HISTORY_FIELDS = ("organisation_id", "pay_band", "level", "job_title")
MONITORING_FIELDS = ("sex", "ethnic_category", "disability", "sexual_orientation", "religion", "date_of_birth")
YOUNGEST_AGE = 15


def parse_email(value: str) -> str:
    if value == "":
        return ""
    try:
        validate_email(value)
    except ValidationError:
        raise CellError("invalid_email", f"'{value}' is not an email address") from None
    return value.lower()


def parse_ethnic_category(value: str) -> str:
    code = value.upper()
    if not is_valid_ethnic_category(code):
        raise CellError(
            "invalid_code",
            f"'{value}' is not an NHS ethnic category code (one of the letters A–H, J–N, P, R, S or Z, "
            "optionally followed by one local character, or Z, 99 or blank)",
        )
    return code


def parse_bank(value: str) -> bool:
    parsed = parse_bool(value)
    return False if parsed is None else parsed


class StaffImport(ImportKind):
    name = "staff"
    title = "Staff"
    key = ("staff_id",)
    columns = [
        Column("staff_id", required=True, parse=text(32)),
        Column("org_code", required=True, parse=text(12)),
        Column("first_name", required=True, parse=text(100)),
        Column("last_name", required=True, parse=text(100)),
        Column("email", parse=parse_email),
        Column("job_title", parse=text(200)),
        Column("staff_group", parse=text(100)),
        Column("pay_band", required=True, parse=choice(PayBand.values)),
        Column("level", required=True, parse=choice(Level.values)),
        Column("line_manager_id", parse=text(32)),
        Column("start_date", required=True, parse=parse_date),
        Column("end_date", parse=parse_date),
        Column("bank", parse=parse_bank),
        Column("sex", parse=choice(Sex.values, blank=Sex.UNKNOWN)),
        Column("ethnic_category", parse=parse_ethnic_category),
        Column("disability", parse=choice(Disability.values, blank=Disability.UNKNOWN)),
        Column("sexual_orientation", parse=text(60)),
        Column("religion", parse=text(60)),
        Column("date_of_birth", parse=parse_date),
    ]

    def check_batch(self, rows: list[Row], ctx: BatchContext) -> list[Row]:
        orgs = org_ids(ctx)
        managers = person_ids((r.values["line_manager_id"] for r in rows), ctx)
        current_levels = dict(
            Person.objects.filter(staff_id__in=[r.values["staff_id"] for r in rows]).values_list("staff_id", "level")
        )
        # A person held elsewhere (outside the scope) cannot be taken over by this file.
        if ctx.scope_path:
            outside = set(
                Person.objects.filter(staff_id__in=[r.values["staff_id"] for r in rows])
                .exclude(organisation__path__startswith=ctx.scope_path)
                .values_list("staff_id", flat=True)
            )
        else:
            outside = set()
        valid = []
        for row in rows:
            v = row.values
            ok = True
            if v["org_code"] not in orgs:
                ctx.problem(row, "org_code", "unknown_reference", unknown_org_message(ctx, v["org_code"]))
                ok = False
            if v["staff_id"] in outside:
                ctx.problem(
                    row, "staff_id", "outside_scope", f"'{v['staff_id']}' is held by an organisation you do not act for"
                )
                ok = False
            manager = v["line_manager_id"]
            if manager and manager == v["staff_id"]:
                ctx.problem(row, "line_manager_id", "self_reference", "a person cannot be their own line manager")
                ok = False
            elif manager and manager not in managers and not ctx.defined_before((manager,), row):
                ctx.problem(
                    row,
                    "line_manager_id",
                    "unknown_reference",
                    f"no member of staff has the ID '{manager}' "
                    "(a line manager must be already held or earlier in the file)",
                )
                ok = False
            if v["end_date"] and v["end_date"] < v["start_date"]:
                ctx.problem(row, "end_date", "before_start", "the last day worked is before the start date")
                ok = False
            born = v["date_of_birth"]
            if born and (born.year + YOUNGEST_AGE, born.month, born.day) > (
                v["start_date"].year,
                v["start_date"].month,
                v["start_date"].day,
            ):
                ctx.problem(
                    row,
                    "date_of_birth",
                    "implausible_date",
                    f"a person born on {born.isoformat()} would be under {YOUNGEST_AGE} on the start date",
                )
                ok = False
            if ok and _is_promotion(current_levels.get(v["staff_id"]), v["level"]):
                refusal = _gate_refusal(v["staff_id"], v["level"])
                if refusal:
                    ctx.problem(row, "level", "gate_not_met", refusal)
                    ok = False
            if ok:
                valid.append(row)
        return valid

    def write_batch(self, rows: list[Row], ctx: BatchContext) -> WriteCounts:
        orgs = org_ids(ctx)
        today = timezone.localdate()
        keys = [r.values["staff_id"] for r in rows]
        existing = {
            p["staff_id"]: p
            for p in Person.objects.filter(staff_id__in=keys).values(
                "id", "staff_id", "line_manager__staff_id", *PERSON_FIELDS
            )
        }
        monitoring = {
            m["person_id"]: m
            for m in EqualityMonitoring.objects.filter(person__staff_id__in=keys).values(
                "person_id", "updated_by_self", *MONITORING_FIELDS
            )
        }
        # Every person this batch may point at as a line manager: those in it, and those already held.
        ids = {p["staff_id"]: p["id"] for p in existing.values()}
        outside_batch = {r.values["line_manager_id"] for r in rows if r.values["line_manager_id"]} - set(keys)
        ids.update(person_ids(outside_batch - set(ids), ctx))

        counts = WriteCounts()
        new_rows: list[Row] = []
        updates: list[Person] = []
        updated_fields: set[str] = set()
        history: list[dict] = []
        entries: list[AuditEntry] = []
        monitoring_new: list[dict] = []
        monitoring_updates: list[EqualityMonitoring] = []
        kept_own_answers = 0
        for row in rows:
            v = row.values
            current = existing.get(v["staff_id"])
            if current is None:
                new_rows.append(row)
                continue
            record = self._record(v, orgs)
            changes = diff({f: current[f] for f in PERSON_FIELDS}, record)
            if (current["line_manager__staff_id"] or "") != v["line_manager_id"]:
                changes["line_manager"] = [current["line_manager__staff_id"] or "", v["line_manager_id"]]
                record["line_manager_id"] = ids[v["line_manager_id"]] if v["line_manager_id"] else None
            mon_before = monitoring.get(current["id"])
            mon_after = {f: v[f] for f in MONITORING_FIELDS}
            if mon_before is None:
                monitoring_new.append({"person_id": current["id"], **mon_after, "updated_by_self": False})
            elif any(mon_before[f] != mon_after[f] for f in MONITORING_FIELDS):
                if mon_before["updated_by_self"]:
                    # A person's own answers outrank the HR system's copy.
                    kept_own_answers += 1
                else:
                    monitoring_updates.append(EqualityMonitoring(person_id=current["id"], **mon_after))
                    for field in MONITORING_FIELDS:
                        if mon_before[field] != mon_after[field]:
                            changes[field] = ["(changed)", "(changed)"]  # values never reach the log
            if not changes:
                counts.unchanged += 1
                continue
            counts.updated += 1
            person_changes = {
                f: record[f]
                for f in (*PERSON_FIELDS, "line_manager_id")
                if f in changes or (f == "line_manager_id" and "line_manager" in changes)
            }
            if person_changes:
                updates.append(Person(id=current["id"], **person_changes))
                updated_fields.update(person_changes)
            if any(f in changes for f in HISTORY_FIELDS):
                history.append(
                    self._history(
                        current["id"],
                        record,
                        today,
                        EmploymentChange.Kind.CHANGED,
                        ctx.source,
                        {f: _plain(current[f]) for f in HISTORY_FIELDS if f in changes},
                    )
                )
            if record["end_date"] and not current["end_date"]:
                history.append(
                    self._history(current["id"], record, record["end_date"], EmploymentChange.Kind.LEFT, ctx.source)
                )
            entries.append(
                AuditEntry(
                    action=AuditLog.Action.UPDATE,
                    object_type="people.Person",
                    object_id=v["staff_id"],
                    changes=changes,
                    subject_person_id=current["id"],
                    organisation_id=record["organisation_id"],
                )
            )

        # New people are written in waves so that a manager earlier in this batch has an id before their reports.
        pending = new_rows
        while pending:
            ready = [r for r in pending if not r.values["line_manager_id"] or r.values["line_manager_id"] in ids]
            if not ready:
                break
            ready_ids = {id(r) for r in ready}
            pending = [r for r in pending if id(r) not in ready_ids]
            records = []
            for r in ready:
                record = self._record(r.values, orgs)
                record["staff_id"] = r.values["staff_id"]
                record["line_manager_id"] = ids[r.values["line_manager_id"]] if r.values["line_manager_id"] else None
                records.append(record)
            for record, pk in zip(records, fast_insert(model=Person, rows=records, return_ids=True), strict=True):
                ids[record["staff_id"]] = pk
                history.append(
                    self._history(pk, record, record["start_date"], EmploymentChange.Kind.STARTED, ctx.source)
                )
            monitoring_new.extend(
                {
                    "person_id": ids[r.values["staff_id"]],
                    **{f: r.values[f] for f in MONITORING_FIELDS},
                    "updated_by_self": False,
                }
                for r in ready
            )
        if new_rows:
            counts.created += len(new_rows)
            entries.append(
                AuditEntry(
                    action=AuditLog.Action.BULK_CREATE,
                    object_type="people.Person",
                    object_id=f"{len(new_rows)} records",
                    object_repr=f"{new_rows[0].values['staff_id']} … {new_rows[-1].values['staff_id']}",
                    changes={"count": len(new_rows), "source": ctx.source},
                )
            )
        if updates:
            Person.objects.bulk_update(updates, sorted(updated_fields), batch_size=1000)
        fast_insert(model=EmploymentChange, rows=history)
        fast_insert(model=EqualityMonitoring, rows=monitoring_new)
        if monitoring_updates:
            EqualityMonitoring.objects.bulk_update(monitoring_updates, list(MONITORING_FIELDS), batch_size=1000)
        if kept_own_answers:
            ctx.note(
                "{n} people had given their own equality monitoring answers; the file's answers were not used",
                kept_own_answers,
            )
        audit_bulk(actor=ctx.actor, entries=entries)
        return counts

    @staticmethod
    def _record(v: dict[str, Any], orgs: dict[str, int]) -> dict[str, Any]:
        return {
            "organisation_id": orgs[v["org_code"]],
            "first_name": v["first_name"],
            "last_name": v["last_name"],
            "email": v["email"],
            "job_title": v["job_title"],
            "staff_group": v["staff_group"],
            "pay_band": v["pay_band"],
            "level": v["level"],
            "start_date": v["start_date"],
            "end_date": v["end_date"],
            "bank": v["bank"],
        }

    @staticmethod
    def _history(
        person_id: int, record: dict[str, Any], effective_on, kind: str, source: str, previous: dict | None = None
    ) -> dict[str, Any]:
        return {
            "person_id": person_id,
            "effective_on": effective_on,
            "kind": kind,
            "organisation_id": record["organisation_id"],
            "pay_band": record["pay_band"],
            "level": record["level"],
            "job_title": record["job_title"],
            "previous": previous or {},
            "source": source[:100],
        }

    def export_rows(self) -> Iterator[dict[str, Any]]:
        fields = (
            "staff_id",
            "organisation__code",
            "first_name",
            "last_name",
            "email",
            "job_title",
            "staff_group",
            "pay_band",
            "level",
            "line_manager__staff_id",
            "start_date",
            "end_date",
            "bank",
            "monitoring__sex",
            "monitoring__ethnic_category",
            "monitoring__disability",
            "monitoring__sexual_orientation",
            "monitoring__religion",
            "monitoring__date_of_birth",
        )
        for p in Person.objects.order_by("staff_id").values(*fields).iterator(chunk_size=5000):
            yield {
                "staff_id": p["staff_id"],
                "org_code": p["organisation__code"],
                "first_name": p["first_name"],
                "last_name": p["last_name"],
                "email": p["email"],
                "job_title": p["job_title"],
                "staff_group": p["staff_group"],
                "pay_band": p["pay_band"],
                "level": p["level"],
                "line_manager_id": p["line_manager__staff_id"] or "",
                "start_date": p["start_date"],
                "end_date": p["end_date"],
                "bank": p["bank"],
                "sex": p["monitoring__sex"] or Sex.UNKNOWN,
                "ethnic_category": p["monitoring__ethnic_category"] or "",
                "disability": p["monitoring__disability"] or Disability.UNKNOWN,
                "sexual_orientation": p["monitoring__sexual_orientation"] or "",
                "religion": p["monitoring__religion"] or "",
                "date_of_birth": p["monitoring__date_of_birth"],
            }


def _is_promotion(before: str | None, after: str) -> bool:
    """A held person's level going up (new records load existing appointments and are not gated)."""
    return before is not None and LEVEL_ORDER.index(after) > LEVEL_ORDER.index(before)


def _gate_refusal(staff_id: str, level: str) -> str:
    """Why the progression gate refuses raising this person to ``level`` today, or '' when it allows it."""
    from carelead.standards.gate import eligibility_for_level

    result = eligibility_for_level(person=Person.objects.get(staff_id=staff_id), level=level)
    if result.appointable:
        return ""
    return (
        f"{staff_id} cannot move up to {level}: {result.explain()}. Record the missing training or an "
        "approved gate exception first"
    )


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value

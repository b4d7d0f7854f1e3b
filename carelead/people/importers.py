"""The staff import KIND: people, their employment history and their equality monitoring."""

from collections.abc import Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from carelead.audit.models import AuditLog
from carelead.audit.services import AuditEntry, audit_bulk, diff
from carelead.core.choices import Disability, Level, PayBand, Sex, is_valid_ethnic_category
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
MONITORING_FIELDS = ("sex", "ethnic_category", "disability", "sexual_orientation", "religion")


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
    ]

    def check_batch(self, rows: list[Row], ctx: BatchContext) -> list[Row]:
        orgs = org_ids(ctx)
        managers = person_ids((r.values["line_manager_id"] for r in rows), ctx)
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
                ctx.problem(row, "staff_id", "outside_scope",
                            f"'{v['staff_id']}' is held by an organisation you do not act for")
                ok = False
            manager = v["line_manager_id"]
            if manager and manager == v["staff_id"]:
                ctx.problem(row, "line_manager_id", "self_reference", "a person cannot be their own line manager")
                ok = False
            elif manager and manager not in managers and not ctx.defined_before((manager,), row):
                ctx.problem(
                    row, "line_manager_id", "unknown_reference",
                    f"no member of staff has the ID '{manager}' (a line manager must be already held or earlier in the file)",
                )
                ok = False
            if v["end_date"] and v["end_date"] < v["start_date"]:
                ctx.problem(row, "end_date", "before_start", "the last day worked is before the start date")
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
                "person_id", *MONITORING_FIELDS
            )
        }
        counts = WriteCounts()
        new_people: list[Person] = []
        updates: list[Person] = []
        updated_fields: set[str] = set()
        history: list[EmploymentChange] = []
        entries: list[AuditEntry] = []
        changed_ids: set[int] = set()
        for row in rows:
            v = row.values
            record = {
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
            current = existing.get(v["staff_id"])
            if current is None:
                new_people.append(Person(staff_id=v["staff_id"], **record))
                continue
            changes = diff({f: current[f] for f in PERSON_FIELDS}, record)
            if (current["line_manager__staff_id"] or "") != v["line_manager_id"]:
                changes["line_manager"] = [current["line_manager__staff_id"] or "", v["line_manager_id"]]
            mon_before = monitoring.get(current["id"], {})
            mon_after = {f: v[f] for f in MONITORING_FIELDS}
            for field in diff({f: mon_before.get(f, _blank_monitoring(f)) for f in MONITORING_FIELDS}, mon_after):
                changes[field] = ["(changed)", "(changed)"]  # special-category values never reach the log
            if not changes:
                counts.unchanged += 1
                continue
            counts.updated += 1
            changed_ids.add(current["id"])
            person_changes = {f: record[f] for f in PERSON_FIELDS if f in changes}
            if person_changes:
                updates.append(Person(id=current["id"], **person_changes))
                updated_fields.update(person_changes)
            if any(f in changes for f in HISTORY_FIELDS):
                history.append(
                    EmploymentChange(
                        person_id=current["id"],
                        effective_on=today,
                        kind=EmploymentChange.Kind.CHANGED,
                        organisation_id=record["organisation_id"],
                        pay_band=record["pay_band"],
                        level=record["level"],
                        job_title=record["job_title"],
                        previous={f: _plain(current[f]) for f in HISTORY_FIELDS if f in changes},
                        source=ctx.source,
                    )
                )
            if record["end_date"] and not current["end_date"]:
                history.append(
                    EmploymentChange(
                        person_id=current["id"],
                        effective_on=record["end_date"],
                        kind=EmploymentChange.Kind.LEFT,
                        organisation_id=record["organisation_id"],
                        pay_band=record["pay_band"],
                        level=record["level"],
                        job_title=record["job_title"],
                        source=ctx.source,
                    )
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

        if new_people:
            Person.objects.bulk_create(new_people, batch_size=1000)
            counts.created += len(new_people)
            for person in new_people:
                history.append(
                    EmploymentChange(
                        person_id=person.id,
                        effective_on=person.start_date,
                        kind=EmploymentChange.Kind.STARTED,
                        organisation_id=person.organisation_id,
                        pay_band=person.pay_band,
                        level=person.level,
                        job_title=person.job_title,
                        source=ctx.source,
                    )
                )
            entries.append(
                AuditEntry(
                    action=AuditLog.Action.BULK_CREATE,
                    object_type="people.Person",
                    object_id=f"{len(new_people)} records",
                    object_repr=f"{new_people[0].staff_id} … {new_people[-1].staff_id}",
                    changes={"count": len(new_people), "source": ctx.source},
                )
            )
        if updates:
            Person.objects.bulk_update(updates, sorted(updated_fields), batch_size=1000)
        if history:
            EmploymentChange.objects.bulk_create(history, batch_size=1000)

        ids = {p["staff_id"]: p["id"] for p in existing.values()}
        ids.update({p.staff_id: p.id for p in new_people})
        wanted_managers = {r.values["line_manager_id"] for r in rows if r.values["line_manager_id"]} - set(ids)
        ids.update(person_ids(wanted_managers, ctx))
        manager_updates = []
        for row in rows:
            v = row.values
            person_id = ids[v["staff_id"]]
            current = existing.get(v["staff_id"])
            before = current["line_manager__staff_id"] if current else None
            if (before or "") != v["line_manager_id"]:
                manager_updates.append(
                    Person(id=person_id, line_manager_id=ids[v["line_manager_id"]] if v["line_manager_id"] else None)
                )
        if manager_updates:
            Person.objects.bulk_update(manager_updates, ["line_manager_id"], batch_size=1000)

        new_monitoring = []
        monitoring_updates = []
        for row in rows:
            v = row.values
            person_id = ids[v["staff_id"]]
            values = {f: v[f] for f in MONITORING_FIELDS}
            before = monitoring.get(person_id)
            if before is None:
                new_monitoring.append(EqualityMonitoring(person_id=person_id, **values))
            elif person_id in changed_ids and any(before[f] != values[f] for f in MONITORING_FIELDS):
                monitoring_updates.append(EqualityMonitoring(person_id=person_id, updated_by_self=False, **values))
        if new_monitoring:
            EqualityMonitoring.objects.bulk_create(new_monitoring, batch_size=1000)
        if monitoring_updates:
            EqualityMonitoring.objects.bulk_update(
                monitoring_updates, [*MONITORING_FIELDS, "updated_by_self"], batch_size=1000
            )
        audit_bulk(actor=ctx.actor, entries=entries)
        return counts

    def export_rows(self) -> Iterator[dict[str, Any]]:
        fields = (
            "staff_id", "organisation__code", "first_name", "last_name", "email", "job_title", "staff_group",
            "pay_band", "level", "line_manager__staff_id", "start_date", "end_date", "bank",
            "monitoring__sex", "monitoring__ethnic_category", "monitoring__disability",
            "monitoring__sexual_orientation", "monitoring__religion",
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
            }


def _blank_monitoring(field: str) -> str:
    return {"sex": Sex.UNKNOWN, "disability": Disability.UNKNOWN}.get(field, "")


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value

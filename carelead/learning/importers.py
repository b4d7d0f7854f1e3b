"""The training import KIND."""

from collections.abc import Iterator
from typing import Any

from carelead.core.bulk import bulk_upsert
from carelead.core.importing import (
    BatchContext,
    Column,
    ImportKind,
    Row,
    WriteCounts,
    parse_bool,
    parse_date,
    text,
)
from carelead.core.references import check_people
from carelead.learning.models import TrainingRecord


def _completed(value: str) -> bool:
    parsed = parse_bool(value)
    return True if parsed is None else parsed


class TrainingImport(ImportKind):
    name = "training"
    title = "Training records"
    key = ("record_id",)
    columns = [
        Column("record_id", required=True, parse=text(40)),
        Column("staff_id", required=True, parse=text(32)),
        Column("course_code", required=True, parse=text(40)),
        Column("mandatory", required=True, parse=parse_bool),
        Column("date", required=True, parse=parse_date),
        Column("completed", parse=_completed),
        Column("expires_on", parse=parse_date),
        Column("provider_code", parse=text(20)),
    ]

    def check_batch(self, rows: list[Row], ctx: BatchContext) -> list[Row]:
        valid = []
        for row in check_people(rows, ctx):
            if row.values["expires_on"] and row.values["expires_on"] < row.values["date"]:
                ctx.problem(row, "expires_on", "before_start", "the record expires before its date")
            else:
                valid.append(row)
        return valid

    def write_batch(self, rows: list[Row], ctx: BatchContext) -> WriteCounts:
        people = ctx.seen["__person_ids__"]
        records = [
            {
                "record_id": r.values["record_id"],
                "person_id": people[r.values["staff_id"]],
                "course_code": r.values["course_code"],
                "mandatory": r.values["mandatory"],
                "date": r.values["date"],
                "completed": r.values["completed"],
                "expires_on": r.values["expires_on"],
                "provider_code": r.values["provider_code"],
            }
            for r in rows
        ]
        counts, _ = bulk_upsert(
            model=TrainingRecord,
            key_fields=("record_id",),
            records=records,
            actor=ctx.actor,
            source=ctx.source,
            audit_person=lambda rec: rec["person_id"],
        )
        return counts

    def export_rows(self) -> Iterator[dict[str, Any]]:
        for t in (
            TrainingRecord.objects.order_by("record_id")
            .values(
                "record_id",
                "person__staff_id",
                "course_code",
                "mandatory",
                "date",
                "completed",
                "expires_on",
                "provider_code",
            )
            .iterator(chunk_size=5000)
        ):
            yield {"staff_id": t.pop("person__staff_id"), **t}

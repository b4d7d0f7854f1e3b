"""The board_members import KIND."""

from collections.abc import Iterator
from typing import Any

from carelead.boards.models import BoardMember, BoardMemberMonitoring
from carelead.core.bulk import bulk_upsert
from carelead.core.choices import BoardRole, Disability, Sex
from carelead.core.importing import (
    BatchContext,
    Column,
    ImportKind,
    Row,
    WriteCounts,
    choice,
    parse_bool,
    parse_date,
    text,
)
from carelead.core.references import check_org, check_people, org_ids
from carelead.people.importers import parse_ethnic_category

MONITORING = ("sex", "ethnic_category", "disability")


class BoardMembersImport(ImportKind):
    name = "board_members"
    title = "Board members"
    key = ("member_id",)
    columns = [
        Column("member_id", required=True, parse=text(32)),
        Column("org_code", required=True, parse=text(12)),
        Column("name", required=True, parse=text(200)),
        Column("role", required=True, parse=choice(BoardRole.values)),
        Column("voting", required=True, parse=parse_bool),
        Column("start_date", required=True, parse=parse_date),
        Column("end_date", parse=parse_date),
        Column("staff_id", parse=text(32)),
        Column("sex", parse=choice(Sex.values, blank=Sex.UNKNOWN)),
        Column("ethnic_category", parse=parse_ethnic_category),
        Column("disability", parse=choice(Disability.values, blank=Disability.UNKNOWN)),
    ]

    def check_batch(self, rows: list[Row], ctx: BatchContext) -> list[Row]:
        valid = []
        for row in check_people(rows, ctx, optional=True):
            ok = check_org(row, ctx)
            if row.values["end_date"] and row.values["end_date"] < row.values["start_date"]:
                ctx.problem(row, "end_date", "before_start", "the term ends before it starts")
                ok = False
            if row.values["role"] == BoardRole.ASSOCIATE and row.values["voting"]:
                ctx.problem(row, "voting", "inconsistent", "associate members do not vote")
                ok = False
            if ok:
                valid.append(row)
        return valid

    def write_batch(self, rows: list[Row], ctx: BatchContext) -> WriteCounts:
        orgs, people = org_ids(ctx), ctx.seen["__person_ids__"]
        records = [
            {
                "member_id": r.values["member_id"],
                "organisation_id": orgs[r.values["org_code"]],
                "name": r.values["name"],
                "role": r.values["role"],
                "voting": r.values["voting"],
                "start_date": r.values["start_date"],
                "end_date": r.values["end_date"],
                "person_id": people.get(r.values["staff_id"]),
            }
            for r in rows
        ]
        counts, pks = bulk_upsert(
            model=BoardMember,
            key_fields=("member_id",),
            records=records,
            actor=ctx.actor,
            source=ctx.source,
            audit_org=lambda rec: rec["organisation_id"],
        )
        monitoring = [
            {"member_id": pks[(r.values["member_id"],)], **{f: r.values[f] for f in MONITORING}} for r in rows
        ]
        mon_counts, _ = bulk_upsert(
            model=BoardMemberMonitoring,
            key_fields=("member_id",),
            records=monitoring,
            actor=ctx.actor,
            source=ctx.source,
            redact=frozenset(MONITORING),
        )
        # A member whose only change is their monitoring answers still counts as updated.
        moved = min(mon_counts.updated, counts.unchanged)
        counts.updated += moved
        counts.unchanged -= moved
        return counts

    def export_rows(self) -> Iterator[dict[str, Any]]:
        for m in (
            BoardMember.objects.order_by("member_id")
            .values(
                "member_id",
                "organisation__code",
                "name",
                "role",
                "voting",
                "start_date",
                "end_date",
                "person__staff_id",
                "monitoring__sex",
                "monitoring__ethnic_category",
                "monitoring__disability",
            )
            .iterator(chunk_size=2000)
        ):
            yield {
                "member_id": m["member_id"],
                "org_code": m["organisation__code"],
                "name": m["name"],
                "role": m["role"],
                "voting": m["voting"],
                "start_date": m["start_date"],
                "end_date": m["end_date"],
                "staff_id": m["person__staff_id"] or "",
                "sex": m["monitoring__sex"] or Sex.UNKNOWN,
                "ethnic_category": m["monitoring__ethnic_category"] or "",
                "disability": m["monitoring__disability"] or Disability.UNKNOWN,
            }

"""The organisations import KIND."""

from collections.abc import Iterator
from typing import Any

from carelead.core.bulk import bulk_upsert
from carelead.core.choices import CqcRating, OrganisationType, Sector
from carelead.core.importing import BatchContext, Column, ImportKind, Row, WriteCounts, choice, integer, text
from carelead.core.references import org_ids
from carelead.organisations.models import Organisation
from carelead.organisations.services import organisation_tree_rebuild


class OrganisationsImport(ImportKind):
    name = "organisations"
    title = "Organisations"
    key = ("code",)
    columns = [
        Column("code", required=True, parse=text(12)),
        Column("name", required=True, parse=text(200)),
        Column("type", required=True, parse=choice(OrganisationType.values)),
        Column("parent_code", parse=text(12)),
        Column("sector", required=True, parse=choice(Sector.values)),
        Column("oversight_segment", parse=integer(1, 5)),
        Column("cqc_rating", parse=choice(CqcRating.values, blank="")),
    ]

    def check_batch(self, rows: list[Row], ctx: BatchContext) -> list[Row]:
        known = org_ids(ctx)
        valid = []
        for row in rows:
            parent = row.values["parent_code"]
            if parent and parent == row.values["code"]:
                ctx.problem(row, "parent_code", "self_reference", "an organisation cannot be its own parent")
            elif parent and parent not in known and not ctx.defined_before((parent,), row):
                ctx.problem(row, "parent_code", "unknown_reference", f"no organisation has the code '{parent}'")
            elif parent and row.values["type"] == OrganisationType.NATIONAL:
                ctx.problem(row, "parent_code", "invalid_parent", "a national body has no parent")
            else:
                valid.append(row)
        return valid

    def write_batch(self, rows: list[Row], ctx: BatchContext) -> WriteCounts:
        known = org_ids(ctx)
        counts = WriteCounts()
        pending = rows
        # Parents come earlier in the file, possibly in this batch: write in waves whose parents are known.
        while pending:
            ready = [r for r in pending if not r.values["parent_code"] or r.values["parent_code"] in known]
            if not ready:
                break
            ready_ids = {id(r) for r in ready}
            pending = [r for r in pending if id(r) not in ready_ids]
            records = [
                {
                    "code": r.values["code"],
                    "name": r.values["name"],
                    "type": r.values["type"],
                    "parent_id": known.get(r.values["parent_code"]) if r.values["parent_code"] else None,
                    "sector": r.values["sector"],
                    "oversight_segment": r.values["oversight_segment"],
                    "cqc_rating": r.values["cqc_rating"],
                }
                for r in ready
            ]
            wave, pks = bulk_upsert(
                model=Organisation, key_fields=("code",), records=records, actor=ctx.actor, source=ctx.source
            )
            counts.add(wave)
            known.update({key[0]: pk for key, pk in pks.items()})
        return counts

    def finish(self, ctx: BatchContext) -> None:
        from carelead.challenged.services import status_history_sync

        organisation_tree_rebuild()
        # Bulk writes bypass the model's signals: the oversight history gets its rows here.
        status_history_sync(actor=ctx.actor)

    def export_rows(self) -> Iterator[dict[str, Any]]:
        for org in (
            Organisation.objects.order_by("path", "code")
            .values("code", "name", "type", "parent__code", "sector", "oversight_segment", "cqc_rating")
            .iterator(chunk_size=2000)
        ):
            yield {
                "code": org["code"],
                "name": org["name"],
                "type": org["type"],
                "parent_code": org["parent__code"] or "",
                "sector": org["sector"],
                "oversight_segment": org["oversight_segment"],
                "cqc_rating": org["cqc_rating"],
            }

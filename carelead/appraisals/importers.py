"""The appraisals import KIND: last years' appraisal outcomes from another system, so history is not lost.

Each row is one person's signed-off appraisal for a financial year. Rows land in a history cycle per
organisation and year (marked imported, no template); a year the organisation already runs in CareLead is
refused rather than overwritten.
"""

from collections.abc import Iterator
from datetime import date
from typing import Any

from django.db.models import Q

from carelead.appraisals.models import Appraisal, Cycle
from carelead.core.bulk import bulk_upsert
from carelead.core.choices import AppraisalRating
from carelead.core.importing import (
    BatchContext,
    CellError,
    Column,
    ImportKind,
    Row,
    WriteCounts,
    choice,
    parse_date,
    text,
)
from carelead.core.references import check_people, person_ids


def parse_year(value: str) -> str:
    first, _, second = value.partition("-")
    if len(first) != 4 or len(second) != 2 or not first.isdigit() or not second.isdigit():
        raise CellError("invalid_year", f"'{value}' is not a financial year such as 2024-25")
    if (int(first) + 1) % 100 != int(second):
        raise CellError("invalid_year", f"'{value}' is not a financial year: the second part must be the next year")
    return value


def _year_bounds(year: str) -> tuple[date, date]:
    start = int(year[:4])
    return date(start, 4, 1), date(start + 1, 3, 31)


class AppraisalHistoryImport(ImportKind):
    name = "appraisals"
    title = "Appraisal history"
    key = ("staff_id", "year")
    columns = [
        Column("staff_id", required=True, parse=text(32)),
        Column("year", required=True, parse=parse_year),
        Column("signed_off_on", required=True, parse=parse_date),
        Column("overall_rating", required=True, parse=choice(AppraisalRating.values)),
        Column("appraiser_id", parse=text(32)),
    ]

    def check_batch(self, rows: list[Row], ctx: BatchContext) -> list[Row]:
        rows = check_people(rows, ctx)
        people = ctx.seen["__person_ids__"]
        appraisers = person_ids((r.values["appraiser_id"] for r in rows), ctx)
        ctx.seen["__appraiser_ids__"] = appraisers
        live = set(
            Appraisal.objects.filter(
                cycle__imported=False,
                person_id__in=[people[r.values["staff_id"]] for r in rows],
                cycle__year__in={r.values["year"] for r in rows},
            ).values_list("person_id", "cycle__year")
        )
        valid = []
        for row in rows:
            v, ok = row.values, True
            start, end = _year_bounds(v["year"])
            if not (start <= v["signed_off_on"] <= date(end.year + 1, 3, 31)):
                ctx.problem(row, "signed_off_on", "outside_year", f"the sign-off date is not in or after {v['year']}")
                ok = False
            if v["appraiser_id"] and v["appraiser_id"] not in appraisers:
                ctx.problem(
                    row, "appraiser_id", "unknown_reference", f"no member of staff has the ID '{v['appraiser_id']}'"
                )
                ok = False
            if v["appraiser_id"] == v["staff_id"]:
                ctx.problem(row, "appraiser_id", "self_reference", "nobody appraises themselves")
                ok = False
            if (people[v["staff_id"]], v["year"]) in live:
                ctx.problem(row, "year", "already_held", f"CareLead already holds this person's {v['year']} appraisal")
                ok = False
            if ok:
                valid.append(row)
        return valid

    def write_batch(self, rows: list[Row], ctx: BatchContext) -> WriteCounts:
        from carelead.people.models import Person

        people, appraisers = ctx.seen["__person_ids__"], ctx.seen["__appraiser_ids__"]
        orgs = dict(Person.objects.filter(pk__in=people.values()).values_list("pk", "organisation_id"))
        cycles = _history_cycles({(orgs[people[r.values["staff_id"]]], r.values["year"]) for r in rows})
        records = []
        for r in rows:
            v = r.values
            person = people[v["staff_id"]]
            records.append(
                {
                    "cycle_id": cycles[(orgs[person], v["year"])],
                    "person_id": person,
                    "appraiser_id": appraisers.get(v["appraiser_id"]),
                    "state": Appraisal.State.SIGNED_OFF,
                    "overall_rating": v["overall_rating"],
                    "signed_off_on": v["signed_off_on"],
                }
            )
        counts, _ = bulk_upsert(
            model=Appraisal,
            key_fields=("cycle_id", "person_id"),
            records=records,
            actor=ctx.actor,
            source=ctx.source,
            audit_person=lambda rec: rec["person_id"],
        )
        return counts

    def export_rows(self) -> Iterator[dict[str, Any]]:
        rows = (
            Appraisal.objects.filter(Q(state=Appraisal.State.SIGNED_OFF) | Q(state=Appraisal.State.CALIBRATED))
            .exclude(overall_rating="")
            .order_by("person__staff_id", "cycle__year")
            .values("person__staff_id", "cycle__year", "signed_off_on", "overall_rating", "appraiser__staff_id")
        )
        for a in rows.iterator(chunk_size=5000):
            yield {
                "staff_id": a["person__staff_id"],
                "year": a["cycle__year"],
                "signed_off_on": a["signed_off_on"],
                "overall_rating": a["overall_rating"],
                "appraiser_id": a["appraiser__staff_id"] or "",
            }


def _history_cycles(wanted: set[tuple[int, str]]) -> dict[tuple[int, str], int]:
    """The history cycle for each (organisation, year), created when missing."""
    existing = {
        (c["organisation_id"], c["year"]): c["pk"]
        for c in Cycle.objects.filter(
            organisation_id__in={o for o, _ in wanted}, year__in={y for _, y in wanted}
        ).values("pk", "organisation_id", "year")
    }
    for organisation, year in sorted(wanted - set(existing)):
        start, end = _year_bounds(year)
        cycle = Cycle.objects.create(
            organisation_id=organisation,
            year=year,
            imported=True,
            opens_on=start,
            self_assessment_due=end,
            review_due=end,
            sign_off_due=end,
            status=Cycle.Status.CLOSED,
        )
        existing[(organisation, year)] = cycle.pk
    return existing

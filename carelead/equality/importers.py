"""Import KINDs for the records the equality standards use: recruitment, disciplinary, capability, survey."""

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from carelead.core.bulk import bulk_upsert
from carelead.core.choices import CapabilityReason, Disability, Level, Sex, SurveyGroup
from carelead.core.importing import (
    BatchContext,
    CellError,
    Column,
    ImportKind,
    Row,
    WriteCounts,
    choice,
    decimal,
    integer,
    parse_bool,
    parse_date,
    text,
)
from carelead.core.references import check_org, check_people, org_ids
from carelead.equality.models import CapabilityCase, DisciplinaryCase, RecruitmentDecision, SurveyResult
from carelead.people.importers import parse_ethnic_category


class RecruitmentImport(ImportKind):
    name = "recruitment"
    title = "Recruitment (shortlisting decisions)"
    key = ("application_id",)
    columns = [
        Column("application_id", required=True, parse=text(40)),
        Column("vacancy_id", required=True, parse=text(40)),
        Column("org_code", required=True, parse=text(12)),
        Column("date", required=True, parse=parse_date),
        Column("shortlisted", required=True, parse=parse_bool),
        Column("appointed", required=True, parse=parse_bool),
        Column("ethnic_category", parse=parse_ethnic_category),
        Column("disability", parse=choice(Disability.values, blank=Disability.UNKNOWN)),
        Column("sex", parse=choice(Sex.values, blank="")),
        Column("level", parse=choice(Level.values, blank="")),
    ]

    def check_batch(self, rows: list[Row], ctx: BatchContext) -> list[Row]:
        valid = []
        for row in rows:
            ok = check_org(row, ctx)
            if row.values["appointed"] and not row.values["shortlisted"]:
                ctx.problem(row, "appointed", "inconsistent", "an applicant appointed must also be shortlisted")
                ok = False
            if ok:
                valid.append(row)
        return valid

    def write_batch(self, rows: list[Row], ctx: BatchContext) -> WriteCounts:
        orgs = org_ids(ctx)
        # CL- identifiers belong to decisions recorded in CareLead itself: an import never overwrites them.
        kept = [r for r in rows if not r.values["application_id"].upper().startswith("CL-")]
        if len(kept) != len(rows):
            skipped = len(rows) - len(kept)
            ctx.note("{n} rows with a CL- application ID (decisions recorded in CareLead) were left unchanged", skipped)
        records = [
            {
                "application_id": r.values["application_id"],
                "vacancy_id": r.values["vacancy_id"],
                "organisation_id": orgs[r.values["org_code"]],
                "date": r.values["date"],
                "shortlisted": r.values["shortlisted"],
                "appointed": r.values["appointed"],
                "ethnic_category": r.values["ethnic_category"],
                "disability": r.values["disability"],
                "sex": r.values["sex"],
                "level": r.values["level"],
            }
            for r in kept
        ]
        counts, _ = bulk_upsert(
            model=RecruitmentDecision,
            key_fields=("application_id",),
            records=records,
            actor=ctx.actor,
            source=ctx.source,
            redact=frozenset({"ethnic_category", "disability", "sex"}),
            audit_org=lambda rec: rec["organisation_id"],
        )
        # the rows kept back count as unchanged: they are left exactly as they are
        counts.unchanged += len(rows) - len(kept)
        return counts

    def export_rows(self) -> Iterator[dict[str, Any]]:
        for r in (
            RecruitmentDecision.objects.order_by("application_id")
            .values(
                "application_id",
                "vacancy_id",
                "organisation__code",
                "date",
                "shortlisted",
                "appointed",
                "ethnic_category",
                "disability",
                "sex",
                "level",
            )
            .iterator(chunk_size=5000)
        ):
            r["org_code"] = r.pop("organisation__code")
            yield r


class _CaseImport(ImportKind):
    """Shared shape of the formal-process kinds: a case id, a member of staff and the date they entered it."""

    model: type = DisciplinaryCase
    extra: tuple[str, ...] = ()

    def check_batch(self, rows: list[Row], ctx: BatchContext) -> list[Row]:
        return check_people(rows, ctx)

    def write_batch(self, rows: list[Row], ctx: BatchContext) -> WriteCounts:
        people = ctx.seen["__person_ids__"]
        records = [
            {
                "case_id": r.values["case_id"],
                "person_id": people[r.values["staff_id"]],
                "date": r.values["date"],
                **{f: r.values[f] for f in self.extra},
            }
            for r in rows
        ]
        counts, _ = bulk_upsert(
            model=self.model,
            key_fields=("case_id",),
            records=records,
            actor=ctx.actor,
            source=ctx.source,
            audit_person=lambda rec: rec["person_id"],
        )
        return counts

    def export_rows(self) -> Iterator[dict[str, Any]]:
        for c in (
            self.model.objects.order_by("case_id")
            .values("case_id", "person__staff_id", "date", *self.extra)
            .iterator(chunk_size=5000)
        ):
            c["staff_id"] = c.pop("person__staff_id")
            yield c


class DisciplinaryImport(_CaseImport):
    name = "disciplinary"
    title = "Disciplinary cases"
    key = ("case_id",)
    model = DisciplinaryCase
    columns = [
        Column("case_id", required=True, parse=text(40)),
        Column("staff_id", required=True, parse=text(32)),
        Column("date", required=True, parse=parse_date),
    ]


class CapabilityImport(_CaseImport):
    name = "capability"
    title = "Capability cases"
    key = ("case_id",)
    model = CapabilityCase
    extra = ("reason",)
    columns = [
        Column("case_id", required=True, parse=text(40)),
        Column("staff_id", required=True, parse=text(32)),
        Column("date", required=True, parse=parse_date),
        Column("reason", required=True, parse=choice(CapabilityReason.values)),
    ]


_PERIOD = re.compile(r"^(\d{4})-(\d{2})$")


def parse_period(value: str) -> str:
    """A financial year written YYYY-YY, where YY follows YYYY."""
    match = _PERIOD.match(value)
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise CellError("invalid_period", f"'{value}' is not a financial year such as 2025-26")
    return value


def parse_measure(value: str) -> str:
    code = value.upper()
    if not re.match(r"^(WRES|WDES)\d{1,2}[A-Z]?$", code):
        raise CellError("invalid_code", f"'{value}' is not a WRES or WDES measure code such as WRES5 or WDES4a")
    return code[:-1] + code[-1].lower() if code[-1].isalpha() else code


class SurveyImport(ImportKind):
    name = "survey"
    title = "Staff survey results"
    key = ("org_code", "period", "measure", "group")
    columns = [
        Column("org_code", required=True, parse=text(12)),
        Column("period", required=True, parse=parse_period),
        Column("measure", required=True, parse=parse_measure),
        Column("group", required=True, parse=choice(SurveyGroup.values)),
        Column("percent", required=True, parse=decimal(Decimal(0), Decimal(100))),
        Column("respondents", parse=integer(0, 10_000_000)),
    ]

    def check_batch(self, rows: list[Row], ctx: BatchContext) -> list[Row]:
        return [row for row in rows if check_org(row, ctx)]

    def write_batch(self, rows: list[Row], ctx: BatchContext) -> WriteCounts:
        orgs = org_ids(ctx)
        records = [
            {
                "organisation_id": orgs[r.values["org_code"]],
                "period": r.values["period"],
                "measure": r.values["measure"],
                "group": r.values["group"],
                "percent": r.values["percent"].quantize(Decimal("0.01")),
                "respondents": r.values["respondents"],
            }
            for r in rows
        ]
        counts, _ = bulk_upsert(
            model=SurveyResult,
            key_fields=("organisation_id", "period", "measure", "group"),
            records=records,
            actor=ctx.actor,
            source=ctx.source,
            audit_org=lambda rec: rec["organisation_id"],
        )
        return counts

    def export_rows(self) -> Iterator[dict[str, Any]]:
        for s in (
            SurveyResult.objects.order_by("organisation__code", "period", "measure", "group")
            .values("organisation__code", "period", "measure", "group", "percent", "respondents")
            .iterator(chunk_size=5000)
        ):
            yield {"org_code": s.pop("organisation__code"), **s}

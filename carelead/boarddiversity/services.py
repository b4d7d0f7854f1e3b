"""Writes of population reference figures: one organisation's from the form page, many organisations' from a CSV
file. Both check every figure first, replace the figures of each dimension given as a whole, and audit each
change; nothing is written when anything is wrong."""

import csv
import io
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from carelead.audit.models import AuditLog
from carelead.audit.services import Actor, AuditEntry, audit_bulk, diff
from carelead.boarddiversity.models import GROUPS, Dimension, PopulationReference, group_label
from carelead.boarddiversity.selectors import reference_may_manage
from carelead.boards.selectors import OVERSEERS
from carelead.organisations.models import Organisation

POPULATION_COLUMNS = ("organisation_code", "dimension", "group", "share", "source", "year")
FIRST_YEAR = 1991
SOURCE_MAX = 200
ONE_DECIMAL = Decimal("0.1")
HUNDRED = Decimal(100)
LOOKUP_CHUNK = 500


@dataclass(frozen=True)
class Figure:
    """One population figure to be held: a group's share of one dimension for an organisation."""

    dimension: str
    group: str
    share: Decimal
    source: str
    year: int


@dataclass
class WriteCounts:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0


def last_year() -> int:
    """The latest year a figure may describe: this year."""
    return timezone.localdate().year


def share_problem(share: Decimal) -> str | None:
    """Why a share cannot be held, or None."""
    if not share.is_finite():
        return "enter a number"
    if share < 0 or share > HUNDRED:
        return "enter a percentage from 0 to 100"
    if share != share.quantize(ONE_DECIMAL):
        return "give the percentage to one decimal place at most, like 12.5"
    return None


def year_problem(year: int) -> str | None:
    if year < FIRST_YEAR or year > last_year():
        return f"enter a year from {FIRST_YEAR} to {last_year()}"
    return None


def total_problem(dimension: str, total: Decimal) -> str | None:
    if total > HUNDRED:
        label = Dimension(dimension).label.lower()
        return f"the {label} shares add up to {total:.1f}%, more than 100%"
    return None


def _values(ref: PopulationReference | Figure) -> dict:
    return {"share": Decimal(ref.share), "source": ref.source, "year": ref.year}


def _replace(
    *,
    organisations: dict[int, Organisation],
    figures: dict[tuple[int, str], list[Figure]],
    actor: Actor,
    by=None,
) -> WriteCounts:
    """Hold exactly ``figures`` for each (organisation id, dimension) given: new groups added, changed ones
    updated, groups left out removed. Audited in bulk, one entry per figure changed."""
    counts = WriteCounts()
    org_ids = sorted({org_id for org_id, _ in figures})
    existing: dict[tuple[int, str, str], PopulationReference] = {}
    for start in range(0, len(org_ids), LOOKUP_CHUNK):
        chunk = org_ids[start : start + LOOKUP_CHUNK]
        for ref in PopulationReference.objects.filter(organisation_id__in=chunk):
            existing[(ref.organisation_id, ref.dimension, ref.group)] = ref
    created: list[PopulationReference] = []
    updated: list[PopulationReference] = []
    deleted: list[PopulationReference] = []
    entries: list[AuditEntry] = []

    def entry(action: str, org_id: int, dimension: str, group: str, changes: dict, pk="") -> None:
        organisation = organisations[org_id]
        entries.append(
            AuditEntry(
                action=action,
                object_type="boarddiversity.PopulationReference",
                object_id=pk or f"{organisation.code}:{dimension}:{group}",
                object_repr=f"{organisation.name}: population share, {group_label(dimension, group)}",
                changes=changes,
                organisation_id=org_id,
            )
        )

    for (org_id, dimension), wanted in figures.items():
        given = {f.group for f in wanted}
        for figure in wanted:
            current = existing.get((org_id, dimension, figure.group))
            values = _values(figure)
            if current is None:
                ref = PopulationReference(
                    organisation_id=org_id, dimension=dimension, group=figure.group, updated_by=by, **values
                )
                ref.full_clean(
                    exclude=["organisation", "updated_by"], validate_unique=False, validate_constraints=False
                )
                created.append(ref)
                entry(AuditLog.Action.CREATE, org_id, dimension, figure.group, diff({}, values))
                continue
            changes = diff(_values(current), values)
            if not changes:
                counts.unchanged += 1
                continue
            for name, value in values.items():
                setattr(current, name, value)
            current.updated_by = by
            current.full_clean(
                exclude=["organisation", "updated_by"], validate_unique=False, validate_constraints=False
            )
            updated.append(current)
            entry(AuditLog.Action.UPDATE, org_id, dimension, figure.group, changes, current.pk)
        for (held_org, held_dimension, group), ref in existing.items():
            if held_org == org_id and held_dimension == dimension and group not in given:
                deleted.append(ref)
                entry(AuditLog.Action.DELETE, org_id, dimension, group, diff(_values(ref), {}), ref.pk)
    if deleted:
        PopulationReference.objects.filter(pk__in=[ref.pk for ref in deleted]).delete()
    now = timezone.now()
    for ref in updated:
        ref.updated_at = now
    if updated:
        PopulationReference.objects.bulk_update(
            updated, ["share", "source", "year", "updated_by", "updated_at"], batch_size=1000
        )
    PopulationReference.objects.bulk_create(created, batch_size=1000)
    audit_bulk(actor=actor, entries=entries)
    counts.created, counts.updated, counts.deleted = len(created), len(updated), len(deleted)
    return counts


# One organisation, from the form page -----------------------------------------------------------------------------


def field_key(dimension: str, group: str | None = None) -> str:
    """The name a figure's problem is reported under: ``share_<dimension>_<group>``, or ``<what>_<dimension>``."""
    return f"share_{dimension}_{group}" if group else dimension


@transaction.atomic
def population_references_save(
    *, organisation: Organisation, figures: dict[str, list[Figure]], by, assignment
) -> WriteCounts:
    """Replace an organisation's population figures, dimension by dimension (a dimension with no figures loses
    the ones it had). Each share must be 0 to 100 to one decimal place, and a dimension's shares add up to 100 at
    most; problems are raised together, each under the figure it concerns (``field_key``)."""
    if not reference_may_manage(assignment=assignment, organisation=organisation):
        raise PermissionDenied("You cannot record population figures for this organisation.")
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    problems: dict[str, list[str]] = defaultdict(list)
    for dimension in Dimension:
        rows = figures.get(dimension, [])
        seen = set()
        for figure in rows:
            key = field_key(dimension, figure.group)
            if figure.group not in GROUPS[dimension]:
                problems[dimension].append(f"“{figure.group}” is not a group of {dimension.label.lower()}.")
                continue
            if figure.group in seen:
                problems[key].append(f"{group_label(dimension, figure.group)} is given twice.")
            seen.add(figure.group)
            if problem := share_problem(figure.share):
                problems[key].append(f"{group_label(dimension, figure.group)}: {problem}.")
            if not figure.source.strip():
                problems[f"source_{dimension}"].append(f"Enter where the {dimension.label.lower()} figures come from.")
            elif len(figure.source) > SOURCE_MAX:
                problems[f"source_{dimension}"].append(f"The source can be {SOURCE_MAX} characters at most.")
            if problem := year_problem(figure.year):
                problems[f"year_{dimension}"].append(f"Year of the {dimension.label.lower()} figures: {problem}.")
        total = sum((f.share for f in rows if f.share.is_finite()), Decimal(0))
        if problem := total_problem(dimension, total):
            problems[dimension].append(problem[0].upper() + problem[1:] + ". Check each share.")
    if problems:
        raise ValidationError({key: sorted(set(messages), key=messages.index) for key, messages in problems.items()})
    wanted = {(locked.pk, dimension): figures.get(dimension, []) for dimension in Dimension}
    return _replace(organisations={locked.pk: locked}, figures=wanted, actor=Actor(user=by), by=by)


# Many organisations, from a CSV file ------------------------------------------------------------------------------


@dataclass
class LoadResult:
    problems: list[str] = field(default_factory=list)
    rows: int = 0
    organisations: int = 0
    counts: WriteCounts = field(default_factory=WriteCounts)

    @property
    def ok(self) -> bool:
        return not self.problems


def _organisations_by_code(codes: set[str]) -> dict[str, Organisation]:
    found: dict[str, Organisation] = {}
    ordered = sorted(codes)
    for start in range(0, len(ordered), LOOKUP_CHUNK):
        for org in Organisation.objects.filter(code__in=ordered[start : start + LOOKUP_CHUNK]).only(
            "pk", "code", "name", "type"
        ):
            found[org.code] = org
    return found


def population_parse(
    *, text: str, progress: Callable[[int, int], None] | None = None
) -> tuple[dict[tuple[int, str], list[Figure]], dict[int, Organisation], int, list[str]]:
    """The figures of a population file by (organisation id, dimension), the organisations, the number of rows,
    and the problems with it, each naming its row (the header is row 1) and column."""
    reader = csv.DictReader(io.StringIO(text))
    header = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in POPULATION_COLUMNS if c not in header]
    if missing:
        plural = "s" if len(missing) > 1 else ""
        return {}, {}, 0, [f"row 1: the file has no {', '.join(missing)} column{plural}."]
    reader.fieldnames = header
    raw_rows = [
        (number, {c: (raw.get(c) or "").strip() for c in POPULATION_COLUMNS})
        for number, raw in enumerate(reader, start=2)
    ]
    total_rows = len(raw_rows)
    organisations = _organisations_by_code({row["organisation_code"].upper() for _, row in raw_rows})
    problems: list[tuple[int, str]] = []
    figures: dict[tuple[int, str], list[Figure]] = defaultdict(list)
    rows_of: dict[tuple[int, str], list[int]] = defaultdict(list)
    seen: dict[tuple[int, str, str], int] = {}
    step = max(1, total_rows // 100)

    def problem(number: int, column: str, text: str) -> None:
        problems.append((number, f"row {number}, column {column}: {text}"))

    for done, (number, row) in enumerate(raw_rows, start=1):
        if progress and done % step == 0:
            progress(done, total_rows)
        code = row["organisation_code"].upper()
        org = organisations.get(code)
        if not code:
            problem(number, "organisation_code", "this is blank.")
        elif org is None:
            problem(number, "organisation_code", f"there is no organisation with the code “{code}”.")
        elif org.type in OVERSEERS:
            problem(
                number,
                "organisation_code",
                f"{code} is {org.get_type_display().lower()}, which has no board: give figures for the organisations "
                "it oversees.",
            )
            org = None
        dimension = row["dimension"].lower()
        if dimension not in GROUPS:
            shown = f"“{row['dimension']}”" if row["dimension"] else "blank"
            problem(number, "dimension", f"{shown} is not a dimension: use {', '.join(GROUPS)}.")
            dimension = ""
        group = row["group"].lower()
        if dimension and group not in GROUPS[dimension]:
            shown = f"“{row['group']}”" if row["group"] else "blank"
            problem(number, "group", f"{shown} is not a group of {dimension}: use {', '.join(GROUPS[dimension])}.")
            group = ""
        share = None
        try:
            share = Decimal(row["share"].rstrip("%").strip())
        except InvalidOperation:
            shown = f"“{row['share']}” is not a number" if row["share"] else "this is blank"
            problem(number, "share", f"{shown}: enter a percentage from 0 to 100.")
        else:
            if why := share_problem(share):
                problem(number, "share", f"“{row['share']}”: {why}.")
                share = None
        if not row["source"]:
            problem(number, "source", "this is blank: say where the figure comes from.")
        elif len(row["source"]) > SOURCE_MAX:
            problem(number, "source", f"this is longer than {SOURCE_MAX} characters.")
        year = None
        if not row["year"].isdigit():
            shown = f"“{row['year']}” is not a year" if row["year"] else "this is blank"
            problem(number, "year", f"{shown}: enter a year such as 2021.")
        else:
            year = int(row["year"])
            if why := year_problem(year):
                problem(number, "year", f"“{row['year']}”: {why}.")
                year = None
        if org is None or not dimension or not group:
            continue
        key = (org.pk, dimension, group)
        if key in seen:
            problem(number, "group", f"{code} already has a figure for {dimension}, {group}, on row {seen[key]}.")
            continue
        seen[key] = number
        if share is None or year is None or not row["source"] or len(row["source"]) > SOURCE_MAX:
            continue
        figures[(org.pk, dimension)].append(Figure(dimension, group, share, row["source"], year))
        rows_of[(org.pk, dimension)].append(number)
    by_id = {org.pk: org for org in organisations.values()}
    for (org_id, dimension), held in figures.items():
        total = sum((f.share for f in held), Decimal(0))
        if why := total_problem(dimension, total):
            numbers = rows_of[(org_id, dimension)]
            problem(
                numbers[-1],
                "share",
                f"{why} for {by_id[org_id].code} (rows {', '.join(str(n) for n in numbers)}).",
            )
    if not raw_rows:
        problems.append((2, "row 2: the file has no rows of figures."))
    if progress:
        progress(total_rows, total_rows)
    used = {org_id for org_id, _ in figures}
    messages = [text for _, text in sorted(problems, key=lambda item: item[0])]
    return dict(figures), {pk: org for pk, org in by_id.items() if pk in used}, total_rows, messages


@transaction.atomic
def population_load(*, path: Path, actor: Actor, progress: Callable[[int, int], None] | None = None) -> LoadResult:
    """Load many organisations' population figures from a CSV file, all or nothing.

    Every row is checked first; if any is wrong nothing is written and every problem is returned, each naming its
    row and column. Otherwise, for each organisation and dimension in the file, the file's figures replace the
    ones held (groups not in the file are removed); dimensions not in the file are left alone.
    """
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return LoadResult(problems=[f"The file cannot be read as UTF-8 text: {exc.__class__.__name__}."])
    figures, organisations, rows, problems = population_parse(text=text, progress=progress)
    if problems:
        return LoadResult(problems=problems, rows=rows)
    counts = _replace(organisations=organisations, figures=figures, actor=actor)
    return LoadResult(rows=rows, organisations=len(organisations), counts=counts)

"""Reads for the board diversity pages: a board's composition on a day, the equality engine's WRES 9 and WDES 10
for it, the population figures it is compared with, and the overview of every board in a scope.

Organisations are reached only through the board pages' scoped selectors (``board_organisation_get``,
``board_organisations``). Counts and shares go through one disclosure step (``column``): exact for roles with
record-level rights over the organisation, published figures for everyone else.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Case, Count, Exists, OuterRef, Q, QuerySet, Sum, Value, When

from carelead.accounts.permissions import Scope, assignment_has
from carelead.boarddiversity.models import BME_GROUPS, ETHNIC_GROUP_LETTERS, GROUPS, Dimension, PopulationReference
from carelead.boarddiversity.permissions import MANAGE_POPULATION_REFERENCES
from carelead.boards.models import BoardMember
from carelead.boards.selectors import OVERSEERS, board_organisations
from carelead.core.choices import Sex
from carelead.core.disclosure import Figure, count_exact, published_column
from carelead.equality.engine import Period, disability_group_case, ethnic_group_case
from carelead.equality.selectors import full_figures_allowed, metric_rows
from carelead.organisations.models import Organisation

PARTS = ("voting", "all")
WRES_GROUPS = ["white", "bme", "unknown"]
BROAD_GROUPS = [*GROUPS[Dimension.ETHNICITY], "unknown"]
SEX_GROUPS = ["female", "male", "other", "unknown"]
DISABILITY_GROUPS = ["disabled", "non_disabled", "unknown"]
GROUP_LABELS = {
    "white": "White",
    "bme": "Black and minority ethnic (all groups other than White)",
    "unknown": "Not known or not stated",
    **GROUPS[Dimension.ETHNICITY],
    "female": "Female",
    "male": "Male",
    "other_sex": "Other",
    "disabled": "Disabled",
    "non_disabled": "Not disabled",
}
SEX_CODES = {Sex.FEMALE: "female", Sex.MALE: "male", Sex.OTHER: "other"}


# Figures as shown -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One group's count as shown and the share worked out from what is shown (None when hidden)."""

    figure: Figure
    share: float | None


@dataclass(frozen=True)
class Column:
    """A population's counts by group, with its total, exact or published."""

    cells: dict[str, Cell]
    total: Figure

    @property
    def hidden(self) -> int:
        return sum(1 for cell in self.cells.values() if cell.figure.suppressed)


def _share(figure: Figure, total: Figure) -> float | None:
    if figure.shown is None or not total.shown:
        return None
    return 100 * figure.shown / total.shown


def column(counts: dict[str, int], order: list[str], *, exact: bool) -> Column:
    """Counts by group as this reader may see them: exact, or published (small counts hidden, others rounded, a
    second cell hidden where a lone hidden one could be worked out from the total); shares from what is shown."""
    if exact:
        figures = {group: count_exact(counts.get(group, 0)) for group in order}
        total = count_exact(sum(counts.get(group, 0) for group in order))
    else:
        figures, total = published_column(counts, order)
    return Column({g: Cell(figures[g], _share(figures[g], total)) for g in order}, total)


# A board's composition --------------------------------------------------------------------------------------------


def in_post_on_q(day: date, prefix: str = "") -> Q:
    """Members in post on a day, as the equality engine counts them for WRES 9 and WDES 10."""
    return Q(**{f"{prefix}start_date__lte": day}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": day})
    )


def _broad_group_case() -> Case:
    whens = []
    for group, letters in ETHNIC_GROUP_LETTERS.items():
        q = Q()
        for letter in letters:
            q |= Q(monitoring__ethnic_category__startswith=letter)
        whens.append(When(q, then=Value(group)))
    return Case(*whens, default=Value("unknown"))


@dataclass
class Composition:
    """Counts of a board's members in post on a day, by part of the board (voting, all) and group."""

    day: date
    ethnicity: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    broad: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    sex: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    disability: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))

    def size(self, part: str) -> int:
        return sum(self.ethnicity[part].values())


def board_composition(*, organisation: Organisation, day: date) -> Composition:
    """How many of an organisation's board members in post on ``day`` fall in each group, for the voting members
    and the whole board: one grouped query, never a member's own answers."""
    rows = (
        BoardMember.objects.filter(in_post_on_q(day), organisation=organisation)
        .annotate(
            bd_eth=ethnic_group_case("monitoring__"),
            bd_broad=_broad_group_case(),
            bd_dis=disability_group_case("monitoring__"),
        )
        .values("voting", "bd_eth", "bd_broad", "bd_dis", "monitoring__sex")
        .annotate(n=Count("pk"))
        .order_by()
    )
    composition = Composition(day=day)
    for row in rows:
        sex = SEX_CODES.get(row["monitoring__sex"], "unknown")
        for part in ("all", "voting") if row["voting"] else ("all",):
            composition.ethnicity[part][row["bd_eth"]] += row["n"]
            composition.broad[part][row["bd_broad"]] += row["n"]
            composition.sex[part][sex] += row["n"]
            composition.disability[part][row["bd_dis"]] += row["n"]
    return composition


# The equality engine's figures ------------------------------------------------------------------------------------


def exact_figures_allowed(*, assignment, organisation: Organisation) -> bool:
    """The equality pages' rule: exact figures only for roles with record-level rights over the organisation."""
    return full_figures_allowed(assignment=assignment, scope_path=organisation.path)


def _area_scope(organisation: Organisation) -> tuple[str, str] | None:
    """The equality scope of the organisation's region, for pooled figures beside a single board."""
    if organisation.region_id is None:
        return None
    return f"region:{organisation.region.code}", organisation.region.name


def standard_rows(*, organisation: Organisation, period: Period, published: bool) -> dict:
    """WRES 9 and WDES 10 for the organisation as the equality engine computes them ({(code, board part): row}
    under "board"), with the workforce shares the equality pages publish (WRES 1 and WDES 1 for the whole
    workforce, {group: row} under "workforce")."""
    scope = f"org:{organisation.code}"
    out: dict = {"board": {}, "workforce": {}}
    for standard in ("wres", "wdes"):
        for row in metric_rows(standard=standard, period=period, published=published):
            if row["scope"] != scope:
                continue
            code = row["code"]
            if code in ("WRES9", "WDES10"):
                out["board"][(code, row["board_part"])] = row
            elif (
                code in ("WRES1", "WDES1")
                and row.get("band", row.get("cluster")) == "all"
                and row["staff_type"] == "all"
            ):
                out["workforce"][row["group"]] = row
    return out


def area_rows(*, organisation: Organisation, period: Period, assignment) -> tuple[str, dict]:
    """WRES 9 and WDES 10 for voting members of every board in the organisation's region taken together, exact
    only where the role has record-level rights over the whole region: (the region's name, {code: row})."""
    area = _area_scope(organisation)
    if area is None:
        return "", {}
    scope, name = area
    published = not full_figures_allowed(assignment=assignment, scope_path=organisation.region.path)
    found = {}
    for standard in ("wres", "wdes"):
        for row in metric_rows(standard=standard, period=period, published=published):
            if row["scope"] == scope and row["code"] in ("WRES9", "WDES10") and row["board_part"] == "voting":
                found[row["code"]] = row
    return name, found


# Population figures -----------------------------------------------------------------------------------------------


def population_references(*, organisation: Organisation) -> QuerySet[PopulationReference]:
    """An organisation's population figures, by dimension and group."""
    return PopulationReference.objects.filter(organisation=organisation).order_by("dimension", "group")


@dataclass
class Population:
    """The population figures of one organisation, by dimension and group, with where they come from."""

    shares: dict[str, dict[str, Decimal]]
    sources: dict[str, list[tuple[str, int]]]

    def share(self, dimension: str, group: str) -> Decimal | None:
        if dimension == Dimension.ETHNICITY and group == "bme":
            parts = [self.shares.get(dimension, {}).get(g) for g in BME_GROUPS]
            known = [p for p in parts if p is not None]
            return sum(known, Decimal(0)) if known else None
        return self.shares.get(dimension, {}).get(group)

    @property
    def empty(self) -> bool:
        return not self.shares


def population_of(*, organisation: Organisation) -> Population:
    shares: dict[str, dict[str, Decimal]] = defaultdict(dict)
    sources: dict[str, set[tuple[str, int]]] = defaultdict(set)
    for ref in population_references(organisation=organisation):
        shares[ref.dimension][ref.group] = ref.share
        sources[ref.dimension].add((ref.source, ref.year))
    return Population(dict(shares), {d: sorted(s) for d, s in sources.items()})


def reference_may_manage(*, assignment, organisation: Organisation) -> bool:
    """Whether the acting role records this organisation's population figures (NED team nationally or for its
    region, national administrators)."""
    return (
        assignment_has(assignment, MANAGE_POPULATION_REFERENCES)
        and organisation.type not in OVERSEERS
        and Scope.of(assignment).contains_path(organisation.path)
    )


# The overview -----------------------------------------------------------------------------------------------------


@dataclass
class OverviewRow:
    """One board in the overview: published WRES 9 and WDES 10 (voting members) and population shares."""

    organisation: Organisation
    wres9: dict | None
    wdes10: dict | None
    workforce_bme: dict | None
    workforce_disabled: dict | None
    population_bme: Decimal | None
    population_disabled: Decimal | None

    @staticmethod
    def _board_share(row: dict | None) -> float | None:
        if not row or row["suppressed"] or not row["board_total"]:
            return None
        return 100 * row["board_count"] / row["board_total"]

    @property
    def board_bme(self) -> float | None:
        return self._board_share(self.wres9)

    @property
    def board_disabled(self) -> float | None:
        return self._board_share(self.wdes10)

    @property
    def board_size(self) -> int | None:
        """Voting members as published (None when hidden)."""
        return self.wres9["board_total"] if self.wres9 and not self.wres9["suppressed"] else None

    @property
    def bme_gap(self) -> float | None:
        return self.wres9["value"] if self.wres9 else None

    @property
    def disabled_gap(self) -> float | None:
        return self.wdes10["value"] if self.wdes10 else None


SORTS = {
    "bme_gap": "Ethnicity gap, widest under-representation first",
    "disabled_gap": "Disability gap, widest under-representation first",
    "name": "Organisation name",
}


def boards_in_scope(
    *, assignment, day: date, region: Organisation | None = None, organisation_type: str = ""
) -> QuerySet[Organisation]:
    """Organisations in the scope with at least one board member in post on ``day``."""
    seated = BoardMember.objects.filter(in_post_on_q(day), organisation=OuterRef("pk"))
    orgs = board_organisations(assignment=assignment).filter(Exists(seated))
    if region is not None:
        orgs = orgs.filter(region=region)
    if organisation_type:
        orgs = orgs.filter(type=organisation_type)
    return orgs.select_related("region").only("code", "name", "type", "path", "region__code", "region__name")


def board_diversity_overview(
    *,
    assignment,
    period: Period,
    region: Organisation | None = None,
    organisation_type: str = "",
    sort: str = "bme_gap",
) -> list[OverviewRow]:
    """Every board in the scope with its published WRES 9 and WDES 10 for voting members and its population
    shares, sorted by the chosen gap (boards whose gap cannot be published last, by name). A fixed number of
    queries whatever the number of boards: the organisations, the population shares aggregated by the database,
    and the equality engine's figures (computed once per year and kept until the data change)."""
    in_scope = boards_in_scope(
        assignment=assignment, day=period.end, region=region, organisation_type=organisation_type
    )
    orgs = list(in_scope)
    population = {
        row["organisation_id"]: row
        for row in PopulationReference.objects.filter(organisation__in=in_scope.values("pk"))
        .values("organisation_id")
        .annotate(
            bme=Sum("share", filter=Q(dimension=Dimension.ETHNICITY, group__in=BME_GROUPS)),
            disabled=Sum("share", filter=Q(dimension=Dimension.DISABILITY, group="disabled")),
        )
        .order_by()
    }
    wanted = {f"org:{o.code}" for o in orgs}
    board: dict[tuple[str, str], dict] = {}
    workforce: dict[tuple[str, str], dict] = {}
    for standard in ("wres", "wdes"):
        for row in metric_rows(standard=standard, period=period, published=True):
            if row["scope"] not in wanted:
                continue
            if row["code"] in ("WRES9", "WDES10") and row["board_part"] == "voting":
                board[(row["code"], row["scope"])] = row
            elif (
                row["code"] in ("WRES1", "WDES1")
                and row.get("band", row.get("cluster")) == "all"
                and row["staff_type"] == "all"
                and row["group"] in ("bme", "disabled")
            ):
                workforce[(row["group"], row["scope"])] = row
    rows = []
    for org in orgs:
        scope = f"org:{org.code}"
        pop = population.get(org.pk, {})
        rows.append(
            OverviewRow(
                organisation=org,
                wres9=board.get(("WRES9", scope)),
                wdes10=board.get(("WDES10", scope)),
                workforce_bme=workforce.get(("bme", scope)),
                workforce_disabled=workforce.get(("disabled", scope)),
                population_bme=pop.get("bme"),
                population_disabled=pop.get("disabled"),
            )
        )
    return overview_sorted(rows, sort=sort)


def overview_sorted(rows: list[OverviewRow], *, sort: str) -> list[OverviewRow]:
    """Rows by the chosen gap, most negative (the group least represented on the board) first; rows whose gap
    is hidden or cannot be worked out follow, by name."""
    if sort not in ("bme_gap", "disabled_gap"):
        return sorted(rows, key=lambda r: (r.organisation.name, r.organisation.code))

    def gap(row: OverviewRow) -> float | None:
        return row.bme_gap if sort == "bme_gap" else row.disabled_gap

    shown = sorted((r for r in rows if gap(r) is not None), key=lambda r: (gap(r), r.organisation.name))
    rest = sorted((r for r in rows if gap(r) is None), key=lambda r: (r.organisation.name, r.organisation.code))
    return shown + rest


def overview_summary(*, scope: str, period: Period) -> dict[str, dict | None]:
    """WRES 9 and WDES 10 for voting members of every board in the scope taken together (national figures are
    never suppressed; regional ones rarely are, since they pool many boards)."""
    found: dict[str, dict | None] = {"WRES9": None, "WDES10": None}
    for standard in ("wres", "wdes"):
        for row in metric_rows(standard=standard, period=period, published=True):
            if row["code"] in found and row["scope"] == scope and row["board_part"] == "voting":
                found[row["code"]] = row
    return found

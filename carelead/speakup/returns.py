"""The quarterly speak-up return (domain.md section 10): computed from cases whenever it is read, never stored.

A return covers one scope (an organisation, or an ICB, a region or England) and one quarter of the financial year
as the National Guardian's Office counts them (Q1 April to June, Q2 July to September, Q3 October to December,
Q4 January to March). A case belongs to the quarter in which it was received (``received_on``) and to the
organisation it was raised with. Every figure is worked out from the case's counting fields (the date received,
how it was raised, the categories as the guardians have them now, the reporter's professional group, detriment
and feedback), never from its text, so the return stays right after retention has blanked a case's content.

Counts are made in the database, one row per organisation with cases (``organisation_counts``); an area's return
adds the counts of its organisations. Readers without record-level rights see published figures: small counts
hidden, others rounded, and a second cell hidden where one hidden cell of a table that adds up to its total could
otherwise be worked out (``carelead.core.disclosure``).
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import models
from django.db.models import Count, IntegerField, Max, Q, Sum, Value, When
from django.db.models.functions import TruncQuarter
from django.http import Http404

from carelead.accounts.permissions import Scope, assignment_has
from carelead.core.choices import OrganisationType
from carelead.core.disclosure import Figure, count_exact, count_published, published_column, published_share
from carelead.organisations.models import Organisation
from carelead.speakup.models import CATEGORY_FIELDS, Case, Category, Mode, ProfessionalGroup, ReporterDetriment
from carelead.speakup.permissions_returns import VIEW_RETURN, VIEW_RETURN_EXACT

TREND_QUARTERS = 12
QUARTER_CHOICES = 12

# Quarters ---------------------------------------------------------------------------------------------------------

_QUARTER_CODE = re.compile(r"^(\d{4})-(\d{2})-Q([1-4])$")


@dataclass(frozen=True, order=True)
class Quarter:
    """A quarter of a financial year: ``year`` is the year the financial year starts (1 April)."""

    year: int
    number: int

    @classmethod
    def of(cls, day: date) -> "Quarter":
        """The quarter a day falls in."""
        if day.month >= 4:
            return cls(day.year, (day.month - 4) // 3 + 1)
        return cls(day.year - 1, 4)

    @classmethod
    def parse(cls, text: str) -> "Quarter":
        """A quarter from its code, such as 2026-27-Q2; ValueError for anything else."""
        match = _QUARTER_CODE.match((text or "").strip())
        if not match or (int(match[1]) + 1) % 100 != int(match[2]):
            raise ValueError(f"'{text}' is not a quarter such as 2026-27-Q2")
        return cls(int(match[1]), int(match[3]))

    @classmethod
    def last_complete(cls, on: date) -> "Quarter":
        """The last quarter that had ended by ``on``."""
        return cls.of(on).previous

    @property
    def financial_year(self) -> str:
        """The financial year as the equality standards name it, such as 2026-27."""
        return f"{self.year}-{(self.year + 1) % 100:02d}"

    @property
    def code(self) -> str:
        return f"{self.financial_year}-Q{self.number}"

    @property
    def label(self) -> str:
        return f"{self.year}/{(self.year + 1) % 100:02d} Q{self.number}"

    @property
    def start(self) -> date:
        month = 4 + 3 * (self.number - 1)
        return date(self.year, month, 1) if month <= 12 else date(self.year + 1, month - 12, 1)

    @property
    def end(self) -> date:
        return self.next.start - timedelta(days=1)

    @property
    def previous(self) -> "Quarter":
        return Quarter(self.year, self.number - 1) if self.number > 1 else Quarter(self.year - 1, 4)

    @property
    def next(self) -> "Quarter":
        return Quarter(self.year, self.number + 1) if self.number < 4 else Quarter(self.year + 1, 1)

    def __str__(self) -> str:
        return self.label


def quarters_ending(last: Quarter, count: int) -> list[Quarter]:
    """``count`` quarters in order, the last of them ``last``."""
    out = [last]
    while len(out) < count:
        out.append(out[-1].previous)
    return out[::-1]


# What is counted --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Measure:
    """One count of the return: its key, its label and how it is worked out."""

    key: str
    label: str
    definition: str


NOT_RECORDED = "not_recorded"
DETRIMENT_DEFINITION = (
    "Concerns received in the quarter where the reporter has said they have been treated worse for speaking up "
    "(their answer when following the case), or the guardians have recorded that they were, or both. Each case "
    "counts once."
)
FEEDBACK_DEFINITION = (
    "Concerns received in the quarter for which the guardians have recorded that feedback was given to the "
    "reporter, as recorded when the return is read. The figure for a recent quarter grows as cases are finished."
)
TOTAL = Measure(
    "total",
    "Concerns received",
    "Every concern raised with the organisation (or with the organisations in the area) and received in the "
    "quarter, however it was raised and whatever its status now.",
)
MODES = [
    Measure(
        f"mode_{Mode.NAMED}",
        "Named",
        "The reporter gave their name and agreed it may be shared with the people who need it.",
    ),
    Measure(
        f"mode_{Mode.CONFIDENTIAL}",
        "Confidential",
        "The reporter gave their name to the guardians only.",
    ),
    Measure(
        f"mode_{Mode.ANONYMOUS}",
        "Anonymous",
        "The reporter gave no name; nobody, the guardians included, knows who they are.",
    ),
]
CATEGORY_DEFINITIONS = {
    Category.PATIENT_SAFETY: "The concern has an element of patient safety or quality of care.",
    Category.BULLYING: "The concern has an element of bullying or harassment.",
    Category.BEHAVIOUR: "The concern has an element of other inappropriate attitudes or behaviours.",
    Category.WORKER_SAFETY: "The concern has an element of worker safety or wellbeing.",
    Category.DETRIMENT: "The concern is about someone being treated worse because they, or others, spoke up.",
    Category.DISCRIMINATION: "The concern has an element of discrimination.",
    Category.OTHER: "The concern is about something none of the other categories covers.",
}
CATEGORY_RULE = (
    "Categories as the guardians have them now: they start as the reporter's choice and may be corrected at "
    "triage. A concern may have several, so these counts do not add up to the total."
)
CATEGORIES = [Measure(f"category_{code}", label, CATEGORY_DEFINITIONS[code]) for code, label in Category.choices]
GROUPS = [
    *[
        Measure(
            f"group_{code}",
            label,
            "The reporter chose not to say their professional group."
            if code == ProfessionalGroup.NOT_SAID
            else f"The reporter said their professional group is: {label.lower()}.",
        )
        for code, label in ProfessionalGroup.choices
    ],
    Measure(
        f"group_{NOT_RECORDED}",
        "Not recorded",
        "The reporter did not answer the question about their professional group.",
    ),
]
DETRIMENT = [
    Measure("detriment", "Detriment for speaking up", DETRIMENT_DEFINITION),
    Measure(
        "detriment_reporter",
        "Said so by the reporter",
        "Concerns received in the quarter where the reporter answered yes when asked whether they have been "
        "treated worse for speaking up.",
    ),
    Measure(
        "detriment_guardian",
        "Recorded by the guardians",
        "Concerns received in the quarter where the guardians recorded that the reporter suffered detriment.",
    ),
]
FEEDBACK = [Measure("feedback_given", "Feedback given", FEEDBACK_DEFINITION)]
MEASURES: list[Measure] = [TOTAL, *MODES, *CATEGORIES, *GROUPS, *DETRIMENT, *FEEDBACK]
# The definitions listed on the return page: one line for the professional groups, one for the categories' rule.
DEFINITIONS: list[Measure] = [
    TOTAL,
    *MODES,
    Measure("categories", "Categories", CATEGORY_RULE),
    *CATEGORIES,
    Measure(
        "groups",
        "Professional group",
        "The group the reporter chose when raising the concern; not recorded when they left the question out. "
        "Each concern is in exactly one line, so these add up to the total.",
    ),
    *DETRIMENT,
    *FEEDBACK,
]


def csv_definition(measure: Measure) -> str:
    """A measure's definition as the download gives it, complete on its own line."""
    return f"{measure.definition} {CATEGORY_RULE}" if measure.key.startswith("category_") else measure.definition


KEYS = [m.key for m in MEASURES]


def _flag(condition: Q) -> Sum:
    return Sum(models.Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField()))


def _aggregates() -> dict:
    reporter_said = Q(reporter_detriment=ReporterDetriment.YES)
    out = {"total": Count("id")}
    out |= {f"mode_{mode}": _flag(Q(mode=mode)) for mode in Mode.values}
    out |= {f"category_{code}": _flag(Q(**{field: True})) for code, field in CATEGORY_FIELDS.items()}
    out |= {f"group_{code}": _flag(Q(professional_group=code)) for code in ProfessionalGroup.values}
    out[f"group_{NOT_RECORDED}"] = _flag(Q(professional_group=""))
    out["detriment"] = _flag(reporter_said | Q(detriment=True))
    out["detriment_reporter"] = _flag(reporter_said)
    out["detriment_guardian"] = _flag(Q(detriment=True))
    out["feedback_given"] = _flag(Q(feedback_given=True))
    # Named apart from the case's own fields (detriment, feedback_given), which a filter inside them refers to.
    return {f"n_{key}": value for key, value in out.items()}


def _counts_of(row: dict) -> dict[str, int]:
    return {key: row[f"n_{key}"] or 0 for key in KEYS}


def empty_counts() -> dict[str, int]:
    return dict.fromkeys(KEYS, 0)


def add_counts(rows) -> dict[str, int]:
    """Counts added together: how an area's return is made from its organisations'."""
    total = empty_counts()
    for row in rows:
        for key in KEYS:
            total[key] += row.get(key) or 0
    return total


# Scopes -----------------------------------------------------------------------------------------------------------

SCOPE_FIELDS = ("id", "code", "name", "type", "path", "icb_id", "region_id")
AREA_KINDS = {OrganisationType.ICB: "icb", OrganisationType.REGION: "region"}
KIND_NAMES = {"org": "Organisation", "icb": "Integrated care board", "region": "Region", "national": "England"}


@dataclass(frozen=True)
class ReturnScope:
    """What a return covers: one organisation's own cases, or the cases of every organisation in an area."""

    kind: str  # org, icb, region or national
    organisation: Organisation | None = None

    @property
    def code(self) -> str:
        return "national" if self.kind == "national" else f"{self.kind}:{self.organisation.code}"

    @property
    def name(self) -> str:
        return "England" if self.organisation is None else self.organisation.name

    @property
    def path(self) -> str | None:
        return None if self.organisation is None else self.organisation.path

    @property
    def is_area(self) -> bool:
        return self.kind != "org"

    def cases_q(self) -> Q:
        """The cases this scope counts."""
        if self.kind == "org":
            return Q(organisation_id=self.organisation.pk)
        if self.kind == "icb":
            return Q(organisation__icb_id=self.organisation.pk)
        if self.kind == "region":
            return Q(organisation__region_id=self.organisation.pk)
        return Q()


def scope_of_organisation(org: Organisation | None) -> ReturnScope:
    """The scope an organisation stands for by default: an area for ICBs and regions, itself otherwise."""
    if org is None or org.type == OrganisationType.NATIONAL:
        return ReturnScope("national")
    return ReturnScope(AREA_KINDS.get(org.type, "org"), org)


def scope_parse(code: str) -> ReturnScope | None:
    """A scope from its code (national, region:CODE, icb:CODE or org:CODE), or None."""
    code = (code or "").strip()
    if code == "national":
        return ReturnScope("national")
    kind, _, org_code = code.partition(":")
    if kind not in ("org", "icb", "region") or not org_code:
        return None
    org = Organisation.objects.filter(code__iexact=org_code).only(*SCOPE_FIELDS).first()
    if org is None:
        return None
    if kind == "org":
        # Concerns are raised with employers: never with a region or the national body.
        return None if org.type in (OrganisationType.REGION, OrganisationType.NATIONAL) else ReturnScope("org", org)
    return ReturnScope(kind, org) if AREA_KINDS.get(org.type) == kind else None


def return_access(*, assignment, scope: ReturnScope) -> str | None:
    """How the acting role sees a scope's return: "exact", "published", or None when it may not see it at all.

    Inside the role's own scope: exact for a guardian's organisations, published for everything else. Areas that
    contain the role's scope (its ICB, region and England) are open as published figures, to compare with.
    """
    if not assignment_has(assignment, VIEW_RETURN):
        return None
    own = Scope.of(assignment)
    if scope_inside(assignment=assignment, scope=scope):
        exact = scope.kind == "org" and not own.national and assignment_has(assignment, VIEW_RETURN_EXACT)
        return "exact" if exact else "published"
    if scope.is_area and (scope.path is None or own.path.startswith(scope.path)):
        return "published"
    return None


def scope_inside(*, assignment, scope: ReturnScope) -> bool:
    """Whether a scope lies inside the acting role's own (so everything one level down is open to it too)."""
    own = Scope.of(assignment)
    return own.national or (scope.path is not None and scope.path.startswith(own.path))


def return_scope_get(*, assignment, code: str | None) -> tuple[ReturnScope, bool]:
    """The scope asked for (the role's own by default) and whether its figures are exact; 404 alike for a scope
    that does not exist and one the role may not see."""
    scope = scope_parse(code) if code else scope_of_organisation(assignment.organisation)
    access = return_access(assignment=assignment, scope=scope) if scope else None
    if access is None:
        raise Http404("No such return")
    return scope, access == "exact"


def scopes_above(scope: ReturnScope) -> list[ReturnScope]:
    """The areas containing a scope, nearest first, ending with England."""
    out = []
    org = scope.organisation
    if org is not None:
        wanted = [pk for pk in (org.icb_id, org.region_id) if pk and pk != org.pk]
        found = {o.pk: o for o in Organisation.objects.filter(pk__in=wanted).only(*SCOPE_FIELDS)}
        out = [scope_of_organisation(found[pk]) for pk in wanted if pk in found]
        out.append(ReturnScope("national"))
    return out


# Counting ---------------------------------------------------------------------------------------------------------


def organisation_counts(*, scope: ReturnScope, quarter: Quarter) -> list[dict]:
    """One row of counts per organisation in the scope with concerns received in the quarter (one query)."""
    rows = (
        Case.objects.filter(scope.cases_q(), received_on__gte=quarter.start, received_on__lte=quarter.end)
        .values("organisation_id", "organisation__icb_id", "organisation__region_id")
        .annotate(**_aggregates())
        .order_by()
    )
    return [{**_counts_of(row), **{k: v for k, v in row.items() if not k.startswith("n_")}} for row in rows]


def return_counts(*, scope: ReturnScope, quarter: Quarter) -> dict[str, int]:
    """The return's counts for a scope and quarter: an area's are its organisations' added together."""
    return add_counts(organisation_counts(scope=scope, quarter=quarter))


def trend_counts(*, scope: ReturnScope, quarters: list[Quarter]) -> dict[Quarter, dict[str, int]]:
    """Counts for each of several quarters, in one query grouped by quarter (quarters with no cases are zeros)."""
    rows = (
        Case.objects.filter(scope.cases_q(), received_on__gte=quarters[0].start, received_on__lte=quarters[-1].end)
        .annotate(quarter_start=TruncQuarter("received_on"))
        .values("quarter_start")
        .annotate(**_aggregates())
        .order_by()
    )
    out = {quarter: empty_counts() for quarter in quarters}
    for row in rows:
        start = row["quarter_start"]
        start = start.date() if hasattr(start, "date") and callable(start.date) else start
        quarter = Quarter.of(start)
        if quarter in out:
            out[quarter] = _counts_of(row)
    return out


# Figures as shown -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    measure: Measure
    figure: Figure


@dataclass(frozen=True)
class Table:
    key: str
    caption: str
    heading: str
    rows: list[Row]
    total: Figure | None = None
    note: str = ""


def _column(counts: dict[str, int], measures: list[Measure], *, exact: bool) -> tuple[list[Row], Figure]:
    """A column whose cells add up to the total: exact, or published with secondary suppression."""
    cells = {m.key: counts[m.key] for m in measures}
    if exact:
        return [Row(m, count_exact(cells[m.key])) for m in measures], count_exact(sum(cells.values()))
    figures, total = published_column(cells, [m.key for m in measures])
    return [Row(m, figures[m.key]) for m in measures], total


def _separate(counts: dict[str, int], measures: list[Measure], *, exact: bool) -> list[Row]:
    """Counts that do not add up to anything shown, each published on its own."""
    show = count_exact if exact else count_published
    return [Row(m, show(counts[m.key])) for m in measures]


def return_tables(counts: dict[str, int], *, exact: bool) -> list[Table]:
    """The return's tables, with each figure exact or published."""
    modes, total = _column(counts, MODES, exact=exact)
    groups, group_total = _column(counts, GROUPS, exact=exact)
    return [
        Table("mode", "How concerns were raised", "How raised", modes, total),
        Table(
            "category",
            "What concerns were about",
            "Category",
            _separate(counts, CATEGORIES, exact=exact),
            note="A concern may be about more than one thing, so these figures do not add up to the total.",
        ),
        Table("group", "Professional group of the reporter", "Professional group", groups, group_total),
        Table(
            "detriment",
            "Detriment for speaking up",
            "Detriment",
            _separate(counts, DETRIMENT, exact=exact),
            note="A concern where both the reporter and the guardians say so counts once in the first line and once "
            "in each of the others.",
        ),
        Table("feedback", "Feedback given to the reporter", "Feedback", _separate(counts, FEEDBACK, exact=exact)),
    ]


def total_figure(counts: dict[str, int], *, exact: bool) -> Figure:
    """The number of concerns received, as the mode table publishes it (the same figure everywhere on the page)."""
    return _column(counts, MODES, exact=exact)[1]


@dataclass
class QuarterlyReturn:
    scope: ReturnScope
    quarter: Quarter
    exact: bool
    counts: dict[str, int]
    total: Figure
    tables: list[Table]
    children: list[dict] = field(default_factory=list)


def quarterly_return(*, scope: ReturnScope, quarter: Quarter, exact: bool, with_children: bool = False):
    """The return for a scope and quarter, and for an area the published totals of the areas or organisations one
    level down that had concerns in the quarter."""
    rows = organisation_counts(scope=scope, quarter=quarter)
    counts = add_counts(rows)
    result = QuarterlyReturn(
        scope=scope,
        quarter=quarter,
        exact=exact,
        counts=counts,
        total=total_figure(counts, exact=exact),
        tables=return_tables(counts, exact=exact),
    )
    if with_children and scope.is_area and rows:
        result.children = _children(scope, rows)
    return result


def _children(scope: ReturnScope, rows: list[dict]) -> list[dict]:
    """The published number of concerns for each area or organisation one level down (one query for names)."""
    by_child: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        if scope.kind == "national":
            child = row["organisation__region_id"] or row["organisation_id"]
        elif scope.kind == "region":
            child = row["organisation__icb_id"] or row["organisation_id"]
        else:
            child = row["organisation_id"]
        if child == (scope.organisation.pk if scope.organisation else None):
            child = row["organisation_id"]  # the area's own body as an employer
        by_child[child].append(row)
    orgs = Organisation.objects.filter(pk__in=by_child).only(*SCOPE_FIELDS)
    scopes = {}
    for org in orgs:
        own_body = org.pk == getattr(scope.organisation, "pk", None)
        scopes[org.pk] = ReturnScope("org", org) if own_body else scope_of_organisation(org)
    # The lines add up to the area's total, which the page shows: a lone hidden line takes another with it.
    totals = {pk: add_counts(by_child[pk])["total"] for pk in scopes}
    figures, _total = published_column({str(pk): n for pk, n in totals.items()}, [str(pk) for pk in totals])
    out = [{"scope": child, "total": figures[str(pk)]} for pk, child in scopes.items()]
    return sorted(out, key=lambda item: (item["scope"].name, item["scope"].code))


# Trends -----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendSeries:
    key: str
    title: str
    improvement: str  # increase, decrease or neutral
    unit: str
    definition: str


TREND_SERIES = [
    TrendSeries(
        "total",
        "Concerns received",
        "neutral",
        "",
        "Concerns received in each quarter. More concerns can mean more confidence in speaking up as well as more "
        "problems, so neither direction is marked better.",
    ),
    TrendSeries(
        "anonymous_share",
        "Share of concerns raised anonymously",
        "decrease",
        "%",
        "Anonymous concerns as a percentage of all concerns received in the quarter. A falling share suggests "
        "workers feel safer putting their name to a concern.",
    ),
    TrendSeries(
        "category_bullying",
        "Concerns with an element of bullying or harassment",
        "neutral",
        "",
        "Concerns received in each quarter with an element of bullying or harassment.",
    ),
    TrendSeries(
        "detriment",
        "Concerns where detriment for speaking up was indicated",
        "decrease",
        "",
        "Concerns received in each quarter where the reporter said, or the guardians recorded, that the reporter "
        "was treated worse for speaking up. Fewer is better.",
    ),
]


def _point(series: TrendSeries, counts: dict[str, int], *, exact: bool) -> tuple[float | None, str, bool]:
    """(value, text, hidden) for one quarter of one series."""
    if series.key == "anonymous_share":
        if exact:
            total, anonymous = counts["total"], counts[f"mode_{Mode.ANONYMOUS}"]
            if not total:
                return None, "no concerns", False
            value = 100 * anonymous / total
            return value, f"{round(value)}%", False
        rows, total = _column(counts, MODES, exact=False)
        anonymous = next(r.figure for r in rows if r.measure.key == f"mode_{Mode.ANONYMOUS}")
        text = published_share(anonymous, total)
        if not text:
            hidden = anonymous.suppressed or total.suppressed
            return None, "*" if hidden else "no concerns", hidden
        return 100 * anonymous.shown / total.shown, text, False
    figure = count_exact(counts[series.key]) if exact else count_published(counts[series.key])
    if figure.suppressed:
        return None, "*", True
    return float(figure.shown), figure.text, False


def trend_points(*, scope: ReturnScope, last: Quarter, exact: bool, count: int = TREND_QUARTERS) -> dict:
    """Each trend series as one point per quarter, exact or published (hidden points have no value)."""
    quarters = quarters_ending(last, count)
    by_quarter = trend_counts(scope=scope, quarters=quarters)
    out = {}
    for series in TREND_SERIES:
        points = []
        for quarter in quarters:
            value, text, hidden = _point(series, by_quarter[quarter], exact=exact)
            points.append({"quarter": quarter, "value": value, "text": text, "hidden": hidden})
        out[series.key] = points
    return out


def trend_charts(*, scope: ReturnScope, last: Quarter, exact: bool) -> list[dict]:
    """A Making Data Count XmR chart for each series, with its points for the table beside it."""
    from carelead.equality.charts import xmr_chart
    from carelead.equality.spc import Point, spc_analyse

    all_points = trend_points(scope=scope, last=last, exact=exact)
    out = []
    for series in TREND_SERIES:
        points = all_points[series.key]
        shown = [p for p in points if p["value"] is not None]
        chart = None
        if len(shown) >= 2:
            analysis = spc_analyse(
                [Point(p["quarter"].label, p["value"]) for p in shown], improvement=series.improvement
            )
            chart = xmr_chart(analysis, title=series.title, unit=series.unit, improvement=series.improvement)
        out.append(
            {
                "series": series,
                "points": points,
                "chart": chart,
                "hidden": sum(1 for p in points if p["hidden"]),
            }
        )
    return out


# The staff survey beside the bullying theme -----------------------------------------------------------------------

SURVEY_MEASURES = ["WRES6", "WRES8", "WDES4a", "WDES4b", "WDES4c", "WDES4d"]
SURVEY_GROUPS = {"WRES": ["white", "bme"], "WDES": ["disabled", "non_disabled"]}


def survey_years(*, first: str, last: str) -> list[str]:
    """The financial years from ``first`` to ``last`` (labels such as 2025-26) with staff survey results for the
    bullying theme held for any organisation."""
    from carelead.equality.models import SurveyResult

    years = (
        SurveyResult.objects.filter(measure__in=SURVEY_MEASURES, period__gte=first, period__lte=last)
        .values_list("period", flat=True)
        .distinct()
        .order_by("period")
    )
    return list(years)


def latest_survey_year(*, up_to: str) -> str | None:
    """The newest financial year up to ``up_to`` with staff survey results for the bullying theme."""
    from carelead.equality.models import SurveyResult

    return (
        SurveyResult.objects.filter(measure__in=SURVEY_MEASURES, period__lte=up_to)
        .aggregate(latest=Max("period"))
        .get("latest")
    )


def survey_theme(*, scope: ReturnScope, years: list[str], assignment) -> dict:
    """WRES 6, WRES 8 and WDES 4 for the scope from the equality engine, for each year given: exact or published
    by the equality pages' own rule (exact only for roles with record-level rights over the whole scope)."""
    from carelead.equality.engine import Period
    from carelead.equality.measures import MEASURES as EQUALITY_MEASURES
    from carelead.equality.selectors import full_figures_allowed, metric_rows

    published = not full_figures_allowed(assignment=assignment, scope_path=scope.path)
    values: dict[tuple[str, str, str], dict] = {}
    for year in years:
        period = Period.parse(year)
        for standard in ("wres", "wdes"):
            for row in metric_rows(standard=standard, period=period, published=published):
                if row["scope"] == scope.code and row["code"] in SURVEY_MEASURES:
                    values[(row["code"], row["group"], year)] = row
    lines = []
    for code in SURVEY_MEASURES:
        for group in SURVEY_GROUPS[code[:4]]:
            cells = [values.get((code, group, year)) for year in years]
            if any(cells):
                lines.append(
                    {
                        "code": code,
                        "title": EQUALITY_MEASURES[code].title,
                        "group": group,
                        "cells": [_survey_text(cell) for cell in cells],
                    }
                )
    return {"years": years, "lines": lines, "published": published}


def _survey_text(row: dict | None) -> str:
    if row is None:
        return "no result"
    if row.get("suppressed"):
        return "*"
    if row.get("value") is None:
        return "no result"
    return f"{row['value']:.1f}%"

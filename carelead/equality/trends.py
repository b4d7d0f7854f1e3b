"""Quarterly trend series of the equality measures, for Making Data Count charts.

Each quarter is computed on its own (never a rolling window: overlapping windows make neighbouring points move
together and set off the run rules). A quarter's figure is the measure's definition applied to the quarter:
decisions, cases and training dated in it, headcounts and boards on its last day. For every quarter, series and
scope the four exact counts are stored (``TrendPoint``); values are worked out when read, so the same counts give
exact figures to roles with record-level rights and disclosure-controlled ones to everyone else.

The computation runs in the background after data change (or with ``carelead trends``); pages read the newest
finished run, and a crash leaves the previous one in place.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from carelead.core.bulk import fast_insert
from carelead.core.disclosure import policy
from carelead.equality.engine import (
    Period,
    Tree,
    _board,
    _cpd_takers,
    _entrants,
    _headcount,
    _recruitment,
    pool,
    relative_likelihood,
)
from carelead.equality.models import CapabilityCase, DisciplinaryCase, TrendPoint, TrendRun
from carelead.equality.monitors import MONITORS, compute_monitors


@dataclass(frozen=True)
class Series:
    code: str
    measure: str
    title: str
    kind: str  # likelihood or gap
    characteristic: str = ""


SENIOR_BANDS = {"8a", "8b", "8c", "8d", "9", "VSM"}
STANDARD_SERIES = [
    Series("WRES1", "WRES1", "BME share of staff at band 8a and above", "share"),
    Series("WDES1", "WDES1", "Disabled share of staff at band 8a and above", "share"),
    Series("WRES2", "WRES2", "Appointment from shortlisting, White relative to BME", "likelihood"),
    Series("WRES3", "WRES3", "Entering the disciplinary process in the quarter, BME relative to White", "likelihood"),
    Series("WRES4", "WRES4", "Non-mandatory training in the quarter, White relative to BME", "likelihood"),
    Series("WRES9", "WRES9", "BME share of voting board members minus the workforce share", "gap"),
    Series("WDES2", "WDES2", "Appointment from shortlisting, non-disabled relative to Disabled", "likelihood"),
    Series(
        "WDES3", "WDES3", "Entering the capability process in the quarter, Disabled relative to others", "likelihood"
    ),
    Series("WDES10", "WDES10", "Disabled share of voting board members minus the workforce share", "gap"),
]
TREND_CHARACTERISTICS = {"ethnicity": "bme", "disability": "disabled"}


def all_series() -> list[Series]:
    monitors = [
        Series(f"{code}:{characteristic}", code, f"{decision.title}, by {characteristic}", "likelihood", characteristic)
        for code, decision in MONITORS.items()
        for characteristic in TREND_CHARACTERISTICS
    ]
    return [*STANDARD_SERIES, *monitors]


def series_for_measure(code: str) -> list[Series]:
    return [s for s in all_series() if s.measure == code]


def quarters(last_end: date | None = None, count: int | None = None) -> list[Period]:
    """The quarters of the financial years up to ``last_end`` (default: the end of the last complete year)."""
    from carelead.equality.selectors import latest_period

    end = last_end or latest_period().end
    count = count or settings.CARELEAD_TREND_QUARTERS
    out = []
    for _ in range(count):
        months = end.year * 12 + end.month - 1 - 2  # the first month of the quarter ending on `end`
        start = date(months // 12, months % 12 + 1, 1)
        out.append(Period(f"{end:%b %Y}", start, end))
        end = start - timedelta(days=1)
    return out[::-1]


def _quarter_counts(tree: Tree, quarter: Period) -> dict[str, dict[str, dict[str, int]]]:
    """{scope: {series: {a, n1, c, n2}}} for one quarter, from one pass per metric family."""
    per_org: list[tuple[int, tuple, int]] = []

    def add(org: int, series: str, role: str, n: int) -> None:
        per_org.append((org, (series, role), n))

    for org, band, _type, eth, dis, n in _headcount(tree, quarter.end):
        if band in SENIOR_BANDS:
            add(org, "WRES1", "n1", n)
            add(org, "WDES1", "n1", n)
            if eth == "bme":
                add(org, "WRES1", "a", n)
            if dis == "disabled":
                add(org, "WDES1", "a", n)
        add(org, "WRES3", {"bme": "n1", "white": "n2"}.get(eth, ""), n)
        add(org, "WRES4", {"white": "n1", "bme": "n2"}.get(eth, ""), n)
        add(org, "WDES3", {"disabled": "n1", "non_disabled": "n2"}.get(dis, ""), n)
        add(org, "WRES9", "n2", n)
        add(org, "WDES10", "n2", n)
        if eth == "bme":
            add(org, "WRES9", "c", n)
        if dis == "disabled":
            add(org, "WDES10", "c", n)
    for org, eth, dis, appointed, n in _recruitment(quarter):
        for series, group, first, second in (
            ("WRES2", eth, "white", "bme"),
            ("WDES2", dis, "non_disabled", "disabled"),
        ):
            if group in (first, second):
                size, hit = ("n1", "a") if group == first else ("n2", "c")
                add(org, series, size, n)
                if appointed:
                    add(org, series, hit, n)
    for org, eth, _dis, n in _entrants(DisciplinaryCase, quarter):
        add(org, "WRES3", {"bme": "a", "white": "c"}.get(eth, ""), n)
    for org, _eth, dis, n in _entrants(CapabilityCase, quarter, Q(reason="performance")):
        add(org, "WDES3", {"disabled": "a", "non_disabled": "c"}.get(dis, ""), n)
    for org, eth, n in _cpd_takers(quarter):
        add(org, "WRES4", {"white": "a", "bme": "c"}.get(eth, ""), n)
    for org, _role, voting, eth, dis, n in _board(quarter.end):
        if voting:
            add(org, "WRES9", "n1", n)
            add(org, "WDES10", "n1", n)
            if eth == "bme":
                add(org, "WRES9", "a", n)
            if dis == "disabled":
                add(org, "WDES10", "a", n)
    out: dict[str, dict[str, dict[str, int]]] = {}
    for scope, counts in pool(tree, [p for p in per_org if p[1][1]]).items():
        by_series = out.setdefault(scope, {})
        for (series, role), n in counts.items():
            by_series.setdefault(series, {"a": 0, "n1": 0, "c": 0, "n2": 0})[role] = n
    rows = compute_monitors(period=quarter, published=False, characteristics=list(TREND_CHARACTERISTICS))
    for row in rows:
        if row["group"] != TREND_CHARACTERISTICS.get(row["characteristic"]):
            continue
        out.setdefault(row["scope"], {})[f"{row['code']}:{row['characteristic']}"] = {
            "a": row["reference_count"],
            "n1": row["reference_group"],
            "c": row["compared_count"],
            "n2": row["compared_group"],
        }
    return out


def refresh_trends(*, progress: Callable[[int, int], None] | None = None) -> TrendRun:
    """Compute every series for every scope and quarter as a new run; older runs go once it has finished."""
    from carelead.equality.selectors import data_version

    periods = quarters()
    run = TrendRun.objects.create(
        total=len(periods), data_version=data_version(), quarter_ends=[q.end.isoformat() for q in periods]
    )
    try:
        tree = Tree()
        for i, quarter in enumerate(periods, start=1):
            rows = [
                {"run_id": run.pk, "series": series, "scope": scope, "quarter_end": quarter.end, **four}
                for scope, by_series in _quarter_counts(tree, quarter).items()
                for series, four in by_series.items()
            ]
            with transaction.atomic():
                fast_insert(model=TrendPoint, rows=rows)
                TrendRun.objects.filter(pk=run.pk).update(done=i)
            if progress:
                progress(i, len(periods))
    except Exception as exc:
        TrendRun.objects.filter(pk=run.pk).update(status=TrendRun.Status.FAILED, error=str(exc)[:2000])
        raise
    with transaction.atomic():
        TrendRun.objects.filter(pk=run.pk).update(status=TrendRun.Status.FINISHED, finished_at=timezone.now())
        TrendRun.objects.exclude(pk=run.pk).exclude(status=TrendRun.Status.RUNNING).delete()
    run.refresh_from_db()
    return run


def latest_run() -> TrendRun | None:
    return TrendRun.objects.filter(status=TrendRun.Status.FINISHED).order_by("-finished_at").first()


def point_value(kind: str, four: dict[str, int], *, published: bool, national: bool) -> dict[str, Any]:
    """A quarter's value from its counts, disclosure-controlled when published below national level."""
    a, n1, c, n2 = four["a"], four["n1"], four["c"], four["n2"]
    if published and not national:
        rule = policy()
        if any(rule.suppressed(n) for n in (a, n1, c, n2)):
            return {"value": None, "suppressed": True}
        a, n1, c, n2 = (rule.value(n)[0] for n in (a, n1, c, n2))
    if kind == "gap":
        value = None if not n1 or not n2 else 100 * a / n1 - 100 * c / n2
        return {"value": value, "suppressed": False}
    if kind == "share":
        return {"value": 100 * a / n1 if n1 else None, "suppressed": False}
    return {"value": relative_likelihood(a, n1, c, n2)["value"], "suppressed": False}


def series_points(*, scope: str, series: Series, published: bool, run: TrendRun | None = None) -> list[dict]:
    """The quarters of one series for one scope: date label, value (None when suppressed or undefined)."""
    run = run or latest_run()
    if run is None:
        return []
    points = TrendPoint.objects.filter(run=run, scope=scope, series=series.code)
    stored = {p["quarter_end"]: p for p in points.values("quarter_end", "a", "n1", "c", "n2")}
    out = []
    for text in run.quarter_ends:
        day = date.fromisoformat(text)
        four = stored.get(day)
        if four is None:  # nothing recorded that quarter: undefined, not zero
            value = {"value": None, "suppressed": False}
        else:
            value = point_value(series.kind, four, published=published, national=scope == "national")
        out.append({"date": f"{day:%b %Y}", "quarter_end": day, **value})
    return out


def improvement_for(series: Series, values: list[float]) -> tuple[str, float | None]:
    """Which way is better, and the target line: towards parity (1, or 0 points for a board gap); a larger
    share of under-represented groups in senior bands, with no target."""
    if series.kind == "share":
        return "increase", None
    if series.kind == "gap":
        return ("increase" if (sum(values) / len(values) if values else 0) < 0 else "decrease"), 0.0
    mean = sum(values) / len(values) if values else 1
    return ("decrease" if mean >= 1 else "increase"), 1.0

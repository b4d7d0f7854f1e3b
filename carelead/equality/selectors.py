"""Equality figures for pages: computed once per period and disclosure level, kept until the data change."""

from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from carelead.accounts.permissions import Scope, assignment_has
from carelead.equality.engine import Period, compute_standards
from carelead.equality.permissions import VIEW_EQUALITY_FULL

VERSION_KEY = "carelead:data-version"


def data_changed() -> None:
    """Called after writes that change what the standards are computed from; cached figures then expire and
    the trend series are recomputed in the background (when the setting asks for it)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 1, timeout=None)
    if settings.CARELEAD_TRENDS_REFRESH_ON_CHANGE:
        from carelead.equality.tasks import refresh_trends_task

        if not _refresh_waiting(refresh_trends_task):
            refresh_trends_task.enqueue()


def _refresh_waiting(task) -> bool:
    """Whether a refresh is already queued and not yet started: it will read the new data when it runs, so a
    burst of writes queues one refresh rather than one each (a refresh already running does not count)."""
    if "django_tasks_db" not in settings.TASKS["default"]["BACKEND"]:
        return False
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=task.module_path, status=TaskResultStatus.READY).exists()


def data_version() -> int:
    return cache.get(VERSION_KEY, 0)


def latest_period(on: date | None = None) -> Period:
    """The last complete financial year."""
    on = on or timezone.localdate()
    year = on.year - 1 if on.month >= 4 else on.year - 2
    return Period.parse(f"{year}-{(year + 1) % 100:02d}")


def metric_rows(*, standard: str, period: Period, published: bool) -> list[dict]:
    """Every row of a standard for every scope, from the cache when the data have not changed.

    On a miss both standards are computed together (they share the headcounts) and both are cached.
    """
    version = data_version()

    def key(name: str) -> str:
        return f"carelead:metrics:{name}:{period.label}:{int(published)}:{version}"

    rows = cache.get(key(standard))
    if rows is None:
        both = compute_standards(period=period, published=published)
        cache.set_many({key(name): value for name, value in both.items()}, timeout=24 * 3600)
        rows = both[standard]
    return rows


def full_figures_allowed(*, assignment, scope_path: str | None) -> bool:
    """Exact figures only for roles with record-level rights over the whole scope being shown."""
    if not assignment_has(assignment, VIEW_EQUALITY_FULL):
        return False
    own = Scope.of(assignment)
    if own.national:
        return True
    return scope_path is not None and scope_path.startswith(own.path)


def monitor_rows(*, period: Period, published: bool) -> list[dict]:
    """Every fairness monitor row for every scope, cached like the standards."""
    from carelead.equality.monitors import compute_monitors

    key = f"carelead:monitors:{period.label}:{int(published)}:{data_version()}"
    rows = cache.get(key)
    if rows is None:
        rows = compute_monitors(period=period, published=published)
        cache.set(key, rows, timeout=24 * 3600)
    return rows


def trend_charts(*, scope: str, measure_code: str, published: bool, run=None) -> list[dict]:
    """The SPC charts of a measure's quarterly series for a scope, each with the chart layout and its analysis.

    ``run`` is the trend run to read (the latest finished one when not given), so a page drawing several
    measures looks it up once."""
    from carelead.equality.charts import xmr_chart
    from carelead.equality.spc import Point, spc_analyse
    from carelead.equality.trends import improvement_for, latest_run, series_for_measure, series_points

    run = run or latest_run()
    charts = []
    for series in series_for_measure(measure_code):
        points = series_points(scope=scope, series=series, published=published, run=run) if run else []
        shown = [p for p in points if p["value"] is not None]
        entry = {"series": series, "points": points, "hidden": len(points) - len(shown), "chart": None}
        if len(shown) >= 2:
            improvement, target = improvement_for(series, [p["value"] for p in shown])
            analysis = spc_analyse(
                [Point(p["quarter_end"].isoformat(), p["value"]) for p in shown], improvement=improvement, target=target
            )
            unit = {"gap": "pts", "share": "%"}.get(series.kind, "")
            entry["chart"] = xmr_chart(analysis, title=series.title, unit=unit, improvement=improvement, target=target)
        charts.append(entry)
    return charts


def worst_measures(*, organisation, assignment, limit: int = 8) -> list[dict]:
    """An organisation's relative likelihoods furthest outside the interpretation band, worst first.

    The standards' headline likelihoods and every fairness monitor comparison whose interval excludes parity; the
    figures are exact only for roles with record-level rights over the organisation.
    """
    from math import log

    from carelead.equality.measures import measure_get
    from carelead.equality.monitors import GROUP_LABELS, interpretation_band

    period = latest_period()
    published = not full_figures_allowed(assignment=assignment, scope_path=organisation.path)
    scope = f"org:{organisation.code}"
    low, high = interpretation_band()
    found = []
    rows = metric_rows(standard="wres", period=period, published=published) + metric_rows(
        standard="wdes", period=period, published=published
    )
    for row in rows:
        measure = measure_get(row["code"])
        if row["scope"] != scope or measure is None or measure.kind != "likelihood" or not row.get("value"):
            continue
        if not (low <= row["value"] <= high):
            found.append({"row": row, "measure": measure, "label": measure.title})
    for row in monitor_rows(period=period, published=published):
        if row["scope"] == scope and row["value"] and row["outside_band"] and row["significant"]:
            measure = measure_get(row["code"])
            label = f"{measure.title}: {GROUP_LABELS.get(row['group'], row['group'])}"
            found.append({"row": row, "measure": measure, "label": label})
    found.sort(key=lambda item: abs(log(item["row"]["value"])), reverse=True)
    return [{**item, "period": period} for item in found[:limit]]

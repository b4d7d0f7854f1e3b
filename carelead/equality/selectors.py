"""Equality figures for pages: computed once per period and disclosure level, kept until the data change."""

import uuid
from collections import OrderedDict
from datetime import date
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from carelead.accounts.permissions import Scope, assignment_has
from carelead.equality.engine import Period, compute_standards
from carelead.equality.permissions import VIEW_EQUALITY_FULL

VERSION_KEY = "carelead:data-version"


def data_changed() -> None:
    """Called after writes that change what the standards are computed from: the held figures become stale and
    are recomputed in the background, as are the trend series (when the settings ask for it)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 1, timeout=None)
    if settings.CARELEAD_FIGURES_REFRESH_ON_CHANGE:
        period = latest_period()
        for kind in FIGURE_KINDS:
            for published in (True, False):
                figures_request(kind=kind, period=period, published=published)
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


class FiguresPending(Exception):
    """No figures are held yet for this period and disclosure level; the worker is computing them."""

    def __init__(self, period: Period):
        super().__init__(f"equality figures for {period.label} are being prepared")
        self.period = period


FIGURE_KINDS = ("standards", "monitors")


def _figures_key(kind: str, period: Period, published: bool) -> str:
    return f"carelead:figures:{kind}:{period.label}:{int(published)}"


# The figures last read by this process, keyed by cache key and computation: England's are several megabytes to
# unpickle, and a page reads two or three of them. Readers must not change the rows they are given.
_MEMO: OrderedDict[tuple[str, str], Any] = OrderedDict()
_MEMO_SIZE = 4


def figures_compute(*, kind: str, period: Period, published: bool) -> None:
    """Compute one kind of figures (WRES and WDES together, or the fairness monitors) for every scope and hold
    them with the data version they were computed from.

    The version is read before computing, so a change made during the computation leaves the result marked
    stale and it is computed again. The rows and a small note of their version are held under two keys, so
    checking whether figures are current never reads the rows."""
    from carelead.equality.monitors import compute_monitors

    version = data_version()
    if kind == "standards":
        rows = compute_standards(period=period, published=published)
    elif kind == "monitors":
        rows = compute_monitors(period=period, published=published)
    else:
        raise ValueError(f"unknown kind of figures: {kind}")
    key, token = _figures_key(kind, period, published), uuid.uuid4().hex
    keep = settings.CARELEAD_FIGURES_KEEP_SECONDS
    cache.set(f"{key}:rows", {"token": token, "rows": rows}, timeout=keep)
    cache.set(f"{key}:meta", {"token": token, "version": version, "computed_at": timezone.now()}, timeout=keep)


def _rows(key: str, meta: dict):
    """The rows a note describes, from this process's memo when it read them already."""
    memo_key = (key, meta["token"])
    if memo_key in _MEMO:
        _MEMO.move_to_end(memo_key)
        return _MEMO[memo_key]
    held = cache.get(f"{key}:rows")
    if held is None or held["token"] != meta["token"]:
        return None  # evicted, or replaced between the two reads: treat as not held
    _MEMO[memo_key] = held["rows"]
    while len(_MEMO) > _MEMO_SIZE:
        _MEMO.popitem(last=False)
    return held["rows"]


def figures_request(*, kind: str, period: Period, published: bool) -> None:
    """Queue the computation unless one is already queued for the current data."""
    from carelead.equality.tasks import compute_figures_task

    marker = f"carelead:figures-queued:{kind}:{period.label}:{int(published)}:{data_version()}"
    # The marker expires, so a worker that died mid-computation does not block the figures for ever.
    if cache.add(marker, 1, timeout=settings.CARELEAD_FIGURES_QUEUE_SECONDS):
        compute_figures_task.enqueue(kind=kind, period=period.label, published=published)


def _figures(kind: str, period: Period, published: bool):
    """The held figures; when the data have changed since, the previous ones while new ones are computed.

    Computing England's figures takes a minute on a national database, so it is never done inside a request
    (unless settings ask for it): a miss queues the work on the task worker. With nothing held yet the page says
    the figures are being prepared (FiguresPending)."""
    key = _figures_key(kind, period, published)
    meta = cache.get(f"{key}:meta")
    held = _rows(key, meta) if meta is not None else None
    if held is not None and meta["version"] == data_version():
        return held
    if settings.CARELEAD_FIGURES_IN_REQUEST:
        figures_compute(kind=kind, period=period, published=published)
    else:
        figures_request(kind=kind, period=period, published=published)
    fresh_meta = cache.get(f"{key}:meta")  # the immediate backend, or a worker that has just finished
    fresh = _rows(key, fresh_meta) if fresh_meta is not None else None
    if fresh is not None:
        return fresh
    if held is not None:
        return held
    raise FiguresPending(period)


def figures_state(*, period: Period, published: bool) -> dict:
    """Whether the figures shown are current: ``stale`` when the data have changed since they were computed
    (new ones are on the way), with when the oldest of them was computed."""
    version = data_version()
    notes = [cache.get(f"{_figures_key(kind, period, published)}:meta") for kind in FIGURE_KINDS]
    notes = [note for note in notes if note is not None]
    return {
        "stale": any(note["version"] != version for note in notes),
        "computed_at": min((note["computed_at"] for note in notes), default=None),
    }


def metric_rows(*, standard: str, period: Period, published: bool) -> list[dict]:
    """Every row of a standard (``wres`` or ``wdes``) for every scope."""
    return _figures("standards", period, published)[standard]


def full_figures_allowed(*, assignment, scope_path: str | None) -> bool:
    """Exact figures only for roles with record-level rights over the whole scope being shown."""
    if not assignment_has(assignment, VIEW_EQUALITY_FULL):
        return False
    own = Scope.of(assignment)
    if own.national:
        return True
    return scope_path is not None and scope_path.startswith(own.path)


def monitor_rows(*, period: Period, published: bool) -> list[dict]:
    """Every fairness monitor row for every scope."""
    return _figures("monitors", period, published)


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

"""Equality figures for pages: computed once per period and disclosure level, kept until the data change."""

from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from carelead.accounts.permissions import Scope, assignment_has
from carelead.equality.engine import Period, compute
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

        refresh_trends_task.enqueue()


def data_version() -> int:
    return cache.get(VERSION_KEY, 0)


def latest_period(on: date | None = None) -> Period:
    """The last complete financial year."""
    on = on or timezone.localdate()
    year = on.year - 1 if on.month >= 4 else on.year - 2
    return Period.parse(f"{year}-{(year + 1) % 100:02d}")


def metric_rows(*, standard: str, period: Period, published: bool) -> list[dict]:
    """Every row of a standard for every scope, from the cache when the data have not changed."""
    version = cache.get(VERSION_KEY, 0)
    key = f"carelead:metrics:{standard}:{period.label}:{int(published)}:{version}"
    rows = cache.get(key)
    if rows is None:
        rows = compute(standard=standard, period=period, published=published)
        cache.set(key, rows, timeout=24 * 3600)
    return rows


def full_figures_allowed(*, assignment, scope_path: str | None) -> bool:
    """Exact figures only for roles with record-level rights over the whole scope being shown."""
    if not assignment_has(assignment, VIEW_EQUALITY_FULL):
        return False
    own = Scope.of(assignment)
    if own.national:
        return True
    return scope_path is not None and scope_path.startswith(own.path)

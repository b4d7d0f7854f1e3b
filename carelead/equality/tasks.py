"""Background work for the equality analytics (django-tasks; the database worker by default)."""

from django_tasks import task


@task()
def refresh_trends_task() -> int:
    """Recompute every quarterly trend series; returns the new run's id."""
    from carelead.equality.models import TrendRun
    from carelead.equality.selectors import data_version
    from carelead.equality.trends import latest_run, refresh_trends

    if TrendRun.objects.filter(status=TrendRun.Status.RUNNING).exists():
        # A run already under way; the data version it records shows whether another is needed afterwards.
        return 0
    latest = latest_run()
    if latest is not None and latest.data_version == data_version():
        return 0  # a burst of changes queues a task each; the first run covers them all
    return refresh_trends().pk


@task()
def compute_figures_task(*, kind: str, period: str, published: bool) -> str:
    """Compute and hold one kind of equality figures for every scope (see selectors.figures_compute)."""
    from carelead.equality.engine import Period
    from carelead.equality.selectors import figures_compute

    figures_compute(kind=kind, period=Period.parse(period), published=published)
    return f"{kind} {period} {'published' if published else 'exact'}"

"""Quarterly trend series: each quarter on its own, exact counts stored, disclosure applied when read."""

import datetime
import itertools
from unittest import mock

import pytest

from carelead.equality.models import RecruitmentDecision, TrendPoint, TrendRun
from carelead.equality.trends import (
    STANDARD_SERIES,
    all_series,
    latest_run,
    point_value,
    quarters,
    refresh_trends,
    series_points,
)

WRES2 = next(s for s in STANDARD_SERIES if s.code == "WRES2")


def test_quarters_are_consecutive_and_end_on_the_last_day_of_a_quarter():
    qs = quarters(datetime.date(2026, 3, 31), 8)
    assert [q.label for q in qs][-2:] == ["Dec 2025", "Mar 2026"]
    assert qs[0].start == datetime.date(2024, 4, 1) and qs[-1].start == datetime.date(2026, 1, 1)
    assert all(b.start == a.end + datetime.timedelta(days=1) for a, b in itertools.pairwise(qs))


def decisions(org, day, white, white_appointed, bme, bme_appointed, start=0):
    n = start
    for group, total, appointed in (("A", white, white_appointed), ("N", bme, bme_appointed)):
        for i in range(total):
            n += 1
            RecruitmentDecision.objects.create(
                application_id=f"Q{n}",
                vacancy_id="V",
                organisation=org,
                date=day,
                shortlisted=True,
                appointed=i < appointed,
                ethnic_category=group,
            )
    return n


@pytest.fixture
def recent(settings):
    settings.CARELEAD_TREND_QUARTERS = 4
    with mock.patch("carelead.equality.selectors.latest_period") as latest:
        from carelead.equality.engine import Period

        latest.return_value = Period.parse("2025-26")
        yield


def test_each_quarter_counts_only_its_own_decisions(world, recent):
    raa = world.orgs["RAA"]
    n = decisions(raa, datetime.date(2025, 5, 1), 40, 20, 40, 10)
    decisions(raa, datetime.date(2025, 11, 1), 20, 4, 20, 5, start=n)
    run = refresh_trends()
    assert run.status == TrendRun.Status.FINISHED and run.done == 4
    points = series_points(scope="org:RAA", series=WRES2, published=False)
    assert [p["date"] for p in points] == ["Jun 2025", "Sep 2025", "Dec 2025", "Mar 2026"]
    values = {p["date"]: p["value"] for p in points}
    assert values["Jun 2025"] == pytest.approx((20 / 40) / (10 / 40))
    assert values["Dec 2025"] == pytest.approx((4 / 20) / (5 / 20))
    assert values["Sep 2025"] is None  # no decisions: undefined, not zero
    icb = {p["date"]: p["value"] for p in series_points(scope="icb:QZZ", series=WRES2, published=False)}
    assert icb["Jun 2025"] == pytest.approx(values["Jun 2025"])


def test_published_points_use_rounded_counts_and_hide_small_ones(world, recent):
    raa = world.orgs["RAA"]
    decisions(raa, datetime.date(2025, 5, 1), 41, 19, 38, 3)
    refresh_trends()
    published = series_points(scope="org:RAA", series=WRES2, published=True)
    assert published[0]["suppressed"] is True and published[0]["value"] is None
    assert point_value("likelihood", {"a": 19, "n1": 41, "c": 12, "n2": 38}, published=True, national=False)[
        "value"
    ] == pytest.approx((20 / 40) / (10 / 40))
    national = series_points(scope="national", series=WRES2, published=True)
    assert national[0]["value"] == pytest.approx((19 / 41) / (3 / 38))


def test_a_new_run_replaces_the_old_and_a_failed_one_leaves_it(world, recent):
    first = refresh_trends()
    second = refresh_trends()
    assert latest_run() == second and not TrendRun.objects.filter(pk=first.pk).exists()
    failing = mock.patch("carelead.equality.trends._quarter_counts", side_effect=RuntimeError("disk full"))
    with failing, pytest.raises(RuntimeError, match="disk full"):
        refresh_trends()
    assert latest_run() == second
    assert TrendRun.objects.filter(status=TrendRun.Status.FAILED, error="disk full").exists()
    assert TrendPoint.objects.filter(run=second).exists()


def test_every_monitor_has_a_trend_series_by_ethnicity_and_disability():
    from carelead.equality.monitors import MONITORS

    codes = {s.code for s in all_series()}
    assert {f"{code}:ethnicity" for code in MONITORS} <= codes
    assert {f"{code}:disability" for code in MONITORS} <= codes


def test_a_single_write_expires_cached_figures_and_a_refresh_runs_once_per_version(
    world, settings, django_capture_on_commit_callbacks
):
    from carelead.equality.selectors import data_version
    from carelead.equality.tasks import refresh_trends_task

    before = data_version()
    with django_capture_on_commit_callbacks(execute=True):
        decisions(world.orgs["RAA"], datetime.date(2025, 5, 1), 1, 1, 1, 0)
    assert data_version() > before
    settings.CARELEAD_TREND_QUARTERS = 2
    first = refresh_trends_task.call()
    assert first and refresh_trends_task.call() == 0


def test_senior_representation_is_a_share_series(world, recent):
    from carelead.equality.tests.test_engine import people
    from carelead.people.models import Person

    raa = world.orgs["RAA"]
    senior_already = Person.objects.filter(organisation=raa, pay_band__in=["8a", "8b", "8c", "8d", "9", "VSM"]).count()
    people(raa, 12, "A", pay_band="8a")
    people(raa, 4, "N", pay_band="8b")
    refresh_trends()
    wres1 = next(s for s in STANDARD_SERIES if s.code == "WRES1")
    exact = series_points(scope="org:RAA", series=wres1, published=False)
    assert exact[-1]["value"] == pytest.approx(100 * 4 / (16 + senior_already))
    assert series_points(scope="org:RAA", series=wres1, published=True)[-1]["suppressed"]  # 4 BME staff


def test_a_burst_of_changes_queues_one_refresh(world, settings):
    from django_tasks_db.models import DBTaskResult

    from carelead.equality.selectors import data_changed

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.CARELEAD_TRENDS_REFRESH_ON_CHANGE = True
    for _ in range(5):
        data_changed()
    assert DBTaskResult.objects.filter(task_path__endswith="refresh_trends_task", status="READY").count() == 1

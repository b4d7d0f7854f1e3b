"""Equality figures are computed on the task worker, never inside a page request."""

import pytest
from django.test import override_settings

from carelead.equality.selectors import data_changed, figures_compute, latest_period
from carelead.equality.tests.test_dashboard import recruit

QUEUED = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def queued():
    """Tasks are recorded, not run: as on a live site whose worker has not reached them yet."""
    from django_tasks import default_task_backend

    with override_settings(TASKS=QUEUED):
        default_task_backend.clear()
        yield default_task_backend
        default_task_backend.clear()


def test_a_cold_page_queues_the_work_once_and_says_the_figures_are_being_prepared(client_for, world, queued):
    hr = client_for("org_hr")
    first = hr.get("/equality/")
    assert first.status_code == 503
    assert first["Retry-After"]
    assert "being prepared" in first.content.decode()
    hr.get("/equality/fairness/")
    hr.get("/equality/")
    kinds = sorted(result.kwargs["kind"] for result in queued.results)
    assert kinds == ["monitors", "standards"]  # one each, however many pages ask


def test_the_page_shows_figures_once_the_worker_has_computed_them(client_for, world, queued):
    recruit(world.orgs["RAA"], 40, 20, 40, 10)
    hr = client_for("org_hr")
    assert hr.get("/equality/").status_code == 503
    for kind in ("standards", "monitors"):
        figures_compute(kind=kind, period=latest_period(), published=False)
    page = hr.get("/equality/")
    assert page.status_code == 200
    assert "2.00" in page.content.decode() and "being prepared" not in page.content.decode()


def test_after_a_change_the_previous_figures_show_marked_as_being_updated(client_for, world, queued):
    recruit(world.orgs["RAA"], 40, 20, 40, 10)
    period = latest_period()
    for kind in ("standards", "monitors"):
        figures_compute(kind=kind, period=period, published=False)
    data_changed()
    queued.clear()
    page = client_for("org_hr").get("/equality/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "2.00" in text and "Updated figures are being prepared" in text
    assert sorted(result.kwargs["kind"] for result in queued.results) == ["monitors", "standards"]


def test_a_change_queues_the_latest_year_when_settings_ask(world, queued):
    with override_settings(CARELEAD_FIGURES_REFRESH_ON_CHANGE=True):
        data_changed()
    queued_for = sorted((r.kwargs["kind"], r.kwargs["published"], r.kwargs["period"]) for r in queued.results)
    label = latest_period().label
    assert queued_for == [
        ("monitors", False, label),
        ("monitors", True, label),
        ("standards", False, label),
        ("standards", True, label),
    ]


def test_the_api_answers_503_with_retry_after_while_figures_are_prepared(client, world, queued):
    from rest_framework.authtoken.models import Token

    token, _ = Token.objects.get_or_create(user=world.users["regulator"])
    response = client.get("/api/v1/equality/wres/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 503
    assert response["Retry-After"] and "being prepared" in response.json()["error"]["message"]


def test_a_site_without_a_worker_can_compute_inside_the_request(client_for, world, queued):
    recruit(world.orgs["RAA"], 40, 20, 40, 10)
    with override_settings(CARELEAD_FIGURES_IN_REQUEST=True):
        page = client_for("org_hr").get("/equality/")
    assert page.status_code == 200 and "2.00" in page.content.decode()
    assert not queued.results


def test_the_task_computes_and_holds_the_figures(world):
    from django.core.cache import cache

    from carelead.equality.tasks import compute_figures_task

    period = latest_period()
    compute_figures_task.enqueue(kind="standards", period=period.label, published=True)
    held = cache.get(f"carelead:figures:standards:{period.label}:1:rows")
    assert set(held["rows"]) == {"wres", "wdes"} and held["rows"]["wres"]

"""A rater answers on a phone-sized screen, signed out and with JavaScript off; every page passes axe."""

import os
import shutil
from pathlib import Path

import pytest

from carelead.feedback.models import FeedbackAnswer, Principle
from carelead.feedback.tests.factories import open_request
from conftest import build_world
from tests.browser.conftest import axe_violations

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(__file__).resolve().parents[3] / "node_modules" / "axe-core" / "axe.min.js"
# Playwright's sync API keeps an event loop on the main thread; the test's own ORM calls stay synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not (Path(CHROMIUM).exists() and AXE.exists()), reason="needs Debian's Chromium and axe-core"),
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"],
    }


def _violations(page) -> list[dict]:
    return [{"id": v["id"], "help": v["help"]} for v in axe_violations(page)]


def test_a_rater_answers_on_a_phone_without_javascript(browser, live_server):
    world = build_world()
    _, tokens = open_request(person=world.people["member"], groups={"peer": 3})
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    problems = []
    page.goto(f"{live_server.url}/feedback/answer/?t={tokens['peer'][0]}")
    assert page.locator("h1").inner_text() == "Feedback for Sam Staffmember"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    problems += _violations_without_js(browser, page.url)

    page.get_by_role("button", name="Send my answers").click()
    assert page.locator(".nhsuk-error-summary").is_visible()
    assert page.title().startswith("Error:")
    for title in Principle.labels:
        page.get_by_role("group", name=title).get_by_label("4 – Very often").check()
    page.get_by_label("What do they do well?").fill("Explains things clearly")
    page.get_by_role("button", name="Send my answers").click()
    assert page.locator("h1").inner_text() == "Thank you for your feedback"
    assert FeedbackAnswer.objects.get().strengths == "Explains things clearly"
    context.close()
    assert problems == []


def _violations_without_js(browser, url: str) -> list[dict]:
    # axe itself needs JavaScript: check the same page in a context that runs it.
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(url)
    problems = _violations(page)
    page.get_by_role("button", name="Send my answers").click()
    problems += _violations(page)
    context.close()
    return problems

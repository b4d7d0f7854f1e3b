"""Pages that need no account, walked as a member of the public would: each passes axe, with and without errors."""

import pytest
from playwright.sync_api import expect

from conftest import build_world
from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def regions(live_server):
    build_world()


def test_registering_interest_in_a_board_role(page, live_server, regions):
    from carelead.nedpool.models import Candidate, CandidateMonitoring

    page.goto(f"{live_server.url}/ned/register/")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Register your interest").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter your full name")
    assert axe_violations(page) == []
    assert not Candidate.objects.exists()

    page.get_by_label("Full name").fill("Grace Hopper")
    page.get_by_label("Email address").fill("grace@example.org")
    page.locator("input[name=regions]").first.check()
    page.locator("input[name=sectors]").first.check()
    page.locator("input[name=roles]").first.check()
    page.locator("input[name=skills]").first.check()
    page.locator("textarea[name=statement]").fill("I would like to bring my experience of change to a board.")
    page.locator("input[name=consent]").check()
    page.get_by_role("button", name="Register your interest").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert axe_violations(page) == []
    candidate = Candidate.objects.get()
    assert (candidate.name, candidate.email) == ("Grace Hopper", "grace@example.org")
    assert not CandidateMonitoring.objects.filter(candidate=candidate).exists()


def test_raising_an_anonymous_concern_and_coming_back_to_it(page, live_server, regions):
    from carelead.speakup.models import Case

    page.goto(f"{live_server.url}/speak-up/")
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/speak-up/raise/")
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/speak-up/raise/?org=RAA")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Send your concern").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    assert axe_violations(page) == []
    assert not Case.objects.exists()

    page.locator("input[name=mode][value=anonymous]").check()
    page.locator("textarea[name=description]").fill("Night shifts on the ward are left short and nobody listens.")
    page.locator("input[name=categories][value=patient_safety]").check()
    page.get_by_role("button", name="Send your concern").click()
    expect(page.locator("#receipt-code")).to_be_visible()
    assert axe_violations(page) == []
    receipt = page.locator("#receipt-code").inner_text()
    secret = page.locator("#receipt-secret").inner_text()
    case = Case.objects.get()
    assert case.mode == "anonymous"

    page.goto(f"{live_server.url}/speak-up/follow/")
    assert axe_violations(page) == []
    page.get_by_label("Receipt code").fill(receipt)
    page.get_by_label("Secret").fill("WRONG-WRONG-WRONG")
    page.get_by_role("button", name="Open your concern").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Receipt code").fill(receipt)
    page.get_by_label("Secret").fill(secret)
    page.get_by_role("button", name="Open your concern").click()
    expect(page.get_by_text("Night shifts on the ward")).to_be_visible()
    assert axe_violations(page) == []

"""Two-factor sign-in in a browser: set-up from the QR page's key, the recovery codes, the code page with its error,
and the lockout page; every page passes axe and works without JavaScript."""

import base64
import re

import pytest
from django.test import override_settings
from django_otp.oath import totp
from playwright.sync_api import expect

from carelead.accounts.tests.factories import totp_code, totp_device
from conftest import build_world
from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def live_world(live_server):
    return build_world()


def password_step(page, live_server, user, password):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_set_up_then_sign_in_with_a_code(browser, live_server, live_world, javascript):
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    problems = []
    user = live_world.users["org_hr"]
    password_step(page, live_server, user, live_world.password)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    problems += [f"set-up: {v}" for v in axe_violations(page)] if javascript else []
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    page.get_by_label("Code from your authenticator app").fill("123")
    page.get_by_role("button", name="Set up two-factor sign-in").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("The code is not right")
    problems += [f"set-up with an error: {v}" for v in axe_violations(page)] if javascript else []
    page.wait_for_timeout(1100)  # django-otp makes the next try wait a second after a wrong code
    page.get_by_label("Code from your authenticator app").fill(f"{totp(base64.b32decode(secret)):06d}")
    page.get_by_role("button", name="Set up two-factor sign-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    codes = page.locator("main ul.nhsuk-list code").all_inner_texts()
    assert len(codes) == 10
    problems += [f"recovery codes: {v}" for v in axe_violations(page)] if javascript else []
    page.get_by_role("button", name="I have kept my recovery codes").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")

    # Next time: the code page, a wrong code, then a recovery code.
    context.clear_cookies()
    password_step(page, live_server, user, live_world.password)
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    problems += [f"code page: {v}" for v in axe_violations(page)] if javascript else []
    page.get_by_label("Security code").fill("000000" if totp_code(totp_device(user)) != "000000" else "111111")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("The code is not right")
    problems += [f"code page with an error: {v}" for v in axe_violations(page)] if javascript else []
    page.wait_for_timeout(1100)
    page.get_by_label("Security code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    expect(page.get_by_text("You signed in with a recovery code. You have 9 left.")).to_be_visible()
    context.close()
    assert problems == []


def test_the_code_page_offers_a_way_out(page, live_server, live_world):
    user = live_world.users["guardian"]
    totp_device(user)
    password_step(page, live_server, user, live_world.password)
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    page.goto(f"{live_server.url}/speak-up/cases/")
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/code/\?next="))
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_the_lockout_page_is_clear_and_accessible(page, live_server, live_world):
    user = live_world.users["staff"]
    with override_settings(AXES_ENABLED=True):
        for _ in range(5):
            password_step(page, live_server, user, "not-the-password")
        expect(page.get_by_role("heading", level=1)).to_have_text("Sign-in locked for now")
        expect(page.locator("main")).to_contain_text("15 minutes")
        problems = axe_violations(page)
    assert problems == []


def test_the_header_sign_out_asks_then_signs_out(page, live_server, live_world):
    user = live_world.users["staff"]  # password only: straight to the home page
    password_step(page, live_server, user, live_world.password)
    page.get_by_role("link", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign out of CareLead")
    problems = axe_violations(page)
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.goto(f"{live_server.url}/people/me/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    assert problems == []

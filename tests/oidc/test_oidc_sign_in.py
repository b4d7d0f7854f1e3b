"""Single sign-on through OpenID Connect in a browser, against a real provider (npm oidc-provider, run by
tests/oidc/provider.mjs): a registered user signs in, the second factor follows the site's setting, an unknown
email is refused and nothing is created, and the sign-in page with its NHS account button passes axe."""

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from carelead.accounts.oidc import NOT_REGISTERED
from carelead.accounts.tests.factories import totp_code, totp_device
from carelead.audit.models import AuditLog
from conftest import build_world
from tests.browser.conftest import (
    AXE,
    CHROMIUM,
    axe_violations,
    browser_type_launch_args,  # noqa: F401  (the same Chromium as tests/browser)
)

ROOT = Path(__file__).resolve().parents[2]
PROVIDER_SCRIPT = Path(__file__).resolve().parent / "provider.mjs"
NODE = shutil.which("node")
CLIENT_ID = "carelead-test"
CLIENT_SECRET = "carelead-test-secret-that-is-long-enough"


def _missing() -> list[str]:
    missing = []
    if NODE is None:
        missing.append("Node.js is not installed")
    if not (ROOT / "node_modules" / "oidc-provider").exists():
        missing.append("npm oidc-provider is not installed (make install)")
    if not Path(CHROMIUM).exists():
        missing.append(f"Debian's Chromium is not installed at {CHROMIUM} (make browser)")
    if not AXE.exists():
        missing.append(f"axe-core is not installed at {AXE} (make install)")
    return missing


pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(bool(_missing()), reason="; ".join(_missing()) or "-"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def provider(live_server):
    """The provider, on a free port, with CareLead's live server as its one client; yields its issuer URL."""
    port = _free_port()
    issuer = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "OIDC_TEST_CLIENT_ID": CLIENT_ID,
        "OIDC_TEST_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_TEST_REDIRECT_URI": f"{live_server.url}/accounts/oidc/callback/",
    }
    process = subprocess.Popen(
        [NODE, str(PROVIDER_SCRIPT), str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            if process.poll() is not None:
                pytest.fail(f"the OpenID Connect provider stopped: {process.stderr.read()}")
            try:
                discovery = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=1).json()
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline:
                    pytest.fail("the OpenID Connect provider did not start within 20 seconds")
                time.sleep(0.2)
        assert discovery["issuer"] == issuer
        yield discovery
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def oidc_on(provider, settings):
    """CareLead's settings pointing at the provider, read at request time by the live server."""
    settings.CARELEAD_OIDC_ENABLED = True
    settings.CARELEAD_OIDC_SATISFIES_TWO_FACTOR = False
    settings.CARELEAD_OIDC_ISSUER = provider["issuer"]
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = provider["authorization_endpoint"]
    settings.OIDC_OP_TOKEN_ENDPOINT = provider["token_endpoint"]
    settings.OIDC_OP_USER_ENDPOINT = provider["userinfo_endpoint"]
    settings.OIDC_OP_JWKS_ENDPOINT = provider["jwks_uri"]
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.AUTHENTICATION_BACKENDS = [
        *django_settings.AUTHENTICATION_BACKENDS,
        "carelead.accounts.oidc.CareLeadOIDCBackend",
    ]
    return settings


@pytest.fixture
def live_world(live_server):
    return build_world()


def sign_in_at_provider(page, live_server, login: str) -> None:
    """From CareLead's sign-in page, through the provider's development sign-in form and consent page."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("button", name="Sign in with your NHS account").click()
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("anything at all")
    page.locator("button.login-submit", has_text="Sign-in").click()
    page.locator("button.login-submit", has_text="Continue").click()


def test_a_registered_user_signs_in_through_the_provider(page, live_server, live_world, oidc_on):
    user = live_world.users["staff"]
    # The provider's address may differ in case from the one CareLead holds.
    sign_in_at_provider(page, live_server, user.email.upper())
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    entry = AuditLog.objects.filter(action=AuditLog.Action.SIGN_IN, actor=user).get()
    assert entry.changes == {"method": "OpenID Connect"}


@pytest.mark.parametrize("provider_counts", [False, True], ids=["code-still-asked", "provider-counts"])
def test_the_second_factor_follows_the_setting(page, live_server, live_world, oidc_on, provider_counts):
    oidc_on.CARELEAD_OIDC_SATISFIES_TWO_FACTOR = provider_counts
    user = live_world.users["org_hr"]
    device = totp_device(user)
    sign_in_at_provider(page, live_server, user.email)
    if not provider_counts:
        expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
        page.get_by_label("Security code").fill(totp_code(device))
        page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    entry = AuditLog.objects.filter(action=AuditLog.Action.SIGN_IN, actor=user).get()
    assert entry.changes["second_factor"] == ("given at the identity provider" if provider_counts else "required")


def test_an_unregistered_email_is_refused_and_nothing_is_created(page, live_server, live_world, oidc_on):
    users_before = get_user_model().objects.count()
    sign_in_at_provider(page, live_server, "not.registered@example.nhs.uk")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(NOT_REGISTERED)
    assert get_user_model().objects.count() == users_before
    assert not get_user_model().objects.filter(email__iexact="not.registered@example.nhs.uk").exists()
    refused = AuditLog.objects.get(action=AuditLog.Action.SIGN_IN_FAILED)
    assert refused.object_repr == "not.registered@example.nhs.uk"
    assert refused.changes == {"method": "OpenID Connect", "reason": "not registered"}
    # Still signed out.
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/")


def test_the_sign_in_page_with_the_nhs_account_button_passes_axe(page, live_server, live_world, oidc_on):
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("button", name="Sign in with your NHS account")).to_be_visible()
    assert axe_violations(page) == []
    sign_in_at_provider(page, live_server, "not.registered@example.nhs.uk")
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    assert axe_violations(page) == []

"""Hardening that applies to every response: deployment checks, security headers and a policy with no inline
script, proved over every URL of the permission table."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_permissions import TABLE, job  # noqa: F401 - job is the table's fixture

ROOT = Path(__file__).resolve().parent.parent
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<[a-z][^>]*\sstyle=|<style[\s>]", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+=", re.IGNORECASE)


def test_the_production_settings_pass_the_deployment_checks():
    # Not the test run's own allowances (the browser tests let Django run synchronous code in an event loop).
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "CARELEAD_SECRET_KEY": "k" * 20 + "-a-long-random-secret-for-the-deploy-check-" + "x" * 20,
        "CARELEAD_ALLOWED_HOSTS": "carelead.example.nhs.uk",
    }
    done = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr + done.stdout
    assert "no issues" in done.stdout


def assert_hardened(response, path: str) -> None:
    policy = dict(part.strip().split(" ", 1) for part in response.get("Content-Security-Policy", "").split(";"))
    assert policy.get("script-src") == "'self'", path
    assert "unsafe" not in policy.get("default-src", "") + policy.get("script-src", ""), path
    assert policy.get("frame-ancestors") == "'none'", path
    assert response.get("X-Frame-Options") == "DENY", path
    assert response.get("X-Content-Type-Options") == "nosniff", path
    assert response.get("Referrer-Policy") == "same-origin", path
    if response.get("Content-Type", "").startswith("text/html") and not response.streaming:
        html = response.content.decode()
        assert not INLINE_SCRIPT.search(html), f"inline script on {path}"
        if path != "/api/docs/":  # ReDoc styles itself; the policy allows inline style on that page alone
            assert not INLINE_STYLE.search(html), f"inline style on {path}"
        assert not EVENT_HANDLER.search(html), f"inline event handler on {path}"


@pytest.mark.parametrize("name", sorted(TABLE))
def test_every_page_carries_the_security_headers_and_no_inline_script(name, world, job, client):  # noqa: F811
    """Each URL as an anonymous visitor and as the first persona the table lets in (so the page itself renders)."""
    build, expected = TABLE[name]
    path = build(world)
    assert_hardened(client.get(path, HTTP_ACCEPT="text/html,application/json"), path)
    allowed = next((who for who, status in expected.items() if who != "anonymous" and status == 200), None)
    client.force_login(world.users[allowed or "national_admin"])
    assert_hardened(client.get(path, HTTP_ACCEPT="text/html,application/json"), path)


def test_errors_and_static_files_carry_the_headers_too(client, world):
    assert_hardened(client.get("/no-such-page/"), "/no-such-page/")
    assert_hardened(client.get("/healthz"), "/healthz")
    client.force_login(world.users["national_admin"])
    assert_hardened(client.get("/api/v1/no-such-endpoint/"), "/api/v1/no-such-endpoint/")
    assert_hardened(client.post("/accounts/role/", {}), "/accounts/role/")

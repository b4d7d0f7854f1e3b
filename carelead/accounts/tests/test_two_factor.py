"""Two-factor sign-in for every role above staff member: the code step, set-up, recovery codes, the rules for a
session that still owes its second factor, and an administrator's reset."""

import re
import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from carelead.accounts.middleware import SEEN_AT_KEY, SIGNED_IN_AT_KEY
from carelead.accounts.models import RoleAssignment
from carelead.accounts.services import recovery_codes_replace
from carelead.accounts.tests.factories import UserFactory, totp_code, totp_device
from carelead.accounts.twofactor import user_needs_two_factor
from carelead.audit.models import AuditLog

LOGIN = "/accounts/login/"
VERIFY = "/accounts/two-factor/code/"
SETUP = "/accounts/two-factor/set-up/"
CODES = "/accounts/two-factor/recovery-codes/"


def password_step(client, world, persona, *, next_url=""):
    data = {"username": world.users[persona].email, "password": world.password}
    return client.post(LOGIN + (f"?next={next_url}" if next_url else ""), data)


def actions(user) -> list[str]:
    return list(AuditLog.objects.filter(object_id=str(user.pk)).order_by("at", "id").values_list("action", flat=True))


def test_who_needs_two_factor(world):
    needs = {persona: user_needs_two_factor(user=user) for persona, user in world.users.items()}
    assert needs == {persona: persona != "staff" for persona in world.users}
    staff = world.users["staff"]
    RoleAssignment.objects.create(user=staff, role="line_manager", organisation=world.orgs["RAA"])
    assert user_needs_two_factor(user=staff)
    RoleAssignment.objects.filter(user=staff, role="line_manager").update(is_active=False)
    assert not user_needs_two_factor(user=staff)
    with override_settings(CARELEAD_TWO_FACTOR_REQUIRED=False):
        assert not user_needs_two_factor(user=world.users["national_admin"])


def test_staff_sign_in_with_their_password_alone(client, world):
    response = password_step(client, world, "staff")
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    assert actions(world.users["staff"]) == ["sign_in"]


def test_hr_lead_gives_the_code_from_their_app_after_the_password(client, world):
    user = world.users["org_hr"]
    device = totp_device(user)
    response = password_step(client, world, "org_hr", next_url="/people/")
    assert response.status_code == 302 and response["Location"] == f"{VERIFY}?next=%2Fpeople%2F"
    page = client.get(response["Location"])
    assert b"Enter your security code" in page.content
    # The menu is not offered until the code is given: its pages would only send the user back.
    assert b"nhsuk-header__navigation" not in page.content
    done = client.post(response["Location"], {"code": totp_code(device)})
    assert done.status_code == 302 and done["Location"] == "/people/"
    assert client.get("/people/").status_code == 200
    assert actions(user) == ["sign_in", "two_factor_passed"]
    assert AuditLog.objects.get(action="sign_in", object_id=str(user.pk)).changes == {"second_factor": "required"}


def test_a_wrong_code_is_refused_with_a_message_and_retries_are_throttled(client, world):
    user = world.users["org_hr"]
    device = totp_device(user)
    password_step(client, world, "org_hr")
    wrong = client.post(VERIFY, {"code": "000000" if totp_code(device) != "000000" else "111111"})
    assert wrong.status_code == 200
    assert b"The code is not right" in wrong.content and b"There is a problem" in wrong.content
    assert client.get("/").status_code == 302
    # django-otp's throttling: straight after a wrong code even the right one has to wait.
    throttled = client.post(VERIFY, {"code": totp_code(device)})
    assert b"too many wrong codes" in throttled.content
    assert actions(user) == ["sign_in", "two_factor_failed", "two_factor_failed"]
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None, throttling_failure_count=0)
    assert client.post(VERIFY, {"code": totp_code(device)}).status_code == 302
    assert client.get("/").status_code == 200


def test_a_recovery_code_works_once(client, world):
    user = world.users["guardian"]
    totp_device(user)
    codes = recovery_codes_replace(user=user)
    assert len(codes) == 10 and len(set(codes)) == 10
    password_step(client, world, "guardian")
    typed = f"{codes[0][:4].upper()} {codes[0][4:].upper()}"
    response = client.post(VERIFY, {"code": typed}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert b"You signed in with a recovery code. You have 9 left." in response.content
    client.post("/accounts/logout/")
    password_step(client, world, "guardian")
    again = client.post(VERIFY, {"code": codes[0]})
    assert again.status_code == 200 and b"The code is not right" in again.content
    assert StaticDevice.objects.get(user=user).token_set.count() == 9


def test_set_up_shows_a_qr_code_then_gives_recovery_codes_once(client, world):
    user = world.users["regional_talent"]
    response = password_step(client, world, "regional_talent", next_url="/organisations/")
    assert response["Location"] == f"{SETUP}?next=%2Forganisations%2F"
    assert client.get("/organisations/")["Location"].startswith(SETUP)
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert '<svg role="img" aria-label="QR code for your authenticator app"' in html
    # The Content-Security-Policy allows no inline script or style.
    assert "style=" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    secret = re.search(r'<code id="totp-secret">([A-Z2-7 ]+)</code>', html).group(1)
    assert "secret=" + secret.replace(" ", "") in device.config_url

    wrong = client.post(response["Location"], {"code": "12345"})
    assert b"The code is not right" in wrong.content
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None, throttling_failure_count=0)
    confirmed = client.post(response["Location"], {"code": totp_code(device)})
    assert confirmed["Location"] == f"{CODES}?next=%2Forganisations%2F"
    codes_page = client.get(confirmed["Location"])
    shown = re.findall(r"<code>(\w{4}) (\w{4})</code>", codes_page.content.decode())
    assert len(shown) == 10
    assert b'href="/organisations/"' in codes_page.content
    tokens = set(StaticDevice.objects.get(user=user).token_set.values_list("token", flat=True))
    assert tokens == {a + b for a, b in shown}
    # Shown once only.
    assert client.get(CODES)["Location"] == "/accounts/two-factor/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/organisations/").status_code == 200
    assert actions(user) == ["sign_in", "two_factor_set_up"]


def test_a_user_who_owes_the_code_reaches_only_the_two_factor_pages(client, world):
    user = world.users["org_admin"]
    totp_device(user)
    password_step(client, world, "org_admin")
    for path in ("/", "/accounts/users/", "/accounts/two-factor/", "/people/RAA-00003/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith(VERIFY), path
    # Set-up cannot replace an app before the code from the current one is given.
    assert client.get(SETUP)["Location"].startswith(VERIFY)
    api = client.get("/api/v1/people/")
    assert api.status_code == 403 and api.json()["error"]["code"] == "two_factor_required"
    token = Token.objects.create(user=world.users["org_hr"])
    assert client.get("/api/v1/people/", HTTP_AUTHORIZATION=f"Token {token.key}").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/")["Location"].startswith(LOGIN)


def test_the_api_takes_a_verified_session(client_for):
    assert client_for("org_hr").get("/api/v1/people/").status_code == 200


def test_a_new_role_above_staff_asks_for_set_up_at_once(client_for, world):
    client = client_for("staff")
    assert client.get("/").status_code == 200
    RoleAssignment.objects.create(user=world.users["staff"], role="line_manager", organisation=world.orgs["RAA"])
    assert client.get("/")["Location"].startswith(SETUP)


def test_the_requirement_can_be_turned_off_for_a_site(client, world):
    with override_settings(CARELEAD_TWO_FACTOR_REQUIRED=False):
        response = password_step(client, world, "national_admin")
        assert response["Location"] == "/"
        assert client.get("/").status_code == 200


def test_next_must_stay_on_the_site(client, world):
    device = totp_device(world.users["org_hr"])
    response = password_step(client, world, "org_hr")
    done = client.post(f"{VERIFY}?next=https://evil.example/", {"code": totp_code(device)})
    assert done["Location"] == "/"
    assert response["Location"] == VERIFY


def test_new_recovery_codes_replace_the_old_ones(client_for, world):
    user = world.users["ned_team"]
    client = client_for("ned_team")
    old = recovery_codes_replace(user=user)
    status = client.get("/accounts/two-factor/")
    assert b"Recovery codes left" in status.content and b"Make new recovery codes" in status.content
    response = client.post("/accounts/two-factor/recovery-codes/new/")
    assert response["Location"] == CODES
    page = client.get(CODES).content.decode()
    new = {a + b for a, b in re.findall(r"<code>(\w{4}) (\w{4})</code>", page)}
    assert len(new) == 10 and not new & set(old)
    assert set(StaticDevice.objects.get(user=user).token_set.values_list("token", flat=True)) == new
    assert AuditLog.objects.filter(action="recovery_codes_new", object_id=str(user.pk)).count() == 2


def test_staff_see_that_they_need_no_second_factor(client_for):
    client = client_for("staff")
    assert b"You sign in with your password" in client.get("/accounts/two-factor/").content
    assert client.get(SETUP)["Location"] == "/accounts/two-factor/"


def test_an_administrator_resets_two_factor_for_a_lost_phone(client_for, world, client):
    hr = world.users["org_hr"]
    hr_client = client_for("org_hr")
    recovery_codes_replace(user=hr)
    assert hr_client.get("/").status_code == 200
    org_admin = Client()
    org_admin.force_login(world.users["org_admin"])
    detail = org_admin.get(f"/accounts/users/{hr.pk}/")
    assert b"Reset two-factor sign-in" in detail.content
    response = org_admin.post(f"/accounts/users/{hr.pk}/two-factor/reset/", follow=True)
    assert b"two-factor sign-in has been reset" in response.content
    assert not TOTPDevice.objects.filter(user=hr).exists() and not StaticDevice.objects.filter(user=hr).exists()
    entry = AuditLog.objects.get(action="two_factor_reset")
    assert entry.actor == world.users["org_admin"] and entry.object_id == str(hr.pk)
    # The HR lead's session no longer counts as verified: they are taken to set up a new app.
    assert hr_client.get("/")["Location"].startswith(SETUP)
    # An organisation administrator cannot reset someone whose roles reach beyond their organisation.
    national = world.users["national_admin"]
    RoleAssignment.objects.create(user=national, role="staff", organisation=world.orgs["RAA"])
    totp_device(national)
    assert org_admin.post(f"/accounts/users/{national.pk}/two-factor/reset/").status_code == 403
    assert TOTPDevice.objects.filter(user=national).exists()
    # Nor their own; nobody outside the administrator's scope is found at all.
    own = org_admin.post(f"/accounts/users/{world.users['org_admin'].pk}/two-factor/reset/", follow=True)
    assert b"cannot reset your own" in own.content
    far = UserFactory()
    RoleAssignment.objects.create(user=far, role="org_hr", organisation=world.orgs["RCC"])
    assert org_admin.post(f"/accounts/users/{far.pk}/two-factor/reset/").status_code == 404
    assert client_for("staff").post(f"/accounts/users/{far.pk}/two-factor/reset/").status_code == 403


@override_settings(AXES_ENABLED=True)
def test_five_wrong_passwords_lock_the_account_with_a_clear_message(client, world):
    user = world.users["org_hr"]
    wrong = {"username": user.email, "password": "not-the-password"}
    answers = [client.post(LOGIN, wrong).status_code for _ in range(5)]
    assert answers == [200, 200, 200, 200, 429]
    locked = client.post(LOGIN, {"username": user.email, "password": world.password})
    assert locked.status_code == 429
    text = locked.content.decode()
    assert "Sign-in locked for now" in text and "15 minutes" in text and "reset your password" in text
    assert "nhsuk-header" in text  # the site's own layout
    logged = list(AuditLog.objects.filter(object_repr=user.email).order_by("id").values_list("action", flat=True))
    assert logged == ["sign_in_failed"] * 4 + ["sign_in_locked"] * 2
    # Another address from the same device is not locked.
    staff = world.users["staff"]
    assert client.post(LOGIN, {"username": staff.email, "password": world.password}).status_code == 302


def test_sessions_end_when_idle_or_too_old(client_for, settings):
    client = client_for("staff")
    assert client.get("/").status_code == 200
    session = client.session
    session[SEEN_AT_KEY] = int(time.time()) - settings.CARELEAD_SESSION_IDLE_SECONDS - 5
    session.save()
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0].startswith(LOGIN)
    assert b"had not used CareLead for 1 hour" in response.content

    client = client_for("org_hr")
    session = client.session
    session[SIGNED_IN_AT_KEY] = int(time.time()) - settings.SESSION_COOKIE_AGE - 5
    session.save()
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0].startswith(LOGIN)
    assert b"signed in more than 8 hours ago" in response.content


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("correct horse battery staple", True),  # long and unusual: no rules about digits or symbols
        ("Password1234", False),  # on the breached-password list
        ("short-one", False),
        ("x" * 200 + " long but allowed", True),
        ("y" * 257, False),
    ],
)
def test_passwords_follow_ncsc_guidance(password, ok, db):
    try:
        validate_password(password)
    except ValidationError:
        assert not ok
    else:
        assert ok

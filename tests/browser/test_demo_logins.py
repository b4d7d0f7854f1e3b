"""Every demo login signs in through the real page and walks its menu with no error and no serious axe finding."""

import base64
import json
import re

import pytest
from django.core.management import call_command
from django_otp.oath import totp

from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_logins(live_server, tmp_path):
    path = tmp_path / "logins.json"
    call_command("demo", size="tiny", seed=3, logins_json=path, no_progress=True)
    call_command("trends", no_progress=True)
    return json.loads(path.read_text())


# Pages reached from the menu pages rather than the menu itself: the equality analytics with their SVG charts.
EXTRA = {
    "regulator": [
        "/equality/measures/",
        "/equality/measures/WRES2/?scope=national",
        "/equality/measures/FAIR-PROMOTION/?scope=national",
        "/equality/measures/WRES1/?scope=national",
        "/equality/fairness/?scope=national",
        "/equality/compare/?scope=national&measure=WRES3",
    ],
    "org_hr": ["/equality/measures/WDES10/", "/equality/measures/WRES5/", "/equality/actions/new/"],
}


def test_every_demo_persona_walks_their_menu(page, live_server, demo_logins):
    personas = {login["persona"] for login in demo_logins}
    assert personas >= {
        "staff",
        "line_manager",
        "org_hr",
        "regional_talent",
        "ned_team",
        "provider",
        "regulator",
        "guardian",
        "national_admin",
    }
    assert {login["persona"] for login in demo_logins if login["totp_secret"] is None} == {"staff"}
    problems = []
    for login in demo_logins:
        page.context.clear_cookies()
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Email address").fill(login["username"])
        page.get_by_label("Password").fill(login["password"])
        page.get_by_role("button", name="Sign in").click()
        if login["totp_secret"]:
            # What the persona's authenticator app shows now for the secret in the logins file.
            page.get_by_label("Security code").fill(f"{totp(base64.b32decode(login['totp_secret'])):06d}")
            page.get_by_role("button", name="Continue").click()
        page.goto(f"{live_server.url}{login['landing']}")
        links = page.locator(".nhsuk-header__navigation-list a.nhsuk-header__navigation-link")
        hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
        if "/" not in hrefs:
            problems.append(f"{login['persona']}: not signed in")
        extra = EXTRA.get(login["persona"], [])
        if login["persona"] in ("staff", "line_manager", "org_hr"):
            # an appraisal the persona takes part in (or, for HR, one in the organisation's cycle)
            page.goto(f"{live_server.url}/appraisals/" + ("cycles/" if login["persona"] == "org_hr" else ""))
            found = page.locator("main a[href]").evaluate_all("links => links.map(a => a.getAttribute('href'))")
            extra = extra + [h for h in found if re.fullmatch(r"/appraisals/(cycles/)?\d+/", h)][:1]
        for href in [*hrefs, *extra]:
            response = page.goto(f"{live_server.url}{href}")
            if response.status != 200:
                problems.append(f"{login['persona']} {href}: {response.status}")
            problems.extend(f"{login['persona']} {href}: {v}" for v in axe_violations(page))
    assert problems == []

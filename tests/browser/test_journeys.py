"""Each persona signs in through the real login page and walks their pages; every page passes axe."""

import re

import pytest
from playwright.sync_api import expect

from carelead.accounts.tests.factories import totp_code, totp_device
from conftest import PERSONAS, build_world
from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def live_world(live_server):
    """The test world, with the national content a flushed database lacks and an appraisal cycle under way."""
    from carelead.appraisals.models import Appraisal
    from carelead.appraisals.tests.test_workflow import open_cycle
    from carelead.standards.loading import national_content_load

    national_content_load()
    world = build_world()
    for persona, user in world.users.items():
        if persona != "staff":
            totp_device(user)  # every role above staff member signs in with a code from an authenticator app
    cycle = open_cycle(world)
    world.appraisal = Appraisal.objects.get(cycle=cycle, person=world.people["member"])
    world.board = _board_pages(world)
    return world


def _board_pages(world) -> dict:
    """A board with a committee, a required mix of skills, population figures, a fit and proper test and a
    campaign with a candidate at interview, so the board pages have something on them."""
    from datetime import date

    from carelead.boardappraisals.tests.factories import BoardMemberFactory
    from carelead.boarddiversity.tests.factories import PopulationReferenceFactory
    from carelead.boards.models import Committee, CommitteeMembership
    from carelead.boardskills.tests.factories import SkillRequirementFactory, held
    from carelead.core.choices import BoardRole
    from carelead.fitproper.tests.factories import assessment_for
    from carelead.nedcampaigns.tests.factories import campaign, interviewed, pool_candidate

    raa = world.orgs["RAA"]
    chair = BoardMemberFactory(organisation=raa, name="Carol Chair", role=BoardRole.CHAIR, start_date=date(2022, 4, 1))
    ned = BoardMemberFactory(organisation=raa, name="Nina Nonexec", start_date=date(2024, 4, 1))
    committee = Committee.objects.create(organisation=raa, name="Audit and risk committee", kind="audit")
    CommitteeMembership.objects.create(committee=committee, member=ned, chairs=True, starts_on=date(2024, 4, 1))
    SkillRequirementFactory(organisation=raa, skill="finance", needed=2)
    SkillRequirementFactory(organisation=raa, skill="digital", needed=1)
    held(ned, "finance", own=3, validated=2, by=world.users["ned_team"])
    held(chair, "digital", own=2)
    PopulationReferenceFactory(organisation=raa)
    assessment = assessment_for(ned, by=world.users["org_hr"])
    camp = campaign(world)
    entry = interviewed(world, camp, pool_candidate(world, name="Ada Lovelace"))[0]
    from carelead.speakup.tests.factories import case

    concern = case(organisation=raa, mode="confidential")
    return {
        "member": ned,
        "committee": committee,
        "assessment": assessment,
        "campaign": camp,
        "entry": entry,
        "case": concern,
    }


def sign_in(page, live_server, world, persona):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address").fill(world.users[persona].email)
    page.get_by_label("Password").fill(world.password)
    page.get_by_role("button", name="Sign in").click()
    if persona != "staff":
        expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
        page.get_by_label("Security code").fill(totp_code(totp_device(world.users[persona])))
        page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def check_page(page, problems, label):
    text = page.content()
    if "Sorry, there is a problem with the service" in text:
        problems.append(f"{label}: server error")
    for violation in axe_violations(page):
        problems.append(f"{label}: {violation}")


def test_the_login_page_and_errors_are_accessible(page, live_server, live_world):
    problems = []
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    check_page(page, problems, "login")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    check_page(page, problems, "login with errors")
    page.goto(f"{live_server.url}/accounts/password-reset/")
    check_page(page, problems, "password reset")
    assert problems == []


@pytest.mark.parametrize("persona", PERSONAS)
def test_persona_walks_their_pages(page, live_server, live_world, persona):
    sign_in(page, live_server, live_world, persona)
    problems = []
    check_page(page, problems, f"{persona} home")
    links = page.locator(".nhsuk-header__navigation-list a.nhsuk-header__navigation-link")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert hrefs, "the navigation shows nothing"
    extra = {
        "org_hr": [
            "/organisations/RAA/",
            "/people/RAA-00003/",
            "/people/RAA-00003/?show=monitoring",
            "/imports/new/",
            "/people/?q=Staff",
            f"/appraisals/cycles/{live_world.appraisal.cycle_id}/",
            f"/appraisals/{live_world.appraisal.pk}/",
            "/vacancies/manage/new/",
            "/succession/new/",
            "/succession/senior-roles/",
            "/talent/ninebox/RAA-00003/",
            "/boards/RAA/",
            "/boards/RAA/committees/new/",
            "/boards/skills/RAA/",
            "/boards/diversity/RAA/",
        ],
        "ned_team": [
            "/boards/RAA/",
            f"/boards/members/{live_world.board['member'].pk}/",
            f"/boards/committees/{live_world.board['committee'].pk}/",
            "/boards/skills/RAA/",
            f"/boards/skills/members/{live_world.board['member'].pk}/",
            "/boards/skills/RAA/requirements/",
            "/boards/diversity/RAA/",
            "/boards/diversity/RAA/reference/",
            "/ned/campaigns/new/?org=RAA",
            f"/ned/campaigns/{live_world.board['campaign'].pk}/",
            f"/ned/campaigns/{live_world.board['campaign'].pk}/longlist/",
            f"/ned/campaigns/{live_world.board['campaign'].pk}/fairness/",
            f"/ned/campaigns/{live_world.board['campaign'].pk}/candidates/{live_world.board['entry'].pk}/appoint/",
            f"/fit-and-proper/{live_world.board['assessment'].pk}/",
        ],
        "regional_talent": [
            "/talent/pools/new/",
            "/talent/pools/queue/",
            "/challenged/organisations/RBB/",
            "/challenged/dashboard/",
        ],
        "national_admin": [
            "/organisations/X24/",
            "/accounts/users/new/",
            "/audit/?action=sign_in",
            f"/accounts/users/{live_world.users['staff'].pk}/",
            f"/accounts/users/{live_world.users['org_hr'].pk}/",
            "/appraisals/template/",
            "/accounts/two-factor/",
            "/accounts/two-factor/set-up/",
        ],
        "line_manager": [
            "/people/RAA-00003/",
            "/programmes/support/",
            f"/appraisals/{live_world.appraisal.pk}/",
            "/talent/pools/nominate/",
        ],
        "staff": [
            "/people/me/equality-monitoring/",
            "/accounts/role/",
            "/accounts/two-factor/",
            "/standards/prior-learning/apply/",
            "/credentials/verify/",
            f"/appraisals/{live_world.appraisal.pk}/",
            f"/feedback/new/?appraisal={live_world.appraisal.pk}",
            "/talent/new/",
            "/talent/pools/mine/",
            "/vacancies/applications/",
        ],
        "regulator": [
            "/organisations/?challenged=yes",
            "/nowhere/",
            "/equality/evidence/?scope=org:RAA",
            "/equality/actions/?org=RAA",
            "/boards/RAA/",
            "/boards/skills/RAA/",
            "/boards/diversity/RAA/",
        ],
        "provider": ["/provider/modules/IND-101/"],
        "guardian": [
            f"/speak-up/cases/{live_world.board['case'].pk}/",
            f"/speak-up/cases/{live_world.board['case'].pk}/triage/",
            f"/speak-up/cases/{live_world.board['case'].pk}/identity/",
            f"/speak-up/cases/{live_world.board['case'].pk}/reveal/",
            f"/speak-up/cases/{live_world.board['case'].pk}/close/",
            "/speak-up/returns/trends/",
        ],
    }.get(persona, [])
    for href in [*hrefs, *extra]:
        page.goto(f"{live_server.url}{href}")
        check_page(page, problems, f"{persona} {href}")
    assert problems == []


def test_upload_with_errors_then_a_good_file(page, live_server, live_world, tmp_path):
    sign_in(page, live_server, live_world, "org_hr")
    header = "staff_id,org_code,first_name,last_name,pay_band,level,start_date,ethnic_category\n"
    bad = tmp_path / "bad.csv"
    bad.write_text(header + "RAA-90001,RAA,Ann,Ash,5,staff,2024-04-01,A\nRAA-90002,RAA,Bo,Birch,5,staff,2024-02-30,Q\n")
    good = tmp_path / "good.csv"
    good.write_text(
        header + "RAA-90001,RAA,Ann,Ash,5,staff,2024-04-01,A\nRAA-90002,RAA,Bo,Birch,6,staff,01/02/2024,CA\n"
    )
    problems = []

    page.goto(f"{live_server.url}/imports/new/")
    page.get_by_label("Staff", exact=True).check()
    page.locator("input[type=file]").set_input_files(str(bad))
    page.get_by_role("button", name="Check the file").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("2 problems")
    expect(summary).to_contain_text("Row 2, column start_date")
    expect(summary).to_contain_text("Row 2, column ethnic_category")
    check_page(page, problems, "upload with errors")

    page.goto(f"{live_server.url}/imports/new/")
    page.get_by_label("Staff", exact=True).check()
    page.locator("input[type=file]").set_input_files(str(good))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_text("Ready to import")).to_be_visible()
    check_page(page, problems, "upload ready")
    page.get_by_role("button", name="Import 2 rows").click()
    expect(page.get_by_role("heading", name="File imported")).to_be_visible()
    check_page(page, problems, "upload done")
    page.goto(f"{live_server.url}/people/RAA-90002/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bo Birch")
    assert problems == []

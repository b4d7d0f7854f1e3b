"""The board appraisal pages: who may open what, in which scope; the form by sections; the sign-off page's
refusals; completion for regional and national teams (published figures for the regulator); query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from carelead.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from carelead.boardappraisals.models import BoardAppraisal
from carelead.boardappraisals.tests.factories import BoardMemberFactory, appraisal_for
from carelead.core.choices import BoardRole, OrganisationType
from carelead.organisations.models import Organisation
from carelead.organisations.services import organisation_tree_rebuild

State = BoardAppraisal.State
YEAR = timezone.localdate().year
BASE = "/boards/appraisals/"


def test_hr_starts_the_year_and_sees_the_board_with_due_dates(client_for, world, boards):
    hr = client_for("org_hr")
    page = hr.get(BASE).content.decode()
    assert "Holdout Large Trust" in page and f"There are no board appraisals for {YEAR} yet" in page
    assert "Start the " + str(YEAR) + " appraisals" in page

    form = hr.get(BASE + "start/?org=RAA").content.decode()
    assert "Ada Associate" in form and "Lee Leaver" not in form  # in post only
    assert "Chairs: 30 June" in form and "Non-executive directors: 30 September" in form
    response = hr.post(BASE + "start/?org=RAA", {"year": YEAR})
    assert response.status_code == 302 and response["Location"] == f"{BASE}?org=RAA&year={YEAR}"
    assert BoardAppraisal.objects.filter(organisation=world.orgs["RAA"], year=YEAR).count() == 5

    page = hr.get(response["Location"]).content.decode()
    assert f"30 June {YEAR}" in page and f"30 September {YEAR}" in page and f"31 March {YEAR}" in page
    assert page.index("Carol Chair") < page.index("Nina Nonexec") < page.index("Chris Chief")
    assert "Ada Associate" not in page
    chair = BoardAppraisal.objects.get(member=boards["chair"])
    assert f'href="/boards/appraisals/{chair.pk}/"' in page

    again = hr.post(BASE + "start/?org=RAA", {"year": YEAR}, follow=True).content.decode()
    assert "Every board member in post already has an appraisal" in again


def test_overdue_appraisals_are_flagged(client_for, world, boards):
    appraisal_for(boards["exec"], year=YEAR - 1, created_by=world.users["org_hr"])
    appraisal_for(boards["ned"], year=YEAR + 1, created_by=world.users["org_hr"])
    page = client_for("org_hr").get(f"{BASE}?org=RAA&year={YEAR - 1}").content.decode()
    assert "Eve Executive" in page and "Overdue" in page
    page = client_for("org_hr").get(f"{BASE}?org=RAA&year={YEAR + 1}").content.decode()
    assert "Nina Nonexec" in page and "nhsuk-tag--red" not in page


def test_hr_of_one_trust_cannot_reach_another_board(client_for, world, boards):
    far = appraisal_for(boards["rbb_ned"], created_by=world.users["org_hr"])
    hr = client_for("org_hr")
    for path in (
        f"{BASE}?org=RBB",
        f"{BASE}start/?org=RCC",
        f"{BASE}{far.pk}/",
        f"{BASE}{far.pk}/objectives/",
        f"{BASE}{far.pk}/move/?to=feedback",
        f"{BASE}{far.pk}/sign-off/",
    ):
        assert hr.get(path).status_code == 404, path
    assert hr.post(f"{BASE}{far.pk}/appraiser/", {"appraiser_name": "X"}).status_code == 404
    assert BoardAppraisal.objects.get(pk=far.pk).appraiser_name == "Alex Appraiser"


def test_the_ned_team_follows_status_but_cannot_open_content(client_for, world, boards):
    chair = appraisal_for(boards["chair"], created_by=world.users["org_hr"])
    ned_team = client_for("ned_team")
    page = ned_team.get(f"{BASE}?org=RAA").content.decode()
    assert "Carol Chair" in page and f"/boards/appraisals/{chair.pk}/" not in page
    assert ned_team.get(f"{BASE}{chair.pk}/").status_code == 403
    assert ned_team.get(f"{BASE}{chair.pk}/sign-off/").status_code == 403
    # Without an organisation they land on completion.
    assert ned_team.get(BASE)["Location"] == f"{BASE}completion/"


def test_the_regional_lead_opens_the_chairs_appraisals_of_the_region_only(client_for, world, boards):
    hr = world.users["org_hr"]
    chair, ned = appraisal_for(boards["chair"], created_by=hr), appraisal_for(boards["ned"], created_by=hr)
    far_chair = appraisal_for(boards["rcc_chair"], created_by=hr)
    regional = client_for("regional_talent")
    assert regional.get(f"{BASE}{chair.pk}/").status_code == 200
    assert regional.get(f"{BASE}{ned.pk}/").status_code == 404
    assert regional.get(f"{BASE}{far_chair.pk}/").status_code == 404
    assert regional.get(f"{BASE}?org=RCC").status_code == 404
    assert regional.get(f"{BASE}{chair.pk}/objectives/").status_code == 403  # recording is HR's
    page = regional.get(f"{BASE}?org=RAA").content.decode()
    assert f"/boards/appraisals/{chair.pk}/" in page and f"/boards/appraisals/{ned.pk}/" not in page


def test_a_board_member_reads_their_own_appraisal(client, world, boards):
    own = appraisal_for(boards["exec"], created_by=world.users["org_hr"])
    other = appraisal_for(boards["ned"], created_by=world.users["org_hr"])
    eve = UserFactory(person=world.people["exec"])
    RoleAssignmentFactory(user=eve, role="line_manager", organisation=world.orgs["RAA"])
    client.force_login(eve)
    page = client.get(f"{BASE}mine/").content.decode()
    assert "Holdout Large Trust" in page and f"/boards/appraisals/{own.pk}/" in page
    detail = client.get(f"{BASE}{own.pk}/").content.decode()
    assert "Eve Executive" in detail and "Add or change objectives" not in detail
    assert client.get(f"{BASE}{other.pk}/").status_code == 404
    assert client.get(f"{BASE}{own.pk}/objectives/").status_code == 403


def post_objectives(client, appraisal, rows, initial=0, rated=False):
    data = {
        "objectives-TOTAL_FORMS": str(len(rows)),
        "objectives-INITIAL_FORMS": str(initial),
        "objectives-MIN_NUM_FORMS": "0",
        "objectives-MAX_NUM_FORMS": "12",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"objectives-{i}-{key}"] = value
    return client.post(f"{BASE}{appraisal.pk}/objectives/", data)


def test_the_whole_appraisal_through_the_pages(client_for, world, boards):
    hr = client_for("org_hr")
    hr.post(BASE + "start/?org=RAA", {"year": YEAR})
    appraisal = BoardAppraisal.objects.get(member=boards["ned"], year=YEAR)
    detail = f"{BASE}{appraisal.pk}/"
    page = hr.get(detail).content.decode()
    assert "No EDI objective yet" in page and "Start gathering feedback" in page
    # Domain titles come from the published board framework.
    assert "B3 Promoting equality and inclusion and reducing health and workforce inequalities" in page

    response = post_objectives(
        hr,
        appraisal,
        [
            {"title": "Chair the quality committee", "measure": "Monthly meetings with a forward plan"},
            {"title": "Sponsor the race equality network", "measure": "Quarterly meetings", "is_edi": "on"},
        ],
    )
    assert response.status_code == 302
    assert list(appraisal.objectives.values_list("is_edi", flat=True)) == [False, True]

    assert hr.post(f"{detail}move/", {"to": "feedback"}).status_code == 302
    feedback = {
        "feedback_board": "6",
        "feedback_executives": "4",
        "feedback_partners": "2",
        "feedback_staff": "3",
        "feedback_themes": "Constructive challenge at board.\nCould be more visible to staff.",
    }
    assert hr.post(f"{detail}feedback/", feedback).status_code == 302
    assert hr.post(f"{detail}move/", {"to": "review"}).status_code == 302

    appraisal.refresh_from_db()
    ratings = {f"rating_{r.domain_id}": "good" for r in appraisal.domain_ratings.all()}
    evidence = {f"evidence_{r.domain_id}": "Seen in committee papers." for r in appraisal.domain_ratings.all()}
    assert hr.post(f"{detail}domains/", {**ratings, **evidence}).status_code == 302
    outcome = {"overall_rating": "good", "appraiser_comments": "A strong year.", "member_comments": "Agreed."}
    assert hr.post(f"{detail}outcome/", outcome).status_code == 302

    sign_off = hr.get(f"{detail}sign-off/").content.decode()
    assert 'value="Carol Chair"' in sign_off and "cannot be signed off" not in sign_off
    response = hr.post(f"{detail}sign-off/", {"signed_off_for": "Carol Chair", "confirm": "on"})
    assert response.status_code == 302
    appraisal.refresh_from_db()
    assert appraisal.state == State.SIGNED_OFF and appraisal.signed_off_for == "Carol Chair"

    page = hr.get(detail).content.decode()
    assert "on behalf of the chair, Carol Chair" in page and "A signed-off appraisal cannot be changed" in page
    assert "Add or change objectives" not in page and "Sign off the appraisal" not in page
    assert "Constructive challenge at board." in page and "15" in page
    response = hr.post(f"{detail}outcome/", {**outcome, "overall_rating": "exceptional"}, follow=True)
    assert "cannot be changed" in response.content.decode()
    assert BoardAppraisal.objects.get(pk=appraisal.pk).overall_rating == "good"


def test_the_sign_off_page_says_clearly_why_it_refuses(client_for, world, boards):
    appraisal = appraisal_for(boards["ned"], created_by=world.users["org_hr"], complete=True)
    appraisal.objectives.update(is_edi=False)
    hr = client_for("org_hr")
    page = hr.get(f"{BASE}{appraisal.pk}/sign-off/").content.decode()
    assert "This appraisal cannot be signed off yet" in page
    assert "Add at least one equality, diversity and inclusion (EDI) objective" in page
    assert 'type="submit"' not in page.split("nhsuk-footer")[0].split("Sign off the appraisal")[-1]
    response = hr.post(f"{BASE}{appraisal.pk}/sign-off/", {"signed_off_for": "Carol Chair", "confirm": "on"})
    page = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in page
    assert "Add at least one equality, diversity and inclusion (EDI) objective" in page
    assert BoardAppraisal.objects.get(pk=appraisal.pk).state == State.REVIEW


def test_hr_cannot_sign_off_the_chair_and_is_told_who_can(client_for, world, boards):
    chair = appraisal_for(boards["chair"], created_by=world.users["org_hr"], complete=True)
    hr = client_for("org_hr")
    page = hr.get(f"{BASE}{chair.pk}/sign-off/").content.decode()
    assert "signed off by the regional talent lead for Holdout Region" in page
    response = hr.post(f"{BASE}{chair.pk}/sign-off/", {"confirm": "on"})
    assert response.status_code == 200 and "regional talent lead for Holdout Region" in response.content.decode()
    assert BoardAppraisal.objects.get(pk=chair.pk).state == State.REVIEW

    regional = client_for("regional_talent")
    form = regional.get(f"{BASE}{chair.pk}/sign-off/").content.decode()
    assert "Name of the chair" not in form
    assert regional.post(f"{BASE}{chair.pk}/sign-off/", {"confirm": "on"}).status_code == 302
    signed = BoardAppraisal.objects.get(pk=chair.pk)
    assert signed.state == State.SIGNED_OFF and signed.signed_off_by == world.users["regional_talent"]


def test_section_forms_show_errors_in_a_summary_and_by_the_field(client_for, world, boards):
    appraisal = appraisal_for(boards["ned"], created_by=world.users["org_hr"], state=State.REVIEW)
    hr = client_for("org_hr")
    response = post_objectives(hr, appraisal, [{"title": "", "measure": "Something", "is_edi": "on"}])
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    assert page.count("Enter the objective") >= 2 and 'href="#id_objectives-0-title"' in page

    b1 = appraisal.domain_ratings.select_related("domain").first()
    response = hr.post(f"{BASE}{appraisal.pk}/domains/", {f"rating_{b1.domain_id}": "good"})
    page = response.content.decode()
    assert page.count("Give the evidence for the rating of B1") >= 2 and "<title>Error: " in page

    response = hr.post(f"{BASE}{appraisal.pk}/feedback/", {"feedback_board": "-1", "feedback_themes": ""})
    assert "The number cannot be less than 0" in response.content.decode()


def test_sections_closed_in_this_state_redirect_with_a_message(client_for, world, boards):
    appraisal = appraisal_for(boards["ned"], created_by=world.users["org_hr"])
    hr = client_for("org_hr")
    response = hr.get(f"{BASE}{appraisal.pk}/domains/", follow=True)
    assert "cannot be changed at “Draft”" in response.content.decode()
    assert hr.get(f"{BASE}{appraisal.pk}/nonsense/").status_code == 404
    assert hr.get(f"{BASE}{appraisal.pk}/move/?to=signed_off").status_code == 404


def test_the_move_page_lists_what_is_missing_and_closing_needs_a_reason(client_for, world, boards):
    appraisal = appraisal_for(boards["ned"], created_by=world.users["org_hr"], state=State.FEEDBACK)
    hr = client_for("org_hr")
    page = hr.get(f"{BASE}{appraisal.pk}/move/?to=review").content.decode()
    assert "Summarise the themes of the feedback" in page and "Record how many people gave feedback" in page
    assert hr.post(f"{BASE}{appraisal.pk}/move/", {"to": "review"}).status_code == 200
    response = hr.post(f"{BASE}{appraisal.pk}/move/", {"to": "closed", "reason": ""})
    assert "Say why the appraisal is being closed" in response.content.decode()
    hr.post(f"{BASE}{appraisal.pk}/move/", {"to": "closed", "reason": "Left the board on 31 July."})
    assert BoardAppraisal.objects.get(pk=appraisal.pk).state == State.CLOSED


def test_completion_for_the_region_and_nationally(client_for, world, boards):
    hr = world.users["org_hr"]
    for key in ("chair", "ned", "ned2", "exec", "ceo"):
        appraisal_for(boards[key], year=YEAR - 1, created_by=hr)  # every due date in the past: all overdue
    appraisal_for(boards["rbb_chair"], year=YEAR - 1, created_by=hr, complete=True, state=State.REVIEW)
    appraisal_for(boards["rcc_ned"], year=YEAR - 1, created_by=hr)

    regional = client_for("regional_talent").get(f"{BASE}completion/?year={YEAR - 1}").content.decode()
    assert "Holdout Large Trust" in regional and "Holdout Small Trust" in regional
    assert "Far Away Trust" not in regional
    assert regional.index("Holdout Large Trust") < regional.index("Holdout Small Trust")  # most overdue first
    assert f"/boards/appraisals/?org=RAA&amp;year={YEAR - 1}" in regional
    by_name = client_for("regional_talent").get(f"{BASE}completion/?year={YEAR - 1}&sort=name").content.decode()
    assert by_name.index("Holdout Large Trust") < by_name.index("Holdout Small Trust")

    national = client_for("national_admin").get(f"{BASE}completion/?year={YEAR - 1}").content.decode()
    assert "Far Away Trust" in national and "All organisations in England" in national
    assert "Carol Chair" not in national  # counts, never names


def test_the_regulator_reads_published_completion_counts_only(client_for, world, boards):
    hr = world.users["org_hr"]
    for key in ("chair", "ned", "ned2", "exec", "ceo"):
        appraisal_for(boards[key], year=YEAR - 1, created_by=hr)
    chair = BoardAppraisal.objects.get(member=boards["chair"])
    regulator = client_for("regulator")
    page = regulator.get(f"{BASE}completion/?year={YEAR - 1}").content.decode()
    assert "These are published figures" in page and "Holdout Large Trust" in page
    assert '<span title="A small number, hidden to protect privacy">*</span>' in page
    assert "/boards/appraisals/?org=RAA" not in page
    # National totals are not suppressed.
    assert '<td class="nhsuk-table__cell app-number">5</td>' in page
    assert regulator.get(f"{BASE}?org=RAA").status_code == 403
    assert regulator.get(f"{BASE}{chair.pk}/").status_code == 403


def test_completion_is_paginated(client_for, world, boards):
    qzz = world.orgs["QZZ"]
    for i in range(27):
        org = Organisation.objects.create(
            code=f"T{i:03d}", name=f"Trust {i:03d}", type=OrganisationType.TRUST, sector="nhs", parent=qzz
        )
        BoardMemberFactory(organisation=org, role=BoardRole.CHAIR)
    organisation_tree_rebuild()
    page = " ".join(client_for("national_admin").get(f"{BASE}completion/?sort=name").content.decode().split())
    assert "Showing 1 to 25 of 30 organisations" in page and "Page 2" in page


def grow(world, n: int) -> None:
    """Add n organisations each with a board of three, all with appraisals, and n board members to RAA."""
    qzz, raa = world.orgs["QZZ"], world.orgs["RAA"]
    start = Organisation.objects.count()
    hr = world.users["org_hr"]
    for i in range(n):
        org = Organisation.objects.create(
            code=f"G{start + i:04d}",
            name=f"Grown Trust {start + i}",
            type=OrganisationType.TRUST,
            sector="nhs",
            parent=qzz,
        )
        for role in (BoardRole.CHAIR, BoardRole.NON_EXECUTIVE, BoardRole.EXECUTIVE):
            appraisal_for(BoardMemberFactory(organisation=org, role=role), year=YEAR, created_by=hr)
        member = BoardMemberFactory(organisation=raa, role=BoardRole.NON_EXECUTIVE)
        appraisal = appraisal_for(member, year=YEAR, created_by=hr, complete=True)
        appraisal.objectives.create(title="Another", measure="Measured", is_edi=False)
    organisation_tree_rebuild()


def count(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(captured)


@pytest.mark.parametrize(
    ("persona", "path"),
    [
        ("org_hr", f"{BASE}?org=RAA"),
        ("ned_team", f"{BASE}?org=RAA"),
        ("regional_talent", f"{BASE}completion/"),
        ("national_admin", f"{BASE}completion/?sort=name"),
        ("regulator", f"{BASE}completion/"),
        ("org_hr", f"{BASE}start/?org=RAA"),
    ],
)
def test_list_pages_make_the_same_queries_whatever_the_data(client_for, world, boards, persona, path):
    client = client_for(persona)
    grow(world, 2)
    small = count(client, path)
    grow(world, 10)
    assert count(client, path) == small
    assert small <= 15, f"{path} makes {small} queries"


def test_the_appraisal_page_makes_a_fixed_number_of_queries(client_for, world, boards):
    hr = world.users["org_hr"]
    appraisal = appraisal_for(boards["ned"], created_by=hr, complete=True)
    client = client_for("org_hr")
    small = count(client, f"{BASE}{appraisal.pk}/")
    for i in range(8):
        appraisal.objectives.create(title=f"Objective {i}", measure="Measured", is_edi=i % 2 == 0)
    assert count(client, f"{BASE}{appraisal.pk}/") == small
    assert count(client, f"{BASE}{appraisal.pk}/sign-off/") <= small + 3
    assert small <= 12

"""The board pages: what each persona sees, scope refusals by id, recording terms and reviews through the
forms, the terms ending soon with their filters and CSV download, and query counts at two sizes."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carelead.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from carelead.boardappraisals.models import BoardAppraisal
from carelead.boardappraisals.tests.factories import BoardMemberFactory, appraisal_for
from carelead.boards.models import BoardMemberMonitoring, TenureReview, Term, add_months, years_end
from carelead.boards.tests.conftest import started_for_term_ending
from carelead.core.choices import BoardRole

BOARD = "/boards/RAA/"


def _member_url(member, action: str = "") -> str:
    return f"/boards/members/{member.pk}/" + (f"{action}/" if action else "")


def test_the_board_shows_seats_by_role_with_terms_tenure_and_tags(client_for, world, boards):
    BoardMemberMonitoring.objects.create(member=boards["ned"], ethnic_category="A", sex="F", disability="Y")
    page = client_for("ned_team").get(BOARD).content.decode()
    assert page.index("Carol Chair") < page.index("Nina Nonexec") < page.index("Ada Associate")
    assert ">Chair<" in page and "Non-executive directors" in page and "Associate (non-voting) members" in page
    assert "Term 3:" in page and "Over 6 years: review needed" in page
    assert "Term 1 (assumed):" in page and "Ends soon" in page
    assert "Lee Leaver" in page and "Recent former members" in page
    assert "Latest appraisal" in page and "/boards/appraisals/?org=RAA" in page
    assert "Ethnic" not in page and "Disab" not in page


def test_a_review_to_extend_shows_as_reviewed(client_for, world, boards):
    TenureReview.objects.create(
        member=boards["chair"],
        reviewed_on=boards.today,
        outcome="extend",
        reason="Reviewed by the committee in depth.",
        by=world.users["ned_team"],
        recorded_at=world.users["ned_team"].date_joined,
    )
    page = client_for("ned_team").get(BOARD).content.decode()
    assert "Over 6 years: reviewed" in page and "review needed" not in page


def test_the_regulator_sees_names_but_no_appraisals(client_for, world, boards):
    appraisal_for(boards["chair"], created_by=world.users["org_hr"])
    page = client_for("regulator").get(BOARD).content.decode()
    assert "Carol Chair" in page and "Latest appraisal" not in page
    hr_page = client_for("org_hr").get(BOARD).content.decode()
    appraisal = BoardAppraisal.objects.get()
    assert f'href="/boards/appraisals/{appraisal.pk}/"' in hr_page


@pytest.mark.parametrize(
    ("persona", "code", "status"),
    [
        ("org_hr", "RAA", 200),
        ("org_hr", "RBB", 404),
        ("org_hr", "Y99", 404),
        ("regional_talent", "RBB", 200),
        ("regional_talent", "RCC", 404),
        ("ned_team", "RCC", 200),
        ("regulator", "RCC", 200),
        ("staff", "RAA", 403),
    ],
)
def test_board_pages_keep_to_the_scope(client_for, world, boards, persona, code, status):
    assert client_for(persona).get(f"/boards/{code}/").status_code == status


def test_member_pages_and_forms_of_another_organisation_are_not_found(client_for, world, boards):
    hr = client_for("org_hr")
    for action in ("", "term", "review", "end"):
        assert hr.get(_member_url(boards["rbb_ned"], action)).status_code == 404
        assert hr.get(_member_url(boards["ned"], action)).status_code == 200
    response = hr.post(_member_url(boards["rbb_ned"], "end"), {"ended_on": boards.today.isoformat()})
    assert response.status_code == 404
    boards["rbb_ned"].refresh_from_db()
    assert boards["rbb_ned"].end_date is None


def test_a_regional_ned_team_records_only_in_its_region(client, world, boards):
    user = UserFactory()
    RoleAssignmentFactory(user=user, role="ned_team", organisation=world.orgs["Y98"])
    client.force_login(user)
    assert client.get(_member_url(boards["rcc_chair"], "term")).status_code == 200
    assert client.get(_member_url(boards["ned"], "term")).status_code == 404
    page = client.get("/boards/").content.decode()
    assert "Faye Farchair" in page and "Nina Nonexec" not in page


def test_national_admin_sees_but_does_not_record(client_for, world, boards):
    admin = client_for("national_admin")
    page = admin.get(_member_url(boards["ned"])).content.decode()
    assert "Nina Nonexec" in page and "Record a term" not in page
    assert admin.get(_member_url(boards["ned"], "term")).status_code == 403


def test_hr_records_a_term_and_the_tenure_rule_is_explained_when_refused(client_for, world, boards):
    hr = client_for("org_hr")
    ned = boards["ned"]
    form = hr.get(_member_url(ned, "term")).content.decode()
    assert "No terms have been recorded" in form
    assert f'value="{ned.start_date.isoformat()}"' in form  # the assumed first term is offered to confirm
    first_end = years_end(ned.start_date, 3)
    next_start = add_months(first_end, 0).replace(day=first_end.day)
    response = hr.post(
        _member_url(ned, "term"),
        {"starts_on": next_start.isoformat(), "ends_on": years_end(next_start, 3).isoformat(), "notes": ""},
    )
    assert response.status_code == 302 and response["Location"] == _member_url(ned)
    assert list(Term.objects.filter(member=ned).values_list("number", flat=True)) == [1, 2]
    page = hr.get(_member_url(ned)).content.decode()
    assert "Term 2 of Nina Nonexec recorded." in page

    chair = boards["chair"]
    last = Term.objects.get(member=chair, number=3)
    response = hr.post(
        _member_url(chair, "term"),
        {"starts_on": last.ends_on.isoformat(), "ends_on": years_end(last.ends_on, 3).isoformat()},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page and "beyond 9 years" in page
    assert Term.objects.filter(member=chair).count() == 3


def test_hr_records_a_review_and_ends_a_seat(client_for, world, boards):
    hr = client_for("org_hr")
    ned = boards["ned_later"]
    response = hr.post(_member_url(ned, "review"), {"reviewed_on": boards.today.isoformat(), "reason": "Short"})
    page = response.content.decode()
    assert "Choose the outcome of the review" in page and "at least 20 characters" in page
    response = hr.post(
        _member_url(ned, "review"),
        {
            "reviewed_on": boards.today.isoformat(),
            "outcome": "do_not_extend",
            "reason": "The committee wants a fresh perspective on finance.",
        },
    )
    assert response.status_code == 302
    assert "The committee wants a fresh perspective" in hr.get(_member_url(ned)).content.decode()
    leaving = add_months(boards.today, 1)
    response = hr.post(_member_url(ned, "end"), {"ended_on": leaving.isoformat()})
    assert response.status_code == 302 and response["Location"] == BOARD
    ned.refresh_from_db()
    assert ned.end_date == leaving
    # Leaving within the window puts the seat on the list of seats ending soon.
    page = client_for("ned_team").get("/boards/?months=3").content.decode()
    assert "Larry Later" in page and "Leaving" in page


def test_own_board_takes_each_role_to_its_starting_page(client_for, world, boards):
    assert client_for("org_hr").get("/boards/own/")["Location"] == BOARD
    assert client_for("ned_team").get("/boards/own/")["Location"] == "/boards/"
    assert client_for("regulator").get("/boards/own/")["Location"] == "/organisations/"


def test_terms_ending_soon_in_england_and_in_a_region(client_for, world, boards):
    page = client_for("ned_team").get("/boards/").content.decode()
    assert page.index("Ned Rbb") < page.index("Carol Chair") < page.index("Nina Nonexec") < page.index("Faye Farchair")
    assert "Larry Later" not in page and "Ada Associate" not in page and "Lee Leaver" not in page
    assert "Not possible: 9-year limit" in page and "Possible" in page
    page = client_for("ned_team").get("/boards/?months=12").content.decode()
    assert "Larry Later" in page
    page = client_for("ned_team").get("/boards/?region=Y98").content.decode()
    assert "Faye Farchair" in page and "Nina Nonexec" not in page
    page = client_for("ned_team").get("/boards/?role=chair&organisation_type=trust").content.decode()
    assert "Carol Chair" in page and "Faye Farchair" in page and "Nina Nonexec" not in page
    page = client_for("regional_talent").get("/boards/").content.decode()
    assert "Nina Nonexec" in page and "Ned Rbb" in page and "Faye Farchair" not in page
    assert 'name="region"' not in page
    page = client_for("ned_team").get("/boards/?role=associate").content.decode()
    assert "No board seat in England matching these filters" in page


def test_the_download_has_the_filtered_seats(client_for, world, boards):
    response = client_for("ned_team").get("/boards/download/?region=Y99")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["name"] for r in rows] == ["Ned Rbb", "Carol Chair", "Nina Nonexec"]
    chair = rows[1]
    assert chair["term_number"] == "3" and chair["term_assumed"] == "N" and chair["another_term"].startswith("Not")
    assert chair["review_needed_beyond_6_years"] == "Y" and rows[2]["term_assumed"] == "Y"
    assert "ethnic" not in response.content.decode().lower()


def _grow(world, n: int) -> None:
    """Add ``n`` seats to RAA and RBB with terms ending soon, recorded terms, reviews and appraisals."""
    for i in range(n):
        for code in ("RAA", "RBB"):
            member = BoardMemberFactory(
                organisation=world.orgs[code],
                role=BoardRole.NON_EXECUTIVE if i % 2 else BoardRole.EXECUTIVE,
                start_date=started_for_term_ending(months=1 + i % 5),
            )
            if i % 3 == 0:
                Term.objects.create(
                    member=member, number=1, starts_on=member.start_date, ends_on=years_end(member.start_date, 3)
                )
                TenureReview.objects.create(
                    member=member,
                    reviewed_on=member.start_date,
                    outcome="extend",
                    reason="Reviewed in depth by the committee.",
                    by=world.users["ned_team"],
                    recorded_at=world.users["ned_team"].date_joined,
                )
            if i % 2 == 0:
                appraisal_for(member, created_by=world.users["org_hr"])


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured)


@pytest.mark.parametrize(
    ("persona", "path"),
    [
        ("org_hr", BOARD),
        ("ned_team", BOARD),
        ("regulator", BOARD),
        ("ned_team", "/boards/"),
        ("regional_talent", "/boards/?months=12&role=non_executive"),
        ("ned_team", "/boards/download/"),
    ],
)
def test_query_counts_do_not_grow_with_the_data(client_for, world, boards, persona, path):
    client = client_for(persona)
    _grow(world, 3)
    small = _queries(client, path)
    _grow(world, 30)
    assert _queries(client, path) <= small

import datetime
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carelead.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from carelead.boarddiversity.models import Dimension
from carelead.boarddiversity.selectors import board_composition
from carelead.boarddiversity.tests.conftest import staff
from carelead.boarddiversity.tests.factories import PopulationReferenceFactory, seat
from carelead.core.choices import OrganisationType
from carelead.equality.selectors import latest_period, metric_rows
from carelead.organisations.models import Organisation
from carelead.organisations.services import organisation_tree_rebuild

BOARD = "/boards/diversity/RAA/"
OVERVIEW = "/boards/diversity/"
PUBLISHED_READERS = ["ned_team", "regional_talent", "regulator"]

# A count cell of a composition table, the board-size line, and the overview's voting members column.
COUNT_CELLS = re.compile(r"(?:Voting members|Whole board) </span>(\d[\d,]*)|Board members in post: (\d+)|voting: (\d+)")


def _shown_counts(html: str) -> list[int]:
    return [int(next(g for g in m.groups() if g).replace(",", "")) for m in COUNT_CELLS.finditer(html)]


def _population(org):
    for group, share in (("white", "70.0"), ("mixed", "5.0"), ("asian", "15.0"), ("black", "8.0"), ("other", "2.0")):
        PopulationReferenceFactory(organisation=org, group=group, share=Decimal(share))
    PopulationReferenceFactory(organisation=org, dimension=Dimension.DISABILITY, group="disabled", share="17.5")
    PopulationReferenceFactory(organisation=org, dimension=Dimension.DISABILITY, group="non_disabled", share="82.5")


def _wres9(org_code: str, *, published: bool, part: str = "voting", code: str = "WRES9") -> dict:
    rows = metric_rows(standard="wres" if code == "WRES9" else "wdes", period=latest_period(), published=published)
    return next(r for r in rows if r["code"] == code and r["scope"] == f"org:{org_code}" and r["board_part"] == part)


# The engine's figures ---------------------------------------------------------------------------------------------


def test_board_composition_agrees_with_the_equality_engine(world, boards):
    period = latest_period()
    composition = board_composition(organisation=world.orgs["RAA"], day=period.end)
    assert composition.size("voting") == 10 and composition.size("all") == 12
    assert composition.ethnicity["voting"] == {"white": 7, "bme": 2, "unknown": 1}
    assert composition.broad["all"] == {"white": 8, "asian": 2, "black": 1, "unknown": 1}
    assert composition.sex["all"] == {"female": 5, "male": 7}
    for code, dimension, group in (("WRES9", "ethnicity", "bme"), ("WDES10", "disability", "disabled")):
        for part in ("voting", "all"):
            row = _wres9("RAA", published=False, part=part, code=code)
            counts = getattr(composition, dimension)[part]
            assert row["board_count"] == counts[group]
            assert row["board_total"] == composition.size(part)


def test_exact_page_shows_the_engines_wres9_and_wdes10(client_for, world, boards):
    wres9 = _wres9("RAA", published=False)
    wdes10 = _wres9("RAA", published=False, code="WDES10")
    # 2 of 10 voting members BME; 12 of 46 staff BME (RAA's six world staff: one BME, two without answers).
    assert wres9["value"] == pytest.approx(20 - 100 * 12 / 46)
    html = client_for("org_hr").get(BOARD).content.decode()
    assert f"{wres9['value']:+.1f} pts" in html
    assert f"{wdes10['value']:+.1f} pts" in html
    assert "You see exact counts" in html
    assert "Voting members </span>2 <span" in html  # the two BME voting members, exactly


def test_national_admin_sees_exact_counts_and_the_regulator_published(client_for, world, boards):
    assert "You see exact counts" in client_for("national_admin").get(BOARD).content.decode()
    html = client_for("regulator").get(BOARD).content.decode()
    assert "You see exact counts" not in html
    assert "Published figures" in html


@pytest.mark.parametrize("persona", PUBLISHED_READERS)
def test_published_board_page_never_shows_a_count_of_1_to_7(client_for, world, boards, persona):
    _population(world.orgs["RAA"])
    response = client_for(persona).get(BOARD)
    assert response.status_code == 200
    html = response.content.decode()
    counts = _shown_counts(html)
    assert counts, "the page shows the counts it can publish"
    assert not [n for n in counts if 1 <= n <= 7]
    # 12 members round to 10, of whom 10 voting; the 2 BME voting members are hidden, with their share and gaps.
    assert "Board members in post: 10 (rounded)" in html
    assert "20%" not in html
    assert f"{_wres9('RAA', published=False)['value']:+.1f}" not in html
    assert "figures are hidden on this page" in html
    # The population is not about anyone's record: shown in full, with the board's gap from it hidden.
    assert "30.0%" in html  # BME share of the population: 5 + 15 + 8 + 2
    assert "17.5%" in html


def test_published_page_shows_shares_where_they_can_be_published(client_for, world, boards):
    html = client_for("ned_team").get("/boards/diversity/RBB/").content.decode()
    row = _wres9("RBB", published=True)
    assert not row["suppressed"] and row["board_count"] == 0 and row["board_total"] == 10
    assert f"{row['value']:+.1f} pts" in html
    assert 'Voting members </span>10 <span class="nhsuk-body-s">(100%)</span>' in html
    assert not [n for n in _shown_counts(html) if 1 <= n <= 7]


def test_board_page_never_lists_members_or_their_answers(client_for, world, boards):
    for persona in ("org_hr", "ned_team"):
        html = client_for(persona).get(BOARD).content.decode()
        for member in boards.raa:
            assert member.name not in html


def test_region_boards_together_are_shown_for_comparison(client_for, world, boards):
    html = client_for("regulator").get(BOARD).content.decode()
    assert "Voting members of every board in Holdout Region taken together" in html


def test_board_page_for_another_year_and_a_board_with_no_members(client_for, world, boards):
    html = client_for("org_hr").get(BOARD + "?period=2014-15").content.decode()
    assert "had no board members in post on 31 March 2015" in html
    assert client_for("org_hr").get(BOARD + "?period=nonsense").status_code == 200


# Scope ------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "path", "status"),
    [
        ("org_hr", "/boards/diversity/RBB/", 404),
        ("org_hr", "/boards/diversity/RCC/", 404),
        ("regional_talent", "/boards/diversity/RCC/", 404),
        ("regional_talent", "/boards/diversity/RBB/", 200),
        ("ned_team", "/boards/diversity/Y99/", 404),
        ("ned_team", "/boards/diversity/NOPE/", 404),
        ("regulator", "/boards/diversity/RCC/", 200),
        ("org_hr", OVERVIEW, 403),
        ("org_admin", BOARD, 403),
        ("regulator", "/boards/diversity/RAA/reference/", 403),
        ("org_hr", "/boards/diversity/RAA/reference/", 403),
        ("ned_team", "/boards/diversity/Y99/reference/", 404),
    ],
)
def test_scope_refusals(client_for, world, boards, persona, path, status):
    assert client_for(persona).get(path).status_code == status


def test_regional_ned_team_records_figures_for_its_region_only(client, world, boards):
    user = UserFactory(email="regional-ned@example.org")
    RoleAssignmentFactory(user=user, role="ned_team", organisation=world.orgs["Y99"])
    client.force_login(user)
    assert client.get("/boards/diversity/RAA/reference/").status_code == 200
    assert client.get("/boards/diversity/RCC/reference/").status_code == 404
    assert client.post("/boards/diversity/RCC/reference/", {}).status_code == 404
    overview = client.get(OVERVIEW).content.decode()
    assert "Holdout Large Trust" in overview and "Far Away Trust" not in overview


# The overview -----------------------------------------------------------------------------------------------------


def _names_in_order(html: str) -> list[str]:
    return re.findall(r'<a href="/boards/diversity/[A-Z0-9]+/\?period=[0-9-]+">([^<]+)</a>', html)


def test_overview_sorted_by_gap_with_hidden_gaps_last(client_for, world, boards):
    _population(world.orgs["RBB"])
    html = client_for("ned_team").get(OVERVIEW).content.decode()
    # RBB: no BME voting members (gap below 0); RCC: all BME (above 0); RAA: 2 BME members, so its gap is hidden.
    assert _names_in_order(html) == ["Holdout Small Trust", "Far Away Trust", "Holdout Large Trust"]
    assert "30.0%" in html  # RBB's population BME share
    assert not [n for n in _shown_counts(html) if 1 <= n <= 7]
    by_name = client_for("ned_team").get(OVERVIEW + "?sort=name").content.decode()
    assert _names_in_order(by_name) == ["Far Away Trust", "Holdout Large Trust", "Holdout Small Trust"]


def test_overview_filters_by_region_and_type_and_keeps_to_the_scope(client_for, world, boards):
    html = client_for("ned_team").get(OVERVIEW + "?region=Y98").content.decode()
    assert _names_in_order(html) == ["Far Away Trust"]
    html = client_for("ned_team").get(OVERVIEW + "?organisation_type=icb").content.decode()
    assert _names_in_order(html) == []
    html = client_for("regional_talent").get(OVERVIEW).content.decode()
    assert sorted(_names_in_order(html)) == ["Holdout Large Trust", "Holdout Small Trust"]
    # A region outside the role's scope is not offered and filters nothing in.
    html = client_for("regional_talent").get(OVERVIEW + "?region=Y98").content.decode()
    assert "Far Away Trust" not in html


def test_overview_summary_for_england_is_not_suppressed(client_for, world, boards):
    html = client_for("regulator").get(OVERVIEW).content.decode()
    rows = metric_rows(standard="wres", period=latest_period(), published=True)
    national = next(
        r for r in rows if r["code"] == "WRES9" and r["scope"] == "national" and r["board_part"] == "voting"
    )
    assert not national["suppressed"]
    assert f"{national['value']:+.1f} pts" in html


# Query counts -----------------------------------------------------------------------------------------------------


def _grow(world, n: int) -> None:
    """n more trusts in the holdout ICB, each with a board, staff and population figures; and more RAA members."""
    icb = world.orgs["QZZ"]
    start = Organisation.objects.count()
    for i in range(n):
        org = Organisation.objects.create(
            code=f"RG{start + i:03d}", name=f"Grown Trust {start + i}", type=OrganisationType.TRUST, parent=icb
        )
        organisation_tree_rebuild()
        org.refresh_from_db()
        for k in range(9):
            seat(org, ethnic="A" if k % 3 else "H", disability="Y" if k == 0 else "N")
        staff(org, 3)
        _population(org)
        seat(world.orgs["RAA"], ethnic="M", start_date=datetime.date(2021, 4, 1))


def _queries(client, path: str) -> int:
    cache.clear()  # the equality figures are computed again at each size, not read from the cache
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured)


@pytest.mark.parametrize(
    ("persona", "path"),
    [
        ("org_hr", BOARD),
        ("regulator", BOARD),
        ("ned_team", OVERVIEW),
        ("regional_talent", OVERVIEW + "?sort=disabled_gap"),
        ("ned_team", "/boards/diversity/RAA/reference/"),
    ],
)
def test_query_counts_do_not_grow_with_the_data(client_for, world, boards, persona, path):
    client = client_for(persona)
    _grow(world, 2)
    small = _queries(client, path)
    _grow(world, 12)
    assert _queries(client, path) == small

"""The quarterly speak-up return: every count worked out by hand, quarter boundaries, roll-ups, disclosure control,
who sees what, query counts, the download, the trends and that the figures come from the cases alone."""

import csv
import datetime
import io
import re

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carelead.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from carelead.audit.models import AuditLog
from carelead.core.choices import OrganisationType
from carelead.equality.models import SurveyResult
from carelead.organisations.models import Organisation
from carelead.organisations.services import organisation_tree_rebuild
from carelead.speakup.models import Case, Message
from carelead.speakup.returns import (
    KEYS,
    Quarter,
    ReturnScope,
    add_counts,
    empty_counts,
    quarterly_return,
    return_counts,
    return_tables,
    scope_parse,
    trend_counts,
    trend_points,
)
from carelead.speakup.tests.factories import case

D = datetime.date
Q2 = Quarter(2026, 2)  # 1 July to 30 September 2026
LAST = Quarter.last_complete(timezone.localdate())  # the quarter the pages show by default


def guardian_of(world, code: str):
    user = UserFactory(email=f"returns-guardian-{code.lower()}@example.org", full_name=f"Guardian {code}")
    RoleAssignmentFactory(user=user, role="guardian", organisation=world.orgs[code])
    return user


def org_scope(world, code: str) -> ReturnScope:
    return ReturnScope("org", world.orgs[code])


def page(client, name: str, scope: str, quarter: Quarter = LAST, **params):
    query = {"scope": scope, "quarter": quarter.code, **params}
    return client.get(reverse(f"speakup_returns:{name}"), query)


def numeric_cells(html: str) -> list[str]:
    cells = re.findall(r'nhsuk-table__cell--numeric">(.*?)</td>', html, flags=re.S)
    return [re.sub(r"<[^>]+>", "", c).replace("Concerns received", "").replace("Concerns", "").strip() for c in cells]


# Quarters -----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "label"),
    [
        (D(2026, 3, 31), "2025/26 Q4"),
        (D(2026, 4, 1), "2026/27 Q1"),
        (D(2026, 6, 30), "2026/27 Q1"),
        (D(2026, 7, 1), "2026/27 Q2"),
        (D(2026, 9, 30), "2026/27 Q2"),
        (D(2026, 10, 1), "2026/27 Q3"),
        (D(2026, 12, 31), "2026/27 Q3"),
        (D(2027, 1, 1), "2026/27 Q4"),
        (D(2099, 3, 31), "2098/99 Q4"),
    ],
)
def test_a_day_falls_in_the_financial_quarter_the_national_guardians_office_uses(day, label):
    assert Quarter.of(day).label == label


def test_quarters_have_their_first_and_last_days_and_codes():
    assert (Q2.start, Q2.end) == (D(2026, 7, 1), D(2026, 9, 30))
    assert (Quarter(2026, 4).start, Quarter(2026, 4).end) == (D(2027, 1, 1), D(2027, 3, 31))
    assert (Quarter(2026, 1).start, Quarter(2026, 1).end) == (D(2026, 4, 1), D(2026, 6, 30))
    assert Quarter(2026, 1).previous == Quarter(2025, 4) and Quarter(2025, 4).next == Quarter(2026, 1)
    assert Q2.code == "2026-27-Q2" and Quarter.parse("2026-27-Q2") == Q2 and Q2.financial_year == "2026-27"
    assert Quarter.last_complete(D(2026, 7, 1)) == Quarter(2026, 1)
    for wrong in ("2026-28-Q1", "2026-27-Q5", "2026/27 Q2", "", "Q2"):
        with pytest.raises(ValueError, match="is not a quarter"):
            Quarter.parse(wrong)


def test_quarter_boundaries_31_march_1_april_30_june_1_july(world):
    raa = world.orgs["RAA"]
    for day in (D(2026, 3, 31), D(2026, 4, 1), D(2026, 6, 30), D(2026, 7, 1)):
        case(organisation=raa, received_on=day)
    scope = org_scope(world, "RAA")
    assert return_counts(scope=scope, quarter=Quarter(2025, 4))["total"] == 1
    assert return_counts(scope=scope, quarter=Quarter(2026, 1))["total"] == 2
    assert return_counts(scope=scope, quarter=Quarter(2026, 2))["total"] == 1
    by_quarter = trend_counts(scope=scope, quarters=[Quarter(2025, 4), Quarter(2026, 1), Quarter(2026, 2)])
    assert [counts["total"] for counts in by_quarter.values()] == [1, 2, 1]


# The counts, by hand --------------------------------------------------------------------------------------------------


def small_set(world):
    """Five concerns for RAA in 2026/27 Q2 (two on its first and last days), and others that must not count."""
    raa = world.orgs["RAA"]
    case(
        organisation=raa,
        mode="anonymous",
        categories=("bullying", "patient_safety"),
        received_on=D(2026, 7, 1),
        professional_group="registered_nurses",
        reporter_detriment="yes",
        feedback_given=True,
        feedback_given_on=D(2026, 8, 1),
    )
    case(
        organisation=raa,
        mode="confidential",
        categories=("bullying",),
        received_on=D(2026, 8, 15),
        professional_group="medical",
        reporter_detriment="yes",
        detriment=True,
    )
    case(organisation=raa, mode="named", categories=("worker_safety",), received_on=D(2026, 8, 20), detriment=True)
    case(
        organisation=raa,
        mode="anonymous",
        categories=("behaviour", "discrimination"),
        received_on=D(2026, 9, 1),
        professional_group="not_said",
        reporter_detriment="no",
    )
    case(
        organisation=raa,
        mode="named",
        categories=("other", "detriment"),
        received_on=D(2026, 9, 30),
        professional_group="admin",
        feedback_given=True,
        feedback_given_on=D(2026, 10, 2),
        status="closed",
    )
    # Not in the return: the days either side of the quarter, and another organisation's concern.
    case(organisation=raa, received_on=D(2026, 6, 30), detriment=True, feedback_given=True)
    case(organisation=raa, received_on=D(2026, 10, 1), reporter_detriment="yes")
    case(organisation=world.orgs["RBB"], received_on=D(2026, 8, 1))


EXPECTED = {
    "total": 5,
    "mode_named": 2,
    "mode_confidential": 1,
    "mode_anonymous": 2,
    "category_patient_safety": 1,
    "category_bullying": 2,
    "category_behaviour": 1,
    "category_worker_safety": 1,
    "category_detriment": 1,
    "category_discrimination": 1,
    "category_other": 1,
    "group_registered_nurses": 1,
    "group_medical": 1,
    "group_admin": 1,
    "group_not_said": 1,
    "group_not_recorded": 1,
    "detriment": 3,  # the reporter's yes (1st), both (2nd), the guardians' record (3rd); a "no" never counts
    "detriment_reporter": 2,
    "detriment_guardian": 2,
    "feedback_given": 2,
}


def test_every_count_matches_the_hand_worked_figures(world):
    small_set(world)
    counts = return_counts(scope=org_scope(world, "RAA"), quarter=Q2)
    assert counts == {**empty_counts(), **EXPECTED}
    assert set(counts) == set(KEYS)


def test_the_counts_stand_after_retention_blanks_a_cases_text(world):
    small_set(world)
    before = return_counts(scope=org_scope(world, "RAA"), quarter=Q2)
    for c in Case.objects.all():
        Message.objects.create(case=c, sender="reporter", body="More detail", sent_on=c.received_on)
    Case.objects.update(description="", outcome="", reporter_name="", reporter_email="", reporter_phone="")
    Message.objects.all().delete()
    assert return_counts(scope=org_scope(world, "RAA"), quarter=Q2) == before


def test_an_exact_return_shows_every_count_as_it_is(world):
    small_set(world)
    tables = {t.key: t for t in return_tables(return_counts(scope=org_scope(world, "RAA"), quarter=Q2), exact=True)}
    shown = {row.measure.key: row.figure.text for table in tables.values() for row in table.rows}
    assert shown == {key: str(EXPECTED.get(key, 0)) for key in KEYS if key != "total"}
    assert tables["mode"].total.text == "5" and tables["group"].total.text == "5"


# Roll-ups -------------------------------------------------------------------------------------------------------------


def test_a_roll_up_is_the_sum_of_its_organisations(world):
    spread = {"RAA": 9, "RBB": 3, "CP001": 2, "RCC": 4, "PRV01": 1}
    for i, (code, n) in enumerate(spread.items()):
        for k in range(n):
            case(
                organisation=world.orgs[code],
                mode=("anonymous", "named", "confidential")[k % 3],
                categories=(("bullying",), ("patient_safety", "other"))[(k + i) % 2],
                received_on=D(2026, 7, 1) + datetime.timedelta(days=k * 9),
                professional_group=("medical", "", "admin")[k % 3],
                detriment=k % 2 == 0,
                reporter_detriment="yes" if k % 4 == 1 else "",
                feedback_given=k % 3 == 0,
            )
    org = {code: return_counts(scope=org_scope(world, code), quarter=Q2) for code in spread}
    icb = return_counts(scope=scope_parse("icb:QZZ"), quarter=Q2)
    region = return_counts(scope=scope_parse("region:Y99"), quarter=Q2)
    england = return_counts(scope=scope_parse("national"), quarter=Q2)
    assert icb == add_counts([org["RAA"], org["RBB"], org["CP001"]])
    assert region == icb
    assert return_counts(scope=scope_parse("region:Y98"), quarter=Q2) == org["RCC"]
    assert england == add_counts(org.values())
    assert england["total"] == sum(spread.values())


# Disclosure control ---------------------------------------------------------------------------------------------------


def test_published_figures_never_show_1_to_7(world):
    for i in range(23):
        case(
            organisation=world.orgs["RAA" if i % 2 else "RBB"],
            mode="anonymous" if i < 3 else "named" if i < 20 else "confidential",
            categories=("bullying",) if i < 6 else ("patient_safety",),
            received_on=D(2026, 7, 3),
            professional_group="medical" if i < 18 else "admin" if i < 22 else "",
            detriment=i < 2,
        )
    counts = return_counts(scope=scope_parse("icb:QZZ"), quarter=Q2)
    for table in return_tables(counts, exact=False):
        for figure in [*(row.figure for row in table.rows), *([table.total] if table.total else [])]:
            assert figure.suppressed or figure.shown == 0 or (figure.shown >= 10 and figure.shown % 5 == 0)
    tables = {t.key: t for t in return_tables(counts, exact=False)}
    modes = {row.measure.key: row.figure for row in tables["mode"].rows}
    # Confidential (3) is hidden; anonymous (3) goes with it, so neither can be worked out from the total.
    assert modes["mode_confidential"].suppressed and modes["mode_anonymous"].suppressed
    assert modes["mode_named"].text == "15" and tables["mode"].total.text == "25"


@pytest.mark.parametrize("persona", ["national_admin", "regulator", "regional_talent"])
def test_aggregate_pages_show_no_count_from_1_to_7(client_for, world, persona):
    for i in range(12):
        case(organisation=world.orgs["RAA"], mode="anonymous" if i < 2 else "named", received_on=LAST.start)
    client = client_for(persona)
    for scope in ("icb:QZZ", "region:Y99", "national", "org:RAA"):
        response = page(client, "return", scope)
        assert response.status_code == 200, scope
        cells = numeric_cells(response.content.decode())
        assert cells, scope
        for text in cells:
            if text.replace(",", "").isdigit():
                assert not 1 <= int(text.replace(",", "")) <= 7, (scope, text)
        assert "Published figures" in response.content.decode()


# Who sees what --------------------------------------------------------------------------------------------------------


def test_guardians_see_their_organisation_exactly_and_the_areas_above_as_published(client, world):
    for _ in range(3):
        case(organisation=world.orgs["RAA"], received_on=LAST.start)
    client.force_login(world.users["guardian"])
    own = page(client, "return", "org:RAA").content.decode()
    assert "Exact figures" in own and "<h2>Concerns received: 3</h2>" in own
    for scope in ("icb:QZZ", "region:Y99", "national"):
        response = page(client, "return", scope)
        assert response.status_code == 200 and "Published figures" in response.content.decode()
        assert "Concerns received: <abbr" in response.content.decode()
        # No breakdown by organisation from above: the other organisations' returns are not the guardian's.
        assert "Within " not in response.content.decode()
    # The default is the guardian's own organisation.
    assert "Exact figures" in client.get(reverse("speakup_returns:return")).content.decode()


@pytest.mark.parametrize("name", ["return", "download", "trends"])
def test_a_guardian_of_another_organisation_gets_404(client, world, name):
    case(organisation=world.orgs["RAA"], received_on=LAST.start)
    client.force_login(guardian_of(world, "RBB"))
    assert page(client, name, "org:RAA").status_code == 404
    assert page(client, name, "org:RBB").status_code == 200
    for scope in ("icb:QYY", "region:Y98", "org:RCC", "org:NOPE", "region:RAA", "icb:Y99", "org:Y99", "nonsense"):
        assert page(client, name, scope).status_code == 404, scope


def test_a_regional_lead_sees_their_region_and_england_as_published_figures_only(client_for, world):
    case(organisation=world.orgs["RAA"], received_on=LAST.start)
    client = client_for("regional_talent")
    for scope in ("region:Y99", "icb:QZZ", "org:RAA", "org:CP001", "national"):
        response = page(client, "return", scope)
        assert response.status_code == 200, scope
        assert "Published figures" in response.content.decode()
    for scope in ("region:Y98", "icb:QYY", "org:RCC"):
        assert page(client, "return", scope).status_code == 404, scope


def test_an_icb_guardian_sees_each_organisation_beneath_exactly_and_the_icb_as_published(client, world):
    case(organisation=world.orgs["RBB"], received_on=LAST.start)
    client.force_login(guardian_of(world, "QZZ"))
    assert "Exact figures" in page(client, "return", "org:RBB").content.decode()
    area = page(client, "return", "icb:QZZ").content.decode()
    assert "Published figures" in area and "Within Holdout ICB" in area
    assert page(client, "return", "org:RCC").status_code == 404


@pytest.mark.parametrize("persona", ["org_hr", "org_admin", "staff", "line_manager", "ned_team", "provider"])
def test_other_roles_are_refused(client_for, world, persona):
    client = client_for(persona)
    for name in ("return", "download", "trends"):
        assert page(client, name, "national").status_code == 403


@pytest.mark.parametrize("persona", ["guardian", "national_admin", "regulator", "regional_talent"])
def test_no_page_shows_case_content_or_links_to_a_case(client_for, world, persona):
    c = case(organisation=world.orgs["RAA"], mode="named", received_on=LAST.start)
    client = client_for(persona)
    for name in ("return", "download", "trends"):
        body = page(client, name, "org:RAA").content.decode()
        assert c.description not in body and c.reporter_name not in body and c.reference not in body
        assert not re.search(r"/speak-up/cases/\d", body)


def test_finding_an_organisation_goes_to_its_return_or_says_why_not(client_for, world):
    client = client_for("regional_talent")
    found = page(client, "return", "region:Y99", code="rbb")
    assert found.status_code == 302 and "scope=org%3ARBB" in found["Location"]
    refused = page(client, "return", "region:Y99", code="RCC").content.decode()
    assert "There is no organisation with the code RCC whose return you can see" in refused
    assert "There is a problem" in refused


def test_a_wrong_quarter_says_so_and_shows_the_last_complete_one(client_for, world):
    wrong = client_for("national_admin").get(reverse("speakup_returns:return"), {"quarter": "2026-27-Q9"})
    body = wrong.content.decode()
    assert "Choose a quarter from the list" in body and f"Speak-up return, {LAST.label}" in body
    future = client_for("national_admin").get(reverse("speakup_returns:return"), {"quarter": LAST.next.next.code})
    assert "Choose a quarter from the list" in future.content.decode()
    earlier = client_for("national_admin").get(reverse("speakup_returns:return"), {"quarter": "2019-20-Q1"})
    assert "Speak-up return, 2019/20 Q1" in earlier.content.decode()


# Query counts ---------------------------------------------------------------------------------------------------------


def _queries(client, name: str, scope: str) -> int:
    page(client, name, scope)  # the equality engine's survey figures are cached after the first look
    with CaptureQueriesContext(connection) as queries:
        assert page(client, name, scope).status_code == 200
    return len(queries)


def _more_organisations(world, n: int):
    for i in range(n):
        Organisation.objects.create(
            code=f"RZ{i:02d}", name=f"Extra Trust {i}", type=OrganisationType.TRUST, parent=world.orgs["QZZ"]
        )
    organisation_tree_rebuild()


@pytest.mark.parametrize(
    ("name", "persona", "scope"),
    [
        ("return", "guardian", "org:RAA"),
        ("return", "national_admin", "icb:QZZ"),
        ("return", "national_admin", "national"),
        ("download", "regulator", "region:Y99"),
        ("trends", "guardian", "org:RAA"),
        ("trends", "national_admin", "national"),
    ],
)
def test_queries_do_not_grow_with_cases_or_organisations(client_for, world, name, persona, scope):
    SurveyResult.objects.create(
        organisation=world.orgs["RAA"], period=LAST.financial_year, measure="WRES6", group="bme", percent=30
    )
    client = client_for(persona)
    for i in range(3):
        case(organisation=world.orgs["RAA" if i else "RBB"], received_on=LAST.start)
    small = _queries(client, name, scope)
    _more_organisations(world, 6)
    for i in range(60):
        org = Organisation.objects.get(code=f"RZ{i % 6:02d}") if i % 3 else world.orgs["RAA"]
        case(organisation=org, received_on=LAST.start - datetime.timedelta(days=40 * (i % 8)), mode="named")
    assert _queries(client, name, scope) == small
    assert small <= 16


# The download ---------------------------------------------------------------------------------------------------------


def _rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_the_download_gives_every_figure_with_its_definition_and_is_audited(client_for, world):
    for mode in ("anonymous", "anonymous", "named"):
        case(organisation=world.orgs["RAA"], mode=mode, received_on=LAST.start)
    response = page(client_for("guardian"), "download", "org:RAA")
    assert response["Content-Type"].startswith("text/csv")
    assert f"speak-up-return-org-RAA-{LAST.code}.csv" in response["Content-Disposition"]
    rows = _rows(response)
    by_item = {(r["table"], r["item"]): r for r in rows}
    assert by_item[("Concerns received", "Concerns received")]["count"] == "3"
    assert by_item[("How concerns were raised", "Anonymous")]["count"] == "2"
    assert by_item[("Professional group of the reporter", "Not recorded")]["count"] == "3"
    assert all(r["definition"] and r["figures"] == "exact" and r["quarter"] == LAST.label for r in rows)
    assert len(rows) == len(KEYS)  # one line for each count, the total first
    log = AuditLog.objects.get(action=AuditLog.Action.EXPORT, object_type="speakup.QuarterlyReturn")
    assert log.object_id == f"org:RAA:{LAST.code}" and log.actor == world.users["guardian"]
    assert log.organisation_id == world.orgs["RAA"].pk and log.changes == {"figures": "exact"}


def test_the_published_download_hides_small_counts(client_for, world):
    for _ in range(3):
        case(organisation=world.orgs["RAA"], received_on=LAST.start)
    rows = _rows(page(client_for("national_admin"), "download", "org:RAA"))
    assert {r["figures"] for r in rows} == {"published"}
    assert next(r for r in rows if r["item"] == "Concerns received")["count"] == "*"


def test_the_download_neutralises_formulas(client, world):
    org = Organisation.objects.create(
        code="RFX", name='=HYPERLINK("http://example.org")', type=OrganisationType.TRUST, parent=world.orgs["QZZ"]
    )
    organisation_tree_rebuild()
    world.orgs["RFX"] = org
    client.force_login(guardian_of(world, "RFX"))
    text = page(client, "download", "org:RFX").content.decode()
    assert "'=HYPERLINK" in text
    assert not any(line.split(",")[1].startswith("=") for line in text.splitlines()[1:])


# Computed, never stored ----------------------------------------------------------------------------------------------


def test_the_figures_change_only_when_cases_change(world):
    scope = org_scope(world, "RAA")
    small_set(world)
    first = return_counts(scope=scope, quarter=Q2)
    with CaptureQueriesContext(connection) as queries:
        again = quarterly_return(scope=scope, quarter=Q2, exact=True)
    assert again.counts == first
    assert all(q["sql"].lstrip().upper().startswith("SELECT") for q in queries.captured_queries)
    # Nothing in the app holds a return: there is no model to type one into.
    assert not [m for m in apps.get_app_config("speakup").get_models() if "return" in m.__name__.lower()]

    case(organisation=world.orgs["RAA"], received_on=D(2026, 12, 1))  # another quarter
    case(organisation=world.orgs["RBB"], received_on=D(2026, 8, 1))  # another organisation
    assert return_counts(scope=scope, quarter=Q2) == first

    added = case(organisation=world.orgs["RAA"], mode="confidential", received_on=D(2026, 8, 2))
    after_add = return_counts(scope=scope, quarter=Q2)
    assert after_add["total"] == first["total"] + 1 and after_add["mode_confidential"] == first["mode_confidential"] + 1

    Case.objects.filter(pk=added.pk).update(is_bullying=False, is_worker_safety=True, feedback_given=True)
    corrected = return_counts(scope=scope, quarter=Q2)
    assert corrected["category_bullying"] == first["category_bullying"]
    assert corrected["category_worker_safety"] == first["category_worker_safety"] + 1
    assert corrected["feedback_given"] == first["feedback_given"] + 1

    added.delete()
    assert return_counts(scope=scope, quarter=Q2) == first


# Trends ---------------------------------------------------------------------------------------------------------------


def test_trend_points_are_one_quarter_each_exact_or_published(world):
    last = Quarter(2026, 2)
    quarter = last
    for n in range(12):  # 12 quarters back from 2026/27 Q2, with n + 1 concerns each, one of them anonymous
        for k in range(12 - n):
            case(organisation=world.orgs["RAA"], mode="anonymous" if k == 0 else "named", received_on=quarter.start)
        quarter = quarter.previous
    exact = trend_points(scope=org_scope(world, "RAA"), last=last, exact=True)
    assert [p["value"] for p in exact["total"]] == [float(n) for n in range(1, 13)]
    assert exact["anonymous_share"][-1]["value"] == pytest.approx(100 / 12)
    assert exact["total"][0]["quarter"] == Quarter(2023, 3)
    published = trend_points(scope=scope_parse("icb:QZZ"), last=last, exact=False)
    assert [p["text"] for p in published["total"]][:7] == ["*"] * 7
    assert [p["value"] for p in published["total"]][7:] == [10.0, 10.0, 10.0, 10.0, 10.0]
    assert all(p["hidden"] for p in published["anonymous_share"])


def test_the_trends_page_draws_xmr_charts_with_their_data_and_the_survey_beside_bullying(client_for, world):
    quarter = LAST
    for n in range(12):
        for k in range(3 + n % 4):
            case(organisation=world.orgs["RAA"], mode="anonymous" if k % 2 else "named", received_on=quarter.start)
        quarter = quarter.previous
    SurveyResult.objects.create(
        organisation=world.orgs["RAA"],
        period=LAST.financial_year,
        measure="WRES6",
        group="bme",
        percent=31.5,
        respondents=120,
    )
    SurveyResult.objects.create(
        organisation=world.orgs["RAA"],
        period=LAST.financial_year,
        measure="WDES4c",
        group="disabled",
        percent=22,
        respondents=5,
    )
    body = page(client_for("guardian"), "trends", "org:RAA").content.decode()
    assert body.count('<svg xmlns="http://www.w3.org/2000/svg" role="img"') == 4
    assert "Data for the chart: Concerns received" in body and LAST.label in body
    assert "Share of concerns raised anonymously" in body
    assert "WRES6: Harassment, bullying or abuse from staff" in body and "31.5%" in body
    # The survey follows the equality pages' rule: a guardian has no record-level equality rights, so 5
    # respondents are too few to show.
    assert "WDES4c: Harassment from colleagues" in body and "22.0%" not in body


def test_the_return_page_puts_the_survey_beside_the_bullying_count(client_for, world):
    for _ in range(2):
        case(organisation=world.orgs["RAA"], categories=("bullying",), received_on=LAST.start)
    SurveyResult.objects.create(
        organisation=world.orgs["RAA"],
        period=LAST.financial_year,
        measure="WRES8",
        group="white",
        percent=12.25,
        respondents=300,
    )
    body = page(client_for("guardian"), "return", "org:RAA").content.decode()
    assert "Concerns with an element of bullying or harassment in" in body and "<strong>2</strong>" in body
    assert "WRES8: Discrimination from a manager or colleague" in body and "12.2%" in body
    national = page(client_for("national_admin"), "return", "org:RAA").content.decode()
    assert "exact figures" in national  # national administrators see equality figures exactly


def test_the_breakdown_of_an_area_hides_a_second_line_beside_a_lone_hidden_one(world):
    for i in range(15):
        case(organisation=world.orgs["RAA" if i < 12 else "RBB"], received_on=D(2026, 8, 1))
    case(organisation=world.orgs["RCC"], received_on=D(2026, 8, 1))
    for _ in range(9):  # an organisation in no region stands on its own line of England's breakdown
        case(organisation=world.orgs["PRV01"], received_on=D(2026, 8, 1))
    icb = quarterly_return(scope=scope_parse("icb:QZZ"), quarter=Q2, exact=False, with_children=True)
    assert icb.total.text == "15"
    assert {c["scope"].code: c["total"].text for c in icb.children} == {"org:RAA": "*", "org:RBB": "*"}
    england = quarterly_return(scope=scope_parse("national"), quarter=Q2, exact=False, with_children=True)
    lines = {c["scope"].code: c["total"].text for c in england.children}
    # Y98's single concern is hidden, and the smallest other line (9) with it, so neither follows from the total.
    assert lines == {"org:PRV01": "*", "region:Y99": "15", "region:Y98": "*"}
    assert england.total.text == "25"

"""WRES and WDES computed exactly as domain.md section 9 defines them, from records built here."""

import datetime
import json

import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from carelead.boards.models import BoardMember, BoardMemberMonitoring
from carelead.equality.engine import Period, compute, relative_likelihood
from carelead.equality.models import DisciplinaryCase, RecruitmentDecision
from carelead.people.models import EqualityMonitoring
from carelead.people.tests.factories import PersonFactory

P = Period.parse("2025-26")


def test_the_worked_example_of_the_guidance():
    result = relative_likelihood(80, 400, 25, 250)
    assert result["value"] == pytest.approx(2.0)
    assert round(result["ci_low"], 2) == 1.31 and round(result["ci_high"], 2) == 3.05


def test_zero_cells_keep_the_plain_ratio_and_correct_only_the_interval():
    zero_first = relative_likelihood(0, 40, 5, 50)
    assert zero_first["value"] == 0 and zero_first["ci_low"] > 0
    assert relative_likelihood(5, 40, 0, 50)["value"] is None
    assert relative_likelihood(5, 0, 3, 50)["note"] == "a group has no members"


@given(st.integers(1, 500), st.integers(1, 500), st.integers(1, 500), st.integers(1, 500))
def test_the_interval_always_contains_the_ratio(a, extra1, c, extra2):
    result = relative_likelihood(a, a + extra1, c, c + extra2)
    assert result["ci_low"] <= result["value"] <= result["ci_high"]


def people(org, n, ethnic, disability="N", **extra):
    out = []
    for _ in range(n):
        person = PersonFactory(organisation=org, start_date=datetime.date(2020, 1, 1), **extra)
        EqualityMonitoring.objects.create(person=person, ethnic_category=ethnic, disability=disability)
        out.append(person)
    return out


def rows_for(standard, code, scope, published=False, **keys):
    return [
        r
        for r in compute(standard=standard, period=P, published=published)
        if r["code"] == code and r["scope"] == scope and all(r.get(k) == v for k, v in keys.items())
    ]


def test_wres2_pools_roll_ups_and_ignores_unknowns(world):
    raa, rbb = world.orgs["RAA"], world.orgs["RBB"]
    n = 0
    for org, group, shortlisted, appointed in (
        (raa, "A", 40, 20),
        (raa, "N", 40, 10),
        (rbb, "C", 10, 1),
        (rbb, "H", 30, 3),
        (raa, "Z", 50, 50),
    ):
        for i in range(shortlisted):
            n += 1
            RecruitmentDecision.objects.create(
                application_id=f"A{n}",
                vacancy_id="V",
                organisation=org,
                date=datetime.date(2025, 6, 1),
                shortlisted=True,
                appointed=i < appointed,
                ethnic_category=group,
            )
    raa_row = rows_for("wres", "WRES2", "org:RAA")[0]
    assert raa_row["value"] == pytest.approx((20 / 40) / (10 / 40))
    icb_row = rows_for("wres", "WRES2", "icb:QZZ")[0]
    assert icb_row["value"] == pytest.approx((21 / 50) / (13 / 70))  # pooled counts, not an average of ratios


def test_wres3_pools_two_years_counts_distinct_entrants_and_excludes_bank(world):
    raa = world.orgs["RAA"]
    white = people(raa, 20, "A")
    bme = people(raa, 10, "N")
    bank = people(raa, 5, "N", bank=True)
    for i, person in enumerate([*bme[:2], white[0], bank[0]]):
        DisciplinaryCase.objects.create(case_id=f"D{i}", person=person, date=datetime.date(2025, 9, 1))
    DisciplinaryCase.objects.create(case_id="D-again", person=bme[0], date=datetime.date(2025, 10, 1))
    DisciplinaryCase.objects.create(case_id="D-prev", person=bme[1], date=datetime.date(2024, 9, 1))
    row = rows_for("wres", "WRES3", "org:RAA")[0]
    # world has 1 white (A), 1 BME (H), 1 BME (N) monitored people in RAA in post at both year ends.
    white_heads, bme_heads = (20 + 1) * 2, (10 + 2) * 2
    assert row["value"] == pytest.approx(((2 + 1) / bme_heads) / (1 / white_heads))


def test_wres9_compares_voting_board_with_the_workforce(world):
    raa = world.orgs["RAA"]
    people(raa, 7, "A")
    for i, (role, voting, code) in enumerate(
        [("chair", True, "A"), ("non_executive", True, "N"), ("executive", True, "H"), ("associate", False, "N")]
    ):
        member = BoardMember.objects.create(
            member_id=f"B{i}",
            organisation=raa,
            name=f"M{i}",
            role=role,
            voting=voting,
            start_date=datetime.date(2024, 1, 1),
        )
        BoardMemberMonitoring.objects.create(member=member, ethnic_category=code)
    voting = rows_for("wres", "WRES9", "org:RAA", board_part="voting")[0]
    # workforce in RAA: 6 world staff (2 BME of 3 monitored) + 7 white = 13 in post, 2 BME
    assert voting["value"] == pytest.approx(100 * 2 / 3 - 100 * 2 / 13)
    assert rows_for("wres", "WRES9", "org:RAA", board_part="all")[0]["value"] == pytest.approx(
        100 * 3 / 4 - 100 * 2 / 13
    )


def test_published_figures_suppress_small_counts_below_national(world):
    raa = world.orgs["RAA"]
    people(raa, 3, "N")
    published = rows_for("wres", "WRES1", "org:RAA", published=True, band="5", staff_type="clinical", group="bme")[0]
    assert published["suppressed"] is True and published["value"] is None
    national = rows_for("wres", "WRES1", "national", published=True, band="5", staff_type="clinical", group="bme")[0]
    assert national["suppressed"] is False and national["count"] == 5


def test_the_command_writes_json_csv_and_a_workbook(world, tmp_path, capsys):
    call_command("metrics", "wdes", "--period", "2025-26", "--format", "json")
    rows = json.loads(capsys.readouterr().out)
    assert {"WDES1", "WDES2", "WDES3", "WDES10"} <= {r["code"] for r in rows if r["scope"] == "org:RAA"}
    assert all({"code", "scope", "period", "value", "suppressed"} <= set(r) for r in rows)
    call_command(
        "metrics",
        "wres",
        "--period",
        "2025-26",
        "--scope",
        "icb:QZZ",
        "--format",
        "csv",
        "--output",
        str(tmp_path / "w.csv"),
    )
    text = (tmp_path / "w.csv").read_text()
    assert "icb:QZZ" in text and "org:RAA" in text and "org:RCC" not in text and "national" not in text
    call_command("metrics", "wres", "--period", "2025-26", "--format", "xlsx", "--output", str(tmp_path / "w.xlsx"))
    import openpyxl

    assert {"About", "WRES1", "WRES9"} <= set(openpyxl.load_workbook(tmp_path / "w.xlsx").sheetnames)


def _two_years_of_cases(world):
    """RAA: 30 White and 20 BME staff in post at both year ends; entrants differ between the years."""
    raa = world.orgs["RAA"]
    white, bme = people(raa, 30, "A"), people(raa, 20, "N")
    cases = [(bme[:3], 2025), (bme[3:4], 2024), (white[:2], 2025), (white[2:6], 2024)]
    n = 0
    for group, year in cases:
        for person in group:
            n += 1
            DisciplinaryCase.objects.create(case_id=f"R{n}", person=person, date=datetime.date(year, 9, 1))
    # world adds 1 White and 2 BME people in post in RAA.
    return {"now": (3, 22, 2, 31), "prev": (1, 22, 4, 31)}


@pytest.mark.parametrize("reading", ["pooled", "mean_of_likelihoods", "mean_of_ratios"])
def test_each_two_year_reading_gives_its_own_figure(world, reading):
    years = _two_years_of_cases(world)
    (a1, n1, c1, m1), (a0, n0, c0, m0) = years["now"], years["prev"]
    expected = {
        "pooled": ((a1 + a0) / (n1 + n0)) / ((c1 + c0) / (m1 + m0)),
        "mean_of_likelihoods": ((a1 / n1 + a0 / n0) / 2) / ((c1 / m1 + c0 / m0) / 2),
        "mean_of_ratios": ((a1 / n1) / (c1 / m1) + (a0 / n0) / (c0 / m0)) / 2,
    }[reading]
    row = next(
        r
        for r in compute(standard="wres", period=P, published=False, reading=reading)
        if r["code"] == "WRES3" and r["scope"] == "org:RAA"
    )
    assert row["value"] == pytest.approx(expected)
    assert row["reading"] == f"{reading}_two_year"
    assert (row["ci_low"] is not None) == (reading == "pooled")


def test_the_reading_follows_the_setting_and_refuses_unknown_ones(world, settings):
    _two_years_of_cases(world)
    settings.CARELEAD_TWO_YEAR_READING = "mean_of_ratios"
    assert rows_for("wres", "WRES3", "org:RAA")[0]["reading"] == "mean_of_ratios_two_year"
    with pytest.raises(ValueError, match="two-year reading"):
        compute(standard="wres", period=P, reading="median")


def test_one_hidden_cell_beside_a_shown_total_hides_another(world):
    raa = world.orgs["RAA"]
    people(raa, 40, "A", pay_band="6", staff_group="Nursing and Midwifery Registered")
    people(raa, 3, "N", pay_band="6", staff_group="Nursing and Midwifery Registered")
    people(raa, 12, "Z", pay_band="6", staff_group="Nursing and Midwifery Registered")
    cells = {
        r["group"]: r
        for r in compute(standard="wres", period=P, published=True)
        if r["code"] == "WRES1" and r["scope"] == "org:RAA" and r["band"] == "6" and r["staff_type"] == "clinical"
    }
    # BME (3) is hidden; White 40 and the total would give it away, so Unknown (the smaller other cell) goes too.
    assert cells["bme"]["suppressed"] and cells["unknown"]["suppressed"]
    assert not cells["white"]["suppressed"] and cells["white"]["count"] == 40
    assert cells["unknown"]["count"] is None and cells["unknown"]["value"] is None


def test_the_disclosure_thresholds_are_settings(world, settings):
    from carelead.core.disclosure import published_value

    settings.CARELEAD_DISCLOSURE = {"SUPPRESS_MAX": 10, "ROUND_TO": 10}
    assert published_value(9) == (None, True)
    assert published_value(14) == (10, False)
    assert published_value(9, national=True) == (9, False)


@given(st.integers(0, 300), st.integers(1, 300), st.integers(1, 300), st.integers(1, 300))
def test_swapping_the_groups_inverts_the_ratio(a, extra1, c, extra2):
    forward = relative_likelihood(a, a + extra1, c, c + extra2)
    if a == 0:
        assert forward["value"] == 0 and relative_likelihood(c, c + extra2, a, a + extra1)["value"] is None
        return
    backward = relative_likelihood(c, c + extra2, a, a + extra1)
    assert forward["value"] * backward["value"] == pytest.approx(1)
    assert forward["ci_low"] * backward["ci_high"] == pytest.approx(1)


COUNT_KEYS = ("count", "total", "respondents")


def _counts_in(row):
    return [
        v
        for k, v in row.items()
        if (k.endswith(("_count", "_group", "_total")) or k in COUNT_KEYS) and isinstance(v, int)
    ]


class PublishedAndPooled(TestCase):
    """Properties over random workforces in three trusts of two ICBs."""

    @settings(max_examples=8, deadline=None)
    @given(
        st.lists(
            st.tuples(
                st.sampled_from(["RAA", "RBB", "RCC"]), st.sampled_from(["A", "N", "Z"]), st.booleans(), st.booleans()
            ),
            min_size=1,
            max_size=60,
        )
    )
    def test_published_rows_hide_small_counts_and_roll_ups_pool(self, applicants):
        from conftest import build_world

        world = build_world()
        for i, (org, ethnic, shortlisted, appointed) in enumerate(applicants):
            RecruitmentDecision.objects.create(
                application_id=f"H{i}",
                vacancy_id="V",
                organisation=world.orgs[org],
                date=datetime.date(2025, 6, 1),
                shortlisted=True,
                appointed=shortlisted and appointed,
                ethnic_category=ethnic,
            )
            person = PersonFactory(organisation=world.orgs[org], start_date=datetime.date(2020, 1, 1))
            EqualityMonitoring.objects.create(person=person, ethnic_category=ethnic)
        for standard in ("wres", "wdes"):
            for row in compute(standard=standard, period=P, published=True):
                if row["scope"] != "national":
                    assert not any(1 <= n <= 7 for n in _counts_in(row)), row
        full = {(r["code"], r["scope"]): r for r in compute(standard="wres", period=P, published=False)}
        orgs = [full[("WRES2", f"org:{c}")] for c in ("RAA", "RBB", "RCC") if ("WRES2", f"org:{c}") in full]
        summed = [sum(r[k] for r in orgs) for k in ("white_count", "white_group", "bme_count", "bme_group")]
        national = full[("WRES2", "national")]
        assert [national[k] for k in ("white_count", "white_group", "bme_count", "bme_group")] == summed
        expected = relative_likelihood(*summed)["value"]
        assert national["value"] == (None if expected is None else pytest.approx(expected))


def test_wres4_adds_every_code_of_a_group_together(world):
    from carelead.learning.models import TrainingRecord

    raa = world.orgs["RAA"]
    white = people(raa, 10, "A") + people(raa, 10, "B") + people(raa, 10, "C")
    bme = people(raa, 10, "H") + people(raa, 10, "N")
    for i, person in enumerate(white[:5] + white[10:15] + white[20:25] + bme[:4] + bme[10:14]):
        TrainingRecord.objects.create(
            record_id=f"C{i}", person=person, course_code="CPD", mandatory=False, date=datetime.date(2025, 7, 1)
        )
    row = rows_for("wres", "WRES4", "org:RAA")[0]
    # world: 1 more White and 2 more BME people in post in RAA, without development records
    assert (row["white_count"], row["white_group"], row["bme_count"], row["bme_group"]) == (15, 31, 8, 22)
    assert row["value"] == pytest.approx((15 / 31) / (8 / 22))

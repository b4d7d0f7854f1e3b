"""SPC rules exactly as contract section 8 states them."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carelead.equality.spc import Point, spc_analyse


def series(values):
    return [Point(f"2025-{i + 1:02d}-01" if i < 12 else f"d{i}", float(v)) for i, v in enumerate(values)]


def classes(result):
    return [p["class"] for p in result["points"]]


def test_limits_are_mean_plus_minus_2_66_mean_moving_range():
    values = [10, 12, 11, 13, 12, 11, 10, 12, 11, 12, 13, 12]
    result = spc_analyse(series(values), improvement="increase")
    mean = sum(values) / 12
    moving = [2, 1, 2, 1, 1, 1, 2, 1, 1, 1, 1]
    assert result["mean"] == pytest.approx(mean)
    assert result["upper"] == pytest.approx(mean + 2.66 * sum(moving) / 11)
    assert result["lower"] == pytest.approx(mean - 2.66 * sum(moving) / 11)
    assert result["provisional"] is False and result["variation"] == "common_cause"


def test_a_point_beyond_a_limit_is_flagged_by_direction():
    values = [10, 11, 10, 11, 10, 11, 10, 11, 30]
    assert classes(spc_analyse(series(values), improvement="increase", baseline=8))[-1] == "improvement"
    assert classes(spc_analyse(series(values), improvement="decrease", baseline=8))[-1] == "concern"
    assert classes(spc_analyse(series(values), improvement="neutral", baseline=8))[-1] == "neutral"
    assert spc_analyse(series(values), improvement="decrease", baseline=8)["variation"] == "concern_high"


def test_a_run_of_seven_on_one_side_and_a_point_on_the_mean_breaks_it():
    base = [14, 10, 14, 10, 14, 10]  # mean 12, ending below it
    run = [13, 12.5, 13, 12.5, 13, 12.5, 13]
    flagged = classes(spc_analyse(series([*base, *run]), improvement="increase", baseline=6))
    assert flagged[6:] == ["improvement"] * 7 and flagged[:6] == ["common"] * 6
    broken = classes(spc_analyse(series([*base, 13, 12.5, 13, 12, 13, 12.5, 13]), improvement="increase", baseline=6))
    assert set(broken[6:]) == {"common"}


def test_seven_strictly_rising_points_form_a_trend():
    base = [10, 20, 10, 20, 10, 20]  # mean 15, wide limits
    rising = [11, 12, 13, 14, 15, 16, 17]
    result = spc_analyse(series([*base, *rising]), improvement="decrease", baseline=6)
    # Flagged points are classed by their side of the mean (below is better when decrease is improvement);
    # 15 sits on the mean and takes the trend's direction.
    assert classes(result)[6:] == ["improvement"] * 4 + ["concern"] * 3
    six = classes(spc_analyse(series([*base, *rising[:6]]), improvement="decrease", baseline=6))
    assert set(six[6:]) == {"common"}


def test_two_of_three_close_to_a_limit_flags_only_the_close_points():
    base = [10, 12] * 6  # mean 11, MR 2, upper 16.32, two-thirds band above 14.547
    result = spc_analyse(series([*base, 15, 12, 15.5]), improvement="increase", baseline=12)
    assert classes(result)[-3:] == ["improvement", "common", "improvement"]
    one_only = spc_analyse(series([*base, 15, 12, 13]), improvement="increase", baseline=12)
    assert set(classes(one_only)[-3:]) == {"common"}


def test_assurance_and_provisional_limits():
    values = [50, 52, 51, 53, 52, 51, 50, 52]
    result = spc_analyse(series(values), improvement="increase", target=40)
    assert result["assurance"] == "pass" and result["provisional"] is True
    assert spc_analyse(series(values), improvement="increase", target=60)["assurance"] == "fail"
    assert spc_analyse(series(values), improvement="increase", target=51)["assurance"] == "hit_and_miss"
    assert spc_analyse(series(values), improvement="decrease", target=60)["assurance"] == "pass"
    assert spc_analyse(series(values), improvement="neutral", target=60)["assurance"] is None


@given(st.lists(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), min_size=2, max_size=40))
def test_every_point_is_classified_and_limits_straddle_the_mean(values):
    result = spc_analyse(series(values), improvement="increase")
    assert len(result["points"]) == len(values)
    assert result["lower"] <= result["mean"] <= result["upper"]
    assert set(classes(result)) <= {"common", "improvement", "concern"}

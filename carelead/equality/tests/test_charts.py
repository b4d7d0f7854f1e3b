"""XmR chart geometry and the SVG macro that draws it: positions, axes, markers and the accessible table."""

import math
import re
import xml.etree.ElementTree as ET
from itertools import pairwise

import pytest
from django.template import engines
from hypothesis import given, settings
from hypothesis import strategies as st

from carelead.equality.charts import (
    BLUE,
    GREY,
    ORANGE,
    PURPLE,
    RED,
    format_value,
    nice_step,
    text_width,
    xmr_chart,
)
from carelead.equality.spc import Point, spc_analyse

SVG = "{http://www.w3.org/2000/svg}"
SPIKE = [10, 11, 10, 11, 10, 11, 10, 11, 30]  # a baseline of eight, then a point far above the upper limit


def monthly(values, start_year=2023):
    return [Point(f"{start_year + i // 12}-{i % 12 + 1:02d}-01", float(v)) for i, v in enumerate(values)]


def chart_for(values, *, improvement="increase", target=None, baseline=None, unit="%", title="Staff survey Q14"):
    analysis = spc_analyse(monthly(values), improvement=improvement, target=target, baseline=baseline)
    return xmr_chart(analysis, title=title, unit=unit, improvement=improvement, target=target)


def render(chart, chart_id="wres2-trend"):
    env = engines["jinja2"].env
    template = env.from_string('{% from "equality/_spc.jinja" import spc_chart %}{{ spc_chart(chart, id=chart_id) }}')
    return template.render(chart=chart, chart_id=chart_id)


def parse(html):
    """The whole macro output as XML: it must be well formed, SVG and table alike."""
    return ET.fromstring(f"<root>{html}</root>")  # noqa: S314 - our own output, not untrusted input


def chart_svg(html):
    return parse(html).find(f"div/{SVG}svg")


def known_analysis(points=None):
    """Hand-made numbers: mean 50, limits 20 and 80, values from 30 to 70."""
    values = points or [30, 70, 50, 40, 60]
    return {
        "mean": 50.0,
        "upper": 80.0,
        "lower": 20.0,
        "provisional": True,
        "points": [{"date": f"2025-{i + 1:02d}-01", "value": v, "class": "common"} for i, v in enumerate(values)],
        "variation": "common_cause",
        "assurance": None,
    }


# The geometry


def test_limit_lines_sit_where_the_scale_puts_them():
    chart = xmr_chart(known_analysis(), title="Known", improvement="increase", width=640, height=280)
    # Values and limits span 20 to 80; padded by 5% and widened to steps of 20 that gives 0 to 100.
    assert (chart.y_min, chart.y_max) == (0, 100)
    assert (chart.plot.top, chart.plot.bottom) == (12, 244)
    assert chart.upper.y == pytest.approx(244 - 0.8 * 232)
    assert chart.mean.y == pytest.approx(244 - 0.5 * 232)
    assert chart.lower.y == pytest.approx(244 - 0.2 * 232)
    assert [t.value for t in chart.y_ticks] == [0, 20, 40, 60, 80, 100]
    assert [t.y for t in chart.y_ticks] == pytest.approx([244, 197.6, 151.2, 104.8, 58.4, 12])
    assert chart.y_for(50) == pytest.approx(chart.mean.y)
    assert chart.upper.dash and chart.lower.dash and not chart.mean.dash


def test_a_higher_value_is_drawn_higher_and_points_are_evenly_spaced():
    chart = xmr_chart(known_analysis([30, 70, 50, 40, 60]), title="Known", improvement="increase")
    ys = {p.value: p.y for p in chart.points}
    assert ys[70] < ys[60] < ys[50] < ys[40] < ys[30]
    gaps = [b.x - a.x for a, b in pairwise(chart.points)]
    assert max(gaps) - min(gaps) < 0.02
    drawn = [tuple(float(n) for n in pair.split(",")) for pair in chart.polyline.split()]
    assert drawn == [(p.x, p.y) for p in chart.points]


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(st.integers(-(10**7), 10**7).map(lambda n: n / 100), min_size=2, max_size=60),
    target=st.none() | st.integers(-(10**7), 10**7).map(lambda n: n / 100),
    improvement=st.sampled_from(["increase", "decrease", "neutral"]),
)
def test_every_point_and_line_lies_inside_the_plot_and_the_ticks_cover_them(values, target, improvement):
    chart = chart_for(values, improvement=improvement, target=target)
    plot = chart.plot
    for point in chart.points:
        assert plot.contains(point.x, point.y)
        # Markers are inset from the sides so none is cut by an axis.
        assert plot.left < point.x - point.marker.size and point.x + point.marker.size < plot.right
    for line in chart.lines:
        assert plot.top <= line.y <= plot.bottom
    ticks = [t.value for t in chart.y_ticks]
    everything = [*values, chart.mean.value, chart.upper.value, chart.lower.value]
    if target is not None:
        everything.append(target)
    assert ticks[0] == chart.y_min <= min(everything) and max(everything) <= chart.y_max == ticks[-1]
    assert 3 <= len(ticks) <= 12
    steps = {round(b - a, 9) for a, b in pairwise(ticks)}
    assert len({round(s / max(steps), 6) for s in steps}) == 1  # evenly spaced
    step = max(steps)
    mantissa = step / 10 ** math.floor(math.log10(step) + 1e-9)
    assert any(mantissa == pytest.approx(m) for m in (1, 2, 2.5, 5))
    assert len({t.label for t in chart.y_ticks}) == len(ticks)  # labels precise enough to tell apart
    labels = chart.x_labels
    assert 1 <= len(labels) <= 8
    assert labels[-1].index == len(values) - 1
    for a, b in pairwise(labels):
        assert b.x - a.x >= (a.width + b.width) / 2


@pytest.mark.parametrize(
    ("raw", "step"), [(0.3, 0.5), (1.3, 2), (2.1, 2.5), (4.9, 5), (7, 10), (10, 10), (0.0123, 0.02), (130, 200)]
)
def test_steps_are_one_two_two_and_a_half_or_five_times_a_power_of_ten(raw, step):
    assert nice_step(raw) == pytest.approx(step)


def test_tick_labels_carry_the_unit_and_only_the_decimals_they_need():
    analysis = known_analysis([1.1, 1.6, 1.3]) | {"mean": 1.3, "upper": 1.9, "lower": 0.7}
    chart = xmr_chart(analysis, title="x", unit="%", improvement="increase")
    assert [t.label for t in chart.y_ticks] == ["0.5%", "1.0%", "1.5%", "2.0%"]
    pts = xmr_chart(known_analysis(), title="x", unit="pts", improvement="increase")
    assert pts.y_ticks[1].label == "20 pts"


def test_values_print_to_at_most_two_decimal_places():
    assert format_value(12.3456, "%") == "12.35%"
    assert format_value(12.5) == "12.5"
    assert format_value(3.0, "pts") == "3 pts"
    assert format_value(1234.5) == "1,234.5"
    assert format_value(-0.001) == "0"
    assert format_value(2.5, "%", decimals=2) == "2.50%"


def test_date_labels_are_thinned_so_they_never_overlap():
    chart = chart_for([50 + (i * 7) % 11 for i in range(60)])
    labels = chart.x_labels
    assert len(labels) <= 8
    assert labels[-1].label == "Dec 2027"  # the latest point is always labelled
    for a, b in pairwise(labels):
        # An independent estimate of each label's width: 0.6 em a character at the chart's font size.
        assert b.x - a.x >= 0.6 * chart.font_size * (len(a.label) + len(b.label)) / 2 + 4
        assert a.width == pytest.approx(text_width(a.label, chart.font_size), abs=0.01)
    every = {b.index - a.index for a, b in pairwise(labels)}
    assert len(every) == 1
    few = chart_for([1, 2, 3, 4, 5])
    assert [label.label for label in few.x_labels] == ["Jan 2023", "Feb 2023", "Mar 2023", "Apr 2023", "May 2023"]
    # Labels stay inside the drawing.
    for label in [*labels, *few.x_labels]:
        assert label.x - label.width / 2 >= 0 and label.x + label.width / 2 <= chart.width


def test_dates_read_as_the_nhs_style_guide_writes_them():
    weekly = [Point("2025-03-07", 1.0), Point("2025-03-14", 2.0), Point("2025-03-21", 1.5)]
    chart = xmr_chart(spc_analyse(weekly, improvement="neutral"), title="Weekly", improvement="neutral")
    assert [p.date_label for p in chart.points] == ["7 March 2025", "14 March 2025", "21 March 2025"]
    assert chart.x_labels[0].label == "7 Mar 2025"
    other = [Point("2024/25 Q1", 1.0), Point("2024/25 Q2", 2.0)]
    chart = xmr_chart(spc_analyse(other, improvement="neutral"), title="Quarterly", improvement="neutral")
    assert [p.date_label for p in chart.points] == ["2024/25 Q1", "2024/25 Q2"]


@pytest.mark.parametrize(
    ("improvement", "colour", "shape", "variation", "words"),
    [
        ("increase", BLUE, "diamond", "improvement_high", "Special cause variation: improvement (high)"),
        ("decrease", ORANGE, "square", "concern_high", "Special cause variation: concern (high)"),
        (
            "neutral",
            PURPLE,
            "triangle",
            "neutral_high",
            "Special cause variation: neither improvement nor concern (high)",
        ),
    ],
)
def test_markers_follow_the_classes_and_do_not_rely_on_colour(improvement, colour, shape, variation, words):
    chart = chart_for(SPIKE, improvement=improvement, baseline=8)
    *common, spike = chart.points
    assert spike.value > chart.upper.value
    assert (spike.marker.colour, spike.marker.shape, spike.special) == (colour, shape, True)
    assert spike.marker.size > common[0].marker.size and spike.marker.stroke_width > 0
    assert spike.marker.polygon  # drawn as a polygon, not a circle
    assert all((p.marker.colour, p.marker.shape, p.special) == (GREY, "circle", False) for p in common)
    assert (chart.variation, chart.variation_text) == (variation, words)
    assert spike.variation_label.startswith("Special cause: ")
    assert [entry.label for entry in chart.legend] == ["Common cause", spike.variation_label]


def test_assurance_is_described_in_words():
    assert chart_for(SPIKE).assurance_text == "No target set"
    assert chart_for(SPIKE, target=5, baseline=8).assurance_text == "Assurance: the target will consistently be met"
    assert chart_for(SPIKE, target=50, baseline=8).assurance_text == (
        "Assurance: the target will consistently be missed"
    )
    hit_and_miss = chart_for(SPIKE, target=10.5, baseline=8)
    assert hit_and_miss.assurance == "hit_and_miss" and "hit and miss" in hit_and_miss.assurance_text
    assert chart_for(SPIKE, target=10, improvement="neutral").assurance_icon is None


def test_the_summary_gives_latest_value_mean_limits_variation_and_assurance():
    chart = chart_for(SPIKE, target=5, baseline=8)
    assert chart.summary == (
        "Latest value 30% (September 2023); mean 10.5%; upper process limit 13.16%; lower process limit 7.84%; "
        "target 5%; higher is better; special cause variation: improvement (high); "
        "assurance: the target will consistently be met; provisional limits (fewer than 12 points)."
    )
    assert "provisional" not in chart_for(list(range(12))).summary


def test_limit_labels_never_sit_on_top_of_each_other_even_when_the_lines_do():
    flat = chart_for([5, 5, 5, 5, 5])
    assert flat.upper.y == flat.mean.y == flat.lower.y
    baselines = sorted(line.label_y for line in (flat.upper, flat.mean, flat.lower))
    assert all(b - a >= flat.font_size for a, b in pairwise(baselines))
    assert all(flat.plot.top < y <= flat.plot.bottom for y in baselines)


def test_a_flat_series_and_a_two_point_series_draw_without_dividing_by_zero():
    for values in ([5, 5, 5, 5], [0, 0], [3, 4], [-2.5, -2.5, -2.5]):
        chart = chart_for(values)
        assert chart.y_min < chart.y_max
        assert all(chart.plot.contains(p.x, p.y) for p in chart.points)
        html = render(chart)
        assert len(chart_svg(html).findall(f".//{SVG}g/{SVG}circle")) == len(values)


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="improvement"):
        xmr_chart(known_analysis(), title="x", improvement="up")
    with pytest.raises(ValueError, match="too small"):
        xmr_chart(known_analysis(), title="x", improvement="increase", width=60, height=40)


# The macro


def test_the_svg_is_well_formed_labelled_and_free_of_styles_and_scripts():
    chart = chart_for(SPIKE, target=12, baseline=8, title="WRES 2 <shortlisting> & appointment")
    html = render(chart)
    root = parse(html)
    svg = chart_svg(html)
    assert svg.get("role") == "img"
    assert svg.get("viewBox") == f"0 0 {chart.width} {chart.height}"
    assert svg.get("width") == "100%" and svg.get("height") is None
    assert svg.get("preserveAspectRatio") == "xMidYMid meet"
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert title.text == "WRES 2 <shortlisting> & appointment"
    assert desc.text == chart.summary
    assert svg.get("aria-labelledby").split() == [title.get("id"), desc.get("id")]
    assert title.get("id") == "wres2-trend-title" and desc.get("id") == "wres2-trend-desc"
    for element in root.iter():
        assert "style" not in element.attrib
        assert element.tag.split("}")[-1] not in ("style", "script")
        assert not any(name.startswith("on") for name in element.attrib)
    assert "style=" not in html and "<style" not in html and "<script" not in html


def test_the_chart_draws_lines_points_and_labels():
    chart = chart_for(SPIKE, baseline=8)
    svg = chart_svg(render(chart))
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert {"Mean", "Upper process limit (provisional)", "Lower process limit (provisional)"} <= set(texts)
    assert {t.label for t in chart.y_ticks} <= set(texts)
    assert {label.label for label in chart.x_labels} <= set(texts)
    polygons = svg.findall(f".//{SVG}polygon")
    assert len(polygons) == 1 and polygons[0].get("fill") == BLUE
    assert polygons[0].find(f"{SVG}title").text == "September 2023: 30% (Special cause: improvement)"
    dashed = {line.get("y1") for line in svg.iter(f"{SVG}line") if line.get("stroke-dasharray")}
    assert dashed == {str(chart.upper.y), str(chart.lower.y)}
    assert svg.find(f"{SVG}polyline").get("points") == chart.polyline


def test_variation_and_assurance_are_real_text_beside_their_icons():
    chart = chart_for(SPIKE, target=12, baseline=8)
    root = parse(render(chart))
    items = ["".join(li.itertext()).strip() for li in root.iter("li")]
    assert any(item.endswith(chart.variation_text) for item in items)
    assert any(item.endswith(chart.assurance_text) for item in items)
    icons = [svg for li in root.iter("li") for svg in li.iter(f"{SVG}svg")]
    assert icons and all(icon.get("aria-hidden") == "true" for icon in icons)


def test_the_table_has_a_row_per_point_with_the_class_in_words():
    chart = chart_for(SPIKE, improvement="decrease", baseline=8)
    root = parse(render(chart))
    table = root.find("div/details/div/table")  # the data sit in a details element below the chart
    assert table.get("class") == "nhsuk-table"
    assert table.find("caption").text == "Data for the chart: Staff survey Q14"
    assert [th.text for th in table.iter("th")] == ["Date", "Value", "Variation"]
    rows = [[td.text for td in tr.iter("td")] for tr in table.find("tbody").iter("tr")]
    assert len(rows) == len(SPIKE)
    assert rows[0] == ["January 2023", "10%", "Common cause"]
    assert rows[-1] == ["September 2023", "30%", "Special cause: concern"]
    note = "".join(root.find("div/p").itertext())
    assert "Mean 10.5%; upper process limit 13.16%; lower process limit 7.84%." in note
    assert "Lower is better." in note


def test_provisional_limits_are_marked_only_below_twelve_points():
    eleven = render(chart_for(range(11)))
    marked = {t.text for t in chart_svg(eleven).iter(f"{SVG}text") if "(provisional)" in t.text}
    assert marked == {"Upper process limit (provisional)", "Lower process limit (provisional)"}
    assert "provisional limits (fewer than 12 points)" in chart_svg(eleven).find(f"{SVG}desc").text
    assert "These limits are provisional: they are worked out from fewer than 12 points." in eleven
    twelve = render(chart_for(range(12)))
    assert "provisional" not in twelve


def test_a_target_line_appears_only_when_a_target_is_given():
    without = chart_for(SPIKE, baseline=8)
    svg = chart_svg(render(without))
    assert without.target is None
    assert "Target" not in [t.text for t in svg.iter(f"{SVG}text")]
    assert not [line for line in svg.iter(f"{SVG}line") if line.get("stroke") == RED]
    with_target = chart_for(SPIKE, target=12, baseline=8)
    svg = chart_svg(render(with_target))
    assert "Target" in [t.text for t in svg.iter(f"{SVG}text")]
    red = [line for line in svg.iter(f"{SVG}line") if line.get("stroke") == RED]
    assert len(red) == 1 and red[0].get("stroke-dasharray") and red[0].get("y1") == str(with_target.target.y)
    assert with_target.target.y == pytest.approx(with_target.y_for(12), abs=0.01)


def test_two_charts_on_one_page_have_their_own_ids():
    html = render(chart_for(SPIKE), "a") + render(chart_for(SPIKE), "b")
    ids = re.findall(r'id="([^"]+)"', html)
    assert len(ids) == len(set(ids))

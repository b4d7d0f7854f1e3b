"""Geometry for Making Data Count XmR charts: everything `equality/_spc.jinja` needs to draw one as SVG.

`xmr_chart` turns the result of `spc_analyse` into positions, labels and colours; the macro only places them.
Coordinates are in the SVG's own units (its viewBox), rounded to two decimal places.
"""

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

GREY = "#768692"
BLUE = "#005EB8"
ORANGE = "#ED8B00"
PURPLE = "#330072"
RED = "#DA291C"
TEXT = "#212B32"
SECONDARY = "#4C6272"
GRID = "#D8DDE0"

CLASS_COLOURS = {"common": GREY, "improvement": BLUE, "concern": ORANGE, "neutral": PURPLE}
# A different shape for each kind of special cause, so the chart never relies on colour alone.
CLASS_SHAPES = {"common": "circle", "improvement": "diamond", "concern": "square", "neutral": "triangle"}
CLASS_LABELS = {
    "common": "Common cause",
    "improvement": "Special cause: improvement",
    "concern": "Special cause: concern",
    "neutral": "Special cause: neither improvement nor concern",
}
VARIATION_TEXT = {
    "common_cause": "Common cause variation",
    "improvement_high": "Special cause variation: improvement (high)",
    "improvement_low": "Special cause variation: improvement (low)",
    "concern_high": "Special cause variation: concern (high)",
    "concern_low": "Special cause variation: concern (low)",
    "neutral_high": "Special cause variation: neither improvement nor concern (high)",
    "neutral_low": "Special cause variation: neither improvement nor concern (low)",
}
ASSURANCE_TEXT = {
    "pass": "Assurance: the target will consistently be met",
    "fail": "Assurance: the target will consistently be missed",
    "hit_and_miss": "Assurance: hit and miss – the target will sometimes be met and sometimes missed",
}
NO_TARGET_TEXT = "No target set"
NO_DIRECTION_TEXT = "Assurance not assessed: neither higher nor lower is better"
DIRECTION_TEXT = {
    "increase": "Higher is better",
    "decrease": "Lower is better",
    "neutral": "Neither higher nor lower is better",
}

FONT_SIZE = 12
CHAR_WIDTH = 0.62  # of the font size: a generous average width for Arial digits, letters and spaces
MAX_DATE_LABELS = 8
LABEL_GAP = 8  # the least space between two date labels
X_INSET = 10  # keeps the first and last markers clear of the axes
MARGIN_TOP = 12
MARGIN_BOTTOM = 36
TICK_TARGET = 5  # roughly how many intervals the value axis aims for
NICE_STEPS = (1.0, 2.0, 2.5, 5.0, 10.0)

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True)
class PlotArea:
    """The rectangle the data is drawn in, inside the margins for the axes' labels."""

    left: float
    top: float
    right: float
    bottom: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.bottom - self.top

    def contains(self, x: float, y: float) -> bool:
        return self.left <= x <= self.right and self.top <= y <= self.bottom


@dataclass(frozen=True)
class AxisTick:
    """A value-axis tick: the value, its y and its label."""

    value: float
    y: float
    label: str


@dataclass(frozen=True)
class DateLabel:
    """A date-axis label under the point at `index`; `width` is its estimated drawn width."""

    index: int
    x: float
    label: str
    width: float


@dataclass(frozen=True)
class Marker:
    """How one point (or a legend entry) is drawn: a circle of radius `size`, or a polygon through `polygon`."""

    shape: str
    x: float
    y: float
    size: float
    polygon: str
    colour: str
    stroke: str
    stroke_width: float


@dataclass(frozen=True)
class ChartPoint:
    date: str
    date_label: str
    value: float
    value_label: str
    variation: str  # the point's class: common, improvement, concern or neutral
    variation_label: str
    special: bool
    x: float
    y: float
    marker: Marker


@dataclass(frozen=True)
class ReferenceLine:
    """The mean, a process limit or the target, drawn across the plot with a small label."""

    kind: str  # mean, upper, lower or target
    value: float
    value_label: str
    y: float
    label: str
    label_x: float
    label_y: float
    anchor: str  # the label's text-anchor
    colour: str
    stroke_width: float
    dash: str  # stroke-dasharray; empty for a solid line


@dataclass(frozen=True)
class StatusIcon:
    """A Making Data Count style icon: a letter in a coloured circle (the words are always given beside it)."""

    letter: str
    colour: str


ASSURANCE_ICONS = {
    "pass": StatusIcon("P", BLUE),
    "fail": StatusIcon("F", ORANGE),
    "hit_and_miss": StatusIcon("?", GREY),
}


@dataclass(frozen=True)
class LegendEntry:
    label: str
    marker: Marker


@dataclass(frozen=True)
class XmrChart:
    title: str
    unit: str
    improvement: str
    direction_text: str
    width: int
    height: int
    font_size: int
    plot: PlotArea
    y_min: float
    y_max: float
    y_ticks: tuple[AxisTick, ...]
    x_labels: tuple[DateLabel, ...]
    points: tuple[ChartPoint, ...]
    polyline: str
    mean: ReferenceLine
    upper: ReferenceLine
    lower: ReferenceLine
    target: ReferenceLine | None
    provisional: bool
    variation: str
    variation_text: str
    variation_icon: StatusIcon
    assurance: str | None
    assurance_text: str
    assurance_icon: StatusIcon | None
    legend: tuple[LegendEntry, ...]
    summary: str

    @property
    def lines(self) -> tuple[ReferenceLine, ...]:
        """The reference lines in drawing order."""
        return (self.upper, self.lower, self.mean, *([self.target] if self.target else []))

    def y_for(self, value: float) -> float:
        """Where a value sits on this chart's value axis."""
        return _scale(value, self.y_min, self.y_max, self.plot)


def format_value(value: float, unit: str = "", decimals: int | None = None) -> str:
    """A number with its unit: fixed `decimals`, or up to two decimal places with trailing zeros dropped."""
    if round(value, 2 if decimals is None else decimals) == 0:
        value = 0.0  # never print "-0"
    text = f"{value:,.2f}".rstrip("0").rstrip(".") if decimals is None else f"{value:,.{decimals}f}"
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


def text_width(text: str, font_size: float = FONT_SIZE) -> float:
    """An estimate of how wide a label is drawn, erring wide."""
    return len(text) * font_size * CHAR_WIDTH


def nice_step(raw: float) -> float:
    """The smallest step of 1, 2, 2.5 or 5 × 10^k that is at least `raw`."""
    if raw <= 0 or not math.isfinite(raw):
        raise ValueError("a step must be a positive number")
    magnitude = 10.0 ** math.floor(math.log10(raw))
    for multiple in NICE_STEPS:
        if multiple * magnitude >= raw * (1 - 1e-9):
            return multiple * magnitude
    return 10 * magnitude  # pragma: no cover - NICE_STEPS ends at 10


def step_decimals(step: float) -> int:
    """How many decimal places label every multiple of `step` exactly (0.25 needs two, 2.5 one, 50 none)."""
    decimals = 0
    while decimals < 10 and abs(step * 10**decimals - round(step * 10**decimals)) > 1e-6:
        decimals += 1
    return decimals


def coordinate(value: float) -> str:
    """A coordinate for an SVG attribute: two decimal places at most."""
    return format_value(value).replace(",", "")


def _scale(value: float, low: float, high: float, plot: PlotArea) -> float:
    return plot.bottom - (value - low) / (high - low) * plot.height


def _value_range(values: list[float]) -> tuple[float, float, float]:
    """The axis minimum, maximum and tick step: every value inside, with a little padding, on nice steps."""
    low, high = min(values), max(values)
    if high - low < 1e-9 * max(1.0, abs(high)):  # a flat series: give it some room around its only value
        half = abs(high) * 0.1 or 1.0
        low, high = low - half, high + half
    padding = (high - low) * 0.05
    floor_at_zero = min(values) >= 0
    low, high = low - padding, high + padding
    if floor_at_zero:
        low = max(low, 0.0)
    step = nice_step((high - low) / TICK_TARGET)
    return math.floor(low / step + 1e-9) * step, math.ceil(high / step - 1e-9) * step, step


def _parse_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    text = str(value)
    try:
        if len(text) == 7:  # 2025-04
            return date.fromisoformat(f"{text}-01")
        if len(text) == 10:  # 2025-04-01
            return date.fromisoformat(text)
    except ValueError:
        return None
    return None


def _date_labels(raw: list[Any]) -> tuple[list[str], list[str]]:
    """Labels for the table (April 2025, or 3 April 2025) and the shorter ones for the axis (Apr 2025)."""
    parsed = [_parse_date(d) for d in raw]
    if not all(parsed):
        return [str(d) for d in raw], [str(d) for d in raw]
    days = [d for d in parsed if d is not None]
    monthly = all(d.day == 1 for d in days)  # monthly figures are dated the first of their month

    def label(day: date, month: str) -> str:
        return f"{month} {day.year}" if monthly else f"{day.day} {month} {day.year}"

    return (
        [label(d, _MONTHS[d.month - 1]) for d in days],
        [label(d, _MONTHS[d.month - 1][:3]) for d in days],
    )


def _thin(xs: list[float], labels: list[str], font_size: int) -> tuple[DateLabel, ...]:
    """Every k-th date, counting back from the latest, with k large enough that no two labels touch."""
    n = len(xs)
    widths = [text_width(label, font_size) for label in labels]
    if n == 1:
        return (DateLabel(0, xs[0], labels[0], round(widths[0], 2)),)
    spacing = (xs[-1] - xs[0]) / (n - 1)
    needed = max(widths) + LABEL_GAP
    every = max(1, math.ceil(needed / spacing - 1e-9) if spacing > 0 else n, (n - 1) // MAX_DATE_LABELS + 1)
    chosen = sorted(range(n - 1, -1, -every))
    return tuple(DateLabel(i, xs[i], labels[i], round(widths[i], 2)) for i in chosen)


def _marker(cls: str, x: float, y: float) -> Marker:
    shape, colour = CLASS_SHAPES[cls], CLASS_COLOURS[cls]
    if shape == "circle":
        return Marker(shape, x, y, 4.0, "", colour, "none", 0.0)
    if shape == "diamond":
        size = 7.0
        corners = [(x, y - size), (x + size, y), (x, y + size), (x - size, y)]
    elif shape == "square":
        size = 5.5
        corners = [(x - size, y - size), (x + size, y - size), (x + size, y + size), (x - size, y + size)]
    else:
        size = 7.0
        half_base = size * math.sqrt(3) / 2
        corners = [(x, y - size), (x + half_base, y + size / 2), (x - half_base, y + size / 2)]
    polygon = " ".join(f"{coordinate(cx)},{coordinate(cy)}" for cx, cy in corners)
    return Marker(shape, x, y, size, polygon, colour, TEXT, 1.5)


def _spread_labels(wanted: list[float], top: float, bottom: float, gap: float) -> list[float]:
    """Move label baselines (sorted top to bottom) apart so each is at least `gap` below the one above."""
    placed: list[float] = []
    for y in wanted:
        placed.append(max(y, top, placed[-1] + gap if placed else top))
    if placed and placed[-1] > bottom:
        placed[-1] = bottom
        for i in range(len(placed) - 2, -1, -1):
            placed[i] = min(placed[i], placed[i + 1] - gap)
    return placed


def _variation_icon(variation: str) -> StatusIcon:
    """H or L in the colour of the latest point's class, as the Making Data Count icons show it."""
    if variation == "common_cause":
        return StatusIcon("~", GREY)
    cls, side = variation.rsplit("_", 1)
    return StatusIcon("H" if side == "high" else "L", CLASS_COLOURS[cls])


def _assurance_text(assurance: str | None, target: float | None) -> str:
    if assurance:
        return ASSURANCE_TEXT[assurance]
    return NO_TARGET_TEXT if target is None else NO_DIRECTION_TEXT


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def xmr_chart(
    analysis: dict[str, Any],
    *,
    title: str,
    unit: str = "",
    improvement: str,
    target: float | None = None,
    width: int = 640,
    height: int = 280,
) -> XmrChart:
    """Lay out an XmR chart for the result of `spc_analyse` (called with the same improvement and target)."""
    if improvement not in DIRECTION_TEXT:
        raise ValueError("improvement must be increase, decrease or neutral")
    rows = analysis["points"]
    if not rows:
        raise ValueError("a chart needs at least one point")
    font_size = FONT_SIZE
    mean, upper, lower = float(analysis["mean"]), float(analysis["upper"]), float(analysis["lower"])
    provisional = bool(analysis["provisional"])
    values = [float(row["value"]) for row in rows]

    # The value axis first: its labels decide the left margin.
    y_min, y_max, step = _value_range([*values, mean, upper, lower, *([target] if target is not None else [])])
    decimals = step_decimals(step)
    y_min, y_max = round(y_min, decimals + 2), round(y_max, decimals + 2)
    tick_values = [y_min + i * step for i in range(round((y_max - y_min) / step) + 1)]
    tick_labels = [format_value(v, unit, decimals) for v in tick_values]
    full_dates, short_dates = _date_labels([row["date"] for row in rows])
    half_date = max(text_width(label, font_size) for label in short_dates) / 2
    left = max(40.0, max(text_width(label, font_size) for label in tick_labels) + 12, half_date - X_INSET + 4)
    right = width - max(12.0, half_date - X_INSET + 4)
    plot = PlotArea(round(left, 2), MARGIN_TOP, round(right, 2), height - MARGIN_BOTTOM)
    if plot.width < 4 * X_INSET or plot.height < 40:
        raise ValueError("the chart is too small to draw")

    def y_of(value: float) -> float:
        return round(_scale(value, y_min, y_max, plot), 2)

    y_ticks = tuple(
        AxisTick(round(v, decimals + 2), y_of(v), label) for v, label in zip(tick_values, tick_labels, strict=True)
    )

    inner = plot.width - 2 * X_INSET
    if len(rows) == 1:
        xs = [round(plot.left + plot.width / 2, 2)]
    else:
        xs = [round(plot.left + X_INSET + i * inner / (len(rows) - 1), 2) for i in range(len(rows))]
    points: list[ChartPoint] = []
    for row, value, full, x in zip(rows, values, full_dates, xs, strict=True):
        y, cls = y_of(value), row["class"]
        points.append(
            ChartPoint(
                date=str(row["date"]),
                date_label=full,
                value=value,
                value_label=format_value(value, unit),
                variation=cls,
                variation_label=CLASS_LABELS[cls],
                special=cls != "common",
                x=x,
                y=y,
                marker=_marker(cls, x, y),
            )
        )

    # Limit and mean labels sit at the right end, just above their lines, never on top of each other.
    suffix = " (provisional)" if provisional else ""
    right_lines = sorted(
        [
            ("upper", upper, f"Upper process limit{suffix}", SECONDARY, "6 4"),
            ("mean", mean, "Mean", TEXT, ""),
            ("lower", lower, f"Lower process limit{suffix}", SECONDARY, "6 4"),
        ],
        key=lambda line: y_of(line[1]),
    )
    baselines = _spread_labels(
        [y_of(value) - 4 for _, value, *_ in right_lines], plot.top + font_size, plot.bottom - 4, font_size + 2
    )
    drawn = {
        kind: ReferenceLine(
            kind=kind,
            value=value,
            value_label=format_value(value, unit),
            y=y_of(value),
            label=label,
            label_x=plot.right - 4,
            label_y=round(baseline, 2),
            anchor="end",
            colour=colour,
            stroke_width=1.5,
            dash=dash,
        )
        for (kind, value, label, colour, dash), baseline in zip(right_lines, baselines, strict=True)
    }
    target_line = None
    if target is not None:
        ty = y_of(target)
        label_y = ty - 4 if ty - 4 >= plot.top + font_size else ty + font_size + 2
        target_line = ReferenceLine(
            kind="target",
            value=target,
            value_label=format_value(target, unit),
            y=ty,
            label="Target",
            label_x=plot.left + 4,
            label_y=round(label_y, 2),
            anchor="start",
            colour=RED,
            stroke_width=2.0,
            dash="8 4",
        )

    variation = analysis["variation"]
    assurance = analysis.get("assurance")
    assurance_text = _assurance_text(assurance, target)

    present = {point.variation for point in points}
    legend = tuple(LegendEntry(CLASS_LABELS[cls], _marker(cls, 8, 8)) for cls in CLASS_LABELS if cls in present)
    latest = points[-1]
    parts = [
        f"Latest value {latest.value_label} ({latest.date_label})",
        f"mean {format_value(mean, unit)}",
        f"upper process limit {format_value(upper, unit)}",
        f"lower process limit {format_value(lower, unit)}",
        *([f"target {format_value(target, unit)}"] if target is not None else []),
        _lower_first(DIRECTION_TEXT[improvement]),
        _lower_first(VARIATION_TEXT[variation]),
        _lower_first(assurance_text),
        *(["provisional limits (fewer than 12 points)"] if provisional else []),
    ]
    return XmrChart(
        title=title,
        unit=unit,
        improvement=improvement,
        direction_text=DIRECTION_TEXT[improvement],
        width=width,
        height=height,
        font_size=font_size,
        plot=plot,
        y_min=y_min,
        y_max=y_max,
        y_ticks=y_ticks,
        x_labels=_thin(xs, short_dates, font_size),
        points=tuple(points),
        polyline=" ".join(f"{coordinate(p.x)},{coordinate(p.y)}" for p in points),
        mean=drawn["mean"],
        upper=drawn["upper"],
        lower=drawn["lower"],
        target=target_line,
        provisional=provisional,
        variation=variation,
        variation_text=VARIATION_TEXT[variation],
        variation_icon=_variation_icon(variation),
        assurance=assurance,
        assurance_text=assurance_text,
        assurance_icon=ASSURANCE_ICONS.get(assurance or ""),
        legend=legend,
        summary="; ".join(parts) + ".",
    )

"""Making Data Count XmR charts (domain.md section 11, contract section 8): limits, special-cause rules, icons.

The one engine behind `carelead spc` and every SPC chart in the app.
"""

from dataclasses import dataclass
from itertools import pairwise
from typing import Any

RUN = 7
SIGMA = 2.66


@dataclass(frozen=True)
class Point:
    date: str
    value: float


def _sign(x: float) -> int:
    return (x > 0) - (x < 0)


def spc_analyse(
    points: list[Point], *, improvement: str, target: float | None = None, baseline: int | None = None
) -> dict[str, Any]:
    """Classify a series: mean and limits from the baseline points, the four rules applied to every point."""
    if improvement not in ("increase", "decrease", "neutral"):
        raise ValueError("improvement must be increase, decrease or neutral")
    if len(points) < 2:
        raise ValueError("an XmR chart needs at least two points")
    base = points[: baseline or len(points)]
    if len(base) < 2:
        raise ValueError("the baseline needs at least two points")
    values = [p.value for p in points]
    mean = sum(p.value for p in base) / len(base)
    moving = [abs(b.value - a.value) for a, b in pairwise(base)]
    mr_bar = sum(moving) / len(moving)
    upper, lower = mean + SIGMA * mr_bar, mean - SIGMA * mr_bar
    # Which rule flagged each point, and for trends which way they went (to place points lying on the mean).
    flagged: dict[int, int] = {}

    def flag(index: int, lean: int) -> None:
        flagged.setdefault(index, lean)

    for i, v in enumerate(values):
        if v > upper or v < lower:
            flag(i, _sign(v - mean))
    i = 0
    while i < len(values):  # runs of 7 or more on one side; a point on the mean breaks a run
        side = _sign(values[i] - mean)
        j = i
        while j < len(values) and side != 0 and _sign(values[j] - mean) == side:
            j += 1
        if side != 0 and j - i >= RUN:
            for k in range(i, j):
                flag(k, side)
        i = max(j, i + 1)
    for direction in (1, -1):  # trends: 7 or more points each strictly rising (or falling) from the last
        start = 0
        for k in range(1, len(values) + 1):
            continuing = k < len(values) and _sign(values[k] - values[k - 1]) == direction
            if not continuing:
                if k - start >= RUN:
                    for m in range(start, k):
                        flag(m, direction)
                start = k
    high_band, low_band = mean + (upper - mean) * 2 / 3, mean - (mean - lower) * 2 / 3
    for i in range(len(values) - 2):  # two of three beyond two-thirds of the way to a limit, same side
        window = range(i, i + 3)
        for side in (1, -1):
            if not all(_sign(values[k] - mean) == side for k in window):
                continue
            close = [
                k
                for k in window
                if (side == 1 and high_band < values[k] <= upper) or (side == -1 and lower <= values[k] < low_band)
            ]
            if len(close) >= 2:
                for k in close:
                    flag(k, side)

    def classify(i: int) -> tuple[str, int]:
        side = _sign(values[i] - mean) or flagged.get(i, 0)
        if i not in flagged:
            return "common", side
        if improvement == "neutral":
            return "neutral", side
        good = side == (1 if improvement == "increase" else -1)
        return ("improvement" if good else "concern"), side

    classes = [classify(i) for i in range(len(values))]
    last_class, last_side = classes[-1]
    variation = "common_cause" if last_class == "common" else f"{last_class}_{'high' if last_side >= 0 else 'low'}"
    assurance = None
    if target is not None and improvement != "neutral":
        if improvement == "increase":
            assurance = "pass" if target < lower else "fail" if target > upper else "hit_and_miss"
        else:
            assurance = "pass" if target > upper else "fail" if target < lower else "hit_and_miss"
    return {
        "mean": mean,
        "upper": upper,
        "lower": lower,
        "provisional": len(base) < 12,
        "points": [{"date": p.date, "value": p.value, "class": c} for p, (c, _) in zip(points, classes, strict=True)],
        "variation": variation,
        "assurance": assurance,
    }

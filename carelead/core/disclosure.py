"""Disclosure control for figures shown to people without record-level rights (domain.md section 9)."""

from dataclasses import dataclass

SUPPRESS_MAX = 7
ROUND_TO = 5


@dataclass(frozen=True)
class Figure:
    """A count as shown: the text, and whether it was suppressed or rounded."""

    text: str
    suppressed: bool = False
    rounded: bool = False


def published_value(value: int | None, *, national: bool = False) -> tuple[int | None, bool]:
    """The one disclosure rule: (the count as published or None, whether it was suppressed)."""
    if value is None or national or value == 0:
        return value, False
    if value <= SUPPRESS_MAX:
        return None, True
    return int(ROUND_TO * round(value / ROUND_TO)), False


def count_published(value: int, *, national: bool = False) -> Figure:
    """Counts 1–7 show as *, others round to the nearest 5; national figures are shown as they are."""
    shown, suppressed = published_value(value, national=national)
    if suppressed:
        return Figure("*", suppressed=True)
    return Figure(f"{shown:,}", rounded=shown != value)


def count_exact(value: int) -> Figure:
    return Figure(f"{value:,}")

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


def count_published(value: int, *, national: bool = False) -> Figure:
    """Counts 1–7 show as *, others round to the nearest 5; national figures are shown as they are."""
    if national or value == 0:
        return Figure(f"{value:,}")
    if value <= SUPPRESS_MAX:
        return Figure("*", suppressed=True)
    rounded = int(ROUND_TO * round(value / ROUND_TO))
    return Figure(f"{rounded:,}", rounded=rounded != value)


def count_exact(value: int) -> Figure:
    return Figure(f"{value:,}")

"""Disclosure control for figures shown to people without record-level rights (domain.md section 9).

One policy object holds the rule; its thresholds are settings (``CARELEAD_DISCLOSURE``) so an organisation that
adopts a stricter rule changes one place. Below national level, counts from 1 to the suppression threshold show
as ``*``, other counts round to the nearest multiple of the rounding base, and a table whose total is shown never
has exactly one hidden cell (secondary suppression), since that cell could be worked out from the total.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class DisclosurePolicy:
    suppress_max: int = 7
    round_to: int = 5

    @classmethod
    def current(cls) -> "DisclosurePolicy":
        configured = getattr(settings, "CARELEAD_DISCLOSURE", {})
        return cls(
            suppress_max=int(configured.get("SUPPRESS_MAX", 7)),
            round_to=int(configured.get("ROUND_TO", 5)),
        )

    def value(self, value: int | None, *, national: bool = False) -> tuple[int | None, bool]:
        """(the count as published or None, whether it was suppressed)."""
        if value is None or national or value == 0:
            return value, False
        if value <= self.suppress_max:
            return None, True
        return int(self.round_to * round(value / self.round_to)), False

    def suppressed(self, value: int | None, *, national: bool = False) -> bool:
        return self.value(value, national=national)[1]

    def secondary(self, cells: Mapping[str, int], hidden: set[str]) -> set[str]:
        """The cells to hide as well so that no single hidden cell can be worked out from a shown total.

        When exactly one cell of a table is hidden, the smallest other cell is hidden with it (the one whose
        loss tells readers least); with none or several hidden, nothing more is needed.
        """
        if len(hidden) != 1:
            return set()
        others = sorted((n, key) for key, n in cells.items() if key not in hidden)
        return {others[0][1]} if others else set()


@dataclass(frozen=True)
class Figure:
    """A count as shown: the text, and whether it was suppressed or rounded."""

    text: str
    suppressed: bool = False
    rounded: bool = False
    # the number shown (after rounding), None when suppressed
    shown: int | None = None


def policy() -> DisclosurePolicy:
    return DisclosurePolicy.current()


def published_value(value: int | None, *, national: bool = False) -> tuple[int | None, bool]:
    """The one disclosure rule: (the count as published or None, whether it was suppressed)."""
    return policy().value(value, national=national)


def count_published(value: int, *, national: bool = False) -> Figure:
    """Counts 1–7 show as *, others round to the nearest 5; national figures are shown as they are."""
    shown, suppressed = published_value(value, national=national)
    if suppressed:
        return Figure("*", suppressed=True)
    return Figure(f"{shown:,}", rounded=shown != value, shown=shown)


def count_exact(value: int) -> Figure:
    return Figure(f"{value:,}", shown=value)


def published_column(cells: Mapping[str, int], order: list[str]) -> tuple[dict[str, Figure], Figure]:
    """A column of counts by group as published, with its total: small counts hidden, others rounded, and one
    more cell hidden where a lone hidden one could be worked out from the total (secondary suppression)."""
    rule = policy()
    values = {group: cells.get(group, 0) for group in order}
    hidden = {group for group, n in values.items() if rule.suppressed(n)}
    hidden |= rule.secondary(values, hidden)
    shown = {g: Figure("*", suppressed=True) if g in hidden else count_published(values[g]) for g in order}
    return shown, count_published(sum(values.values()))


def published_share(figure: Figure, total: Figure) -> str:
    """A percentage worked out from published figures, so it tells no more than they do ("" when it cannot)."""
    if figure.shown is None or not total.shown:
        return ""
    return f"{round(100 * figure.shown / total.shown)}%"

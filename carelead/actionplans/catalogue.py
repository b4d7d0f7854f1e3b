"""The equality measures an action can address, read from the equality app's one catalogue."""

from carelead.equality import measures as equality_measures
from carelead.equality.measures import Measure

STANDARD_NAMES = {
    "wres": "Workforce Race Equality Standard (WRES)",
    "wdes": "Workforce Disability Equality Standard (WDES)",
    "fairness": "Fairness monitors",
}


def measure_catalogue() -> list[Measure]:
    """Every WRES and WDES measure, then the fairness monitors registered so far."""
    try:
        return equality_measures.all_measures()
    except ModuleNotFoundError as exc:
        # Installations without the fairness monitors still have the standards themselves.
        if exc.name != "carelead.equality.monitors":
            raise
        return list(equality_measures.MEASURES.values())


def measure_lookup(code: str) -> Measure | None:
    """One measure by its code, or None when the catalogue does not know it."""
    return next((m for m in measure_catalogue() if m.code == code), None)


def measure_order() -> dict[str, int]:
    """Each code's position in the catalogue, so plans list measures in the standards' own order."""
    return {m.code: i for i, m in enumerate(measure_catalogue())}


def standard_name(standard: str) -> str:
    return STANDARD_NAMES.get(standard, standard.upper())


def measure_groups() -> list[tuple[str, list[Measure]]]:
    """The catalogue grouped by standard, each group under its full name, in catalogue order."""
    groups: dict[str, list[Measure]] = {}
    for measure in measure_catalogue():
        groups.setdefault(measure.standard, []).append(measure)
    return [(standard_name(standard), measures) for standard, measures in groups.items()]

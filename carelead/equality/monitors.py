"""Fairness monitors: the equality engine applied to every talent decision CareLead records.

A decision type registers once (``register``) with the population it is taken over and the favourable outcome;
it then gets a monitor comparing, for ethnicity, disability, sex and age band, how likely each group is to get
the favourable outcome. Each comparison is a relative likelihood with a 95% confidence interval, computed as the
standards are: counts per organisation from one GROUP BY per characteristic, pooled up the tree, disclosure
control below national level. RL = likelihood(reference group) ÷ likelihood(compared group), so a value above 1
means the compared group is less likely to get the favourable outcome.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Case, Count, Exists, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import TruncDate

from carelead.core.choices import LEVEL_ORDER
from carelead.equality.engine import (
    Period,
    Tree,
    disability_group_case,
    ethnic_group_case,
    in_post_q,
    pool,
    rl_row,
)
from carelead.equality.measures import Measure

AGE_BANDS = [("under_25", 0, 25), ("25_34", 25, 35), ("35_44", 35, 45), ("45_54", 45, 55), ("55_plus", 55, 200)]
GROUP_LABELS = {
    "white": "White",
    "bme": "BME",
    "disabled": "Disabled",
    "non_disabled": "Non-disabled",
    "female": "Women",
    "male": "Men",
    "under_25": "Under 25",
    "25_34": "25 to 34",
    "35_44": "35 to 44",
    "45_54": "45 to 54",
    "55_plus": "55 and over",
    "others": "Everyone else of known age",
}


@dataclass(frozen=True)
class Characteristic:
    code: str
    title: str
    # (reference, compared) pairs; "others" as reference means every other known group pooled.
    comparisons: tuple[tuple[str, str], ...]


CHARACTERISTICS = [
    Characteristic("ethnicity", "Ethnicity", (("white", "bme"),)),
    Characteristic("disability", "Disability", (("non_disabled", "disabled"),)),
    Characteristic("sex", "Sex", (("male", "female"),)),
    Characteristic("age", "Age band", tuple(("others", band) for band, _, _ in AGE_BANDS)),
]


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def group_expression(characteristic: str, prefix: str, day: date) -> Case:
    """The group each record falls in, worked out in the database (prefix: the path to EqualityMonitoring)."""
    f = prefix
    if characteristic == "ethnicity":
        return ethnic_group_case(f)
    if characteristic == "disability":
        return disability_group_case(f)
    if characteristic == "sex":
        return Case(
            When(**{f"{f}sex": "F"}, then=Value("female")),
            When(**{f"{f}sex": "M"}, then=Value("male")),
            default=Value("unknown"),
        )
    whens = []
    for band, low, high in AGE_BANDS:
        # Aged at least `low` and under `high` on the day: born after (day - high years), on or before (day - low).
        whens.append(
            When(
                **{
                    f"{f}date_of_birth__gt": _years_before(day, high),
                    f"{f}date_of_birth__lte": _years_before(day, low),
                },
                then=Value(band),
            )
        )
    return Case(*whens, default=Value("unknown"))


@dataclass(frozen=True)
class Source:
    """What one decision type counts for a period: records, where their monitoring and organisation are."""

    records: QuerySet
    outcome: Any  # a boolean expression: the favourable outcome
    monitoring: str  # path from the record to EqualityMonitoring fields, e.g. "monitoring__"
    organisation: str  # path to the organisation id
    day: date  # the day ages are worked out on


@dataclass(frozen=True)
class Decision:
    code: str
    title: str
    population: str
    outcome: str
    source: Callable[[Period], Source]
    measure: Measure = field(init=False)

    def __post_init__(self) -> None:
        definition = (
            f"Population: {self.population}. Favourable outcome: {self.outcome}. For each characteristic, the "
            "likelihood of the favourable outcome in the reference group divided by the likelihood in the compared "
            "group, with a 95% confidence interval; unknowns are left out."
        )
        measure = Measure(
            self.code,
            "fairness",
            self.title,
            definition,
            "likelihood",
            "parity",
            "A relative likelihood above 1 means the compared group is less likely to get the favourable outcome.",
        )
        object.__setattr__(self, "measure", measure)


MONITORS: dict[str, Decision] = {}


def register(decision: Decision) -> Decision:
    """Add a decision type; it then appears in every fairness monitor, page, download and trend."""
    MONITORS[decision.code] = decision
    return decision


def interpretation_band() -> tuple[float, float]:
    low, high = settings.CARELEAD_INTERPRETATION_BAND
    return float(low), float(high)


def _counts(decision: Decision, period: Period, codes: list[str]) -> dict[str, list[tuple[int, tuple, int]]]:
    """Per-organisation counts for every characteristic asked for, from two GROUP BYs for the decision type.

    One query counts the population by organisation and every characteristic's group at once, the other the same
    for records with the favourable outcome (a filter, so the database can use a semi-join for an EXISTS outcome
    rather than evaluate it row by row); the unfavourable counts are the difference.
    """
    src = decision.source(period)
    groups = {f"fm_{code}": group_expression(code, src.monitoring, src.day) for code in codes}
    keys = [src.organisation, *groups]

    def grouped(records: QuerySet) -> dict[tuple, int]:
        rows = records.annotate(**groups).values(*keys).annotate(n=Count("pk")).order_by()
        return {tuple(r[k] for k in keys): r["n"] for r in rows}

    total, favourable = grouped(src.records), grouped(src.records.filter(src.outcome))
    out: dict[str, list[tuple[int, tuple, int]]] = {code: [] for code in codes}
    for key, n in total.items():
        yes = favourable.get(key, 0)
        for i, code in enumerate(codes, start=1):
            out[code].append((key[0], (key[i], True), yes))
            out[code].append((key[0], (key[i], False), n - yes))
    return out


def compute_monitors(
    *,
    period: Period,
    published: bool = True,
    codes: list[str] | None = None,
    characteristics: list[str] | None = None,
) -> list[dict[str, Any]]:
    """Every fairness monitor row for every scope: one GROUP BY per decision type and characteristic."""
    tree = Tree()
    low, high = interpretation_band()
    rows: list[dict[str, Any]] = []
    for code, decision in MONITORS.items():
        if codes and code not in codes:
            continue
        wanted = [c for c in CHARACTERISTICS if not characteristics or c.code in characteristics]
        per_characteristic = _counts(decision, period, [c.code for c in wanted])
        for characteristic in wanted:
            pooled = pool(tree, per_characteristic[characteristic.code])
            for scope in sorted(pooled):
                counts = pooled[scope]

                def tally(group: str, outcome: bool, counts=counts) -> int:
                    if group == "others":
                        return 0
                    return counts.get((group, outcome), 0)

                for reference, compared in characteristic.comparisons:
                    if reference == "others":
                        known = {g for g, _ in counts if g not in ("unknown", compared)}
                        ref_yes = sum(counts.get((g, True), 0) for g in known)
                        ref_no = sum(counts.get((g, False), 0) for g in known)
                    else:
                        ref_yes, ref_no = tally(reference, True), tally(reference, False)
                    yes, no = tally(compared, True), tally(compared, False)
                    four = {"a": ref_yes, "n1": ref_yes + ref_no, "c": yes, "n2": yes + no}
                    row = rl_row(
                        code,
                        scope,
                        period.label,
                        four,
                        published=published,
                        names=("reference", "compared"),
                        characteristic=characteristic.code,
                        group=compared,
                        reference=reference,
                    )
                    value = row["value"]
                    row["outside_band"] = None if value is None else not (low <= value <= high)
                    row["significant"] = (
                        None if row["ci_low"] is None else bool(row["ci_low"] > 1 or row["ci_high"] < 1)
                    )
                    rows.append(row)
    return rows


# The decisions CareLead records today. Later capabilities register theirs beside their own models.


def _cpd(period: Period) -> Source:
    from carelead.learning.models import TrainingRecord
    from carelead.people.models import Person

    took = TrainingRecord.objects.filter(
        person=OuterRef("pk"), mandatory=False, date__gte=period.start, date__lte=period.end
    )
    return Source(
        Person.objects.filter(in_post_q(period.end)), Exists(took), "monitoring__", "organisation_id", period.end
    )


def _promotion(period: Period) -> Source:
    from carelead.people.models import EmploymentChange, Person

    raised = Q()
    for i, level in enumerate(LEVEL_ORDER[1:], start=1):
        raised |= Q(level=level, previous__level__in=LEVEL_ORDER[:i])
    promoted = EmploymentChange.objects.filter(
        raised, person=OuterRef("pk"), kind="changed", effective_on__gte=period.start, effective_on__lte=period.end
    )
    return Source(
        Person.objects.filter(in_post_q(period.start)),
        Exists(promoted),
        "monitoring__",
        "organisation_id",
        period.start,
    )


def _curriculum(period: Period) -> Source:
    from carelead.learning.models import TrainingRecord
    from carelead.people.models import Person
    from carelead.standards.models import Module

    completed = TrainingRecord.objects.filter(
        person=OuterRef("pk"),
        completed=True,
        date__gte=period.start,
        date__lte=period.end,
        course_code__in=Module.objects.values("code"),
    )
    managers = Person.objects.filter(in_post_q(period.end), level__in=LEVEL_ORDER[1:])
    return Source(managers, Exists(completed), "monitoring__", "organisation_id", period.end)


def _decided_in(period: Period) -> Q:
    return Q(decided_on__gte=period.start, decided_on__lte=period.end)


def _midcareer(period: Period) -> Source:
    from carelead.standards.models import CohortApplication

    status = CohortApplication.Status
    decided = (
        CohortApplication.objects.annotate(decided_on=TruncDate("decided_at"))
        .filter(_decided_in(period))
        .filter(status__in=[status.SELECTED, status.COMPLETED, status.WAITLISTED, status.NOT_SELECTED])
    )
    return Source(
        decided,
        Q(status__in=[status.SELECTED, status.COMPLETED]),
        "person__monitoring__",
        "person__organisation_id",
        period.end,
    )


def _exceptions(period: Period) -> Source:
    from carelead.standards.models import GateException

    status = GateException.Status
    decided = (
        GateException.objects.annotate(decided_on=TruncDate("decided_at"))
        .filter(_decided_in(period))
        .filter(status__in=[status.APPROVED, status.REFUSED])
    )
    return Source(decided, Q(status=status.APPROVED), "person__monitoring__", "person__organisation_id", period.end)


register(
    Decision(
        "FAIR-CPD",
        "Access to non-mandatory development",
        "staff in post on the last day of the year (bank staff left out)",
        "at least one non-mandatory training or development record dated in the year",
        _cpd,
    )
)
register(
    Decision(
        "FAIR-PROMOTION",
        "Promotion to a higher management level",
        "staff in post on the first day of the year (bank staff left out)",
        "a recorded change to a higher management level dated in the year",
        _promotion,
    )
)
register(
    Decision(
        "FAIR-CURRICULUM",
        "Completion of accredited curriculum modules by managers",
        "managers (first-line and above) in post on the last day of the year",
        "at least one accredited curriculum module completed in the year",
        _curriculum,
    )
)
register(
    Decision(
        "FAIR-MIDCAREER",
        "Selection for the mid-career programme",
        "applications to mid-career programme cohorts decided in the year",
        "selected for a place (or selected and since completed)",
        _midcareer,
    )
)
register(
    Decision(
        "FAIR-EXCEPTION",
        "Progression gate exceptions granted",
        "progression gate exception requests decided in the year",
        "the exception was approved",
        _exceptions,
    )
)

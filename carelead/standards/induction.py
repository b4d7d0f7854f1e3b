"""The national induction: every joiner since the start date is due to complete it within a set period.

Computed from the records rather than stored per person, so every way a person arrives (import, page, demo)
is covered the same way. A completion counts under the same rules as the progression gate: completed, with a
provider accredited for the module on the day.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from carelead.accounts.permissions import Scope
from carelead.learning.models import TrainingRecord
from carelead.people.models import Person
from carelead.standards.models import Accreditation, Requirement

GROUPINGS = {
    "organisation": ("organisation__code", "organisation__name"),
    "icb": ("organisation__icb__code", "organisation__icb__name"),
    "region": ("organisation__region__code", "organisation__region__name"),
    "sector": ("organisation__sector", "organisation__sector"),
}


@dataclass(frozen=True)
class InductionRow:
    code: str
    name: str
    joiners: int
    completed: int
    overdue: int

    @property
    def rate(self) -> float | None:
        return None if not self.joiners else self.completed / self.joiners


def induction_start() -> date:
    return date.fromisoformat(settings.CARELEAD_INDUCTION_FROM)


def induction_module_codes() -> list[str]:
    return list(
        Requirement.objects.filter(code=settings.CARELEAD_INDUCTION_REQUIREMENT)
        .values_list("modules__code", flat=True)
        .exclude(modules__code=None)
    )


def completed_induction_exists() -> Exists:
    """For a person row: a completed induction module from a provider accredited for it on that day."""
    accredited = (
        Accreditation.objects.filter(
            module__code=OuterRef("course_code"),
            provider__code=OuterRef("provider_code"),
            valid_from__lte=OuterRef("date"),
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=OuterRef("date")))
        .exclude(status__in=[Accreditation.Status.SUSPENDED, Accreditation.Status.WITHDRAWN])
    )
    return Exists(
        TrainingRecord.objects.filter(
            person=OuterRef("pk"), course_code__in=induction_module_codes(), completed=True
        ).filter(Exists(accredited))
    )


def joiners(*, scope: Scope, on: date | None = None) -> QuerySet[Person]:
    """People in post who joined since the induction start date, within the scope, not bank staff."""
    on = on or timezone.localdate()
    people = Person.objects.filter(start_date__gte=induction_start(), start_date__lte=on, bank=False).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=on)
    )
    if not scope.national:
        people = people.filter(organisation__path__startswith=scope.path)
    return people


def induction_rates(*, scope: Scope, by: str, on: date | None = None) -> list[InductionRow]:
    """Joiners, completions and overdue inductions per organisation, ICB, region or sector.

    Two GROUP BYs: every joiner, and the joiners with a completed induction (the completion as a filter, so the
    database answers it with one semi-join rather than a lookup per joiner per count); overdue is the joiners
    past the due date less those of them who completed."""
    from django.core.cache import cache

    from carelead.equality.selectors import data_version

    on = on or timezone.localdate()
    # England's rates take seconds to count; they change only when records do (imports and saves bump the version).
    key = f"carelead:induction:{scope.path or 'national'}:{by}:{on.isoformat()}:{data_version()}"
    rows = cache.get(key)
    if rows is None:
        rows = _induction_rates(scope=scope, by=by, on=on)
        cache.set(key, rows, timeout=24 * 3600)
    return rows


def _induction_rates(*, scope: Scope, by: str, on: date) -> list[InductionRow]:
    due_before = on - timedelta(days=settings.CARELEAD_INDUCTION_DUE_DAYS)
    code_field, name_field = GROUPINGS[by]

    def grouped(people) -> dict[tuple, tuple[int, int]]:
        rows = (
            people.values(code_field, name_field)
            .annotate(n=Count("id"), due=Count("id", filter=Q(start_date__lt=due_before)))
            .order_by()
        )
        return {(r[code_field], r[name_field]): (r["n"], r["due"]) for r in rows}

    everyone = joiners(scope=scope, on=on)
    all_joiners = grouped(everyone)
    done = grouped(everyone.filter(completed_induction_exists()))
    out = []
    for (code, name), (n, due) in all_joiners.items():
        completed, completed_due = done.get((code, name), (0, 0))
        out.append(
            InductionRow(
                code=code or "", name=name or "Not set", joiners=n, completed=completed, overdue=due - completed_due
            )
        )
    return sorted(out, key=lambda row: (row.name == "Not set", row.name, row.code))


def induction_overdue(*, scope: Scope, on: date | None = None) -> QuerySet[Person]:
    """Joiners in the scope whose induction is past due and not completed, oldest start first."""
    on = on or timezone.localdate()
    due_before = on - timedelta(days=settings.CARELEAD_INDUCTION_DUE_DAYS)
    return (
        joiners(scope=scope, on=on)
        .filter(start_date__lt=due_before)
        .annotate(done=completed_induction_exists())
        .filter(done=False)
        .select_related("organisation", "line_manager")
        .order_by("start_date", "staff_id")
    )

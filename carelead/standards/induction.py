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
    """Joiners, completions and overdue inductions per organisation, ICB, region or sector, in one query."""
    on = on or timezone.localdate()
    due_before = on - timedelta(days=settings.CARELEAD_INDUCTION_DUE_DAYS)
    code_field, name_field = GROUPINGS[by]
    rows = (
        joiners(scope=scope, on=on)
        .annotate(done=completed_induction_exists())
        .values(code_field, name_field)
        .annotate(
            joiners=Count("id"),
            completed=Count("id", filter=Q(done=True)),
            overdue=Count("id", filter=Q(done=False, start_date__lt=due_before)),
        )
        .order_by(name_field)
    )
    return [
        InductionRow(
            code=r[code_field] or "",
            name=r[name_field] or "Not set",
            joiners=r["joiners"],
            completed=r["completed"],
            overdue=r["overdue"],
        )
        for r in rows
    ]


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

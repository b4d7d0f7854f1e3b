"""Reads for challenged organisations: which are in the acting role's scope, their status history, their
leadership vacancies and packages, proactive suggestions of ready leaders, and the outcomes of appointments.

Scope: an organisation's HR lead sees their organisation, the regional talent team its region, national
administrators and the regulator all of England. Every read is limited by ``Scope``, so lists and single
records follow one rule; a record outside the scope is a 404.
"""

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from carelead.accounts.permissions import Scope
from carelead.challenged.models import IncentivePackage, PackageStatus, StatusChange
from carelead.challenged.services import incentive_limits
from carelead.core.choices import CqcRating, OrganisationType
from carelead.organisations.models import Organisation, challenged_q
from carelead.vacancies.models import Vacancy, VacancyStatus

NOT_ORGANISATIONS = (OrganisationType.NATIONAL, OrganisationType.REGION)
OPEN_STATUSES = (VacancyStatus.OPEN, VacancyStatus.SHORTLISTING, VacancyStatus.INTERVIEWING)
SUGGESTION_STATUSES = (VacancyStatus.OPEN, VacancyStatus.SHORTLISTING)
HISTORY_SHOWN = 50
# CQC ratings from worst to best, for telling whether an organisation improved.
RATING_ORDER = {
    CqcRating.INADEQUATE: 0,
    CqcRating.REQUIRES_IMPROVEMENT: 1,
    CqcRating.GOOD: 2,
    CqcRating.OUTSTANDING: 3,
}


def scope_q(assignment, prefix: str = "") -> Q:
    return Scope.of(assignment).organisations_q(prefix)


def challenged_organisations(*, assignment, q: str = "") -> QuerySet[Organisation]:
    """Challenged organisations in scope, each with the date of its latest status and counts of its open
    leadership vacancies and packages, in one query."""
    levels = incentive_limits().leadership_levels
    latest = StatusChange.objects.filter(organisation=OuterRef("pk")).order_by("-effective_on", "-pk")
    leadership = Q(vacancies__level__in=levels)
    orgs = (
        Organisation.objects.filter(scope_q(assignment), challenged_q())
        .exclude(type__in=NOT_ORGANISATIONS)
        .select_related("region")
        .annotate(
            status_since=Subquery(latest.values("effective_on")[:1]),
            open_vacancies=Count(
                "vacancies", filter=leadership & Q(vacancies__status__in=OPEN_STATUSES), distinct=True
            ),
            packages_proposed=Count(
                "vacancies__incentive",
                filter=leadership & Q(vacancies__incentive__status=PackageStatus.PROPOSED),
                distinct=True,
            ),
            packages_approved=Count(
                "vacancies__incentive",
                filter=leadership & Q(vacancies__incentive__status=PackageStatus.APPROVED),
                distinct=True,
            ),
        )
    )
    if q.strip():
        term = q.strip()
        orgs = orgs.filter(Q(code__iexact=term) | Q(name__icontains=term))
    return orgs.order_by("name", "code")


def organisation_in_scope(*, assignment, code: str) -> Organisation:
    """An organisation (not a region or England) in the assignment's scope; 404 for any other."""
    organisation = Organisation.objects.filter(code=code).exclude(type__in=NOT_ORGANISATIONS).first()
    if organisation is None or not Scope.of(assignment).contains_path(organisation.path):
        raise Http404("No such organisation")
    return organisation


def status_history(*, organisation: Organisation) -> list[StatusChange]:
    """The organisation's latest status changes, newest first."""
    return list(
        StatusChange.objects.filter(organisation=organisation)
        .select_related("recorded_by")
        .order_by("-effective_on", "-pk")[:HISTORY_SHOWN]
    )


def leadership_vacancies(*, organisation: Organisation) -> QuerySet[Vacancy]:
    """The organisation's leadership vacancies with their packages, newest first."""
    return (
        Vacancy.objects.filter(organisation=organisation, level__in=incentive_limits().leadership_levels)
        .select_related("incentive__proposed_by", "incentive__decided_by", "appointed", "organisation")
        .order_by("-closes_on", "-pk")
    )


def vacancy_in_scope(*, assignment, pk: int) -> Vacancy:
    vacancy = Vacancy.objects.select_related("organisation").filter(pk=pk).first()
    if vacancy is None or not Scope.of(assignment).contains_path(vacancy.organisation.path):
        raise Http404("No such vacancy")
    return vacancy


def package_in_scope(*, assignment, pk: int) -> IncentivePackage:
    package = (
        IncentivePackage.objects.select_related("vacancy__organisation", "proposed_by", "decided_by")
        .filter(pk=pk)
        .first()
    )
    if package is None or not Scope.of(assignment).contains_path(package.vacancy.organisation.path):
        raise Http404("No such package")
    return package


# Status over time -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Status:
    segment: int | None
    rating: str

    @property
    def words(self) -> str:
        segment = f"segment {self.segment}" if self.segment else "no segment"
        rating = CqcRating(self.rating).label.lower() if self.rating else "not rated"
        return f"{segment}, {rating}"

    def better_than(self, other: "Status") -> bool:
        """Improved on ``other``: a lower segment or a better rating, and neither worse."""
        changes = []
        if self.segment and other.segment:
            changes.append(other.segment - self.segment)
        if self.rating and other.rating:
            changes.append(RATING_ORDER[self.rating] - RATING_ORDER[other.rating])
        return any(c > 0 for c in changes) and not any(c < 0 for c in changes)


class Timeline:
    """Each organisation's status on any day, from its history (or its current values when it has none)."""

    def __init__(self, organisations: list[Organisation]):
        self.rows: dict[int, list[tuple[date, Status]]] = defaultdict(list)
        self.current = {o.pk: Status(o.oversight_segment, o.cqc_rating or "") for o in organisations}
        for org_id, day, segment, rating in (
            StatusChange.objects.filter(organisation_id__in=[o.pk for o in organisations])
            .order_by("organisation_id", "effective_on", "pk")
            .values_list("organisation_id", "effective_on", "oversight_segment", "cqc_rating")
        ):
            self.rows[org_id].append((day, Status(segment, rating)))

    def on(self, org_id: int, day: date) -> Status | None:
        rows = self.rows.get(org_id)
        if not rows:
            return self.current.get(org_id)
        found = None
        for effective_on, status in rows:
            if effective_on > day:
                break
            found = status
        return found


def quarter_ends(after: date, until: date) -> list[date]:
    """The ends of the quarters (30 June, 30 September, 31 December, 31 March) after one day, up to another."""
    out = []
    year = after.year
    while True:
        for month, day in ((3, 31), (6, 30), (9, 30), (12, 31)):
            end = date(year, month, day)
            if end > until:
                return out
            if end > after:
                out.append(end)
        year += 1


# Outcomes ---------------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    vacancy: Vacancy
    days_to_fill: int | None
    tenure_days: int
    in_post: bool
    package_approved: bool
    at_appointment: Status | None
    quarters: list[tuple[date, Status | None]]
    now: Status | None


@dataclass
class OrganisationOutcome:
    organisation: Organisation
    appointments: int = 0
    median_days_to_fill: float | None = None
    packages_approved: int = 0
    at_first_appointment: Status | None = None
    now: Status | None = None
    improved: bool = False


@dataclass
class Outcomes:
    rows: list[Outcome] = field(default_factory=list)
    organisations: list[OrganisationOutcome] = field(default_factory=list)
    median_days_to_fill: float | None = None
    twelve_month_due: int = 0  # appointments made at least 12 months ago
    twelve_month_stayed: int = 0  # of those, still in post 12 months after appointment
    organisations_improved: int = 0

    @property
    def twelve_month_share(self) -> float | None:
        return 100 * self.twelve_month_stayed / self.twelve_month_due if self.twelve_month_due else None


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def outcomes(*, assignment, on: date | None = None) -> Outcomes:
    """Every filled leadership vacancy in an organisation that was challenged when it was filled (or is now, when
    its history does not reach back to the appointment), with time to
    fill, tenure, whether a package was approved and the organisation's status at appointment and each quarter
    end since; and the summary figures. Three queries whatever the number of vacancies."""
    on = on or timezone.localdate()
    levels = incentive_limits().leadership_levels
    filled = list(
        Vacancy.objects.filter(
            scope_q(assignment, "organisation__"),
            status=VacancyStatus.FILLED,
            filled_on__isnull=False,
            filled_on__lte=on,
            level__in=levels,
        )
        .filter(Q(organisation__status_changes__challenged=True) | challenged_q("organisation__"))
        .distinct()
        .select_related("organisation", "appointed")
        .order_by("-filled_on", "reference")
    )
    approved = set(
        IncentivePackage.objects.filter(vacancy__in=[v.pk for v in filled], status=PackageStatus.APPROVED).values_list(
            "vacancy_id", flat=True
        )
    )
    organisations = {v.organisation_id: v.organisation for v in filled}
    timeline = Timeline(list(organisations.values()))
    result = Outcomes()
    for v in filled:
        at = timeline.on(v.organisation_id, v.filled_on)
        # Challenged when filled; or, where the history does not reach back that far, challenged now.
        if not (_challenged(at) if at is not None else v.organisation.is_challenged):
            continue
        end = on
        person = v.appointed
        if person is not None and person.end_date is not None and person.end_date < on:
            end = person.end_date
        result.rows.append(
            Outcome(
                vacancy=v,
                days_to_fill=(v.filled_on - v.opens_on).days if v.opens_on else None,
                tenure_days=max(0, (end - v.filled_on).days),
                in_post=person is not None and (person.end_date is None or person.end_date >= on),
                package_approved=v.pk in approved,
                at_appointment=at,
                quarters=[(q, timeline.on(v.organisation_id, q)) for q in quarter_ends(v.filled_on, on)],
                now=timeline.on(v.organisation_id, on),
            )
        )
    fills = [r.days_to_fill for r in result.rows if r.days_to_fill is not None]
    result.median_days_to_fill = statistics.median(fills) if fills else None
    for r in result.rows:
        anniversary = _add_years(r.vacancy.filled_on, 1)
        if anniversary <= on:
            result.twelve_month_due += 1
            person = r.vacancy.appointed
            if person is not None and (person.end_date is None or person.end_date >= anniversary):
                result.twelve_month_stayed += 1
    by_org: dict[int, list[Outcome]] = defaultdict(list)
    for r in result.rows:
        by_org[r.vacancy.organisation_id].append(r)
    for org_id, rows in by_org.items():
        first = min(rows, key=lambda r: (r.vacancy.filled_on, r.vacancy.pk))
        days = [r.days_to_fill for r in rows if r.days_to_fill is not None]
        line = OrganisationOutcome(
            organisation=organisations[org_id],
            appointments=len(rows),
            median_days_to_fill=statistics.median(days) if days else None,
            packages_approved=sum(r.package_approved for r in rows),
            at_first_appointment=first.at_appointment,
            now=timeline.on(org_id, on),
        )
        line.improved = bool(line.now and line.at_first_appointment and line.now.better_than(line.at_first_appointment))
        result.organisations.append(line)
    result.organisations.sort(key=lambda o: (o.organisation.name, o.organisation.code))
    result.organisations_improved = sum(o.improved for o in result.organisations)
    return result


def _challenged(status: Status) -> bool:
    from carelead.challenged.services import is_challenged

    return is_challenged(oversight_segment=status.segment, cqc_rating=status.rating)


# Proactive suggestions --------------------------------------------------------------------------------------

SUGGESTED_VACANCIES = 10
SUGGESTED_PER_VACANCY = 3


def suggestion_vacancies(*, assignment) -> QuerySet[Vacancy]:
    """Open leadership vacancies in challenged organisations of the scope, closing soonest first."""
    return (
        Vacancy.objects.filter(
            scope_q(assignment, "organisation__"),
            challenged_q("organisation__"),
            status__in=SUGGESTION_STATUSES,
            level__in=incentive_limits().leadership_levels,
        )
        .select_related("organisation")
        .order_by("closes_on", "reference")
    )


def suggestions(*, assignment, on: date | None = None) -> tuple[list[tuple[Vacancy, list]], int]:
    """For the open leadership vacancies of challenged organisations closing soonest, the top candidates who are
    ready now and would work in the vacancy's region or sector and have not applied; and how many vacancies
    there are in all. The matching engine ranks them all at once, in a fixed number of queries."""
    from carelead.talent.models import Readiness
    from carelead.vacancies.matching import rankings_for

    vacancies_qs = suggestion_vacancies(assignment=assignment)
    total = vacancies_qs.count()
    vacancies = list(vacancies_qs[:SUGGESTED_VACANCIES])
    rankings = rankings_for(vacancies=vacancies, on=on)
    out = []
    for v in vacancies:
        picked = [
            c
            for c in rankings[v.pk].candidates
            if c.facts.readiness == Readiness.READY_NOW and c.facts.mobility and not c.application_status
        ]
        out.append((v, picked[:SUGGESTED_PER_VACANCY]))
    return out, total

"""Reads of vacancies and applications. Pages reach them only through the scoped functions here: managers through
their assignment's scope, applicants through their own staff record."""

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from carelead.accounts.permissions import Scope
from carelead.core.choices import LEVEL_ORDER, Level, OrganisationType
from carelead.vacancies.models import Application, ApplicationDecision, ApplicationStatus, Vacancy, VacancyStatus

IN_PLAY = (ApplicationStatus.APPLIED, ApplicationStatus.SHORTLISTED, ApplicationStatus.INTERVIEWED)


def open_q() -> Q:
    """Vacancies taking applications today."""
    return Q(status=VacancyStatus.OPEN, closes_on__gte=timezone.localdate())


def open_vacancies(*, q: str = "", level: str = "", region: str = "", sector: str = "") -> QuerySet[Vacancy]:
    """Open vacancies anywhere in England, closing soonest first, with filters."""
    vacancies = Vacancy.objects.filter(open_q()).select_related("organisation", "organisation__region")
    if q:
        vacancies = vacancies.filter(
            Q(title__icontains=q)
            | Q(reference__iexact=q)
            | Q(location__icontains=q)
            | Q(organisation__name__icontains=q)
        )
    if level:
        vacancies = vacancies.filter(level=level)
    if region:
        vacancies = vacancies.filter(organisation__region__code=region)
    if sector:
        vacancies = vacancies.filter(organisation__sector=sector)
    return vacancies.order_by("closes_on", "reference")


def vacancy_for_applicant(*, user, pk: int) -> Vacancy:
    """A vacancy as people looking for roles see it: open, or one they have applied for; 404 otherwise."""
    reach = open_q()
    if user.person_id:
        reach |= Q(applications__person_id=user.person_id)
    vacancy = (
        Vacancy.objects.filter(reach, pk=pk).select_related("organisation", "organisation__region").distinct().first()
    )
    if vacancy is None:
        raise Http404("No such vacancy")
    return vacancy


def application_of(*, person_id: int | None, vacancy: Vacancy) -> Application | None:
    if person_id is None:
        return None
    return Application.objects.filter(person_id=person_id, vacancy=vacancy).first()


def applications_of(*, person_id: int | None) -> QuerySet[Application]:
    """One person's applications, newest first."""
    if person_id is None:
        return Application.objects.none()
    return (
        Application.objects.filter(person_id=person_id)
        .select_related("vacancy", "vacancy__organisation")
        .order_by("-applied_on", "-pk")
    )


def application_for_applicant(*, user, pk: int) -> Application:
    """The applicant's own application with its decisions; 404 for anyone else's."""
    application = (
        Application.objects.filter(pk=pk, person_id=user.person_id or -1)
        .select_related("vacancy", "vacancy__organisation", "person")
        .first()
    )
    if application is None:
        raise Http404("No such application")
    return application


def decisions_of(application: Application) -> list[ApplicationDecision]:
    """The decisions on an application in the order they were made (without who made them for the applicant)."""
    return list(application.decisions.order_by("at", "pk"))


# Managers: the vacancies of the organisations in the assignment's scope ------------------------------------


def vacancies_in_scope(*, assignment) -> QuerySet[Vacancy]:
    return Vacancy.objects.filter(Scope.of(assignment).organisations_q("organisation__"))


def vacancy_search(
    *, assignment, q: str = "", status: str = "", level: str = "", organisation: str = ""
) -> QuerySet[Vacancy]:
    """Vacancies in the scope matching a search, with how many applications each has."""
    vacancies = vacancies_in_scope(assignment=assignment).select_related("organisation")
    if q:
        vacancies = vacancies.filter(Q(title__icontains=q) | Q(reference__icontains=q))
    if status:
        vacancies = vacancies.filter(status=status)
    if level:
        vacancies = vacancies.filter(level=level)
    if organisation:
        vacancies = vacancies.filter(organisation__code__iexact=organisation)
    in_play = Q(applications__status__in=IN_PLAY)
    return vacancies.annotate(
        n_applications=Count("applications"), n_in_play=Count("applications", filter=in_play)
    ).order_by("-created_at", "-pk")


def vacancy_get(*, assignment, pk: int) -> Vacancy:
    """One vacancy in the scope; 404 when it does not exist or is another organisation's."""
    vacancy = (
        vacancies_in_scope(assignment=assignment)
        .select_related("organisation", "succession_plan", "appointed", "created_by")
        .filter(pk=pk)
        .first()
    )
    if vacancy is None:
        raise Http404("No such vacancy")
    return vacancy


def applications_for(*, vacancy: Vacancy, status: str = "") -> QuerySet[Application]:
    """A vacancy's applications with the applicants, in the order they came."""
    applications = vacancy.applications.select_related("person", "person__organisation")
    if status:
        applications = applications.filter(status=status)
    return applications.order_by("applied_on", "pk")


def application_counts(*, vacancy: Vacancy) -> dict[str, int]:
    """How many of a vacancy's applications are in each status."""
    rows = vacancy.applications.values("status").annotate(n=Count("pk")).order_by()
    counts = dict.fromkeys(ApplicationStatus.values, 0)
    counts.update({r["status"]: r["n"] for r in rows})
    return counts


def application_get(*, assignment, pk: int) -> Application:
    """One application to a vacancy in the scope; 404 otherwise."""
    application = (
        Application.objects.filter(Scope.of(assignment).organisations_q("vacancy__organisation__"), pk=pk)
        .select_related("vacancy", "vacancy__organisation", "person", "person__organisation")
        .first()
    )
    if application is None:
        raise Http404("No such application")
    return application


def decisions_with_deciders(application: Application) -> list[ApplicationDecision]:
    return list(application.decisions.select_related("by").order_by("at", "pk"))


def withdrawal_reason(vacancy: Vacancy) -> str:
    """The reason recorded when the vacancy was withdrawn."""
    return vacancy.withdrawn_reason if vacancy.status == VacancyStatus.WITHDRAWN else ""


def employing_organisations_q(prefix: str = "") -> Q:
    """Organisations that employ staff (not the national body or a region)."""
    return ~Q(**{f"{prefix}type__in": [OrganisationType.NATIONAL, OrganisationType.REGION]})


def succession_plans_for(*, assignment, organisation=None):
    """Succession plans a vacancy may be linked to: the organisation's, or every plan in the scope."""
    from carelead.succession.models import SuccessionPlan

    plans = SuccessionPlan.objects.select_related("organisation")
    if organisation is not None:
        plans = plans.filter(organisation=organisation)
    else:
        plans = plans.filter(Scope.of(assignment).organisations_q("organisation__"))
    return plans.order_by("organisation__name", "role_title")


# Progression routes ----------------------------------------------------------------------------------------

# What roles at each level look like, in plain words, for the progression routes page.
LEVEL_ROLES = {
    "staff": (
        "Most people in health and social care work at this level: nurses, care workers, porters, therapists, "
        "administrators, analysts and many more. You look after your own work, help colleagues, and may guide "
        "students or people who have just joined."
    ),
    "first_line": (
        "First-line managers lead one team day to day: a ward sister or charge nurse, a deputy manager in a care "
        "home, a team leader in estates, finance or a call centre. You plan the rota, hold one-to-ones and "
        "appraisals, deal with sickness and early concerns, and keep the team's work safe. Most first-line "
        "managers still do hands-on work for part of the week."
    ),
    "middle": (
        "Middle managers run a service or several teams, often through other managers: a matron, a service "
        "manager, the registered manager of a care home, an HR or finance business partner. You hold a budget, "
        "plan the service, lead improvement and answer for quality and safety across it."
    ),
    "senior": (
        "Senior managers lead a directorate, a division, a large service or a whole care provider: an associate "
        "director, a divisional director, a head of nursing or of operations. You set the direction for your "
        "area, hold large budgets, work with partners across the local system and report to the board."
    ),
    "executive": (
        "Executives lead the whole organisation, usually as board members: a chief executive, a director of "
        "nursing, finance, operations or people, or the managing director of a care group. You share "
        "responsibility for strategy, culture, safety and money, and answer to regulators and the public."
    ),
}
ROUTE_VACANCIES = 5


def route_for(*, person, start: str) -> dict:
    """The step up from ``start``: the next level, its gate (met or not, for a person with a record), the modules
    and accredited providers that meet each requirement, and a few open vacancies at that level."""
    from carelead.standards.gate import eligibility_for_level, gating_requirements, next_level
    from carelead.standards.models import Provider

    target = next_level(start)
    route = {
        "start": start,
        "start_label": Level(start).label.lower(),
        "target": target,
        "target_label": Level(target).label.lower() if target else "",
        "requirements": [],
        "vacancies": [],
        "more": 0,
        "eligibility": None,
    }
    if target is None:
        return route
    today = timezone.localdate()
    order = {level: i for i, level in enumerate(LEVEL_ORDER)}
    rows = []
    if person is not None:
        eligibility = eligibility_for_level(person=person, level=target, on=today)
        route["eligibility"] = eligibility
        for outcome in [*eligibility.met, *eligibility.missing]:
            rows.append(
                {
                    "requirement": outcome.requirement,
                    "met": outcome.met,
                    "reason": outcome.reason,
                    "modules": outcome.suggestions,
                }
            )
    else:
        for requirement in gating_requirements(level=target):
            modules = []
            for module in requirement.modules.all():
                providers = sorted({a.provider.code for a in module.accreditations.all() if a.covers(today)})
                if providers:
                    entry = {"module": module.code, "title": module.title, "hours": float(module.hours)}
                    modules.append({**entry, "providers": providers})
            modules.sort(key=lambda m: (m["hours"], m["module"]))
            rows.append({"requirement": requirement, "met": None, "reason": "", "modules": modules})
    rows.sort(key=lambda r: (order[r["requirement"].level], r["requirement"].order, r["requirement"].code))
    codes = {code for row in rows for m in row["modules"] for code in m["providers"]}
    names = dict(Provider.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}
    for row in rows:
        for module in row["modules"]:
            module["provider_names"] = [names.get(code, code) for code in module["providers"]]
    route["requirements"] = rows
    live = open_vacancies(level=target)
    route["vacancies"] = list(live[:ROUTE_VACANCIES])
    route["more"] = live.count()
    return route

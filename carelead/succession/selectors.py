"""Reads of succession plans. Every page reaches plans through the scoped functions here: HR sees its organisation's
plans, the regional talent team its region's, national administrators every plan; nobody sees a plan on which they
are themselves a candidate. The risk flags are defined once, in ``risk_conditions``, and every page (the list, its
filter, a plan, the regional table and its totals) reads them from there."""

from datetime import date

from django.db import models
from django.db.models import (
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact
from django.http import Http404
from django.utils import timezone

from carelead.accounts.permissions import Scope, assignment_has
from carelead.core.choices import Level, OrganisationType
from carelead.organisations.models import Organisation, challenged_q
from carelead.people.models import Person
from carelead.succession.models import SuccessionCandidate, SuccessionPlan
from carelead.succession.permissions import MANAGE_SUCCESSION
from carelead.talent.models import MembershipStatus, PoolMembership, Readiness

# Plans belong to the organisations that employ people in the roles; the national body and regions oversee them.
OVERSEERS = (OrganisationType.NATIONAL, OrganisationType.REGION)
# The levels that get a plan by default ("every executive and senior role").
DEFAULT_LEVELS = (Level.EXECUTIVE, Level.SENIOR)


class Risk(models.TextChoices):
    NO_READY_NOW = "no_ready_now", "No ready-now successor"
    SINGLE_CANDIDATE = "single_candidate", "Single candidate"
    NO_CANDIDATES = "no_candidates", "No candidates"
    NO_EMERGENCY = "no_emergency", "No emergency successor"
    REVIEW_OVERDUE = "review_overdue", "Review overdue"


# NHS.UK tag colours for the flags: red where nobody could take over, orange where cover is thin.
RISK_COLOURS = {
    Risk.NO_READY_NOW: "red",
    Risk.NO_CANDIDATES: "red",
    Risk.SINGLE_CANDIDATE: "orange",
    Risk.NO_EMERGENCY: "orange",
    Risk.REVIEW_OVERDUE: "yellow",
}


def _candidates(**filters) -> QuerySet[SuccessionCandidate]:
    return SuccessionCandidate.objects.filter(plan=OuterRef("pk"), **filters)


def _candidate_count(**filters):
    counted = _candidates(**filters).order_by().values("plan").annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted), Value(0))


def risk_conditions(*, today: date) -> dict[str, object]:
    """The one definition of each risk flag: a condition on a SuccessionPlan row, usable in filters, annotations
    and aggregates alike."""
    return {
        Risk.NO_READY_NOW: ~Exists(_candidates(readiness=Readiness.READY_NOW)),
        Risk.SINGLE_CANDIDATE: Exact(_candidate_count(), 1),
        Risk.NO_CANDIDATES: ~Exists(_candidates()),
        Risk.NO_EMERGENCY: ~Exists(_candidates(emergency=True)),
        Risk.REVIEW_OVERDUE: Q(review_due__lt=today),
    }


def ready_now_q() -> Exists:
    """A plan with at least one ready-now successor (what the regional coverage counts)."""
    return Exists(_candidates(readiness=Readiness.READY_NOW))


def with_risks(plans: QuerySet[SuccessionPlan], *, today: date | None = None) -> QuerySet[SuccessionPlan]:
    """Plans annotated with their candidate counts and a ``risk_<flag>`` boolean for each flag."""
    today = today or timezone.localdate()
    flags = {
        f"risk_{name}": Case(
            When(condition, then=Value(True)), default=Value(False), output_field=models.BooleanField()
        )
        for name, condition in risk_conditions(today=today).items()
    }
    return plans.annotate(
        n_candidates=_candidate_count(),
        n_ready_now=_candidate_count(readiness=Readiness.READY_NOW),
        **flags,
    )


def plan_risk_flags(plan: SuccessionPlan) -> list[tuple[str, str, str]]:
    """(code, label, tag colour) of each flag a plan from ``with_risks`` raises, in a fixed order."""
    return [(risk.value, risk.label, RISK_COLOURS[risk]) for risk in Risk if getattr(plan, f"risk_{risk.value}")]


# Who sees which plans ---------------------------------------------------------------------------------------


def _own_candidacies_q(user) -> Q:
    """Plans on which the user is a candidate: private from them, whatever their role."""
    if not getattr(user, "person_id", None):
        return Q(pk__in=[])
    return Q(pk__in=SuccessionCandidate.objects.filter(person_id=user.person_id).values("plan_id"))


def plans_visible(*, assignment, user) -> QuerySet[SuccessionPlan]:
    """The plans this role assignment reaches, less those on which the user is a candidate."""
    scope = Scope.of(assignment)
    return SuccessionPlan.objects.filter(scope.organisations_q("organisation__")).exclude(_own_candidacies_q(user))


def plan_search(
    *,
    assignment,
    user,
    q: str = "",
    organisation: str = "",
    level: str = "",
    risk: str = "",
    today: date | None = None,
) -> QuerySet[SuccessionPlan]:
    """Plans in reach matching a search of role and organisation, and the filters; with their risk flags."""
    today = today or timezone.localdate()
    plans = plans_visible(assignment=assignment, user=user)
    q = q.strip()
    if q:
        plans = plans.filter(
            Q(role_title__icontains=q) | Q(organisation__name__icontains=q) | Q(organisation__code__iexact=q)
        )
    if organisation:
        plans = plans.filter(organisation__code__iexact=organisation.strip())
    if level:
        plans = plans.filter(level=level)
    if risk:
        plans = plans.filter(risk_conditions(today=today)[Risk(risk)])
    return (
        with_risks(plans, today=today)
        .select_related("organisation", "incumbent")
        .order_by("organisation__name", "role_title", "pk")
    )


def plan_get(*, assignment, user, pk: int, today: date | None = None) -> SuccessionPlan:
    """One plan in reach, with its risk flags; 404 when it does not exist or is out of reach, alike."""
    plan = (
        with_risks(plans_visible(assignment=assignment, user=user), today=today)
        .select_related("organisation", "organisation__region", "incumbent", "created_by")
        .filter(pk=pk)
        .first()
    )
    if plan is None:
        raise Http404("No such succession plan")
    return plan


def plan_candidates(*, plan: SuccessionPlan) -> list[SuccessionCandidate]:
    """The plan's candidates in rank order, with their organisations."""
    return list(plan.candidates.select_related("person__organisation").order_by("rank", "pk"))


def candidate_get(*, plan: SuccessionPlan, pk: int) -> SuccessionCandidate:
    """One candidate of a plan already in reach (404 otherwise)."""
    candidate = plan.candidates.select_related("person", "plan__organisation").filter(pk=pk).first()
    if candidate is None:
        raise Http404("No such candidate")
    return candidate


def may_manage(*, assignment, organisation: Organisation) -> bool:
    """Whether the assignment may create and change plans of this organisation."""
    return assignment_has(assignment, MANAGE_SUCCESSION) and Scope.of(assignment).contains_path(organisation.path)


def may_add_from_pool(*, assignment, organisation: Organisation) -> bool:
    """Whether the assignment may add candidates from the talent pool of the organisation's region: the regional
    talent team runs the pools, so the region must lie in its scope."""
    region = organisation.region
    return (
        region is not None
        and may_manage(assignment=assignment, organisation=organisation)
        and Scope.of(assignment).contains_path(region.path)
    )


# Organisations ---------------------------------------------------------------------------------------------


def plan_organisations(*, assignment) -> QuerySet[Organisation]:
    """Organisations in the scope that may hold succession plans."""
    return Organisation.objects.filter(Scope.of(assignment).organisations_q()).exclude(type__in=OVERSEERS)


def plan_organisation_default(*, assignment) -> Organisation | None:
    """The organisation a new plan is for unless another is chosen: the assignment's own, if it holds plans."""
    if assignment.organisation_id is None or assignment.organisation.type in OVERSEERS:
        return None
    return assignment.organisation


def plan_organisation_get(*, assignment, code: str) -> Organisation | None:
    """One organisation in the scope that may hold plans, by code; None when unknown or out of reach, alike."""
    return plan_organisations(assignment=assignment).select_related("region").filter(code__iexact=code.strip()).first()


# People ----------------------------------------------------------------------------------------------------


def in_post_q(today: date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": today})


def people_without_plan(*, organisation: Organisation, today: date | None = None) -> QuerySet[Person]:
    """People in post at executive or senior level in the organisation who are not the incumbent of a plan there."""
    today = today or timezone.localdate()
    held = SuccessionPlan.objects.filter(organisation=organisation, incumbent__isnull=False).values("incumbent_id")
    return (
        Person.objects.filter(in_post_q(today), organisation=organisation, level__in=DEFAULT_LEVELS)
        .exclude(pk__in=held)
        .order_by("staff_id")
    )


def _name_q(q: str, prefix: str = "") -> Q:
    terms = q.split()
    if not terms:
        return Q()
    if len(terms) == 1:
        term = terms[0]
        return (
            Q(**{f"{prefix}staff_id__iexact": term})
            | Q(**{f"{prefix}last_name__istartswith": term})
            | Q(**{f"{prefix}first_name__istartswith": term})
        )
    return Q(**{f"{prefix}first_name__istartswith": terms[0], f"{prefix}last_name__istartswith": " ".join(terms[1:])})


def internal_people(*, plan: SuccessionPlan, q: str = "", today: date | None = None) -> QuerySet[Person]:
    """People in post in the plan's organisation who could be added as internal candidates."""
    today = today or timezone.localdate()
    people = Person.objects.filter(in_post_q(today), organisation_id=plan.organisation_id).exclude(
        pk__in=plan.candidates.values("person_id")
    )
    if plan.incumbent_id:
        people = people.exclude(pk=plan.incumbent_id)
    return people.filter(_name_q(q)).select_related("organisation").order_by("last_name", "first_name", "staff_id")


def pool_memberships(*, plan: SuccessionPlan, q: str = "", today: date | None = None) -> QuerySet[PoolMembership]:
    """Approved, unexpired memberships of talent pools in the plan's region, for people not yet candidates."""
    today = today or timezone.localdate()
    region_id = plan.organisation.region_id
    if region_id is None:
        return PoolMembership.objects.none()
    memberships = (
        PoolMembership.objects.filter(
            pool__region_id=region_id, status=MembershipStatus.APPROVED, expires_on__gte=today
        )
        .filter(in_post_q(today, "person__"))
        .exclude(person_id__in=plan.candidates.values("person_id"))
        .filter(_name_q(q, "person__"))
    )
    if plan.incumbent_id:
        memberships = memberships.exclude(person_id=plan.incumbent_id)
    return memberships.select_related("pool", "person__organisation").order_by(
        "person__last_name", "person__first_name", "person__staff_id", "pk"
    )


# The regional view ------------------------------------------------------------------------------------------

SORTS = {
    "no_ready_now": "Most plans without a ready-now successor",
    "coverage": "Lowest ready-now coverage",
    "no_candidates": "Most plans without candidates",
    "single_candidate": "Most plans with a single candidate",
    "no_emergency": "Most plans without an emergency successor",
    "review_overdue": "Most reviews overdue",
    "challenged": "Challenged organisations first",
    "name": "Organisation name",
}


def _per_organisation(condition=None):
    plans = SuccessionPlan.objects.filter(organisation=OuterRef("pk"))
    if condition is not None:
        plans = plans.filter(condition)
    counted = plans.order_by().values("organisation").annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted), Value(0))


def _coverage(ready, critical):
    """Percentage of critical plans with a ready-now successor; None when there are no critical plans."""
    return Case(
        When(**{f"{critical}": 0}, then=Value(None)),
        default=ExpressionWrapper(F(ready) * 100.0 / F(critical), output_field=FloatField()),
        output_field=FloatField(),
    )


def risk_by_organisation(
    *, organisations: QuerySet[Organisation], sort: str = "no_ready_now", today: date | None = None
) -> QuerySet[Organisation]:
    """One row per organisation: plans, plans raising each flag, critical plans and those with a ready-now
    successor, the coverage and whether the organisation is challenged; one query whatever the number of rows."""
    today = today or timezone.localdate()
    conditions = risk_conditions(today=today)
    rows = organisations.annotate(
        plans=_per_organisation(),
        critical_plans=_per_organisation(Q(critical=True)),
        critical_ready=_per_organisation(Q(critical=True) & ready_now_q()),
        challenged=Case(
            When(challenged_q(), then=Value(True)), default=Value(False), output_field=models.BooleanField()
        ),
        **{f"risk_{name}": _per_organisation(condition) for name, condition in conditions.items()},
    ).annotate(coverage=_coverage("critical_ready", "critical_plans"))
    coverage_last = F("coverage").asc(nulls_last=True)
    order = {
        "coverage": [coverage_last, F("plans").desc()],
        "challenged": [F("challenged").desc(), F("risk_no_ready_now").desc(), coverage_last],
        "name": [],
    }.get(sort)
    if order is None:
        field = sort if sort in Risk.values else Risk.NO_READY_NOW
        order = [F(f"risk_{field}").desc(), coverage_last]
    return rows.order_by(*order, "name", "code")


def risk_totals(*, organisations: QuerySet[Organisation], today: date | None = None) -> dict:
    """The same figures summed over every organisation given, from one aggregate query."""
    today = today or timezone.localdate()
    counts = SuccessionPlan.objects.filter(organisation__in=organisations.values("pk")).aggregate(
        plans=Count("pk"),
        critical_plans=Count("pk", filter=Q(critical=True)),
        critical_ready=Count("pk", filter=Q(critical=True) & ready_now_q()),
        **{f"risk_{name}": Count("pk", filter=condition) for name, condition in risk_conditions(today=today).items()},
    )
    critical = counts["critical_plans"]
    counts["coverage"] = 100.0 * counts["critical_ready"] / critical if critical else None
    return counts


def risk_area(*, assignment, region_code: str = "") -> tuple[Organisation | None, QuerySet[Organisation]]:
    """The area the regional view covers: the assignment's region, or (national roles) the chosen region or all
    of England; with the organisations in it that may hold plans. 404 for a region out of reach."""
    scope = Scope.of(assignment)
    region = None
    if not scope.national:
        region = assignment.organisation
    elif region_code:
        region = Organisation.objects.filter(type=OrganisationType.REGION, code__iexact=region_code.strip()).first()
        if region is None:
            raise Http404("No such region")
    organisations = Organisation.objects.exclude(type__in=OVERSEERS)
    if region is not None:
        organisations = organisations.filter(path__startswith=region.path)
    return region, organisations.filter(scope.organisations_q())


def regions() -> QuerySet[Organisation]:
    """Every region, for the national chooser."""
    return Organisation.objects.filter(type=OrganisationType.REGION).order_by("name")

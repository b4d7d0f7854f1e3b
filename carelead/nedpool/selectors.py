"""Reads of the NED candidate pool. Pages reach candidates only through ``candidates_visible``, the one rule for
lists and single records: a national team and national admins every candidate, a regional team the candidates
who named its region. Equality monitoring is read here only as counts by group, published."""

from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from carelead.accounts.permissions import Scope, assignment_has
from carelead.core.choices import OrganisationType
from carelead.core.disclosure import published_column, published_share
from carelead.equality.monitors import GROUP_LABELS, group_expression
from carelead.nedpool.models import (
    ADMITTED,
    Candidate,
    CandidateSkill,
    CandidateStatus,
    Enrolment,
    Placement,
)
from carelead.nedpool.permissions import MANAGE_CANDIDATES, VIEW_CANDIDATES
from carelead.organisations.models import Organisation

# The development route filter of the candidate list.
ROUTE_CHOICES = [
    ("", "Any route"),
    ("placement", "NExT Director placement"),
    ("programme", "Aspiring chair programme"),
    ("none", "Neither"),
]


def candidates_visible(*, assignment) -> QuerySet[Candidate]:
    """The candidates the acting role reaches: every one nationally, else those who named the region."""
    if not assignment_has(assignment, VIEW_CANDIDATES):
        return Candidate.objects.none()
    scope = Scope.of(assignment)
    if scope.national:
        return Candidate.objects.all()
    region_id = assignment.organisation.region_id or assignment.organisation_id
    named = Candidate.regions.through.objects.filter(candidate_id=OuterRef("pk"), organisation_id=region_id)
    return Candidate.objects.filter(Exists(named))


def candidate_may_manage(*, assignment, candidate: Candidate) -> bool:
    """Whether the acting role assesses this candidate and records their development routes."""
    return (
        assignment_has(assignment, MANAGE_CANDIDATES)
        and candidates_visible(assignment=assignment).filter(pk=candidate.pk).exists()
    )


def _skills_prefetch() -> Prefetch:
    return Prefetch("skills", queryset=CandidateSkill.objects.order_by("skill", "validated"))


def _regions_prefetch() -> Prefetch:
    return Prefetch("regions", queryset=Organisation.objects.order_by("name").only("id", "code", "name"))


def candidate_get(*, assignment, pk: int) -> Candidate:
    """One candidate the acting role reaches, with what their page shows (404 otherwise, alike)."""
    candidates = candidates_visible(assignment=assignment).prefetch_related(
        _regions_prefetch(),
        _skills_prefetch(),
        Prefetch("placements", queryset=Placement.objects.select_related("host").order_by("-starts_on", "pk")),
        Prefetch("enrolments", queryset=Enrolment.objects.order_by("-starts_on", "pk")),
    )
    try:
        return candidates.get(pk=pk)
    except Candidate.DoesNotExist:
        raise Http404("No such candidate") from None


def candidate_search(*, assignment, filters: dict[str, Any]) -> QuerySet[Candidate]:
    """Candidates the acting role reaches, searched by name or email and filtered, with their regions and skills.

    ``filters`` may hold q, skill (and validated_only), sector, region (a region code), readiness, status and
    route (a key of ``ROUTE_CHOICES``).
    """
    candidates = candidates_visible(assignment=assignment)
    q = (filters.get("q") or "").strip()
    if q:
        candidates = candidates.filter(Q(name__icontains=q) | Q(email__icontains=q.lower()))
    if filters.get("skill"):
        skills = CandidateSkill.objects.filter(candidate_id=OuterRef("pk"), skill=filters["skill"])
        if filters.get("validated_only"):
            skills = skills.filter(validated=True)
        candidates = candidates.filter(Exists(skills))
    if filters.get("sector") == "nhs":
        candidates = candidates.filter(sector_nhs=True)
    elif filters.get("sector") == "social_care":
        candidates = candidates.filter(sector_social_care=True)
    if filters.get("region"):
        named = Candidate.regions.through.objects.filter(
            candidate_id=OuterRef("pk"), organisation__code=filters["region"]
        )
        candidates = candidates.filter(Exists(named))
    if filters.get("readiness"):
        candidates = candidates.filter(readiness=filters["readiness"])
    if filters.get("status"):
        candidates = candidates.filter(status=filters["status"])
    placed = Exists(Placement.objects.filter(candidate_id=OuterRef("pk")))
    enrolled = Exists(Enrolment.objects.filter(candidate_id=OuterRef("pk")))
    route = filters.get("route")
    if route == "placement":
        candidates = candidates.filter(placed)
    elif route == "programme":
        candidates = candidates.filter(enrolled)
    elif route == "none":
        candidates = candidates.exclude(placed).exclude(enrolled)
    return (
        candidates.annotate(has_placement=placed, has_enrolment=enrolled)
        .prefetch_related(_regions_prefetch(), _skills_prefetch())
        .order_by("name", "pk")
    )


def region_choices() -> list[tuple[str, str]]:
    """Every region, by name, as (code, name)."""
    return list(Organisation.objects.filter(type=OrganisationType.REGION).order_by("name").values_list("code", "name"))


def placements_visible(*, assignment) -> QuerySet[Placement]:
    """NExT Director placements of the candidates the acting role reaches."""
    return Placement.objects.filter(candidate__in=candidates_visible(assignment=assignment))


def placement_get(*, assignment, pk: int) -> Placement:
    try:
        return placements_visible(assignment=assignment).select_related("candidate", "host").get(pk=pk)
    except Placement.DoesNotExist:
        raise Http404("No such placement") from None


def placement_list(*, assignment, status: str = "") -> QuerySet[Placement]:
    placements = placements_visible(assignment=assignment).select_related("candidate", "host")
    if status:
        placements = placements.filter(status=status)
    return placements.order_by("-starts_on", "candidate__name", "pk")


def enrolments_visible(*, assignment) -> QuerySet[Enrolment]:
    """Aspiring chair programme places of the candidates the acting role reaches."""
    return Enrolment.objects.filter(candidate__in=candidates_visible(assignment=assignment))


def enrolment_get(*, assignment, pk: int) -> Enrolment:
    try:
        return enrolments_visible(assignment=assignment).select_related("candidate").get(pk=pk)
    except Enrolment.DoesNotExist:
        raise Http404("No such programme place") from None


def enrolment_list(*, assignment, status: str = "", cohort: str = "") -> QuerySet[Enrolment]:
    enrolments = enrolments_visible(assignment=assignment).select_related("candidate")
    if status:
        enrolments = enrolments.filter(status=status)
    if cohort.strip():
        enrolments = enrolments.filter(cohort_name__icontains=cohort.strip())
    return enrolments.order_by("-starts_on", "cohort_name", "candidate__name", "pk")


# The pool's composition, published ------------------------------------------------------------------------------

COMPOSITION = [
    ("ethnicity", "Ethnicity", ["white", "bme", "unknown"]),
    ("disability", "Disability", ["disabled", "non_disabled", "unknown"]),
    ("sex", "Sex", ["female", "male", "unknown"]),
]
UNKNOWN_LABELS = {
    "ethnicity": "Not known, not stated or prefer not to say",
    "disability": "Not known or prefer not to say",
    "sex": "Other, not known or prefer not to say",
}


def pool_composition(*, assignment) -> list[dict[str, Any]]:
    """The visible candidates (not withdrawn) and those admitted to the pool, by ethnicity, disability and sex.

    Published figures whoever reads them: counts from 1 to the suppression threshold hidden, others rounded, so
    no one's answers can be read off the page. One query.
    """
    today = timezone.localdate()
    groups = {f"g_{code}": group_expression(code, "monitoring__", today) for code, _, _ in COMPOSITION}
    rows = (
        candidates_visible(assignment=assignment)
        .exclude(status=CandidateStatus.WITHDRAWN)
        .annotate(**groups)
        .values(*groups)
        .annotate(n=Count("pk"), admitted=Count("pk", filter=Q(status__in=ADMITTED)))
        .order_by()
    )
    everyone: dict[str, dict[str, int]] = {code: {} for code, _, _ in COMPOSITION}
    admitted: dict[str, dict[str, int]] = {code: {} for code, _, _ in COMPOSITION}
    for row in rows:
        for code, _, _ in COMPOSITION:
            group = row[f"g_{code}"]
            everyone[code][group] = everyone[code].get(group, 0) + row["n"]
            admitted[code][group] = admitted[code].get(group, 0) + row["admitted"]
    tables = []
    for code, title, order in COMPOSITION:
        all_cells, all_total = published_column(everyone[code], order)
        pool_cells, pool_total = published_column(admitted[code], order)
        tables.append(
            {
                "code": code,
                "title": title,
                "rows": [
                    {
                        "label": UNKNOWN_LABELS[code] if group == "unknown" else GROUP_LABELS[group],
                        "candidates": all_cells[group],
                        "candidates_share": published_share(all_cells[group], all_total),
                        "pool": pool_cells[group],
                        "pool_share": published_share(pool_cells[group], pool_total),
                    }
                    for group in order
                ],
                "candidates_total": all_total,
                "pool_total": pool_total,
            }
        )
    return tables

"""Reads of NED campaigns. Pages reach campaigns only through ``campaigns_visible``, the one rule for lists and
single records: a national team and national admins every campaign, a regional NED appointments team the
campaigns for boards in its region. Candidates are reached through the pool's own scoped selector, and equality
monitoring only as published counts by group."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
)
from django.db.models.functions import Cast, Coalesce
from django.http import Http404
from django.utils import timezone

from carelead.accounts.permissions import Scope, assignment_has
from carelead.boardappraisals.services import board_framework_current
from carelead.boards.models import alert_months
from carelead.boards.selectors import board_organisations, term_endings
from carelead.boardskills.selectors import SkillGap, board_skill_gaps
from carelead.core.choices import Sector
from carelead.core.disclosure import published_column, published_share
from carelead.equality.monitors import GROUP_LABELS, group_expression
from carelead.fitproper.models import Assessment
from carelead.nedcampaigns.models import (
    Campaign,
    CampaignCandidate,
    CampaignDecision,
    CampaignRole,
    Stage,
    Step,
    authority_default,
)
from carelead.nedcampaigns.permissions import RUN_CAMPAIGNS, VIEW_CAMPAIGNS
from carelead.nedpool.models import Candidate, CandidateMonitoring, CandidateSkill, CandidateStatus
from carelead.nedpool.selectors import candidates_visible
from carelead.organisations.models import Organisation
from carelead.standards.models import Domain

# Candidates a campaign may take from the pool: admitted by the team and not appointed, withdrawn or erased.
LONGLISTABLE = (CandidateStatus.IN_POOL, CandidateStatus.PLACED)


def campaigns_visible(*, assignment) -> QuerySet[Campaign]:
    """The campaigns the acting role reaches: those for boards in its scope."""
    if not assignment_has(assignment, VIEW_CAMPAIGNS):
        return Campaign.objects.none()
    return Campaign.objects.filter(Scope.of(assignment).organisations_q("organisation__"))


def campaign_get(*, assignment, pk: int) -> Campaign:
    """One campaign the acting role reaches, with its organisation and role profile (404 otherwise, alike)."""
    campaigns = campaigns_visible(assignment=assignment).select_related(
        "organisation", "organisation__region", "framework", "created_by"
    )
    try:
        return campaigns.prefetch_related(Prefetch("domains", queryset=Domain.objects.order_by("order"))).get(pk=pk)
    except Campaign.DoesNotExist:
        raise Http404("No such campaign") from None


def campaign_may_run(*, assignment, campaign: Campaign) -> bool:
    """Whether the acting role records decisions in this campaign."""
    return assignment_has(assignment, RUN_CAMPAIGNS) and Scope.of(assignment).contains_path(campaign.organisation.path)


def organisation_may_run(*, assignment, organisation: Organisation) -> bool:
    """Whether the acting role opens campaigns for this organisation's board."""
    return (
        assignment_has(assignment, RUN_CAMPAIGNS)
        and board_organisations(assignment=assignment).filter(pk=organisation.pk).exists()
    )


def _stage_counts() -> dict[str, Count]:
    return {
        "n_longlisted": Count("entries", distinct=True),
        "n_shortlisted": Count(
            "entries",
            filter=Q(entries__stage__in=[Stage.SHORTLISTED, Stage.INTERVIEWED, Stage.APPOINTED]),
            distinct=True,
        ),
        "n_appointed": Count("entries", filter=Q(entries__stage=Stage.APPOINTED), distinct=True),
    }


def campaign_list(*, assignment, filters: dict[str, Any]) -> QuerySet[Campaign]:
    """Campaigns the acting role reaches, filtered by status, region (code) and organisation (code), newest
    first, each with how many candidates were longlisted, shortlisted and appointed. One query per page."""
    campaigns = campaigns_visible(assignment=assignment)
    if filters.get("status"):
        campaigns = campaigns.filter(status=filters["status"])
    if filters.get("region"):
        campaigns = campaigns.filter(organisation__region__code=filters["region"])
    if filters.get("organisation"):
        campaigns = campaigns.filter(organisation__code=filters["organisation"].strip().upper())
    return (
        campaigns.select_related("organisation", "organisation__region")
        .annotate(**_stage_counts())
        .order_by("-created_at", "-pk")
    )


# The role profile ------------------------------------------------------------------------------------------------


def board_domains() -> list[Domain]:
    """The competency domains of the published board framework, in order (empty when none is published)."""
    framework = board_framework_current()
    if framework is None:
        return []
    return list(framework.domains.order_by("order", "code"))


@dataclass(frozen=True)
class ProfileDefaults:
    """What a new campaign for a board starts from: its skills gaps and the seats ending soon."""

    gaps: list[SkillGap]
    endings: list
    role: str
    seats: int
    authority: str
    title: str
    months: int

    @property
    def skills(self) -> list[str]:
        """The skills the board is short of, most pressing first."""
        return [gap.skill for gap in self.gaps if gap.short > 0]


def profile_defaults(*, assignment, organisation: Organisation, today: date | None = None) -> ProfileDefaults:
    """The starting role profile for a campaign on ``organisation``'s board: the skills it is short of, and the
    chair, non-executive or associate seats whose terms end within the alert period, which suggest the role and
    how many seats."""
    today = today or timezone.localdate()
    months = alert_months()
    endings = list(
        term_endings(assignment=assignment, months=months, today=today).filter(
            organisation=organisation, role__in=CampaignRole.values
        )
    )
    role = endings[0].role if endings else CampaignRole.NON_EXECUTIVE
    seats = 1 if role == CampaignRole.CHAIR else max(1, sum(1 for m in endings if m.role == role))
    label = CampaignRole(role).label
    return ProfileDefaults(
        gaps=board_skill_gaps(organisation=organisation, on=today),
        endings=endings,
        role=role,
        seats=seats,
        authority=authority_default(organisation_type=organisation.type, role=role),
        title=f"{label} for {organisation.name}"[:200],
        months=months,
    )


# The longlist ----------------------------------------------------------------------------------------------------


def _skill_count(sought: list[str], *, validated: bool) -> Coalesce:
    skills = CandidateSkill.objects.filter(candidate_id=OuterRef("pk"), skill__in=sought)
    if validated:
        skills = skills.filter(validated=True)
    counted = skills.order_by().values("candidate_id").annotate(n=Count("skill", distinct=True)).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def longlist_search(*, assignment, campaign: Campaign, filters: dict[str, Any]) -> QuerySet[Candidate]:
    """Candidates of the pool the campaign may longlist, best match first.

    Only candidates the team admitted to the pool (in the pool or placed) and who have not been erased, within the
    acting role's reach. Each is annotated with ``held`` (sought skills declared or validated), ``validated_held``
    (sought skills validated) and ``score`` (held + validated_held: a validated skill counts twice), and
    ``on_longlist``. ``filters`` may hold region (a region code), sector ("nhs" or "social_care"), role (a
    RoleInterest code), skill (one skill code that must be held) and hide_longlisted.
    """
    sought = list(campaign.skills)
    candidates = candidates_visible(assignment=assignment).filter(status__in=LONGLISTABLE, erased_at__isnull=True)
    if filters.get("region"):
        named = Candidate.regions.through.objects.filter(
            candidate_id=OuterRef("pk"), organisation__code=filters["region"]
        )
        candidates = candidates.filter(Exists(named))
    if filters.get("sector") == Sector.NHS:
        candidates = candidates.filter(sector_nhs=True)
    elif filters.get("sector") == Sector.SOCIAL_CARE:
        candidates = candidates.filter(sector_social_care=True)
    if filters.get("role"):
        # The roles are a JSON list of codes; matching the quoted code in its text works on every database.
        candidates = candidates.annotate(roles_text=Cast("roles", TextField())).filter(
            roles_text__contains=f'"{filters["role"]}"'
        )
    if filters.get("skill"):
        candidates = candidates.filter(
            Exists(CandidateSkill.objects.filter(candidate_id=OuterRef("pk"), skill=filters["skill"]))
        )
    on_longlist = Exists(CampaignCandidate.objects.filter(campaign=campaign, candidate_id=OuterRef("pk")))
    if filters.get("hide_longlisted"):
        candidates = candidates.exclude(on_longlist)
    held = _skill_count(sought, validated=False)
    validated = _skill_count(sought, validated=True)
    return (
        candidates.annotate(held=held, validated_held=validated, on_longlist=on_longlist)
        .annotate(score=Coalesce(held, Value(0)) + Coalesce(validated, Value(0)))
        .prefetch_related(
            Prefetch("regions", queryset=Organisation.objects.order_by("name").only("id", "code", "name")),
            Prefetch("skills", queryset=CandidateSkill.objects.order_by("skill", "validated")),
        )
        .order_by("-score", "-validated_held", "name", "pk")
    )


def longlist_filter_defaults(*, campaign: Campaign) -> dict[str, str]:
    """The pool search a campaign starts from: its board's region and sector, and candidates interested in the
    role."""
    organisation = campaign.organisation
    return {
        "region": organisation.region.code if organisation.region_id else "",
        "sector": organisation.sector,
        "role": campaign.role,
        "hide_longlisted": "on",
    }


def match_score(*, sought: list[str], skills: list[CandidateSkill]) -> tuple[int, int, int]:
    """(score, held, validated) of one candidate's skills against the sought ones, as ``longlist_search`` counts."""
    wanted = set(sought)
    held = {s.skill for s in skills if s.skill in wanted}
    validated = {s.skill for s in skills if s.skill in wanted and s.validated}
    return len(held) + len(validated), len(held), len(validated)


# A campaign's candidates and funnel --------------------------------------------------------------------------------


def campaign_entries(*, campaign: Campaign) -> list[CampaignCandidate]:
    """The campaign's candidates, furthest on first, each with its decisions in order (``decision_list``) and
    appointment. Three queries whatever the size."""
    order = {
        stage: i
        for i, stage in enumerate(
            [Stage.APPOINTED, Stage.INTERVIEWED, Stage.SHORTLISTED, Stage.LONGLISTED, Stage.NOT_PROGRESSED]
        )
    }
    entries = list(
        CampaignCandidate.objects.filter(campaign=campaign)
        .select_related("candidate", "appointment", "appointment__member")
        .prefetch_related(
            Prefetch(
                "decisions",
                queryset=CampaignDecision.objects.select_related("by").order_by("at", "pk"),
                to_attr="decision_list",
            )
        )
    )
    entries.sort(key=lambda e: (order[e.stage], -e.match_score, e.candidate.name, e.pk))
    return entries


def entry_get(*, assignment, campaign_pk: int, pk: int) -> CampaignCandidate:
    """One candidate of a campaign the acting role reaches (404 otherwise)."""
    campaign = campaign_get(assignment=assignment, pk=campaign_pk)
    try:
        entry = (
            CampaignCandidate.objects.select_related("candidate")
            .prefetch_related(
                Prefetch("decisions", queryset=CampaignDecision.objects.order_by("at", "pk"), to_attr="decision_list")
            )
            .get(campaign=campaign, pk=pk)
        )
    except CampaignCandidate.DoesNotExist:
        raise Http404("No such candidate in this campaign") from None
    entry.campaign = campaign
    return entry


def appointment_assessments(*, member_ids: list[int]) -> dict[tuple[int, str], int]:
    """The fit and proper person tests of appointed members: {(member id, year): assessment id}. One query."""
    if not member_ids:
        return {}
    rows = Assessment.objects.filter(member_id__in=member_ids).values_list("member_id", "year", "pk")
    return {(member_id, year): pk for member_id, year, pk in rows}


FUNNEL = [
    (Step.LONGLIST, "Longlisted"),
    (Step.SHORTLIST, "Shortlisted"),
    (Step.INTERVIEW, "Appointable at interview"),
    (Step.APPOINTMENT, "Appointed"),
]


def campaign_funnel(*, campaign: Campaign) -> list[dict[str, Any]]:
    """For each step: how many candidates were decided on, taken forward and not taken forward. One query."""
    rows = (
        CampaignDecision.objects.filter(entry__campaign=campaign)
        .values("step", "outcome")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {(r["step"], r["outcome"]): r["n"] for r in rows}
    out = []
    for step, label in FUNNEL:
        yes = counts.get((step, CampaignDecision.Outcome.PROGRESSED), 0)
        no = counts.get((step, CampaignDecision.Outcome.NOT_PROGRESSED), 0)
        out.append({"step": step, "label": label, "progressed": yes, "not_progressed": no, "decided": yes + no})
    return out


# Decisions by group, published -------------------------------------------------------------------------------------

GROUPINGS = [
    ("ethnicity", "Ethnicity", ["white", "bme", "unknown"]),
    ("disability", "Disability", ["disabled", "non_disabled", "unknown"]),
    ("sex", "Sex", ["female", "male", "unknown"]),
]
AGE_GROUPING = ("age", "Age band", ["under_25", "25_34", "35_44", "45_54", "55_plus", "unknown"])
UNKNOWN_LABEL = "Not known or not stated"


def _groupings(campaign: Campaign) -> list[tuple[str, str, list[str]]]:
    """Ethnicity, disability and sex; age band too, only when some candidate's age is known."""
    aged = CandidateMonitoring.objects.filter(
        candidate__campaign_entries__campaign=campaign, date_of_birth__isnull=False
    ).exists()
    return [*GROUPINGS, AGE_GROUPING] if aged else list(GROUPINGS)


def decisions_by_group(*, campaign: Campaign, today: date | None = None) -> list[dict[str, Any]]:
    """The campaign's shortlisting, interview and appointment decisions by ethnicity, disability and sex (and age
    band where known), as published figures: counts from 1 to 7 show as *, others are rounded to the nearest 5,
    and a lone hidden cell gets company so it cannot be worked out from the total. Two queries."""
    today = today or timezone.localdate()
    groupings = _groupings(campaign)
    groups = {f"g_{code}": group_expression(code, "entry__candidate__monitoring__", today) for code, _, _ in groupings}
    rows = (
        CampaignDecision.objects.filter(
            entry__campaign=campaign, step__in=[Step.SHORTLIST, Step.INTERVIEW, Step.APPOINTMENT]
        )
        .annotate(**groups)
        .values("step", "outcome", *groups)
        .annotate(n=Count("pk"))
        .order_by()
    )
    tally: dict[tuple[str, str, bool], dict[str, int]] = {}
    for row in rows:
        progressed = row["outcome"] == CampaignDecision.Outcome.PROGRESSED
        for code, _, _ in groupings:
            cell = tally.setdefault((row["step"], code, progressed), {})
            cell[row[f"g_{code}"]] = cell.get(row[f"g_{code}"], 0) + row["n"]
    steps = []
    for step, label in FUNNEL[1:]:
        tables = []
        for code, title, order in groupings:
            yes = tally.get((step, code, True), {})
            no = tally.get((step, code, False), {})
            decided = {g: yes.get(g, 0) + no.get(g, 0) for g in order}
            decided_cells, decided_total = published_column(decided, order)
            yes_cells, yes_total = published_column(yes, order)
            tables.append(
                {
                    "code": code,
                    "title": title,
                    "rows": [
                        {
                            "label": UNKNOWN_LABEL if g == "unknown" else GROUP_LABELS[g],
                            "decided": decided_cells[g],
                            "progressed": yes_cells[g],
                            "rate": published_share(yes_cells[g], decided_cells[g]),
                        }
                        for g in order
                    ],
                    "decided_total": decided_total,
                    "progressed_total": yes_total,
                    "rate_total": published_share(yes_total, decided_total),
                }
            )
        steps.append({"step": step, "label": label, "tables": tables})
    return steps

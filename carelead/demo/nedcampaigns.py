"""NED campaigns for the demo: one at each stage, for NHS boards with seats to fill, run through the same services
the pages use, so every rule holds (admitted candidates only, each step from the one before with a reason, the
right appointing authority, the barring list check, the new member's term and fit and proper person test).

The candidates come from the pool an earlier demo step wrote; with no admitted candidates nothing is created.
The same seed on the same data gives the same campaigns.
"""

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from carelead.accounts.models import RoleAssignment
from carelead.accounts.roles import Role
from carelead.boards.models import BoardMember
from carelead.boards.selectors import board_organisations
from carelead.core.choices import OrganisationType
from carelead.fitproper.models import financial_year_for
from carelead.fitproper.selectors import barring_matches
from carelead.nedcampaigns import selectors, services
from carelead.nedcampaigns.models import CampaignDecision, CampaignRole
from carelead.nedpool.models import Candidate, skill_choices
from carelead.organisations.models import Organisation

# The stage each demo campaign is taken to, in order.
STAGES = ["draft", "open", "shortlisting", "interviewing", "appointed"]
LONGLIST_SIZE = 6
SHORTLIST_REASONS = [
    "Strong evidence against the essential skills in the role profile",
    "Board experience and validated skills match the gaps on this board",
]
NOT_SHORTLISTED_REASONS = [
    "Fewer of the essential skills than the candidates shortlisted",
    "Experience better suited to a board with a different skills gap",
]
INTERVIEW_REASONS = ["Panel's highest scores across the competency domains", "Appointable: clear and credible answers"]
NOT_APPOINTABLE_REASONS = ["Panel found limited evidence on governance and assurance"]
SPECIFICATION = (
    "Someone who will bring independent challenge, who understands the communities the organisation serves, and "
    "who can give around three days a month."
)


def _starts_on(today: date) -> date:
    """A fortnight away, unless that falls in the next financial year (the fit and proper test year would then
    start early for the whole board): today, then."""
    later = today + timedelta(days=14)
    return later if financial_year_for(later) == financial_year_for(today) else today


def ned_campaigns_create(*, seed: int, ned_user) -> int:
    """Create demo campaigns at each stage, draft to appointed; returns how many were created."""
    admitted = Candidate.objects.filter(status__in=selectors.LONGLISTABLE, erased_at__isnull=True)
    if not admitted.exists():
        return 0
    assignment = RoleAssignment.objects.filter(user=ned_user, role=Role.NED_TEAM).select_related("organisation").first()
    if assignment is None:
        return 0
    rnd = random.Random(f"carelead-demo:{seed}:ned-campaigns")
    today = timezone.localdate()
    with_board = BoardMember.objects.values("organisation_id")
    boards = list(
        board_organisations(assignment=assignment)
        .filter(type__in=[OrganisationType.TRUST, OrganisationType.ICB], pk__in=with_board, region__isnull=False)
        .select_related("region")
        .order_by("code")
    )
    if not boards:
        return 0
    chosen = rnd.sample(boards, min(len(STAGES), len(boards)))
    skills = [code for code, _ in skill_choices()]
    used: set[int] = set()
    created = 0
    with transaction.atomic():
        for stage, organisation in zip(STAGES, chosen, strict=False):
            defaults = selectors.profile_defaults(assignment=assignment, organisation=organisation, today=today)
            sought = defaults.skills[:3] or sorted(rnd.sample(skills, 2))
            role = CampaignRole.NON_EXECUTIVE if stage != "appointed" else defaults.role
            campaign = services.campaign_create(
                assignment=assignment,
                by=ned_user,
                organisation=organisation,
                role=role,
                seats=1,
                title=f"{CampaignRole(role).label} for {organisation.name}"[:200],
                closing_date=today + timedelta(days=rnd.randint(14, 42)),
                skills=sought,
                domains=selectors.board_domains()[: rnd.randint(1, 3)],
                person_specification=SPECIFICATION,
                open_now=stage != "draft",
                today=today,
            )
            created += 1
            if stage == "draft":
                continue
            entries = _longlist(assignment, ned_user, campaign, organisation, used)
            if stage == "open" or not entries:
                continue
            _advance(rnd, assignment, ned_user, campaign, entries, stage, today)
    return created


def _longlist(assignment, ned_user, campaign, organisation: Organisation, used: set[int]) -> list:
    """The best matches in the board's region (or across England when the region has too few) onto the longlist,
    preferring candidates not on another demo campaign's longlist (people do apply to several)."""
    seen: list = []
    for filters in ({"region": organisation.region.code}, {}):
        for candidate in selectors.longlist_search(assignment=assignment, campaign=campaign, filters=filters)[:50]:
            if candidate not in seen:
                seen.append(candidate)
    fresh = [c for c in seen if c.pk not in used]
    picked = (fresh + [c for c in seen if c.pk in used])[:LONGLIST_SIZE]
    if not picked:
        return []
    used.update(c.pk for c in picked)
    return services.longlist_add(
        assignment=assignment,
        by=ned_user,
        campaign=campaign,
        candidates=picked,
        reason="Matches the role profile in a search of the candidate pool",
    )


def _decide(assignment, ned_user, entry, step: str, outcome: str, reason: str) -> None:
    services.decision_record(assignment=assignment, by=ned_user, entry=entry, step=step, outcome=outcome, reason=reason)


def _advance(rnd: random.Random, assignment, ned_user, campaign, entries: list, stage: str, today: date) -> None:
    """Shortlist the better half, then interview and appoint as far as ``stage``."""
    yes, no = CampaignDecision.Outcome.PROGRESSED, CampaignDecision.Outcome.NOT_PROGRESSED
    half = max(1, (len(entries) + 1) // 2)
    shortlisted = entries[:half]
    for entry in shortlisted:
        _decide(assignment, ned_user, entry, "shortlist", yes, rnd.choice(SHORTLIST_REASONS))
    for entry in entries[half:]:
        _decide(assignment, ned_user, entry, "shortlist", no, rnd.choice(NOT_SHORTLISTED_REASONS))
    if stage == "shortlisting":
        return
    # Who can be appointed: the first shortlisted candidate whose name is not on the barring list.
    clear = [e for e in shortlisted if not barring_matches(name=e.candidate.name)]
    appointable = clear[:1] or shortlisted[:1]
    for entry in shortlisted:
        if entry in appointable:
            _decide(assignment, ned_user, entry, "interview", yes, rnd.choice(INTERVIEW_REASONS))
        elif stage == "appointed" or rnd.random() < 0.5:
            _decide(assignment, ned_user, entry, "interview", no, rnd.choice(NOT_APPOINTABLE_REASONS))
    if stage != "appointed" or not clear:
        return
    entry = appointable[0]
    entry.refresh_from_db()
    campaign.refresh_from_db()
    entry.campaign = campaign
    services.candidate_appoint(
        assignment=assignment,
        by=ned_user,
        entry=entry,
        authority=campaign.authority,
        approver_name="Appointments panel chair",
        approved_on=today,
        starts_on=_starts_on(today),
        reason="Recommended by the interview panel against the role profile",
        today=today,
    )

"""Campaigns for the NED campaign tests, built through the services so every rule holds."""

import datetime

from django.utils import timezone

from carelead.nedcampaigns import services
from carelead.nedcampaigns.models import Campaign, CampaignCandidate, CampaignDecision
from carelead.nedpool.tests.factories import candidate


def assignment_of(user):
    return user.assignments.get()


def campaign(
    world,
    *,
    code: str = "RAA",
    user=None,
    open_now: bool = True,
    seats: int = 1,
    role: str = "non_executive",
    skills=("finance", "legal"),
    closing_date: datetime.date | None = None,
    **extra,
) -> Campaign:
    user = user or world.users["ned_team"]
    return services.campaign_create(
        assignment=assignment_of(user),
        by=user,
        organisation=world.orgs[code],
        role=role,
        seats=seats,
        title=extra.pop("title", f"Non-executive director for {world.orgs[code].name}"),
        closing_date=closing_date or timezone.localdate() + datetime.timedelta(days=28),
        skills=list(skills),
        domains=extra.pop("domains", []),
        open_now=open_now,
        **extra,
    )


def pool_candidate(world, *, region: str = "Y99", status: str = "in_pool", **extra):
    return candidate(regions=[world.orgs[region]], status=status, readiness="ready_ned", **extra)


def longlisted(world, camp: Campaign, *candidates, user=None) -> list[CampaignCandidate]:
    user = user or world.users["ned_team"]
    return services.longlist_add(
        assignment=assignment_of(user),
        by=user,
        campaign=camp,
        candidates=list(candidates),
        reason="Matches the role profile",
    )


def decide(world, entry: CampaignCandidate, step: str, outcome: str = CampaignDecision.Outcome.PROGRESSED, user=None):
    user = user or world.users["ned_team"]
    entry.refresh_from_db()
    return services.decision_record(
        assignment=assignment_of(user),
        by=user,
        entry=entry,
        step=step,
        outcome=outcome,
        reason=f"Panel's view at {step}: meets the role profile",
    )


def appoint(world, entry: CampaignCandidate, *, user=None, starts_on=None, **extra):
    user = user or world.users["ned_team"]
    entry.refresh_from_db()
    today = timezone.localdate()
    values = {
        "authority": entry.campaign.authority,
        "approver_name": "Pat Approver",
        "approved_on": today,
        "starts_on": starts_on or today,
        "reason": "Recommended by the interview panel",
    }
    values.update(extra)
    return services.candidate_appoint(assignment=assignment_of(user), by=user, entry=entry, **values)


def interviewed(world, camp: Campaign, *candidates) -> list[CampaignCandidate]:
    """Candidates taken from the pool to appointable at interview."""
    entries = longlisted(world, camp, *candidates)
    for entry in entries:
        decide(world, entry, "shortlist")
    for entry in entries:
        decide(world, entry, "interview")
    for entry in entries:
        entry.refresh_from_db()
    return entries

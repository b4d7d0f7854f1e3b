"""Mid-career programme cohorts for the demo: a national cohort open now and a regional one under way."""

import random
from datetime import timedelta

from django.utils import timezone

from carelead.standards.models import Cohort, CohortApplication, Module, Provider

STATEMENTS = [
    "I have led my team through a service redesign and want to learn to lead change across a whole service.",
    "I manage a community team and want to build the skills to work with partners across the system.",
    "I have run my ward for three years and want to grow into a role with budget and workforce responsibility.",
    "I lead a care home team and want to learn from managers in other settings and sectors.",
]
DECISIONS = [
    "Meets every criterion; strong manager support",
    "Strong statement; clear plan to share learning",
    "Places were filled by applicants with longer service in post",
]


def programme_create(*, seed: int, region, trust, regional_talent) -> int:
    """Create two cohorts and applications in every state from managers of the persona trust."""
    from carelead.people.models import Person

    rnd = random.Random(f"carelead-demo:{seed}:programme")
    today = timezone.localdate()
    module = Module.objects.filter(code="MCP-301").first()
    provider = Provider.objects.filter(accreditations__module=module).order_by("code").first()
    running = Cohort.objects.create(
        code=f"MCP-{region.code}-1",
        title=f"Mid-career programme, {region.name}, spring cohort",
        region=region,
        module=module,
        provider=provider,
        applications_close_on=today - timedelta(days=60),
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=150),
        places=6,
        eligible_levels=["first_line", "middle"],
        min_months_in_role=12,
    )
    Cohort.objects.create(
        code="MCP-NAT-1",
        title="Mid-career programme, national cohort",
        module=module,
        provider=provider,
        applications_close_on=today + timedelta(days=45),
        starts_on=today + timedelta(days=90),
        ends_on=today + timedelta(days=270),
        places=40,
        eligible_levels=["first_line", "middle"],
        min_months_in_role=12,
    )
    candidates = list(
        Person.objects.filter(
            organisation=trust, level__in=["first_line", "middle"], end_date__isnull=True, line_manager__isnull=False
        ).order_by("staff_id")[:200]
    )
    chosen = rnd.sample(candidates, min(14, len(candidates)))
    states = (
        ["selected"] * 5
        + ["completed"]
        + ["waitlisted"] * 2
        + ["not_selected"] * 2
        + ["supported"] * 2
        + ["not_supported", "submitted"]
    )
    for person, state in zip(chosen, states, strict=False):
        decided = state in ("selected", "completed", "waitlisted", "not_selected")
        CohortApplication.objects.create(
            cohort=running,
            person=person,
            statement=rnd.choice(STATEMENTS),
            status=state,
            manager_note="" if state != "not_supported" else "Not this year: the team is short-staffed until autumn.",
            decision_reason=rnd.choice(DECISIONS) if decided else "",
            decided_by_id=regional_talent if decided else None,
            decided_at=timezone.now() - timedelta(days=40) if decided else None,
            sessions_attended=6 if state == "completed" else 0,
            completed_on=today - timedelta(days=5) if state == "completed" else None,
        )
    return len(chosen)

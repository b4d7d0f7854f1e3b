"""Mid-career programme cohorts for the demo: a national cohort open now, a regional one under way, and each
region's completed autumn cohorts of the last three years, whose decided applications feed the fairness monitors.
"""

import random
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from carelead.core.choices import ethnic_group
from carelead.demo import catalogue as cat
from carelead.standards.models import Accreditation, Cohort, CohortApplication, Module, Provider

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
SELECTED_REASONS = [
    "Meets every criterion; strong manager support",
    "Strong statement; clear plan to share learning",
    "Clear link between the programme and the service's improvement plan",
]
WAITLISTED_REASONS = [
    "Meets the criteria; offered a place on the waiting list",
    "Good statement; places went to applicants with a more developed plan to share learning",
]
NOT_SELECTED_REASONS = [
    "Places were filled by applicants with longer service in post",
    "The statement did not show how the learning would be shared with the team",
    "Encouraged to reapply next year with a development plan agreed with the line manager",
    "Another applicant from the same team was selected for this cohort",
]
NOT_SUPPORTED_NOTES = [
    "Not this year: the team is short-staffed until the new starters are in post.",
    "Agreed to revisit after the service review; the timing does not work this year.",
]
# Completed autumn cohorts of each region: applications close at the end of July, the programme runs from
# mid-September to mid-March, before the demo's as-of day.
PAST_YEARS = (2023, 2024, 2025)
SESSIONS = 8


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


def past_cohorts_create(
    *,
    seed: int,
    regions: list[tuple[object, int]],
    exclude: set[int],
    add_training: Callable[[tuple], None],
) -> int:
    """Each region's completed cohorts of PAST_YEARS, with decided applications from its managers.

    ``regions`` pairs each region with the user who decided its applications; nobody in ``exclude`` applies, nor
    anyone already selected for an earlier cohort. Applicants were first-line or middle managers for at least a
    year when applications closed (the level they hold now, unchanged since). A cohort's selection gives BME
    and Disabled applicants slightly lower scores, by an amount that varies from cohort to cohort. Completions
    are written as training records of the programme's module through ``add_training``, as completing a
    participant in the app does. Returns the number of applications written.
    """
    from carelead.people.models import EmploymentChange, Person

    module = Module.objects.filter(code="MCP-301").first()
    written = 0
    for region, decider in regions:
        managers = list(
            Person.objects.filter(organisation__region=region, level__in=["first_line", "middle"])
            .order_by("id")
            .values_list("id", "start_date", "end_date", "monitoring__ethnic_category", "monitoring__disability")
        )
        changed: dict[int, date] = {}
        for person, day in EmploymentChange.objects.filter(
            kind="changed", person__organisation__region=region, person__level__in=["first_line", "middle"]
        ).values_list("person_id", "effective_on"):
            changed[person] = max(day, changed.get(person, day))
        taken = set(exclude)
        for year in PAST_YEARS:
            rng = random.Random(f"carelead-demo:{seed}:programme:{region.code}:{year}")
            close, starts, ends = date(year, 7, 31), date(year, 9, 15), date(year + 1, 3, 13)
            in_role_since = close - timedelta(days=365)
            eligible = [
                m
                for m in managers
                if m[0] not in taken
                and m[1] <= in_role_since
                and (m[2] is None or m[2] > ends)
                and changed.get(m[0], in_role_since) <= in_role_since
            ]
            n = min(rng.randint(50, 120), int(len(eligible) * 0.6))
            if n < 4:
                continue
            places = min(rng.randint(20, 40), n // 2)
            cohort = Cohort.objects.create(
                code=f"MCP-{region.code}-{year}",
                title=f"Mid-career programme, {region.name}, autumn {year} cohort",
                region=region,
                module=module,
                provider=_accredited_provider(module, starts, ends),
                applications_close_on=close,
                starts_on=starts,
                ends_on=ends,
                places=places,
                eligible_levels=["first_line", "middle"],
                min_months_in_role=12,
            )
            rows = _past_applications(rng, cohort, rng.sample(eligible, n), decider, add_training)
            taken.update(row.person_id for row in rows if row.status in ("selected", "completed"))
            written += len(rows)
    return written


def _accredited_provider(module, starts: date, ends: date):
    """The first provider (by code) accredited for the module throughout a cohort, else the first ever."""
    found = (
        Accreditation.objects.filter(module=module, valid_from__lte=starts)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=ends))
        .exclude(status__in=[Accreditation.Status.SUSPENDED, Accreditation.Status.WITHDRAWN])
        .select_related("provider")
        .order_by("provider__code")
        .first()
    )
    if found is not None:
        return found.provider
    return Provider.objects.filter(accreditations__module=module).order_by("code").first()


def _past_applications(
    rng: random.Random, cohort: Cohort, applicants: list[tuple], decider: int, add_training
) -> list[CohortApplication]:
    """Decided applications of a finished cohort: selected (most completed), waiting list, not selected."""
    rnd = rng.random
    bme_penalty = rng.uniform(*cat.BME_SELECTION_PENALTY)
    disabled_penalty = rng.uniform(*cat.DISABLED_SELECTION_PENALTY)
    supported, not_supported = [], []
    for applicant in applicants:
        (not_supported if rnd() < 0.06 else supported).append(applicant)
    scored = []
    for applicant in supported:
        _, _, _, ethnic, disability = applicant
        score = rnd()
        if ethnic_group(ethnic) == "bme":
            score -= bme_penalty
        if disability == "Y":
            score -= disabled_penalty
        scored.append((score, applicant))
    scored.sort(key=lambda pair: pair[0], reverse=True)
    waiting = max(3, round(0.15 * len(scored)))
    decided_at = datetime.combine(cohort.applications_close_on + timedelta(days=18), time(10, 30), tzinfo=UTC)
    provider = cohort.provider.code if cohort.provider_id else ""
    rows = []
    for i, (_, applicant) in enumerate(scored):
        person = applicant[0]
        sessions, completed_on = 0, None
        if i < cohort.places:
            status, reason = "selected", rng.choice(SELECTED_REASONS)
            if rnd() < 0.85:
                status, sessions = "completed", SESSIONS - int(rnd() * 3)
                completed_on = cohort.ends_on - timedelta(days=int(rnd() * 10))
                if cohort.module_id:
                    add_training(
                        (
                            f"MCP:{cohort.code}:{person}"[:40],
                            person,
                            cohort.module.code,
                            False,
                            completed_on.isoformat(),
                            True,
                            None,
                            provider,
                        )
                    )
            else:
                # Selected, but left the programme part way through.
                sessions = 1 + int(rnd() * 4)
        elif i < cohort.places + waiting:
            status, reason = "waitlisted", rng.choice(WAITLISTED_REASONS)
        else:
            status, reason = "not_selected", rng.choice(NOT_SELECTED_REASONS)
        rows.append(
            CohortApplication(
                cohort=cohort,
                person_id=person,
                statement=rng.choice(STATEMENTS),
                status=status,
                decision_reason=reason,
                decided_by_id=decider,
                decided_at=decided_at,
                sessions_attended=sessions,
                completed_on=completed_on,
            )
        )
    for applicant in not_supported:
        rows.append(
            CohortApplication(
                cohort=cohort,
                person_id=applicant[0],
                statement=rng.choice(STATEMENTS),
                status="not_supported",
                manager_note=rng.choice(NOT_SUPPORTED_NOTES),
            )
        )
    CohortApplication.objects.bulk_create(rows)
    # Applications were made before applications closed, not when the demo was loaded.
    applied = datetime.combine(cohort.applications_close_on - timedelta(days=10), time(9), tzinfo=UTC)
    CohortApplication.objects.filter(cohort=cohort).update(created_at=applied, updated_at=decided_at)
    Cohort.objects.filter(pk=cohort.pk).update(
        created_at=applied - timedelta(days=90), updated_at=applied - timedelta(days=90)
    )
    return rows

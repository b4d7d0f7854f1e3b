"""Candidates, placements and programme places for the NED pool tests, written straight to the database."""

import datetime
import itertools

from django.utils import timezone

from carelead.nedpool.models import Candidate, CandidateMonitoring, CandidateSkill, Enrolment, Placement

_numbers = itertools.count(1)


def candidate(
    *,
    regions,
    name: str | None = None,
    email: str | None = None,
    skills=("finance",),
    validated=(),
    nhs: bool = True,
    social_care: bool = False,
    status: str = "registered",
    readiness: str = "",
    monitoring: dict | None = None,
    **extra,
) -> Candidate:
    n = next(_numbers)
    made = Candidate.objects.create(
        name=name or f"Candidate {n:04d}",
        email=email or f"candidate{n}@example.org",
        sector_nhs=nhs,
        sector_social_care=social_care,
        roles=["non_executive"],
        statement="I want to serve my community.",
        consented_at=timezone.now(),
        status=status,
        readiness=readiness,
        **extra,
    )
    made.regions.set(regions)
    CandidateSkill.objects.bulk_create(
        [CandidateSkill(candidate=made, skill=s) for s in skills]
        + [CandidateSkill(candidate=made, skill=s, validated=True) for s in validated]
    )
    if monitoring:
        CandidateMonitoring.objects.create(candidate=made, **monitoring)
    return made


def placement(*, candidate: Candidate, host, starts_on=datetime.date(2026, 1, 5), months: int = 9, **extra):
    from carelead.nedpool.models import add_months

    return Placement.objects.create(
        candidate=candidate,
        host=host,
        starts_on=starts_on,
        ends_on=add_months(starts_on, months),
        mentor_name="Carol Chair",
        **extra,
    )


def enrolment(*, candidate: Candidate, cohort_name: str = "Spring 2026", **extra) -> Enrolment:
    return Enrolment.objects.create(
        candidate=candidate, cohort_name=cohort_name, starts_on=datetime.date(2026, 3, 2), **extra
    )

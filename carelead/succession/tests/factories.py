"""Factories for succession plans, their candidates and the talent pool memberships candidates come from."""

import datetime

import factory
from django.utils import timezone

from carelead.core.choices import Level
from carelead.succession.models import CandidateSource, SuccessionCandidate, SuccessionPlan
from carelead.talent.models import MembershipStatus, PoolMembership, Readiness, TalentPool


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SuccessionPlan

    role_title = factory.Sequence(lambda n: f"Director {n}")
    level = Level.EXECUTIVE
    critical = True
    review_due = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=180))


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SuccessionCandidate

    source = CandidateSource.INTERNAL
    readiness = Readiness.ONE_TWO
    rank = factory.LazyAttribute(lambda c: c.plan.candidates.count() + 1)
    emergency = False


def pool_member(*, person, region, by, level=Level.EXECUTIVE, status=MembershipStatus.APPROVED, expires_in=365):
    """Put a person in the region's pool for a level (the pool is made when missing)."""
    pool, _ = TalentPool.objects.get_or_create(
        region=region, level=level, defaults={"name": f"{region.name} {Level(level).label} pool"}
    )
    today = timezone.localdate()
    return PoolMembership.objects.create(
        pool=pool,
        person=person,
        status=status,
        nominated_by=by,
        nominated_on=today - datetime.timedelta(days=30),
        nomination_reason="Strong leader",
        decided_by=by if status == MembershipStatus.APPROVED else None,
        decided_on=today - datetime.timedelta(days=20) if status == MembershipStatus.APPROVED else None,
        expires_on=today + datetime.timedelta(days=expires_in),
    )

"""Talent pool nominations in the fairness monitors: who is approved for a pool, by ethnicity, disability, sex and
age band. Registered once here; the equality pages, downloads and trends pick it up."""

from django.db.models import Q

from carelead.equality.engine import Period
from carelead.equality.monitors import Decision, Source, register


def _nominated(period: Period) -> Source:
    from carelead.talent.models import MembershipStatus, PoolMembership

    # A withdrawal only ever follows an approval, so a withdrawn membership was approved.
    approved = [MembershipStatus.APPROVED, MembershipStatus.WITHDRAWN]
    decided = PoolMembership.objects.filter(
        nominated_on__gte=period.start,
        nominated_on__lte=period.end,
        status__in=[*approved, MembershipStatus.DECLINED],
    )
    return Source(decided, Q(status__in=approved), "person__monitoring__", "person__organisation_id", period.end)


register(
    Decision(
        "FAIR-POOL",
        "Approval for a regional talent pool",
        "nominations to a regional talent pool made in the year and decided (nominations still waiting for a "
        "decision are left out)",
        "the nomination was approved (including memberships since withdrawn or expired)",
        _nominated,
    )
)

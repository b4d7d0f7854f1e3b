"""Permission-table rows for this app's pages (merged into tests/test_permissions.py)."""

import datetime

from django.urls import reverse
from django.utils import timezone

from tests.permission_helpers import WITH_RECORD, only

NINEBOX_READERS = {"line_manager", "org_hr", "regional_talent", "national_admin"}
POOL_READERS = {"regional_talent", "national_admin"}
NOMINATORS = {"line_manager", "org_hr"}


def pool(w, region="Y99", level="first_line"):
    from carelead.talent.models import TalentPool

    found, _ = TalentPool.objects.get_or_create(
        region=w.orgs[region], level=level, defaults={"name": f"{region} {level} pool", "membership_months": 24}
    )
    return found


def member_in_pool(w):
    """The staff member, nominated by their manager and approved into the Holdout Region's first-line pool."""
    from carelead.talent.models import PoolMembership

    today = timezone.localdate()
    return PoolMembership.objects.create(
        pool=pool(w),
        person=w.people["member"],
        status="approved",
        nominated_by=w.users["line_manager"],
        nominated_on=today - datetime.timedelta(days=10),
        nomination_reason="Leads the ward's improvement huddles",
        decided_by=w.users["regional_talent"],
        decided_on=today - datetime.timedelta(days=5),
        decision_reason="Strong evidence of impact",
        expires_on=today + datetime.timedelta(days=700),
    )


ROWS: dict = {
    "talent:ninebox": (lambda w: reverse("talent:ninebox"), only(NINEBOX_READERS)),
    "talent:ninebox_person": (
        lambda w: reverse("talent:ninebox_person", kwargs={"staff_id": member_in_pool(w).person.staff_id}),
        only(NINEBOX_READERS),
    ),
    "talent:pools": (lambda w: reverse("talent:pools"), only(POOL_READERS)),
    "talent:pool_new": (lambda w: reverse("talent:pool_new"), only({"regional_talent"})),
    "talent:pool_queue": (lambda w: reverse("talent:pool_queue"), only(POOL_READERS)),
    "talent:pools_mine": (lambda w: reverse("talent:pools_mine"), only(WITH_RECORD)),
    "talent:nominate": (lambda w: reverse("talent:nominate"), only(NOMINATORS)),
    "talent:nominations": (lambda w: reverse("talent:nominations"), only(NOMINATORS)),
    "talent:membership": (
        lambda w: reverse("talent:membership", kwargs={"pk": member_in_pool(w).pk}),
        only({"staff", "line_manager", "org_hr", "regional_talent", "national_admin"}, other=404),
    ),
    "talent:pool": (lambda w: reverse("talent:pool", kwargs={"pk": pool(w).pk}), only(POOL_READERS)),
    "talent:pool_ninebox": (lambda w: reverse("talent:pool_ninebox", kwargs={"pk": pool(w).pk}), only(POOL_READERS)),
}

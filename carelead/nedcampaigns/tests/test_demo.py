"""The demo's campaigns: one at each stage through the services, nothing without a pool, the same for a seed."""

import pytest
from django.db import transaction

from carelead.boardappraisals.tests.factories import BoardMemberFactory
from carelead.boards.models import BoardMember, Term
from carelead.demo.nedcampaigns import ned_campaigns_create
from carelead.fitproper.models import Assessment
from carelead.nedcampaigns.models import Appointment, Campaign, CampaignDecision
from carelead.nedcampaigns.tests.factories import pool_candidate

pytestmark = pytest.mark.django_db


def _boards(world):
    for code in ("RAA", "RBB", "RCC", "QZZ", "QYY"):
        BoardMemberFactory(organisation=world.orgs[code])


def _summary() -> list[tuple]:
    return list(
        Campaign.objects.order_by("organisation__code").values_list(
            "organisation__code", "status", "skills", "closing_date"
        )
    ) + list(CampaignDecision.objects.order_by("pk").values_list("entry__candidate__name", "step", "outcome", "reason"))


def test_no_pool_no_campaigns(world):
    _boards(world)
    pool_candidate(world, status="registered")
    assert ned_campaigns_create(seed=1, ned_user=world.users["ned_team"]) == 0
    assert not Campaign.objects.exists()


def test_a_campaign_at_each_stage_and_the_same_for_a_seed(world):
    _boards(world)
    for i in range(8):
        pool_candidate(world, region="Y99" if i % 2 else "Y98", skills=("finance", "legal")[: 1 + i % 2])
    ned = world.users["ned_team"]
    runs = []
    for _ in range(2):
        with transaction.atomic():
            assert ned_campaigns_create(seed=7, ned_user=ned) == 5
            runs.append(_summary())
            statuses = sorted(Campaign.objects.values_list("status", flat=True))
            assert statuses == sorted(["draft", "open", "shortlisting", "interviewing", "appointed"])
            appointment = Appointment.objects.get()
            assert Term.objects.filter(member=appointment.member, number=1).exists()
            assert Assessment.objects.filter(member=appointment.member).exists()
            transaction.set_rollback(True)
    assert runs[0] == runs[1]
    assert not BoardMember.objects.filter(member_id__contains="-NED").exists()

"""The NED appointments journey end to end, through the pages: a NED appointments team member sees a board seat
whose term ends within six months, opens the board's skills gap, runs a campaign from the pool to an appointment
by the right authority, and the new member's first term and fit and proper person test start."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from carelead.boardappraisals.tests.factories import BoardMemberFactory
from carelead.boards.models import BoardMember, term_years, years_end
from carelead.boardskills.models import SkillRequirement
from carelead.fitproper.models import Assessment, CheckKind, financial_year_for
from carelead.nedcampaigns.models import Campaign, CampaignCandidate, CampaignDecision, Stage
from carelead.nedpool.models import Candidate
from carelead.nedpool.tests.factories import candidate

pytestmark = pytest.mark.django_db


def test_from_a_term_ending_to_a_new_member_with_term_and_fit_and_proper_checks(world, client):
    today = timezone.localdate()
    raa, y99 = world.orgs["RAA"], world.orgs["Y99"]
    # A non-executive director whose three-year term ends in about two months; nobody holds finance at the level
    # the board needs.
    BoardMemberFactory(
        organisation=raa,
        name="Nell Outgoing",
        role="non_executive",
        start_date=years_end(today, -term_years()) + datetime.timedelta(days=60),
    )
    SkillRequirement.objects.create(organisation=raa, skill="finance", needed=1, level=2, priority="essential")
    best = candidate(
        regions=[y99],
        name="Fiona Finance",
        skills=("finance", "audit_risk"),
        validated=("finance",),
        status="in_pool",
        readiness="ready_ned",
    )
    candidate(regions=[y99], name="Lee Legal", skills=("legal",), status="in_pool", readiness="ready_ned")
    candidate(regions=[y99], name="Rae Registered", skills=("finance",), status="registered")

    client.force_login(world.users["ned_team"])

    # 1. The seat ending within six months is on the term endings list.
    endings = client.get(reverse("boards:endings") + "?months=6").content.decode()
    assert "Nell Outgoing" in endings and "Holdout Large Trust" in endings

    # 2. The board's skills page shows the gap, and offers a campaign for the board.
    skills = client.get(reverse("boardskills:board", kwargs={"code": "RAA"}))
    assert skills.status_code == 200
    skills_page = skills.content.decode()
    assert "Finance" in skills_page
    new_url = reverse("nedcampaigns:new") + "?org=RAA"
    assert new_url in skills_page

    # 3. Opening a campaign from the gap: the role, seats and skills come from the board.
    new_page = client.get(new_url).content.decode()
    assert "Nell Outgoing" in new_page
    assert 'value="finance" checked' in new_page
    closing = (today + datetime.timedelta(days=21)).isoformat()
    response = client.post(
        new_url,
        {
            "title": "Non-executive director for Holdout Large Trust",
            "role": "non_executive",
            "seats": "1",
            "closing_date": closing,
            "authority": "",
            "skills": ["finance"],
            "person_specification": "A qualified accountant who can chair the audit committee.",
            "action": "open",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    camp = Campaign.objects.get(organisation=raa)
    assert camp.status == Campaign.Status.OPEN and camp.authority == "nhs_england"

    # 4. The longlist from the pool: only admitted candidates, best match first.
    longlist_url = reverse("nedcampaigns:longlist", kwargs={"pk": camp.pk})
    page = client.get(longlist_url).content.decode()
    assert "Rae Registered" not in page
    assert page.index("Fiona Finance") < page.index("Lee Legal")
    response = client.post(longlist_url, {"candidates": [best.pk], "reason": "Validated finance skills, as sought"})
    assert response.status_code == 302
    entry = CampaignCandidate.objects.get(campaign=camp, candidate=best)

    # 5. Shortlisting and interview, each with its reason.
    decide_url = reverse("nedcampaigns:decide", kwargs={"pk": camp.pk, "entry": entry.pk})
    for reason in ("Meets every essential criterion", "Panel's highest score; appointable"):
        response = client.post(decide_url, {"outcome": "progressed", "reason": reason})
        assert response.status_code == 302, response.content.decode()[:3000]
    entry.refresh_from_db()
    assert entry.stage == Stage.INTERVIEWED

    # 6. The appointment, by NHS England as the authority for an NHS trust's non-executive directors.
    appoint_url = reverse("nedcampaigns:appoint", kwargs={"pk": camp.pk, "entry": entry.pk})
    page = client.get(appoint_url).content.decode()
    assert "NHS England" in page and "no entry under Fiona Finance" in page
    response = client.post(
        appoint_url,
        {
            "authority": "own_board",
            "approver_name": "Ann Approver",
            "approved_on": today.isoformat(),
            "starts_on": today.isoformat(),
            "reason": "Recommended by the panel",
        },
    )
    assert "Select the appointing authority for this seat from the list" in response.content.decode()
    assert not BoardMember.objects.filter(name="Fiona Finance").exists()
    response = client.post(
        appoint_url,
        {
            "authority": "nhs_england",
            "approver_name": "Ann Approver",
            "approved_on": today.isoformat(),
            "starts_on": today.isoformat(),
            "reason": "Recommended by the panel",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    camp.refresh_from_db()
    assert camp.status == Campaign.Status.APPOINTED
    assert list(CampaignDecision.objects.filter(entry=entry).order_by("at", "pk").values_list("step", "outcome")) == [
        ("longlist", "progressed"),
        ("shortlist", "progressed"),
        ("interview", "progressed"),
        ("appointment", "progressed"),
    ]
    best.refresh_from_db()
    assert best.status == "appointed"
    assert Candidate.objects.get(pk=best.pk).name == "Fiona Finance"

    # 7. The new member is on the board with term 1, and their fit and proper test has ten checks to do.
    member = BoardMember.objects.get(organisation=raa, name="Fiona Finance")
    board = client.get(reverse("boards:board", kwargs={"code": "RAA"})).content.decode()
    member_link = reverse("boards:member", kwargs={"pk": member.pk})
    row = board[board.index(member_link) :]
    assert "Fiona Finance" in row[:200]
    assert re.search(r"Term 1:", row[:2000])
    member_page = client.get(reverse("boards:member", kwargs={"pk": member.pk})).content.decode()
    assert "Term 1" in member_page and "(assumed)" not in member_page
    assessment = Assessment.objects.get(member=member, year=financial_year_for(today))
    assert assessment.checks.count() == len(CheckKind.values) == 10
    assert not assessment.checks.exclude(outcome="").exists()
    fpp = client.get(reverse("fitproper:board") + "?org=RAA").content.decode()
    fpp_row = fpp[fpp.rindex("Fiona Finance") :]
    assert "0 of 10" in fpp_row[:3000]
    detail = client.get(reverse("fitproper:detail", kwargs={"pk": assessment.pk})).content.decode()
    assert detail.count("Not recorded") >= 10
    campaign_page = client.get(reverse("nedcampaigns:detail", kwargs={"pk": camp.pk})).content.decode()
    assert reverse("fitproper:detail", kwargs={"pk": assessment.pk}) in campaign_page

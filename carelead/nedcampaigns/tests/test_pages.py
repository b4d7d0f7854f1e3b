"""The campaign pages: reach by persona and region, the forms with their refusals, and query counts that do not
grow with the data."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carelead.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from carelead.boardappraisals.tests.factories import BoardMemberFactory
from carelead.boards.models import BoardMember, term_years, years_end
from carelead.boardskills.models import SkillRequirement
from carelead.fitproper.models import BarredPerson
from carelead.nedcampaigns.models import Campaign, CampaignCandidate, Stage
from carelead.nedcampaigns.tests.factories import appoint, campaign, decide, interviewed, longlisted, pool_candidate

pytestmark = pytest.mark.django_db


@pytest.fixture
def regional_client(world, client):
    user = UserFactory(email="ned-y99@example.org", full_name="Regional Ned")
    RoleAssignmentFactory(user=user, role="ned_team", organisation=world.orgs["Y99"])
    client.force_login(user)
    return client


def _text(response) -> str:
    return response.content.decode()


def test_another_regions_campaign_is_out_of_reach_by_id(world, regional_client):
    far = campaign(world, code="RCC")
    entry = interviewed(world, far, pool_candidate(world, region="Y98"))[0]
    near = campaign(world, code="RAA")
    kwargs = {"pk": far.pk}
    for name in ("detail", "edit", "longlist", "end", "fairness"):
        assert regional_client.get(reverse(f"nedcampaigns:{name}", kwargs=kwargs)).status_code == 404, name
    for name in ("decide", "appoint"):
        path = reverse(f"nedcampaigns:{name}", kwargs={**kwargs, "entry": entry.pk})
        assert regional_client.get(path).status_code == 404, name
        assert regional_client.post(path, {}).status_code == 404, name
    assert regional_client.post(reverse("nedcampaigns:open", kwargs=kwargs)).status_code == 404
    assert regional_client.get(reverse("nedcampaigns:new") + "?org=RCC").status_code == 404
    listing = _text(regional_client.get(reverse("nedcampaigns:list")))
    assert near.title in listing and far.title not in listing
    # an entry of one campaign is not reached through another's address
    path = reverse("nedcampaigns:decide", kwargs={"pk": near.pk, "entry": entry.pk})
    assert regional_client.get(path).status_code == 404


def test_the_national_admin_reads_but_does_not_run(world, client_for):
    camp = campaign(world)
    longlisted(world, camp, pool_candidate(world, name="Visible Candidate"))
    client = client_for("national_admin")
    page = _text(client.get(reverse("nedcampaigns:detail", kwargs={"pk": camp.pk})))
    assert "Visible Candidate" in page
    assert "Build the longlist" not in page and "Record the shortlisting decision" not in page
    assert client.get(reverse("nedcampaigns:longlist", kwargs={"pk": camp.pk})).status_code == 403


def test_new_asks_for_an_organisation_and_is_prefilled_from_the_board(world, client_for):
    today = timezone.localdate()
    raa = world.orgs["RAA"]
    SkillRequirement.objects.create(organisation=raa, skill="audit_risk", needed=1, level=2)
    BoardMemberFactory(
        organisation=raa,
        name="Nora Leaving",
        start_date=years_end(today, -term_years()) + datetime.timedelta(days=30),
    )
    client = client_for("ned_team")
    assert "Organisation code" in _text(client.get(reverse("nedcampaigns:new")))
    page = _text(client.get(reverse("nedcampaigns:new") + "?org=raa"))
    assert "Audit and risk" in page and "Nora Leaving" in page
    assert 'value="audit_risk" checked' in page
    assert "Non-executive director for Holdout Large Trust" in page


def test_opening_a_campaign_through_the_page(world, client_for):
    client = client_for("ned_team")
    path = reverse("nedcampaigns:new") + "?org=RAA"
    response = client.post(path, {"title": "", "role": "chair", "seats": "2", "closing_date": "", "action": "open"})
    assert response.status_code == 200
    page = _text(response)
    assert "There is a problem" in page and "Enter a title for the campaign" in page
    assert "Enter the closing date" in page
    closing = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    response = client.post(
        path,
        {
            "title": "Chair for Holdout Large Trust",
            "role": "chair",
            "seats": "2",
            "closing_date": closing,
            "skills": ["finance"],
            "action": "open",
        },
    )
    assert "A board has one chair" in _text(response)
    response = client.post(
        path,
        {
            "title": "Chair for Holdout Large Trust",
            "role": "chair",
            "seats": "1",
            "closing_date": closing,
            "skills": ["finance"],
            "action": "draft",
        },
    )
    camp = Campaign.objects.get(title="Chair for Holdout Large Trust")
    assert response.status_code == 302 and response["Location"] == reverse(
        "nedcampaigns:detail", kwargs={"pk": camp.pk}
    )
    assert camp.status == Campaign.Status.DRAFT and camp.authority == "nhs_england"
    assert client.post(reverse("nedcampaigns:open", kwargs={"pk": camp.pk})).status_code == 302
    camp.refresh_from_db()
    assert camp.status == Campaign.Status.OPEN


def test_the_longlist_builder_adds_the_selected_candidates(world, client_for):
    camp = campaign(world, skills=["finance"])
    best = pool_candidate(world, name="Best Match", skills=("finance",), validated=("finance",))
    pool_candidate(world, name="Far Away", region="Y98")
    client = client_for("ned_team")
    path = reverse("nedcampaigns:longlist", kwargs={"pk": camp.pk})
    page = _text(client.get(path))
    assert "Best Match" in page and "Far Away" not in page  # the board's region by default
    assert "Far Away" in _text(client.get(path + "?searched=1&region=Y98"))
    response = client.post(path, {"reason": "Matches the role profile"})
    assert "Select at least one candidate to add to the longlist" in _text(response)
    response = client.post(path, {"candidates": [best.pk], "reason": "Matches the role profile"})
    assert response.status_code == 302
    entry = CampaignCandidate.objects.get(campaign=camp)
    assert entry.candidate == best and entry.match_score == 2


def test_decisions_and_the_appointment_through_the_pages(world, client_for):
    camp = campaign(world)
    entry = longlisted(world, camp, pool_candidate(world, name="Dee Cided"))[0]
    client = client_for("ned_team")
    path = reverse("nedcampaigns:decide", kwargs={"pk": camp.pk, "entry": entry.pk})
    page = _text(client.get(path))
    assert "Shortlisting decision: Dee Cided" in page and "Shortlist for interview" in page
    response = client.post(path, {"outcome": "progressed", "reason": ""})
    assert "Give the reason for the decision" in _text(response)
    assert client.post(path, {"outcome": "progressed", "reason": "Strong finance evidence"}).status_code == 302
    assert "Appointable: recommend for appointment" in _text(client.get(path))
    assert client.post(path, {"outcome": "progressed", "reason": "Panel scored highest"}).status_code == 302
    entry.refresh_from_db()
    assert entry.stage == Stage.INTERVIEWED

    BarredPerson.objects.create(name="Dee Cided", reference="BAR-9", source="HCPC", added_on=datetime.date(2026, 2, 1))
    appoint_path = reverse("nedcampaigns:appoint", kwargs={"pk": camp.pk, "entry": entry.pk})
    page = _text(client.get(appoint_path))
    assert "Barring list match" in page and "BAR-9" in page
    today = timezone.localdate().isoformat()
    data = {
        "authority": "nhs_england",
        "approver_name": "Pat Approver",
        "approved_on": today,
        "starts_on": today,
        "reason": "Recommended by the panel",
    }
    response = client.post(appoint_path, data)
    assert response.status_code == 200
    assert "The appointment cannot go ahead unless you have confirmed" in _text(response)
    assert not BoardMember.objects.filter(name="Dee Cided").exists()
    response = client.post(
        appoint_path,
        {**data, "barring_different_person": "on", "barring_reason": "Checked date of birth: a different person"},
    )
    assert response.status_code == 302
    member = BoardMember.objects.get(name="Dee Cided")
    page = _text(client.get(reverse("nedcampaigns:detail", kwargs={"pk": camp.pk})))
    assert "approved by Pat Approver" in page
    assert reverse("boards:member", kwargs={"pk": member.pk}) in page
    assert "set aside as a different person" in page
    # nothing more is due for an appointed candidate
    assert client.get(appoint_path).status_code == 404


def test_closing_a_campaign_through_the_page(world, client_for):
    camp = campaign(world)
    client = client_for("ned_team")
    path = reverse("nedcampaigns:end", kwargs={"pk": camp.pk})
    assert "Give the reason" in _text(client.post(path, {"outcome": "withdrawn", "reason": ""}))
    assert client.post(path, {"outcome": "withdrawn", "reason": "The seat is no longer vacant"}).status_code == 302
    camp.refresh_from_db()
    assert camp.status == Campaign.Status.WITHDRAWN


def test_the_fairness_page_shows_published_figures(world, client_for):
    camp = campaign(world)
    for entry in longlisted(
        world, camp, *[pool_candidate(world, monitoring={"ethnic_category": "A"}) for _ in range(3)]
    ):
        decide(world, entry, "shortlist")
    page = _text(client_for("ned_team").get(reverse("nedcampaigns:fairness", kwargs={"pk": camp.pk})))
    assert "Shortlisted by ethnicity" in page
    assert ">3<" not in page  # three decisions show as *, never as their count


# Query counts ------------------------------------------------------------------------------------------------------


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries)


def _grow_campaign(world, camp, size: int) -> None:
    people = [
        pool_candidate(world, skills=("finance", "legal"), validated=("finance",), monitoring={"ethnic_category": "A"})
        for _ in range(size)
    ]
    entries = longlisted(world, camp, *people)
    for entry in entries[: size // 2]:
        decide(world, entry, "shortlist")
    for entry in entries[size // 2 :]:
        decide(world, entry, "shortlist", "not_progressed")
    if size >= 2:
        decide(world, entries[0], "interview")
        appoint(world, entries[0])


def test_list_queries_do_not_grow(world, client_for):
    client = client_for("ned_team")
    path = reverse("nedcampaigns:list")
    _grow_campaign(world, campaign(world), 2)
    small = _queries(client, path)
    for code in ("RAA", "RBB", "RCC", "QZZ"):
        _grow_campaign(world, campaign(world, code=code), 6)
    assert _queries(client, path) == small


@pytest.mark.parametrize("name", ["detail", "fairness", "longlist"])
def test_campaign_page_queries_do_not_grow(world, client_for, name):
    client = client_for("ned_team")
    few, many = campaign(world, seats=2), campaign(world, seats=2)
    _grow_campaign(world, few, 2)
    _grow_campaign(world, many, 12)
    small = _queries(client, reverse(f"nedcampaigns:{name}", kwargs={"pk": few.pk}))
    assert _queries(client, reverse(f"nedcampaigns:{name}", kwargs={"pk": many.pk})) == small


def test_decision_page_queries_do_not_grow(world, client_for):
    client = client_for("ned_team")
    camp = campaign(world)
    first = longlisted(world, camp, pool_candidate(world, skills=("finance",)))[0]
    second = longlisted(world, camp, pool_candidate(world, skills=("finance", "legal", "digital", "clinical")))[0]
    decide(world, second, "shortlist")
    small = _queries(client, reverse("nedcampaigns:decide", kwargs={"pk": camp.pk, "entry": first.pk}))
    large = _queries(client, reverse("nedcampaigns:decide", kwargs={"pk": camp.pk, "entry": second.pk}))
    assert small == large


def test_the_list_filters_by_status_region_and_organisation(world, client_for):
    raa = campaign(world, title="Seat at RAA")
    campaign(world, code="RCC", title="Seat at RCC")
    campaign(world, code="RBB", title="Draft at RBB", open_now=False)
    longlisted(world, raa, pool_candidate(world))
    client = client_for("ned_team")
    path = reverse("nedcampaigns:list")

    def titles(query: str) -> set[str]:
        page = _text(client.get(path + query))
        return {t for t in ("Seat at RAA", "Seat at RCC", "Draft at RBB") if t in page}

    assert titles("") == {"Seat at RAA", "Seat at RCC", "Draft at RBB"}
    assert titles("?status=draft") == {"Draft at RBB"}
    assert titles("?region=Y98") == {"Seat at RCC"}
    assert titles("?organisation=raa") == {"Seat at RAA"}
    assert "No campaigns match these filters" in _text(client.get(path + "?organisation=ZZZ"))

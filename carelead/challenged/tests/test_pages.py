"""The challenged organisations pages per persona, their forms, object-level refusals and query counts."""

import datetime
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from carelead.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from carelead.challenged.models import IncentivePackage, StatusChange
from carelead.organisations.models import Organisation
from carelead.organisations.services import organisation_tree_rebuild
from carelead.people.tests.factories import PersonFactory
from carelead.vacancies.tests.factories import VacancyFactory

TODAY = timezone.localdate()


def senior_vacancy(world, code="RBB", **extra):
    return VacancyFactory(organisation=world.orgs[code], level="senior", created_by=world.users["org_hr"], **extra)


def test_the_list_follows_each_personas_scope(client_for, world):
    regional = client_for("regional_talent").get("/challenged/").content.decode()
    assert "Holdout Small Trust" in regional and "Far Away Trust" not in regional
    for persona in ("national_admin", "regulator"):
        page = client_for(persona).get("/challenged/").content.decode()
        assert "Holdout Small Trust" in page and "Far Away Trust" in page, persona
    assert "No organisation in your area is challenged" in client_for("org_hr").get("/challenged/").content.decode()
    searched = client_for("national_admin").get("/challenged/?q=RCC").content.decode()
    assert "Far Away Trust" in searched and "Holdout Small Trust" not in searched


def test_another_regions_or_organisations_records_are_not_found(client_for, world):
    rcc_vacancy = senior_vacancy(world, "RCC")
    package = IncentivePackage.objects.create(vacancy=rcc_vacancy, proposed_by=world.users["national_admin"])
    regional = client_for("regional_talent")
    for path in (
        "/challenged/organisations/RCC/",
        "/challenged/organisations/RCC/status/",
        f"/challenged/vacancies/{rcc_vacancy.pk}/package/",
        f"/challenged/packages/{package.pk}/decide/",
        "/challenged/organisations/Y99/",  # a region is not an organisation page
    ):
        assert regional.get(path).status_code == 404, path
    assert (
        regional.post(
            "/challenged/organisations/RCC/status/", {"effective_on": TODAY, "oversight_segment": "3"}
        ).status_code
        == 404
    )
    assert not StatusChange.objects.filter(organisation__code="RCC", recorded_by__isnull=False).exists()
    org_hr = client_for("org_hr")
    assert org_hr.get("/challenged/organisations/RBB/").status_code == 404
    assert org_hr.get("/challenged/organisations/RAA/").status_code == 200


def test_recording_a_status_from_the_page(client_for, world):
    client = client_for("regional_talent")
    response = client.post(
        "/challenged/organisations/RBB/status/",
        {
            "effective_on": TODAY.isoformat(),
            "oversight_segment": "4",
            "cqc_rating": "requires_improvement",
            "note": "Left RSP",
        },
        follow=True,
    )
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == "/challenged/organisations/RBB/"
    assert "Status of Holdout Small Trust recorded" in page and "Left RSP" in page
    assert Organisation.objects.get(code="RBB").oversight_segment == 4
    bad = client.post(
        "/challenged/organisations/RBB/status/", {"effective_on": "2024-05-01", "oversight_segment": "5"}
    ).content.decode()
    assert "There is a problem" in bad and "exists only from 1 April 2025" in bad


def test_proposing_and_deciding_a_package_from_the_pages(client_for, world):
    vacancy = senior_vacancy(world)
    proposer = client_for("regional_talent")
    bad = proposer.post(
        f"/challenged/vacancies/{vacancy.pk}/package/",
        {"pay_uplift_percent": "20", "pay_uplift_cap": "50000", "bonus_percent": "0", "relocation": "0"},
    ).content.decode()
    assert "The pay uplift can be at most 15%" in bad and "at most £45,000 a year" in bad
    proposer.post(
        f"/challenged/vacancies/{vacancy.pk}/package/",
        {
            "pay_uplift_percent": "10",
            "pay_uplift_cap": "20000",
            "bonus_percent": "5",
            "relocation": "3000",
            "mentor": "on",
        },
    )
    package = IncentivePackage.objects.get()
    assert (package.status, package.mentor, package.pay_uplift_cap) == ("proposed", True, 20000)
    own = proposer.get(f"/challenged/packages/{package.pk}/decide/").content.decode()
    assert "someone else in the regional talent team must decide it" in own
    refused = proposer.post(f"/challenged/packages/{package.pk}/decide/", {"decision": "approve", "reason": "Fine"})
    assert "other than the person who proposed" in refused.content.decode()
    other = UserFactory(email="regional2@example.org", full_name="Second Lead")
    RoleAssignmentFactory(user=other, role="regional_talent", organisation=world.orgs["Y99"])
    proposer.force_login(other)
    missing = proposer.post(f"/challenged/packages/{package.pk}/decide/", {"decision": "approve", "reason": ""})
    assert "There is a problem" in missing.content.decode()
    proposer.post(f"/challenged/packages/{package.pk}/decide/", {"decision": "approve", "reason": "Within policy"})
    package.refresh_from_db()
    assert (package.status, package.decided_by, package.decision_reason) == ("approved", other, "Within policy")
    page = proposer.get("/challenged/organisations/RBB/").content.decode()
    assert "Approved" in page and "10.0% pay uplift capped at £20,000" in page and "Within policy" in page


def test_the_regulator_sees_organisation_level_figures_only(client_for, world):
    person = PersonFactory(organisation=world.orgs["RBB"], first_name="Priya", last_name="Appointee")
    vacancy = senior_vacancy(
        world,
        status="filled",
        opens_on=TODAY - datetime.timedelta(days=60),
        filled_on=TODAY - datetime.timedelta(days=5),
        appointed=person,
    )
    IncentivePackage.objects.create(
        vacancy=vacancy, status="approved", proposed_by=world.users["org_hr"], decided_by=world.users["regional_talent"]
    )
    regulator = client_for("regulator")
    dashboard = regulator.get("/challenged/dashboard/").content.decode()
    assert "By organisation" in dashboard and "Holdout Small Trust" in dashboard
    assert "Priya" not in dashboard and "Ready leaders" not in dashboard
    organisation = regulator.get("/challenged/organisations/RBB/").content.decode()
    assert "Priya" not in organisation and "Org Hr" not in organisation and "Regional Talent" not in organisation
    regional = client_for("regional_talent").get("/challenged/dashboard/").content.decode()
    assert "Priya Appointee" in regional and "Ready leaders for open vacancies" in regional
    national = client_for("national_admin").get("/challenged/dashboard/").content.decode()
    assert "Priya Appointee" in national


def _more_data(world, n: int, start: int) -> None:
    for i in range(n):
        org = Organisation.objects.create(
            code=f"T{start + i}",
            name=f"Trust {start + i}",
            type="trust",
            sector="nhs",
            parent=world.orgs["QZZ"],
            oversight_segment=5,
        )
        StatusChange.objects.create(
            organisation=org, effective_on=date(2025, 5, 1), oversight_segment=5, cqc_rating="", challenged=True
        )
        person = PersonFactory(organisation=org, staff_id=f"T{start + i}-1")
        filled = VacancyFactory(
            organisation=org,
            level="senior",
            status="filled",
            opens_on=TODAY - datetime.timedelta(days=90),
            filled_on=TODAY - datetime.timedelta(days=30),
            appointed=person,
            created_by=world.users["org_hr"],
        )
        IncentivePackage.objects.create(vacancy=filled, status="approved", proposed_by=world.users["org_hr"])
        VacancyFactory(organisation=org, level="middle", created_by=world.users["org_hr"])
        VacancyFactory(organisation=world.orgs["RBB"], level="executive", created_by=world.users["org_hr"])
    organisation_tree_rebuild()


def _counts(client, path, world):
    counts = []
    for n, start in ((1, 100), (12, 200)):
        _more_data(world, n, start)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        counts.append(len(captured))
    return counts


def test_list_query_count_does_not_grow(client_for, world):
    a, b = _counts(client_for("regional_talent"), "/challenged/", world)
    assert a == b


def test_organisation_page_query_count_does_not_grow(client_for, world):
    a, b = _counts(client_for("regional_talent"), "/challenged/organisations/RBB/", world)
    assert a == b


@pytest.mark.parametrize("persona", ["regional_talent", "regulator", "national_admin"])
def test_dashboard_query_count_does_not_grow(client_for, world, persona):
    a, b = _counts(client_for(persona), "/challenged/dashboard/", world)
    assert a == b


def test_form_pages_query_counts_do_not_grow(client_for, world):
    vacancy = senior_vacancy(world)
    package = IncentivePackage.objects.create(vacancy=senior_vacancy(world), proposed_by=world.users["national_admin"])
    client = client_for("regional_talent")
    for path in (
        "/challenged/organisations/RBB/status/",
        f"/challenged/vacancies/{vacancy.pk}/package/",
        f"/challenged/packages/{package.pk}/decide/",
    ):
        counts = []
        for n, start in ((1, 300 + len(path)), (8, 400 + len(path))):
            _more_data(world, n, start * 10)
            with CaptureQueriesContext(connection) as captured:
                assert client.get(path).status_code == 200
            counts.append(len(captured))
        assert counts[0] == counts[1], (path, counts)

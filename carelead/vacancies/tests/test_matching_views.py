"""The matching page per persona, invitations, published group comparisons and object-level refusals."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from carelead.audit.models import AuditLog
from carelead.people.tests.factories import MonitoringFactory, PersonFactory
from carelead.vacancies.matching import ranking_composition, ranking_for
from carelead.vacancies.models import Application
from carelead.vacancies.tests.factories import ApplicationFactory
from carelead.vacancies.tests.test_matching import (  # noqa: F401 - fixtures
    complete,
    curriculum,
    join,
    talk,
    vacancy_at,
)

TODAY = timezone.localdate()


def _ranked(world, curriculum, code="RBB"):  # noqa: F811
    member, rcc = world.people["member"], world.people["rcc"]
    for person in (member, rcc):
        complete(person, "T-IND", "T-MGR")
        join(world, person, expires_on=TODAY + datetime.timedelta(days=100), region="Y99" if code != "RCC" else "Y98")
    talk(world, member, "ready_now", regions=["Y99"], held_on=TODAY)
    failing = world.people["others"][0]
    complete(failing, "T-IND")
    join(world, failing, expires_on=TODAY + datetime.timedelta(days=100))
    return vacancy_at(world, code=code)


def test_the_regional_team_sees_the_explained_ranking_and_the_weights(client_for, world, curriculum):  # noqa: F811
    vacancy = _ranked(world, curriculum)
    page = client_for("regional_talent").get(f"/vacancies/{vacancy.pk}/match/").content.decode()
    assert "Sam Staffmember" in page and "Cara Faraway" in page
    assert "Ready now; meets 2 of 3 standards" in page
    assert "How the score is worked out" in page and "up to 40" in page
    assert "1 is not shown because they do not yet meet" in page
    assert page.count("Invite to apply") == 2
    # Special-category answers never reach the page: only published aggregates.
    for secret in ("Bisexual", "Sikhism", "Black or Black British", "Asian or Asian British"):
        assert secret not in page


def test_national_admin_reads_without_inviting(client_for, world, curriculum):  # noqa: F811
    vacancy = _ranked(world, curriculum)
    client = client_for("national_admin")
    page = client.get(f"/vacancies/{vacancy.pk}/match/").content.decode()
    assert "Sam Staffmember" in page and "Invite to apply" not in page
    response = client.post(f"/vacancies/{vacancy.pk}/match/invite/", {"staff_id": "RAA-00003"})
    assert response.status_code == 403
    assert not Application.objects.exists()


def test_another_regions_vacancy_is_not_found(client_for, world, curriculum):  # noqa: F811
    vacancy = _ranked(world, curriculum, code="RCC")
    client = client_for("regional_talent")
    assert client.get(f"/vacancies/{vacancy.pk}/match/").status_code == 404
    assert client.post(f"/vacancies/{vacancy.pk}/match/invite/", {"staff_id": "RCC-00001"}).status_code == 404
    assert client_for("national_admin").get(f"/vacancies/{vacancy.pk}/match/").status_code == 200
    for persona in ("org_hr", "staff", "regulator"):
        assert client_for(persona).get(f"/vacancies/{vacancy.pk}/match/").status_code == 403, persona


def test_inviting_a_ranked_candidate_records_an_invited_application(client_for, world, curriculum):  # noqa: F811
    vacancy = _ranked(world, curriculum)
    client = client_for("regional_talent")
    response = client.post(
        f"/vacancies/{vacancy.pk}/match/invite/", {"staff_id": "RCC-00001", "back": "?page=1"}, follow=True
    )
    assert response.redirect_chain[-1][0] == f"/vacancies/{vacancy.pk}/match/?page=1"
    application = Application.objects.get()
    assert application.person == world.people["rcc"] and application.source == "invited"
    assert AuditLog.objects.filter(object_type="vacancies.Application", object_id=str(application.pk)).exists()
    page = response.content.decode()
    assert "Cara Faraway is invited to apply" in page and page.count("Invite to apply") == 1
    # Inviting again is refused with a clear message, and nothing more is written.
    again = client.post(f"/vacancies/{vacancy.pk}/match/invite/", {"staff_id": "RCC-00001"}, follow=True)
    assert "has already applied" in again.content.decode()
    assert Application.objects.count() == 1


def test_only_ranked_candidates_can_be_invited(client_for, world, curriculum):  # noqa: F811
    vacancy = _ranked(world, curriculum)
    client = client_for("regional_talent")
    # Fails the gate, and someone not in the pool at all.
    for staff_id in ("RAA-00100", "RAA-00001", "NOBODY"):
        assert client.post(f"/vacancies/{vacancy.pk}/match/invite/", {"staff_id": staff_id}).status_code == 404
    assert client.get(f"/vacancies/{vacancy.pk}/match/invite/").status_code == 405
    assert not Application.objects.exists()


def test_filters_narrow_the_list(client_for, world, curriculum):  # noqa: F811
    vacancy = _ranked(world, curriculum)
    client = client_for("regional_talent")
    page = client.get(f"/vacancies/{vacancy.pk}/match/?readiness=ready_now").content.decode()
    assert "Sam Staffmember" in page and "Cara Faraway" not in page
    page = client.get(f"/vacancies/{vacancy.pk}/match/?q=faraway").content.decode()
    assert "Cara Faraway" in page and "Sam Staffmember" not in page
    page = client.get(f"/vacancies/{vacancy.pk}/match/?q=nobody").content.decode()
    assert "No ranked candidate matches these filters" in page


def test_group_comparison_is_published_with_suppression(world, curriculum):  # noqa: F811
    vacancy = vacancy_at(world)
    people = []
    for i in range(12):
        person = PersonFactory(organisation=world.orgs["RAA"], staff_id=f"RAA-5{i:04d}")
        MonitoringFactory(person=person, ethnic_category="A" if i < 10 else "N", disability="N", sex="F")
        complete(person, "T-IND", "T-MGR")
        join(world, person, expires_on=TODAY + datetime.timedelta(days=100))
        people.append(person)
    for person in people[:3]:
        ApplicationFactory(vacancy=vacancy, person=person, status="shortlisted", applied_on=TODAY)
    tables, totals = ranking_composition(ranking=ranking_for(vacancy=vacancy))
    ethnicity = dict(tables[0].rows)
    # Everyone considered: 10 White (shown as 10), 2 BME (hidden), 0 not known; the lone hidden cell takes the
    # smallest other with it, so "Not known" is hidden too.
    considered, _top, shortlist = zip(*[ethnicity[g] for g in ("White", "BME", "Not known")], strict=True)
    assert [c.count for c in considered] == ["10", "*", "*"]
    assert considered[0].share == "100%"  # 10 of the published total 10 (12 rounded to the nearest 5)
    assert totals["considered"].count == "10"
    assert totals["shortlist"].count == "*"
    assert all(c.count in ("*", "0") for c in shortlist)
    disability = dict(tables[1].rows)
    assert disability["Not disabled"][0].count == "10" and disability["Disabled"][0].count == "0"


def test_page_query_count_does_not_grow_with_the_pool(client_for, world, curriculum):  # noqa: F811
    vacancy = vacancy_at(world)
    client = client_for("regional_talent")
    client.get(f"/vacancies/{vacancy.pk}/match/")
    counts = []
    for n, start in ((2, 60000), (40, 61000)):
        for i in range(n):
            person = PersonFactory(organisation=world.orgs["RAA"], staff_id=f"RAA-{start + i}")
            complete(person, "T-IND", "T-MGR")
            join(world, person, expires_on=TODAY + datetime.timedelta(days=100))
            talk(world, person, "1_2_years", sectors=["nhs"], held_on=TODAY)
            ApplicationFactory(vacancy=vacancy, person=person, status="shortlisted", applied_on=TODAY)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/vacancies/{vacancy.pk}/match/").status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], counts

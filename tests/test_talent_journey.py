"""The careers and talent journey end to end, through the pages: a regional talent lead goes from a challenged
organisation's chief executive vacancy to an explained ranking of ready, eligible, willing candidates, invites
the best, and makes an appointment the progression gate checks; the decisions reach WRES 2."""

import datetime

import pytest
from django.urls import reverse

from carelead.equality.models import RecruitmentDecision
from carelead.people.tests.factories import PersonFactory
from carelead.vacancies.models import Application, Vacancy
from carelead.vacancies.tests.test_matching import appraise, complete, curriculum, join, talk  # noqa: F401

pytestmark = pytest.mark.django_db


def test_from_a_challenged_vacancy_to_an_appointment_the_gate_checks(world, curriculum, client):  # noqa: F811
    today = datetime.date.today()
    rbb = world.orgs["RBB"]  # segment 5: in the Recovery Support Programme
    assert rbb.is_challenged
    ready, short, unwilling = world.people["member"], *world.people["others"][:2]
    for person in (ready, short, unwilling):
        person.level = "senior"
        person.save()
        join(world, person, level="executive", expires_on=today + datetime.timedelta(days=300))
    complete(ready, "T-IND", "T-MGR", "T-EXTRA")
    complete(unwilling, "T-IND", "T-MGR")
    complete(short, "T-IND")  # one gating module short: the gate leaves them out
    talk(world, ready, "ready_now", regions=["Y99"], held_on=today - datetime.timedelta(days=20))
    talk(world, unwilling, "1_2_years", held_on=today - datetime.timedelta(days=20))
    appraise(world, ready, "good", signed_off_on=today - datetime.timedelta(days=60))

    # the vacancy names real standards of the published framework; the test modules develop them
    from carelead.standards.selectors import management_standards

    codes = list(management_standards())[:3]
    for module, code in zip(("T-IND", "T-MGR", "T-EXTRA"), codes, strict=True):
        curriculum[module].standard_codes = [code]
        curriculum[module].save()

    client.force_login(world.users["regional_talent"])
    assert "Holdout Small Trust" in client.get(reverse("challenged:list")).content.decode()
    response = client.post(
        reverse("vacancies:create"),
        {
            "organisation": "RBB",
            "title": "Chief executive",
            "level": "executive",
            "location": "Holdout",
            "closes_on": (today + datetime.timedelta(days=21)).isoformat(),
            "required_standards": codes,
            "description": "Lead the trust's recovery.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    vacancy = Vacancy.objects.get(organisation=rbb, title="Chief executive")
    response = client.post(reverse("vacancies:status", kwargs={"pk": vacancy.pk}), {"to": "open", "reason": ""})
    assert response.status_code == 302

    # the ranking: only those who pass the gate, the best first, each score in words
    page = client.get(reverse("vacancies:match", kwargs={"pk": vacancy.pk})).content.decode()
    assert page.index(ready.staff_id) < page.index(unwilling.staff_id)
    assert short.staff_id not in page
    assert "Ready now" in page
    assert "3 of 3" in page

    response = client.post(reverse("vacancies:match_invite", kwargs={"pk": vacancy.pk}), {"staff_id": ready.staff_id})
    assert response.status_code == 302
    application = Application.objects.get(vacancy=vacancy, person=ready)
    assert application.source == "invited"

    # the panel's decisions, each with a reason; the appointment goes through the gate
    client.post(reverse("vacancies:status", kwargs={"pk": vacancy.pk}), {"to": "shortlisting", "reason": ""})
    decide = reverse("vacancies:application", kwargs={"pk": application.pk})
    for to in ("shortlisted", "interviewed", "appointed"):
        if to == "interviewed":
            client.post(reverse("vacancies:status", kwargs={"pk": vacancy.pk}), {"to": "interviewing", "reason": ""})
        response = client.post(decide, {"to": to, "reason": f"The panel's reason for {to}"})
        assert response.status_code == 302, response.content.decode()[:3000]
    vacancy.refresh_from_db()
    ready.refresh_from_db()
    assert (vacancy.status, vacancy.appointed) == ("filled", ready)
    assert ready.level == "executive"
    # the decisions are recruitment records the equality standards read
    record = RecruitmentDecision.objects.get(application_id=application.recruitment_id)
    assert (record.shortlisted, record.appointed, record.vacancy_id) == (True, True, vacancy.reference)


def test_the_gate_refuses_an_appointment_and_says_why(world, curriculum, client):  # noqa: F811
    from carelead.vacancies.tests.factories import ApplicationFactory, VacancyFactory

    today = datetime.date.today()
    vacancy = VacancyFactory(
        organisation=world.orgs["RAA"], level="middle", status="interviewing", created_by=world.users["org_hr"]
    )
    person = PersonFactory(organisation=world.orgs["RAA"], level="first_line", staff_id="RAA-77777")
    complete(person, "T-IND")
    application = ApplicationFactory(vacancy=vacancy, person=person, status="interviewed", applied_on=today)
    client.force_login(world.users["org_hr"])
    response = client.post(
        reverse("vacancies:application", kwargs={"pk": application.pk}), {"to": "appointed", "reason": "Best"}
    )
    assert response.status_code == 200
    assert "T-REQ-MGR" in response.content.decode() or "Managing people" in response.content.decode()
    application.refresh_from_db()
    assert application.status == "interviewed"

"""The vacancy pages for each persona: what each sees, what each may do, refusals by id, and query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from carelead.people.tests.factories import PersonFactory
from carelead.standards.tests.test_gate import complete, curriculum  # noqa: F401 - fixture
from carelead.vacancies import services
from carelead.vacancies.models import Application, ApplicationDecision, ApplicationSource, Vacancy
from carelead.vacancies.tests.factories import ApplicationFactory, VacancyFactory

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def page(client, path: str) -> str:
    """The page's text with its white space run together."""
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return " ".join(response.content.decode().split())


@pytest.fixture
def spread(world):
    """Open vacancies in three organisations, a draft, and one in another region that has closed."""
    return {
        "raa": VacancyFactory(organisation=world.orgs["RAA"], title="Ward manager", level="first_line"),
        "rbb": VacancyFactory(organisation=world.orgs["RBB"], title="Matron", level="middle"),
        "rcc": VacancyFactory(organisation=world.orgs["RCC"], title="Director of Nursing", level="executive"),
        "care": VacancyFactory(organisation=world.orgs["CP001"], title="Registered manager", level="middle"),
        "draft": VacancyFactory(organisation=world.orgs["RAA"], title="Secret draft", status="draft"),
        "closed": VacancyFactory(organisation=world.orgs["RCC"], title="Closed role", closes_on=TODAY - DAY),
    }


# Open vacancies, applying and one's own applications --------------------------------------------------


def test_everyone_looking_sees_open_vacancies_across_england_with_filters(client_for, spread):
    html = page(client_for("staff"), "/vacancies/")
    for title in ("Ward manager", "Matron", "Director of Nursing", "Registered manager"):
        assert title in html
    assert "Secret draft" not in html and "Closed role" not in html
    other_region = page(client_for("staff"), "/vacancies/?region=Y98")
    assert "Director of Nursing" in other_region and "Matron" not in other_region
    care = page(client_for("staff"), "/vacancies/?sector=social_care")
    assert "Registered manager" in care and "Matron" not in care
    middle = page(client_for("line_manager"), "/vacancies/?level=middle")
    assert "Matron" in middle and "Ward manager" not in middle
    search = page(client_for("org_hr"), f"/vacancies/?q={spread['rbb'].reference}")
    assert "Matron" in search and "Ward manager" not in search
    assert "No open vacancy matches this search" in page(client_for("staff"), "/vacancies/?q=astronaut")


def test_the_open_list_is_paginated(client_for, world):
    for _ in range(30):
        VacancyFactory()
    html = page(client_for("staff"), "/vacancies/")
    assert "Showing 1 to 25 of 30 vacancies" in html
    assert "Showing 26 to 30 of 30" in page(client_for("staff"), "/vacancies/?page=2")


def test_a_draft_or_closed_vacancy_is_not_found_by_people_looking(client_for, spread):
    staff = client_for("staff")
    assert staff.get(f"/vacancies/{spread['draft'].pk}/").status_code == 404
    assert staff.get(f"/vacancies/{spread['closed'].pk}/").status_code == 404
    assert staff.get(f"/vacancies/{spread['draft'].pk}/apply/").status_code == 404


def test_staff_apply_and_see_their_application_and_the_decisions(client_for, world, spread):
    staff = client_for("staff")
    vacancy = spread["rcc"]  # another region's vacancy: anyone may apply
    html = page(staff, f"/vacancies/{vacancy.pk}/")
    assert "Apply for this role" in html
    form = page(staff, f"/vacancies/{vacancy.pk}/apply/")
    assert "The progression gate for executive roles" in form
    refused = staff.post(f"/vacancies/{vacancy.pk}/apply/", {"statement": ""})
    assert refused.status_code == 200 and "Write your supporting statement" in refused.content.decode()
    response = staff.post(f"/vacancies/{vacancy.pk}/apply/", {"statement": "Ten years on the wards."})
    application = Application.objects.get(person=world.people["member"])
    assert response.status_code == 302 and response["Location"] == f"/vacancies/applications/{application.pk}/"
    assert "You applied on" in page(staff, f"/vacancies/{vacancy.pk}/")
    again = staff.get(f"/vacancies/{vacancy.pk}/apply/")
    assert again.status_code == 302
    # the vacancy moves on: the applicant still sees it, and every decision with its reason
    services.vacancy_status_change(vacancy=vacancy, to="shortlisting", by=world.users["org_hr"])
    services.application_decide(
        application=application, to="not_shortlisted", reason="Board experience is essential", by=world.users["org_hr"]
    )
    assert page(staff, f"/vacancies/{vacancy.pk}/")
    mine = page(staff, "/vacancies/applications/")
    assert "Director of Nursing" in mine and "Not shortlisted" in mine
    detail = page(staff, f"/vacancies/applications/{application.pk}/")
    assert "Board experience is essential" in detail and "Withdraw your application" not in detail
    assert "Org Hr" not in detail  # who decided is for the people running the vacancy


def test_applicants_see_only_their_own_applications(client_for, world, spread):
    theirs = ApplicationFactory(vacancy=spread["raa"], person=world.people["manager"])
    assert client_for("staff").get(f"/vacancies/applications/{theirs.pk}/").status_code == 404
    assert "Ward manager" not in page(client_for("staff"), "/vacancies/applications/")
    assert "Ward manager" in page(client_for("line_manager"), "/vacancies/applications/")
    assert client_for("org_hr").get(f"/vacancies/applications/{theirs.pk}/").status_code == 404


def test_the_applicant_withdraws_from_their_page(client_for, world, spread):
    application = ApplicationFactory(vacancy=spread["raa"], person=world.people["member"])
    staff = client_for("staff")
    response = staff.post(f"/vacancies/applications/{application.pk}/", {"reason": "Staying in my team"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "withdrawn"
    assert "Staying in my team" in page(staff, f"/vacancies/applications/{application.pk}/")


def test_people_without_a_staff_record_cannot_apply(client_for, spread):
    html = page(client_for("regional_talent"), f"/vacancies/{spread['raa'].pk}/")
    assert "Applying needs a staff record" in html
    assert "Your account is not linked to a staff record" in page(client_for("org_hr"), "/vacancies/applications/")


# Managers ------------------------------------------------------------------------------------------------


def test_each_manager_sees_the_vacancies_of_their_scope(client_for, spread):
    hr = page(client_for("org_hr"), "/vacancies/manage/")
    assert "Ward manager" in hr and "Secret draft" in hr
    assert "Matron" not in hr and "Director of Nursing" not in hr
    talent = page(client_for("regional_talent"), "/vacancies/manage/")
    assert "Ward manager" in talent and "Matron" in talent and "Registered manager" in talent
    assert "Director of Nursing" not in talent
    national = page(client_for("national_admin"), "/vacancies/manage/")
    assert "Director of Nursing" in national and "Ward manager" in national
    assert "Create a vacancy" not in national
    drafts = page(client_for("org_hr"), "/vacancies/manage/?status=draft")
    assert "Secret draft" in drafts and "Ward manager" not in drafts
    by_org = page(client_for("regional_talent"), "/vacancies/manage/?organisation=rbb&level=middle")
    assert "Matron" in by_org and "Registered manager" not in by_org
    assert page(client_for("national_admin"), "/vacancies/manage/").count("Closed: move it to shortlisting") == 1
    by_reference = page(client_for("regional_talent"), f"/vacancies/manage/?q={spread['care'].reference}")
    assert "Registered manager" in by_reference and "Matron" not in by_reference


def test_another_organisations_vacancy_is_not_found_by_id(client_for, world, spread):
    rcc = spread["rcc"]
    application = ApplicationFactory(vacancy=rcc, person=world.people["rcc"])
    for persona in ("org_hr", "regional_talent"):
        client = client_for(persona)
        for path in (
            f"/vacancies/manage/{rcc.pk}/",
            f"/vacancies/manage/{rcc.pk}/edit/",
            f"/vacancies/manage/{rcc.pk}/status/",
            f"/vacancies/manage/applications/{application.pk}/",
        ):
            assert client.get(path).status_code == 404, (persona, path)
        assert client.post(f"/vacancies/manage/{rcc.pk}/status/", {"to": "withdrawn", "reason": "x"}).status_code == 404
        decided = client.post(f"/vacancies/manage/applications/{application.pk}/", {"to": "shortlisted", "reason": "x"})
        assert decided.status_code == 404
    # RBB is in the talent lead's region but not the HR lead's organisation
    assert client_for("org_hr").get(f"/vacancies/manage/{spread['rbb'].pk}/").status_code == 404
    assert client_for("regional_talent").get(f"/vacancies/manage/{spread['rbb'].pk}/").status_code == 200
    assert client_for("regional_talent").get(f"/vacancies/manage/{rcc.pk}/invite/").status_code == 404
    rcc.refresh_from_db()
    assert rcc.status == "open" and not ApplicationDecision.objects.exists()


def test_hr_creates_a_draft_then_opens_it(client_for, world):
    hr = client_for("org_hr")
    form = page(hr, "/vacancies/manage/new/")
    assert 'value="RAA"' in form and "M1.1" in form
    data = {
        "organisation": "RAA",
        "title": "Ward manager, Oak ward",
        "level": "first_line",
        "location": "Holdout General Hospital",
        "closes_on": (TODAY + 21 * DAY).isoformat(),
        "required_standards": ["M2.1", "M3.1"],
        "description": "Lead the Oak ward team.",
    }
    refused = hr.post("/vacancies/manage/new/", {**data, "organisation": "RCC"})
    assert "No organisation in your area has that code" in refused.content.decode()
    late = hr.post("/vacancies/manage/new/", {**data, "closes_on": (TODAY - DAY).isoformat()})
    assert "The closing date must be today or later." in late.content.decode()
    response = hr.post("/vacancies/manage/new/", data)
    vacancy = Vacancy.objects.get(title="Ward manager, Oak ward")
    assert response.status_code == 302 and response["Location"] == f"/vacancies/manage/{vacancy.pk}/"
    assert vacancy.reference == f"VAC-RAA-{TODAY.year}-0001" and vacancy.required_standards == ["M2.1", "M3.1"]
    assert vacancy.status == "draft" and vacancy.created_by == world.users["org_hr"]
    changed = hr.post(f"/vacancies/manage/{vacancy.pk}/edit/", {**data, "title": "Ward manager, Ash ward"})
    assert changed.status_code == 302
    vacancy.refresh_from_db()
    assert vacancy.title == "Ward manager, Ash ward"
    no_reason = hr.post(f"/vacancies/manage/{vacancy.pk}/status/", {"to": "withdrawn", "reason": ""})
    assert "Say why the vacancy is withdrawn." in no_reason.content.decode()
    assert hr.post(f"/vacancies/manage/{vacancy.pk}/status/", {"to": "open"}).status_code == 302
    vacancy.refresh_from_db()
    assert vacancy.status == "open"
    assert "Ward manager, Ash ward" in page(client_for("staff"), "/vacancies/")


def test_the_talent_team_creates_in_any_organisation_of_the_region(client_for):
    talent = client_for("regional_talent")
    form = page(talent, "/vacancies/manage/new/")
    assert 'value="RBB"' not in form
    data = {
        "organisation": "CP001",
        "title": "Registered manager",
        "level": "middle",
        "location": "Meadow View",
        "closes_on": (TODAY + 10 * DAY).isoformat(),
    }
    assert talent.post("/vacancies/manage/new/", data).status_code == 302
    assert Vacancy.objects.get().organisation.code == "CP001"
    refused = talent.post("/vacancies/manage/new/", {**data, "organisation": "Y99"})
    assert "No organisation in your area has that code" in refused.content.decode()


def test_the_talent_team_invites_people_in_the_region(client_for, world, spread):
    vacancy = spread["raa"]
    assert "Invite someone to apply" not in page(client_for("org_hr"), f"/vacancies/manage/{vacancy.pk}/")
    talent = client_for("regional_talent")
    assert "Invite someone to apply" in page(talent, f"/vacancies/manage/{vacancy.pk}/")
    far = talent.post(f"/vacancies/manage/{vacancy.pk}/invite/", {"staff_id": world.people["rcc"].staff_id})
    assert "No one in your area has that staff ID" in far.content.decode()
    response = talent.post(
        f"/vacancies/manage/{vacancy.pk}/invite/", {"staff_id": world.people["rbb"].staff_id, "statement": "Ready now"}
    )
    assert response.status_code == 302
    invited = Application.objects.get(person=world.people["rbb"])
    assert invited.source == ApplicationSource.INVITED and invited.statement == "Ready now"
    again = talent.post(f"/vacancies/manage/{vacancy.pk}/invite/", {"staff_id": world.people["rbb"].staff_id})
    assert "has already applied" in again.content.decode()


def test_decisions_from_the_application_page_and_the_gate_refusal(client_for, world, curriculum):  # noqa: F811
    vacancy = VacancyFactory(level="middle", status="shortlisting")
    application = ApplicationFactory(vacancy=vacancy, person=world.people["member"], statement="I lead the night team")
    hr = client_for("org_hr")
    html = page(hr, f"/vacancies/manage/applications/{application.pk}/")
    assert "I lead the night team" in html and "Record a decision" in html
    assert "ethnic" not in html.lower()
    missing_reason = hr.post(f"/vacancies/manage/applications/{application.pk}/", {"to": "shortlisted", "reason": ""})
    assert "Give the reason for the decision" in missing_reason.content.decode()
    ok = hr.post(
        f"/vacancies/manage/applications/{application.pk}/", {"to": "shortlisted", "reason": "Strong statement"}
    )
    assert ok.status_code == 302
    services.vacancy_status_change(vacancy=vacancy, to="interviewing", by=world.users["org_hr"])
    hr.post(f"/vacancies/manage/applications/{application.pk}/", {"to": "interviewed", "reason": "Panel on Monday"})
    html = page(hr, f"/vacancies/manage/applications/{application.pk}/")
    assert "The progression gate for middle manager" in html and "T-MGR2" in html
    assert "Request an exception to the gate" in html
    refused = hr.post(f"/vacancies/manage/applications/{application.pk}/", {"to": "appointed", "reason": "Best"})
    text = refused.content.decode()
    assert refused.status_code == 200
    assert "The progression gate does not allow this appointment yet" in text
    assert "Quickest modules: T-REQ-IND: T-IND Induction (6 hours, with TP-GOOD)" in text
    application.refresh_from_db()
    assert application.status == "interviewed"
    complete(world.people["member"], "T-IND")
    complete(world.people["member"], "T-MGR2")
    appointed = hr.post(f"/vacancies/manage/applications/{application.pk}/", {"to": "appointed", "reason": "Best"})
    assert appointed.status_code == 302
    vacancy.refresh_from_db()
    assert vacancy.status == "filled"
    assert "Appointed" in page(client_for("staff"), f"/vacancies/applications/{application.pk}/")


def test_national_administrators_read_but_do_not_decide(client_for, world):
    vacancy = VacancyFactory(status="shortlisting")
    application = ApplicationFactory(vacancy=vacancy, person=world.people["member"])
    national = client_for("national_admin")
    html = page(national, f"/vacancies/manage/applications/{application.pk}/")
    assert "Record a decision" not in html
    assert (
        national.post(
            f"/vacancies/manage/applications/{application.pk}/", {"to": "shortlisted", "reason": "x"}
        ).status_code
        == 403
    )
    assert national.get(f"/vacancies/manage/{vacancy.pk}/status/").status_code == 403
    assert "Change the status" not in page(national, f"/vacancies/manage/{vacancy.pk}/")


def test_withdrawn_vacancies_show_the_reason_to_applicants(client_for, world, spread):
    application = ApplicationFactory(vacancy=spread["raa"], person=world.people["member"])
    services.vacancy_status_change(
        vacancy=spread["raa"], to="withdrawn", by=world.users["org_hr"], reason="The ward is closing in March."
    )
    assert "The ward is closing in March." in page(client_for("staff"), f"/vacancies/applications/{application.pk}/")
    assert "The ward is closing in March." in page(client_for("org_hr"), f"/vacancies/manage/{spread['raa'].pk}/")


# Progression routes --------------------------------------------------------------------------------------


def test_routes_show_the_next_level_its_gate_and_vacancies(client_for, world, curriculum, spread):  # noqa: F811
    complete(world.people["member"], "T-IND")
    html = page(client_for("staff"), "/vacancies/routes/")
    assert "From staff to first-line manager" in html
    assert "First-line managers lead one team" in html
    assert "Induction" in html and "Met" in html
    assert "Ward manager" in html and "Matron" not in html  # open vacancies at the next level only
    middle = page(client_for("staff"), "/vacancies/routes/?level=first_line")
    assert "From first-line manager to middle manager" in middle
    assert "Not met" in middle and "T-MGR2 Managing people, blended (12 hours), with Good Provider" in middle
    assert "Matron" in middle and "Registered manager" in middle
    manager = page(client_for("line_manager"), "/vacancies/routes/")
    assert "From first-line manager to middle manager" in manager


def test_routes_for_someone_without_a_record_list_the_gate_without_verdicts(client_for, curriculum):  # noqa: F811
    html = page(client_for("national_admin"), "/vacancies/routes/?level=middle")
    assert "From middle manager to senior manager" in html
    assert "Leading services" in html and "T-MID Leading services (40 hours), with Good Provider" in html
    assert "Not met" not in html
    assert "No vacancy at this level is open right now" in html


def test_routes_cap_the_vacancies_and_link_to_the_full_list(client_for, world):
    for _ in range(7):
        VacancyFactory(level="first_line")
    html = page(client_for("staff"), "/vacancies/routes/")
    assert "See all 7 open vacancies at this level" in html and "?level=first_line" in html


# Query counts --------------------------------------------------------------------------------------------


def _count(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(captured)


def _grow(world, n: int) -> None:
    talent = world.users["regional_talent"]
    for i in range(n):
        for code in ("RAA", "RBB", "RCC"):
            vacancy = VacancyFactory(organisation=world.orgs[code], level="first_line" if i % 2 else "middle")
            for _ in range(2):
                person = PersonFactory(organisation=world.orgs["RAA"])
                services.application_create(vacancy=vacancy, person=person, by=talent, source=ApplicationSource.INVITED)


def test_queries_do_not_grow_with_the_data(client_for, world, curriculum):  # noqa: F811
    vacancy = VacancyFactory(status="open")
    mine = ApplicationFactory(vacancy=vacancy, person=world.people["member"])
    services.vacancy_status_change(vacancy=vacancy, to="shortlisting", by=world.users["org_hr"])
    services.application_decide(application=mine, to="shortlisted", reason="Good", by=world.users["org_hr"])
    _grow(world, 2)
    editable = VacancyFactory(status="draft", required_standards=["M1.1"])
    pages = [
        ("staff", "/vacancies/"),
        ("staff", "/vacancies/?level=middle&region=Y99&sector=nhs&q=manager"),
        ("staff", f"/vacancies/{vacancy.pk}/"),
        ("staff", f"/vacancies/{Vacancy.objects.filter(status='open').first().pk}/apply/"),
        ("staff", "/vacancies/applications/"),
        ("staff", f"/vacancies/applications/{mine.pk}/"),
        ("staff", "/vacancies/routes/"),
        ("national_admin", "/vacancies/routes/?level=first_line"),
        ("org_hr", "/vacancies/manage/"),
        ("regional_talent", "/vacancies/manage/?status=open&level=middle&q=ward"),
        ("national_admin", "/vacancies/manage/"),
        ("org_hr", f"/vacancies/manage/{vacancy.pk}/"),
        ("org_hr", f"/vacancies/manage/{vacancy.pk}/status/"),
        ("org_hr", f"/vacancies/manage/applications/{mine.pk}/"),
        ("org_hr", "/vacancies/manage/new/"),
        ("org_hr", f"/vacancies/manage/{editable.pk}/edit/"),
        ("regional_talent", f"/vacancies/manage/{vacancy.pk}/invite/"),
    ]
    small = {path: _count(client_for(persona), path) for persona, path in pages}
    _grow(world, 12)
    for _ in range(10):
        services.application_create(
            vacancy=vacancy,
            person=PersonFactory(organisation=world.orgs["RAA"]),
            by=world.users["regional_talent"],
            source=ApplicationSource.INVITED,
        )
    large = {path: _count(client_for(persona), path) for persona, path in pages}
    assert large == small
    assert max(small.values()) <= 25, small

"""Vacancies and recruitment decisions: the workflow, its refusals, the progression gate at appointment, and the
recruitment data set the equality standards read."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from carelead.audit.models import AuditLog
from carelead.equality.engine import Period, compute, relative_likelihood
from carelead.equality.models import RecruitmentDecision
from carelead.equality.monitors import compute_monitors
from carelead.people.models import EmploymentChange, Person
from carelead.people.tests.factories import MonitoringFactory, PersonFactory
from carelead.standards.models import GateException
from carelead.standards.tests.test_gate import complete, curriculum  # noqa: F401 - fixture
from carelead.succession.models import SuccessionPlan
from carelead.vacancies import services
from carelead.vacancies.models import Application, ApplicationDecision, ApplicationSource, Vacancy
from carelead.vacancies.selectors import withdrawal_reason
from carelead.vacancies.tests.factories import VacancyFactory

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def this_year() -> Period:
    """The financial year that contains today, when every decision in these tests is made."""
    start = TODAY.year if TODAY.month >= 4 else TODAY.year - 1
    return Period.parse(f"{start}-{(start + 1) % 100:02d}")


def values(**changes) -> dict:
    base = {
        "title": "Ward manager, Elm ward",
        "level": "first_line",
        "location": "Holdout General Hospital",
        "opens_on": None,
        "closes_on": TODAY + 14 * DAY,
        "description": "Lead the ward team.",
        "required_standards": [],
        "succession_plan": None,
    }
    return {**base, **changes}


def message(exc_info) -> str:
    return " ".join(exc_info.value.messages)


def apply(world, vacancy, who="member"):
    person = world.people[who]
    user = {"member": world.users["staff"], "manager": world.users["line_manager"]}.get(who)
    if user is None:
        return services.application_create(
            vacancy=vacancy, person=person, by=world.users["regional_talent"], source=ApplicationSource.INVITED
        )
    return services.application_create(vacancy=vacancy, person=person, by=user, statement="I would like the role.")


def decide(world, application, to, reason="Meets the person specification"):
    return services.application_decide(application=application, to=to, reason=reason, by=world.users["org_hr"])


def to_interview(world, application):
    """Take an open vacancy's application through shortlisting to interview."""
    vacancy = application.vacancy
    services.vacancy_status_change(vacancy=vacancy, to="shortlisting", by=world.users["org_hr"])
    decide(world, application, "shortlisted")
    services.vacancy_status_change(vacancy=vacancy, to="interviewing", by=world.users["org_hr"])
    return decide(world, application, "interviewed", "Interviewed by the panel")


# Creating and changing vacancies --------------------------------------------------------------------------


def test_a_vacancy_gets_the_next_reference_of_its_organisation_and_year(world):
    hr, raa = world.users["org_hr"], world.orgs["RAA"]
    first = services.vacancy_create(organisation=raa, by=hr, values=values())
    second = services.vacancy_create(organisation=raa, by=hr, values=values(title="Matron"))
    other = services.vacancy_create(organisation=world.orgs["RBB"], by=hr, values=values())
    assert first.reference == f"VAC-RAA-{TODAY.year}-0001"
    assert second.reference == f"VAC-RAA-{TODAY.year}-0002"
    assert other.reference == f"VAC-RBB-{TODAY.year}-0001"
    assert first.status == "draft" and first.created_by == hr
    entry = AuditLog.objects.get(object_type="vacancies.Vacancy", object_id=str(first.pk))
    assert entry.action == "create" and entry.organisation_id == raa.pk


def test_references_skip_numbers_already_taken(world):
    VacancyFactory(organisation=world.orgs["RAA"], reference=f"VAC-RAA-{TODAY.year}-0041")
    made = services.vacancy_create(organisation=world.orgs["RAA"], by=world.users["org_hr"], values=values())
    assert made.reference == f"VAC-RAA-{TODAY.year}-0042"


def test_required_standards_must_come_from_the_published_management_framework(world):
    hr, raa = world.users["org_hr"], world.orgs["RAA"]
    with pytest.raises(ValidationError) as refused:
        services.vacancy_create(organisation=raa, by=hr, values=values(required_standards=["M1.1", "X9", "D1"]))
    assert refused.value.message_dict["required_standards"] == [
        "Not a standard of the current management framework: D1, X9."
    ]
    made = services.vacancy_create(organisation=raa, by=hr, values=values(required_standards=["M1.1", "M6.2"]))
    assert made.required_standards == ["M1.1", "M6.2"]


@pytest.mark.parametrize(
    ("changes", "field", "text"),
    [
        ({"title": "  "}, "title", "Enter a title."),
        ({"location": ""}, "location", "Enter where the role is based."),
        ({"level": "staff"}, "level", "leadership vacancies are for first-line managers or above"),
        ({"closes_on": TODAY - DAY}, "closes_on", "The closing date must be today or later."),
        ({"opens_on": TODAY + 30 * DAY}, "opens_on", "The opening date must be on or before the closing date."),
    ],
)
def test_vacancy_details_are_checked_field_by_field(world, changes, field, text):
    with pytest.raises(ValidationError) as refused:
        services.vacancy_create(organisation=world.orgs["RAA"], by=world.users["org_hr"], values=values(**changes))
    assert text in " ".join(refused.value.message_dict[field])


def test_a_vacancy_belongs_to_an_employer_and_its_succession_plan_to_the_same_one(world):
    hr = world.users["org_hr"]
    with pytest.raises(ValidationError) as refused:
        services.vacancy_create(organisation=world.orgs["Y99"], by=hr, values=values())
    assert "not a region" in refused.value.message_dict["organisation"][0]
    plan = SuccessionPlan.objects.create(
        organisation=world.orgs["RBB"], role_title="Director of Nursing", level="executive", created_by=hr
    )
    with pytest.raises(ValidationError) as refused:
        services.vacancy_create(organisation=world.orgs["RAA"], by=hr, values=values(succession_plan=plan))
    assert refused.value.message_dict["succession_plan"] == ["Choose a succession plan of Holdout Large Trust."]
    made = services.vacancy_create(organisation=world.orgs["RBB"], by=hr, values=values(succession_plan=plan))
    assert made.succession_plan == plan


def test_changes_are_audited_and_the_level_is_fixed_once_people_apply(world):
    vacancy = VacancyFactory()
    hr = world.users["org_hr"]
    services.vacancy_change(vacancy=vacancy, by=hr, values={"title": "Senior sister", "closes_on": TODAY + 20 * DAY})
    vacancy.refresh_from_db()
    assert vacancy.title == "Senior sister"
    entry = AuditLog.objects.filter(object_type="vacancies.Vacancy", action="update").latest("at")
    assert entry.changes["title"][1] == "Senior sister" and "closes_on" in entry.changes
    apply(world, vacancy)
    with pytest.raises(ValidationError) as refused:
        services.vacancy_change(vacancy=vacancy, by=hr, values={"level": "middle"})
    assert refused.value.message_dict["level"] == ["The level cannot change once people have applied."]
    services.vacancy_status_change(vacancy=vacancy, to="shortlisting", by=hr)
    with pytest.raises(ValidationError) as refused:
        services.vacancy_change(vacancy=vacancy, by=hr, values={"title": "Too late"})
    assert "only draft or open vacancies change" in message(refused)


# The vacancy workflow -------------------------------------------------------------------------------------


def test_the_vacancy_workflow_and_its_refusals(world):
    hr = world.users["org_hr"]
    vacancy = VacancyFactory(status="draft", opens_on=None)
    with pytest.raises(ValidationError) as refused:
        services.vacancy_status_change(vacancy=vacancy, to="shortlisting", by=hr)
    assert refused.value.message_dict["to"] == [
        "A vacancy that is draft cannot become shortlisting; it can become open for applications or withdrawn."
    ]
    with pytest.raises(ValidationError) as refused:
        services.vacancy_status_change(vacancy=vacancy, to="filled", by=hr)
    assert refused.value.message_dict["to"] == ["A vacancy is filled by appointing a candidate from its applications."]
    services.vacancy_status_change(vacancy=vacancy, to="open", by=hr)
    vacancy.refresh_from_db()
    assert (vacancy.status, vacancy.opens_on) == ("open", TODAY)
    application = apply(world, vacancy)
    services.vacancy_status_change(vacancy=vacancy, to="shortlisting", by=hr)
    with pytest.raises(ValidationError) as refused:
        services.vacancy_status_change(vacancy=vacancy, to="interviewing", by=hr)
    assert refused.value.message_dict["to"] == ["Decide the shortlisting of every application first: 1 still waiting."]
    decide(world, application, "not_shortlisted", "Does not yet show the experience needed")
    with pytest.raises(ValidationError) as refused:
        services.vacancy_status_change(vacancy=vacancy, to="interviewing", by=hr)
    assert refused.value.message_dict["to"] == ["Nobody is shortlisted, so there is nobody to interview."]
    with pytest.raises(ValidationError) as refused:
        services.vacancy_status_change(vacancy=vacancy, to="withdrawn", by=hr)
    assert refused.value.message_dict["reason"] == ["Say why the vacancy is withdrawn."]
    services.vacancy_status_change(vacancy=vacancy, to="withdrawn", by=hr, reason="The service is being merged.")
    vacancy.refresh_from_db()
    assert vacancy.status == "withdrawn" and withdrawal_reason(vacancy) == "The service is being merged."
    with pytest.raises(ValidationError) as refused:
        services.vacancy_status_change(vacancy=vacancy, to="open", by=hr)
    assert "is withdrawn, so its status cannot change" in message(refused)
    steps = AuditLog.objects.filter(object_type="vacancies.Vacancy", object_id=str(vacancy.pk)).count()
    assert steps == 3


def test_a_vacancy_whose_closing_date_has_passed_does_not_open(world):
    vacancy = VacancyFactory(status="draft", closes_on=TODAY - DAY)
    with pytest.raises(ValidationError) as refused:
        services.vacancy_status_change(vacancy=vacancy, to="open", by=world.users["org_hr"])
    assert "The closing date has passed" in message(refused)


# Applications ---------------------------------------------------------------------------------------------


def test_people_apply_once_while_the_vacancy_is_open(world):
    vacancy = VacancyFactory()
    application = apply(world, vacancy)
    assert (application.status, application.source, application.applied_on) == ("applied", "applied", TODAY)
    assert application.recruitment_id == f"CL-{application.pk}"
    entry = AuditLog.objects.get(object_type="vacancies.Application")
    assert entry.subject_person_id == world.people["member"].pk and entry.action == "create"
    with pytest.raises(ValidationError) as refused:
        apply(world, vacancy)
    assert message(refused) == f"Sam Staffmember has already applied for {vacancy.reference}."


def test_applications_are_refused_outside_the_open_window(world):
    closed = VacancyFactory(closes_on=TODAY - DAY)
    with pytest.raises(ValidationError) as refused:
        apply(world, closed)
    assert f"{closed.reference} closed on" in message(refused)
    for status in ("draft", "shortlisting", "filled", "withdrawn"):
        with pytest.raises(ValidationError) as refused:
            apply(world, VacancyFactory(status=status))
        assert "is not open for applications" in message(refused)


def test_people_apply_only_for_themselves_and_only_while_in_post(world):
    vacancy = VacancyFactory()
    with pytest.raises(PermissionDenied):
        services.application_create(vacancy=vacancy, person=world.people["member"], by=world.users["line_manager"])
    leaver = world.people["others"][0]
    Person.objects.filter(pk=leaver.pk).update(end_date=TODAY - DAY)
    leaver.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        services.application_create(
            vacancy=vacancy, person=leaver, by=world.users["regional_talent"], source=ApplicationSource.INVITED
        )
    assert "is no longer in post" in message(refused)


def test_the_talent_team_invites_while_open_or_shortlisting(world):
    talent = world.users["regional_talent"]
    shortlisting = VacancyFactory(status="shortlisting")
    invited = services.application_create(
        vacancy=shortlisting, person=world.people["rbb"], by=talent, source=ApplicationSource.INVITED
    )
    assert invited.source == "invited" and invited.status == "applied"
    with pytest.raises(ValidationError) as refused:
        services.application_create(
            vacancy=VacancyFactory(status="interviewing"),
            person=world.people["rbb"],
            by=talent,
            source=ApplicationSource.INVITED,
        )
    assert "possible only while it is open or shortlisting" in message(refused)


# Decisions ------------------------------------------------------------------------------------------------


def test_every_decision_moves_the_application_and_keeps_its_reason(world, curriculum):  # noqa: F811
    complete(world.people["member"], "T-IND")
    application = apply(world, VacancyFactory())
    to_interview(world, application)
    decide(world, application, "appointed", "Strongest interview")
    assert list(ApplicationDecision.objects.filter(application=application).values_list("status", "reason")) == [
        ("shortlisted", "Meets the person specification"),
        ("interviewed", "Interviewed by the panel"),
        ("appointed", "Strongest interview"),
    ]
    assert ApplicationDecision.objects.filter(application=application).first().by == world.users["org_hr"]


@pytest.mark.parametrize(
    ("vacancy_status", "application_status", "to", "field", "text"),
    [
        ("open", "applied", "shortlisted", "to", "Shortlisted is decided while the vacancy is shortlisting"),
        ("shortlisting", "applied", "interviewed", "to", "can next be shortlisted or not shortlisted, not interviewed"),
        (
            "shortlisting",
            "shortlisted",
            "interviewed",
            "to",
            "Interviewed is decided while the vacancy is interviewing",
        ),
        ("interviewing", "shortlisted", "appointed", "to", "can next be interviewed or not appointed, not appointed"),
        ("interviewing", "not_shortlisted", "shortlisted", "to", "This application is not shortlisted: it is decided"),
        ("shortlisting", "applied", "withdrawn", "to", "Only the applicant can withdraw an application."),
        ("shortlisting", "applied", "applied", "to", "Choose a decision from the list."),
        ("shortlisting", "applied", "shortlisted", "reason", "Give the reason for the decision"),
    ],
)
def test_decisions_out_of_turn_are_refused_with_the_reason(world, vacancy_status, application_status, to, field, text):
    vacancy = VacancyFactory(status=vacancy_status)
    application = Application.objects.create(
        vacancy=vacancy, person=world.people["member"], status=application_status, applied_on=TODAY
    )
    reason = "" if field == "reason" else "A reason"
    with pytest.raises(ValidationError) as refused:
        services.application_decide(application=application, to=to, reason=reason, by=world.users["org_hr"])
    assert text in " ".join(refused.value.message_dict[field])
    assert not ApplicationDecision.objects.exists()


def test_nobody_decides_on_their_own_application(world):
    vacancy = VacancyFactory(status="shortlisting")
    application = Application.objects.create(vacancy=vacancy, person=world.people["manager"], applied_on=TODAY)
    with pytest.raises(PermissionDenied):
        services.application_decide(
            application=application, to="shortlisted", reason="Fine", by=world.users["line_manager"]
        )


def test_the_applicant_withdraws_while_in_play_and_sees_why_decisions_were_made(world):
    application = apply(world, VacancyFactory())
    with pytest.raises(PermissionDenied):
        services.application_withdraw(application=application, by=world.users["org_hr"])
    services.application_withdraw(application=application, by=world.users["staff"], reason="Moving away")
    application.refresh_from_db()
    assert application.status == "withdrawn"
    assert application.decisions.get().reason == "Moving away"
    with pytest.raises(ValidationError) as refused:
        services.application_withdraw(application=application, by=world.users["staff"])
    assert "is withdrawn, so it can no longer be withdrawn" in message(refused)


def test_decisions_are_append_only(world):
    application = apply(world, VacancyFactory(status="open"))
    services.vacancy_status_change(vacancy=application.vacancy, to="shortlisting", by=world.users["org_hr"])
    decide(world, application, "shortlisted")
    decision = ApplicationDecision.objects.get()
    decision.reason = "Changed"
    with pytest.raises(PermissionDenied):
        decision.save()
    with pytest.raises(PermissionDenied):
        ApplicationDecision.objects.all().delete()


# Appointment through the progression gate ----------------------------------------------------------------


def test_appointment_is_refused_with_the_gates_explanation(world, curriculum):  # noqa: F811
    vacancy = VacancyFactory(level="middle")
    application = to_interview(world, apply(world, vacancy))
    complete(world.people["member"], "T-IND")
    with pytest.raises(ValidationError) as refused:
        decide(world, application, "appointed", "Best candidate")
    text = message(refused)
    assert refused.value.code == "gate"
    assert "The progression gate does not allow appointing Sam Staffmember yet" in text
    assert "T-REQ-MGR Managing people (no completed module)" in text
    # the quickest module first, with its accredited provider
    assert "Quickest modules: T-REQ-MGR: T-MGR2 Managing people, blended (12 hours, with TP-GOOD)." in text
    application.refresh_from_db()
    vacancy.refresh_from_db()
    assert application.status == "interviewed" and vacancy.status == "interviewing"
    assert not ApplicationDecision.objects.filter(status="appointed").exists()


def test_appointing_fills_the_vacancy_and_closes_every_other_application(world, curriculum):  # noqa: F811
    hr = world.users["org_hr"]
    vacancy = VacancyFactory(level="first_line", title="Ward manager, Elm ward")
    member = apply(world, vacancy)
    manager_app = apply(world, vacancy, "manager")
    waiting = apply(world, vacancy, "rbb")
    services.vacancy_status_change(vacancy=vacancy, to="shortlisting", by=hr)
    decide(world, member, "shortlisted")
    decide(world, manager_app, "shortlisted")
    decide(world, waiting, "not_shortlisted", "Another region's candidate: not enough ward experience")
    services.vacancy_status_change(vacancy=vacancy, to="interviewing", by=hr)
    decide(world, member, "interviewed", "Interviewed")
    complete(world.people["member"], "T-IND")
    services.application_appoint(application=member, reason="Strongest interview", by=hr)

    vacancy.refresh_from_db()
    assert (vacancy.status, vacancy.appointed, vacancy.filled_on) == ("filled", world.people["member"], TODAY)
    manager_app.refresh_from_db()
    assert manager_app.status == "not_appointed"
    assert manager_app.decisions.latest("pk").reason == "Another candidate was appointed"
    waiting.refresh_from_db()
    assert waiting.status == "not_shortlisted"  # already decided: left alone
    # the member was staff: the standards app's level change records the promotion
    person = Person.objects.get(pk=world.people["member"].pk)
    assert (person.level, person.job_title, person.organisation.code) == ("first_line", "Ward manager, Elm ward", "RAA")
    change = EmploymentChange.objects.get(person=person)
    assert change.level == "first_line" and change.previous["level"] == "staff"
    assert AuditLog.objects.filter(object_type="people.Person", object_id=person.staff_id).exists()
    assert AuditLog.objects.filter(
        object_type="vacancies.Application",
        object_id=str(manager_app.pk),
        changes__reason=services.OTHER_CANDIDATE_APPOINTED,
    ).exists()


def test_an_approved_exception_lets_the_appointment_through(world, curriculum):  # noqa: F811
    application = to_interview(world, apply(world, VacancyFactory(level="first_line")))
    GateException.objects.create(
        person=world.people["member"],
        level="first_line",
        reason="Interim cover",
        requested_by=world.users["org_hr"],
        status="approved",
        decided_by=world.users["regional_talent"],
        expires_on=TODAY + 30 * DAY,
    )
    services.application_appoint(
        application=application, reason="Covering while the post is recruited", by=world.users["org_hr"]
    )
    application.refresh_from_db()
    assert application.status == "appointed"
    assert Person.objects.get(pk=world.people["member"].pk).level == "first_line"


def test_an_appointee_from_another_organisation_moves_there(world, curriculum):  # noqa: F811
    rbb_vacancy = VacancyFactory(organisation=world.orgs["RBB"], level="first_line", title="Team leader")
    manager = world.people["manager"]  # already a first-line manager at RAA
    complete(manager, "T-IND")
    application = to_interview(world, apply(world, rbb_vacancy, "manager"))
    services.application_appoint(application=application, reason="Best at interview", by=world.users["regional_talent"])
    person = Person.objects.get(pk=manager.pk)
    assert (person.organisation.code, person.level, person.job_title, person.line_manager) == (
        "RBB",
        "first_line",
        "Team leader",
        None,
    )
    change = EmploymentChange.objects.get(person=person)
    assert change.source == f"vacancy:{rbb_vacancy.reference}" and change.organisation.code == "RBB"
    assert change.previous == {"organisation": "RAA", "job_title": "Staff Nurse", "line_manager": "RAA-00001"}


def test_appointments_cannot_be_dated_ahead(world):
    application = Application.objects.create(
        vacancy=VacancyFactory(status="interviewing"),
        person=world.people["member"],
        status="interviewed",
        applied_on=TODAY,
    )
    with pytest.raises(ValidationError) as refused:
        services.application_appoint(application=application, reason="Yes", by=world.users["org_hr"], on=TODAY + DAY)
    assert refused.value.message_dict["on"] == ["An appointment cannot be dated in the future."]


# The recruitment data set of the equality standards ------------------------------------------------------


def test_shortlisting_and_appointment_write_the_recruitment_record(world, curriculum):  # noqa: F811
    vacancy = VacancyFactory(level="first_line")
    application = apply(world, vacancy)
    other = apply(world, vacancy, "manager")
    services.vacancy_status_change(vacancy=vacancy, to="shortlisting", by=world.users["org_hr"])
    decide(world, application, "shortlisted")
    decide(world, other, "not_shortlisted", "Not enough experience yet")
    row = RecruitmentDecision.objects.get(application_id=application.recruitment_id)
    assert (row.vacancy_id, row.organisation, row.date, row.level) == (
        vacancy.reference,
        world.orgs["RAA"],
        TODAY,
        "first_line",
    )
    assert (row.shortlisted, row.appointed) == (True, False)
    # the applicant's own monitoring answers travel with the record (the member is N, not disabled, female)
    assert (row.ethnic_category, row.disability, row.sex) == ("N", "N", "F")
    assert RecruitmentDecision.objects.get(application_id=other.recruitment_id).shortlisted is False
    services.vacancy_status_change(vacancy=vacancy, to="interviewing", by=world.users["org_hr"])
    decide(world, application, "interviewed")
    assert RecruitmentDecision.objects.count() == 2  # an interview is not a recruitment decision of its own
    complete(world.people["member"], "T-IND")
    decide(world, application, "appointed", "Best at interview")
    row.refresh_from_db()
    assert (row.shortlisted, row.appointed) == (True, True)
    assert RecruitmentDecision.objects.count() == 2


def test_wres2_and_wdes2_count_decisions_made_here_with_imported_ones(world, curriculum):  # noqa: F811
    raa, period = world.orgs["RAA"], this_year()
    # Imported: White 4 shortlisted, 2 appointed; BME 4 shortlisted, 1 appointed.
    for i, (ethnic, appointed) in enumerate(
        [("A", True), ("A", True), ("A", False), ("A", False), ("M", True)] + [("M", False)] * 3
    ):
        RecruitmentDecision.objects.create(
            application_id=f"ESR-{i}",
            vacancy_id="V-IMPORTED",
            organisation=raa,
            date=TODAY,
            shortlisted=True,
            appointed=appointed,
            ethnic_category=ethnic,
            disability="N",
        )
    # Made here: the member (ethnic category N, BME) is shortlisted, interviewed and appointed.
    complete(world.people["member"], "T-IND")
    services.application_appoint(
        application=to_interview(world, apply(world, VacancyFactory())), reason="Yes", by=world.users["org_hr"]
    )
    wres2 = next(
        r
        for r in compute(standard="wres", period=period, published=False)
        if r["code"] == "WRES2" and r["scope"] == "org:RAA"
    )
    assert (wres2["white_count"], wres2["white_group"], wres2["bme_count"], wres2["bme_group"]) == (2, 4, 2, 5)
    assert wres2["value"] == pytest.approx((2 / 4) / (2 / 5))
    wdes2 = next(
        r
        for r in compute(standard="wdes", period=period, published=False)
        if r["code"] == "WDES2" and r["scope"] == "org:RAA"
    )
    assert wdes2["non_disabled_group"] == 9


def test_shortlisting_is_a_fairness_monitor(world):
    raa, hr = world.orgs["RAA"], world.users["org_hr"]
    vacancy = VacancyFactory(status="shortlisting")
    white = [PersonFactory(organisation=raa) for _ in range(3)]
    bme = [PersonFactory(organisation=raa) for _ in range(3)]
    for person in white:
        MonitoringFactory(person=person, ethnic_category="A")
    for person in bme:
        MonitoringFactory(person=person, ethnic_category="H")
    talent = world.users["regional_talent"]
    apps = {
        p.pk: services.application_create(vacancy=vacancy, person=p, by=talent, source=ApplicationSource.INVITED)
        for p in white + bme
    }
    for person, to in zip(
        white + bme,
        ["shortlisted", "shortlisted", "not_shortlisted", "shortlisted", "not_shortlisted", "not_shortlisted"],
        strict=True,
    ):
        services.application_decide(application=apps[person.pk], to=to, reason="Against the criteria", by=hr)
    # waiting for a decision: not in the population
    services.application_create(
        vacancy=vacancy, person=world.people["exec"], by=talent, source=ApplicationSource.INVITED
    )
    rows = [
        r
        for r in compute_monitors(period=this_year(), published=False, codes=["FAIR-SHORTLIST"])
        if r["scope"] == "org:RAA" and r["characteristic"] == "ethnicity"
    ]
    assert len(rows) == 1
    expected = relative_likelihood(2, 3, 1, 3)
    assert rows[0]["value"] == pytest.approx(expected["value"]) == pytest.approx(2.0)
    assert rows[0]["reference_group"] == 3 and rows[0]["compared_group"] == 3


def test_the_factory_makes_an_open_vacancy_in_the_test_trust(world):
    vacancy = VacancyFactory()
    assert vacancy.organisation.code == "RAA" and vacancy.status == "open" and vacancy.closes_on > TODAY
    assert Vacancy.objects.filter(reference=vacancy.reference).count() == 1


def test_an_import_never_overwrites_a_decision_recorded_here(world, tmp_path):
    from carelead.audit.services import Actor
    from carelead.imports.services import import_file

    vacancy = VacancyFactory(status="shortlisting")
    application = apply(world, vacancy, "rbb")
    decide(world, application, "shortlisted")
    path = tmp_path / "recruitment.csv"
    path.write_text(
        "application_id,vacancy_id,org_code,date,shortlisted,appointed,ethnic_category\n"
        f"{application.recruitment_id},{vacancy.reference},RAA,{TODAY.isoformat()},Y,Y,A\n"
        f"ESR-1,V-1,RAA,{TODAY.isoformat()},Y,N,A\n"
    )
    result = import_file(kind_name="recruitment", path=path, actor=Actor(system="test"))
    assert result.written, [p.render() for p in result.problems]
    assert any("CL- application ID" in w for w in result.warnings)
    mine = RecruitmentDecision.objects.get(application_id=application.recruitment_id)
    assert (mine.appointed, mine.ethnic_category) == (False, "C")
    assert RecruitmentDecision.objects.filter(application_id="ESR-1").exists()


def _approved_exception(world, person, level: str) -> GateException:
    return GateException.objects.create(
        person=person,
        level=level,
        reason="Interim cover",
        requested_by=world.users["org_hr"],
        status="approved",
        decided_by=world.users["regional_talent"],
        expires_on=TODAY + 30 * DAY,
    )


def test_the_barring_list_holds_an_appointment_to_a_senior_role_until_the_match_is_set_aside(world, curriculum):  # noqa: F811
    from carelead.fitproper.models import BarredPerson

    member = world.people["member"]
    application = to_interview(world, apply(world, VacancyFactory(level="senior", title="Director of operations")))
    _approved_exception(world, member, "senior")
    BarredPerson.objects.create(
        name=member.full_name.upper(), reference="BAR-001", source="Barring list", added_on=TODAY - DAY
    )
    with pytest.raises(ValidationError) as caught:
        services.application_appoint(application=application, reason="Best at interview", by=world.users["org_hr"])
    assert caught.value.code == "barring" and "BAR-001" in caught.value.messages[0]
    application.refresh_from_db()
    assert application.status == "interviewed"
    services.application_appoint(
        application=application,
        reason="Best at interview",
        by=world.users["org_hr"],
        barring_cleared="Different date of birth and registration number, checked with the list's keeper",
    )
    application.refresh_from_db()
    assert application.status == "appointed"
    entry = AuditLog.objects.get(object_type="vacancies.Application", changes__has_key="barring_matches")
    assert entry.changes["barring_matches"] == [None, ["BAR-001"]]


def test_the_barring_list_does_not_apply_below_senior_roles(world, curriculum):  # noqa: F811
    from carelead.fitproper.models import BarredPerson

    member = world.people["member"]
    complete(member, "T-IND")
    application = to_interview(world, apply(world, VacancyFactory(level="first_line")))
    BarredPerson.objects.create(name=member.full_name, reference="BAR-002", source="Barring list", added_on=TODAY)
    _approved_exception(world, member, "first_line")
    services.application_appoint(application=application, reason="Best at interview", by=world.users["org_hr"])
    application.refresh_from_db()
    assert application.status == "appointed"


def test_the_decision_page_asks_how_a_barring_match_was_set_aside(client_for, world, curriculum):  # noqa: F811
    from carelead.fitproper.models import BarredPerson

    member = world.people["member"]
    application = to_interview(world, apply(world, VacancyFactory(level="senior", title="Director of nursing")))
    _approved_exception(world, member, "senior")
    BarredPerson.objects.create(name=member.full_name, reference="BAR-009", source="Barring list", added_on=TODAY)
    client = client_for("org_hr")
    url = reverse("vacancies:application", kwargs={"pk": application.pk})
    page = client.post(url, {"to": "appointed", "reason": "Best at interview"}).content.decode()
    assert "BAR-009" in page and "How you established that the person on the barring list" in page
    done = client.post(url, {"to": "appointed", "reason": "Best at interview", "barring_cleared": "Checked the DOB"})
    assert done.status_code == 302

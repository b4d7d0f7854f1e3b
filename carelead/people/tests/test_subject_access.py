"""Subject access: the export gathers what every app holds about one person and nothing about anyone else; it
keeps 360 raters anonymous and speak-up concerns unlinked; only the person and those who answer requests for their
organisation may open it; every export is audited; and its cost does not grow with the data."""

import datetime
import itertools
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carelead.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from carelead.audit.models import AuditLog
from carelead.people.subject_access import HANDLER, SUBJECT, feedback_reports, subject_access

_tags = itertools.count(1)
TODAY = timezone.localdate()


def _board_framework():
    from carelead.standards.loading import framework_load
    from carelead.standards.models import Framework
    from tests.test_permissions import FRAMEWORK

    if not Framework.objects.filter(code=FRAMEWORK["code"], status="published").exists():
        framework_load(FRAMEWORK, status="published")


def _answer(request, rater, *, strengths: str, score: int = 4):
    from carelead.feedback.models import SCORE_FIELDS
    from carelead.feedback.services import feedback_answer_submit

    feedback_answer_submit(
        rater=rater, scores=dict.fromkeys(SCORE_FIELDS, score), strengths=strengths, development=f"dev {strengths}"
    )


def holdings(world, person, tag: str) -> dict:
    """Records about ``person`` in every app, each carrying ``tag`` where it has free text; returns the markers."""
    from carelead.appraisals.models import Appraisal, BehaviourRating, Cycle, Dissent, Objective
    from carelead.boardappraisals.tests.factories import BoardMemberFactory, appraisal_for
    from carelead.boards.models import BoardMemberMonitoring, Committee, CommitteeMembership, Term
    from carelead.boardskills.tests.factories import held
    from carelead.equality.models import CapabilityCase, DisciplinaryCase, RecruitmentDecision
    from carelead.feedback.models import FeedbackRequest, Group, Rater
    from carelead.feedback.services import feedback_close
    from carelead.feedback.tests.factories import FeedbackRequestFactory, RaterFactory, open_request
    from carelead.fitproper.tests.factories import assessment_for, reference_for
    from carelead.learning.models import TrainingRecord
    from carelead.nedcampaigns.tests.factories import campaign, longlisted
    from carelead.nedpool.models import Candidate, CandidateSkill
    from carelead.nedpool.tests.factories import candidate, placement
    from carelead.people.models import EmploymentChange
    from carelead.speakup.models import Case
    from carelead.speakup.tests.factories import case
    from carelead.standards.models import (
        Cohort,
        CohortApplication,
        GateException,
        Principle,
        PriorLearning,
        Reminder,
        Requirement,
    )
    from carelead.succession.tests.factories import CandidateFactory, PlanFactory, pool_member
    from carelead.talent.models import NineBoxCalibration, TalentConversation
    from carelead.vacancies.models import ApplicationDecision
    from carelead.vacancies.tests.factories import ApplicationFactory, VacancyFactory

    n = next(_tags)
    hr, ned = world.users["org_hr"], world.users["ned_team"]
    raa, region = person.organisation, world.orgs["Y99"]
    EmploymentChange.objects.create(
        person=person,
        effective_on=datetime.date(2019, 4, 1) + datetime.timedelta(days=n),
        kind="changed",
        organisation=raa,
        pay_band=person.pay_band,
        level=person.level,
        job_title=f"{tag} job",
    )
    TrainingRecord.objects.create(
        record_id=f"TR-{tag}-{n}", person=person, course_code=f"{tag}-COURSE", mandatory=False, date=TODAY
    )
    requirement = Requirement.objects.first()
    PriorLearning.objects.create(person=person, requirement=requirement, evidence=f"{tag} prior evidence")
    GateException.objects.create(
        person=person, level="middle", reason=f"{tag} gate reason", requested_by=hr, expires_on=TODAY
    )
    cohort = Cohort.objects.create(
        code=f"C-{tag}-{n}",
        title=f"{tag} cohort",
        applications_close_on=TODAY,
        starts_on=TODAY,
        ends_on=TODAY,
        places=10,
    )
    CohortApplication.objects.create(cohort=cohort, person=person, statement=f"{tag} programme statement")
    Reminder.objects.create(person=person, kind=f"{tag}-reminder", due_on=TODAY, sent_at=timezone.now())

    cycle = Cycle.objects.create(
        organisation=raa,
        year=f"{2030 + n}-{(31 + n) % 100:02d}",
        opens_on=TODAY,
        self_assessment_due=TODAY,
        review_due=TODAY,
        sign_off_due=TODAY,
    )
    appraisal = Appraisal.objects.create(
        cycle=cycle,
        person=person,
        appraiser=world.people["manager"],
        wellbeing=f"{tag} wellbeing",
        confidential_notes=f"{tag} SECRET-NOTES",
    )
    Objective.objects.create(appraisal=appraisal, title=f"{tag} objective", measure="Measured")
    BehaviourRating.objects.create(
        appraisal=appraisal, principle=Principle.objects.first(), self_evidence=f"{tag} behaviour"
    )
    Dissent.objects.create(appraisal=appraisal, text=f"{tag} dissent")

    request, tokens = open_request(person=person, groups={"peer": 3, "direct_report": 2}, title=f"{tag} 360")
    from carelead.feedback.selectors import rater_by_token

    for i, token in enumerate(tokens["peer"]):
        _answer(request, rater_by_token(token), strengths=f"{tag} peer strength {i}")
    for i, token in enumerate(tokens["direct_report"]):
        _answer(request, rater_by_token(token), strengths=f"{tag} DR-HIDDEN {i}")
    _answer(request, request.raters.get(group=Group.SELF), strengths=f"{tag} self view")
    feedback_close(request=request, by=None)
    Rater.objects.filter(request=request, group="peer").update(name=f"{tag} Peer Rater")
    others_request = FeedbackRequestFactory(person=world.people["manager"], status=FeedbackRequest.Status.DRAFT)
    RaterFactory(request=others_request, group="peer", email=person.email, name=f"{tag} as rater")

    TalentConversation.objects.create(
        person=person,
        held_with=world.people["manager"],
        held_on=TODAY,
        impact="medium",
        growth="high",
        growth_direction="breadth",
        readiness="ready_now",
        aspiration=f"{tag} aspiration",
        recorded_by=hr,
    )
    NineBoxCalibration.objects.create(
        person=person,
        original_performance=2,
        original_potential=2,
        performance=3,
        potential=3,
        reason=f"{tag} calibration",
        by=hr,
    )
    pool_member(person=person, region=region, by=hr, level=["executive", "senior", "middle", "first_line"][n % 4])
    plan = PlanFactory(organisation=raa, created_by=hr)
    CandidateFactory(plan=plan, person=person, notes=f"{tag} succession note")

    application = ApplicationFactory(vacancy=VacancyFactory(), person=person, statement=f"{tag} application")
    ApplicationDecision.objects.create(application=application, status="shortlisted", reason=f"{tag} decision", by=hr)
    RecruitmentDecision.objects.create(
        application_id=application.recruitment_id,
        vacancy_id=application.vacancy.reference,
        organisation=raa,
        date=TODAY,
        shortlisted=True,
        appointed=False,
        ethnic_category="N",
        disability="Y",
        sex="F",
    )
    DisciplinaryCase.objects.create(case_id=f"D-{tag}-{n}", person=person, date=TODAY)
    CapabilityCase.objects.create(case_id=f"K-{tag}-{n}", person=person, date=TODAY, reason="performance")

    _board_framework()
    seat = BoardMemberFactory(organisation=raa, person=person, name=f"{tag} seat holder")
    BoardMemberMonitoring.objects.create(member=seat, sex="F", ethnic_category="N", disability="Y")
    Term.objects.create(member=seat, number=1, starts_on=seat.start_date, ends_on=TODAY, notes=f"{tag} term")
    committee = Committee.objects.create(organisation=raa, name=f"{tag} committee {n}", kind="audit")
    CommitteeMembership.objects.create(committee=committee, member=seat, starts_on=seat.start_date)
    held(seat, "finance", own=2)
    appraisal_for(seat, created_by=hr, complete=True, member_comments=f"{tag} board comment")
    assessment_for(seat, by=ned, checks=True)
    left = BoardMemberFactory(
        organisation=raa, person=person, start_date=datetime.date(2020, 4, 1), end_date=datetime.date(2024, 3, 31)
    )
    reference = reference_for(left, by=ned)
    reference.concerns = f"{tag} REFERENCE-CONTENT"
    reference.save()

    found = Candidate.objects.filter(email=person.email.lower()).first()
    if found is None:
        found = candidate(
            regions=[region],
            email=person.email.lower(),
            name=f"{tag} candidate",
            status="in_pool",
            readiness="ready_ned",
        )
        found.statement = f"{tag} candidate statement"
        found.save()
    else:
        CandidateSkill.objects.get_or_create(candidate=found, skill="legal")
    placement(candidate=found, host=world.orgs["RBB"], starts_on=datetime.date(2026, 1, 5) + datetime.timedelta(n))
    longlisted(world, campaign(world, title=f"{tag} campaign {n}"), found)

    concern = case(organisation=raa, mode="named", reporter_email=person.email)
    Case.objects.filter(pk=concern.pk).update(description=f"{tag} SPEAKUP-CONTENT")
    return {"tag": tag}


def _json(export: dict) -> str:
    from django.core.serializers.json import DjangoJSONEncoder

    return json.dumps(export, cls=DjangoJSONEncoder)


@pytest.fixture
def held_everywhere(world):
    holdings(world, world.people["member"], "MINE")
    holdings(world, world.people["others"][0], "OTHER")
    return world


# What the export holds ---------------------------------------------------------------------------------------------


def test_the_export_holds_every_apps_records_about_the_person(held_everywhere):
    export = subject_access(held_everywhere.people["member"])
    assert export["audience"] == SUBJECT
    text = _json(export)
    for marker in (
        "RAA-00003",
        "MINE job",
        "Sikhism",  # equality monitoring
        "staff@example.org",  # the sign-in account
        "MINE-COURSE",
        "MINE prior evidence",
        "MINE gate reason",
        "MINE programme statement",
        "MINE-reminder",
        "MINE wellbeing",
        "MINE objective",
        "MINE behaviour",
        "MINE dissent",
        "MINE 360",
        "MINE peer strength 0",
        "MINE self view",
        "MINE as rater",
        "MINE aspiration",
        "MINE application",
        "MINE decision",
        "D-MINE-",
        "K-MINE-",
        "MINE term",
        "MINE committee",
        "MINE board comment",
        "Identity and right to work",  # a fit and proper check
        "MINE candidate statement",
        "MINE campaign",
    ):
        assert marker in text, marker


def test_the_export_holds_nothing_about_anyone_else(held_everywhere):
    text = _json(subject_access(held_everywhere.people["member"]))
    assert "OTHER" not in text


def test_what_is_kept_back_stays_out(held_everywhere):
    export = subject_access(held_everywhere.people["member"])
    text = _json(export)
    # The appraiser's notes and what a reference says.
    assert "SECRET-NOTES" not in text
    assert "REFERENCE-CONTENT" not in text
    # A group of two direct reports is under the three-answer rule: left out altogether.
    assert "DR-HIDDEN" not in text
    # A named concern carrying the person's email address is still not theirs to find here.
    assert "SPEAKUP-CONTENT" not in text
    # Succession plans and the 9-box are management planning, kept from the person as their pages do.
    assert "MINE succession note" not in text and "MINE calibration" not in text
    titles = [item["title"] for item in export["not_included"]]
    assert "Speak-up concerns" in titles and "Your appraiser's confidential notes" in titles


def test_anonymous_answers_stay_combined_and_unnamed(held_everywhere):
    export = subject_access(held_everywhere.people["member"])
    feedback = next(p for p in export["parts"] if p["key"] == "feedback")
    report = next(s for s in feedback["sections"] if s["title"].startswith("360 feedback report"))
    peers = next(row for row in report["rows"] if row["who"] == "Peers")
    assert peers["responses"] == 3
    assert sorted(peers["strengths"]) == [f"MINE peer strength {i}" for i in range(3)]
    # No row of the report names a peer; the names appear only in the list of who was asked.
    assert not any("Peer Rater" in str(row["who"]) for row in report["rows"])
    assert [row["who"] for row in report["rows"]] == ["Self: " + held_everywhere.people["member"].full_name, "Peers"]


def test_the_reports_are_the_ones_the_feedback_pages_show(held_everywhere):
    from carelead.feedback.models import FeedbackRequest
    from carelead.feedback.selectors import feedback_report

    member = held_everywhere.people["member"]
    requests = list(FeedbackRequest.objects.filter(person=member).values("pk"))
    reports = feedback_reports(person=member, requests=requests)
    for request in FeedbackRequest.objects.filter(person=member):
        assert reports[request.pk] == feedback_report(request)


def test_a_handler_sees_neither_raters_nor_reports(held_everywhere):
    export = subject_access(held_everywhere.people["member"], audience=HANDLER)
    text = _json(export)
    assert "Peer Rater" not in text
    assert "MINE peer strength" not in text and "MINE self view" not in text
    assert "MINE 360" in text and "Sikhism" in text
    # The handler decides whether management planning is released.
    assert "MINE succession note" in text and "MINE calibration" in text
    assert "OTHER" not in text
    assert "The 360 feedback reports and the names of the people asked" in [i["title"] for i in export["not_included"]]


def test_the_number_of_queries_does_not_grow_with_the_data(held_everywhere):
    member = held_everywhere.people["member"]

    def queries(audience: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            subject_access(member, audience=audience)
        return len(captured)

    small = {audience: queries(audience) for audience in (SUBJECT, HANDLER)}
    holdings(held_everywhere, member, "MORE")
    holdings(held_everywhere, member, "EVEN MORE")
    assert "EVEN MORE objective" in _json(subject_access(member))
    assert {audience: queries(audience) for audience in (SUBJECT, HANDLER)} == small


# Who may open it, and the audit ----------------------------------------------------------------------------------


def _url(world, name="people:subject_access", who="member"):
    return reverse(name, kwargs={"staff_id": world.people[who].staff_id})


def test_the_person_opens_their_own(client_for, world):
    response = client_for("staff").get(_url(world))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Everything CareLead holds about you" in page
    assert "Your staff record" in page and "Sikhism" in page


def test_the_me_page_links_to_it(client_for, world):
    response = client_for("staff").get(reverse("people:me"))
    assert _url(world) in response.content.decode()


def test_another_staff_member_is_refused(client_for, world):
    # The line manager holds a record of their own, but not the right to export a report's.
    assert client_for("line_manager").get(_url(world)).status_code == 403
    assert client_for("staff").get(_url(world, who="manager")).status_code == 403
    assert client_for("staff").get(_url(world, name="people:subject_access_download", who="rbb")).status_code == 403


def test_hr_of_the_organisation_may_and_hr_of_another_may_not(client, client_for, world):
    response = client_for("org_hr").get(_url(world))
    assert response.status_code == 200
    assert "to answer their subject access request" in response.content.decode()

    other = UserFactory(email="hr-rbb@example.org")
    RoleAssignmentFactory(user=other, role="org_hr", organisation=world.orgs["RBB"])
    client.force_login(other)
    assert client.get(_url(world)).status_code == 404
    assert client.get(_url(world, who="rbb")).status_code == 200
    # Organisation administrators hold no right to special-category data, so none to the export.
    client.force_login(world.users["org_admin"])
    assert client.get(_url(world)).status_code == 403


def test_every_export_is_audited_and_the_person_sees_who_looked(client_for, world):
    client = client_for("org_hr")
    response = client.get(_url(world, name="people:subject_access_download"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="carelead-subject-access-RAA-00003-')
    data = json.loads(response.content)
    assert data["about"]["staff_id"] == "RAA-00003"
    assert [p["key"] for p in data["parts"]][:3] == ["record", "monitoring", "account"]

    member = world.people["member"]
    exported = AuditLog.objects.get(action=AuditLog.Action.EXPORT, subject_person=member)
    assert exported.actor == world.users["org_hr"]
    assert exported.changes == {"format": "json", "audience": HANDLER}
    looked = AuditLog.objects.filter(action=AuditLog.Action.VIEW_SPECIAL, subject_person=member)
    assert looked.filter(actor=world.users["org_hr"], object_repr="subject access export").count() == 1

    # The person's own copy lists the export among the looks at their data.
    own = client_for("staff").get(_url(world, name="people:subject_access_download"))
    audit = next(p for p in json.loads(own.content)["parts"] if p["key"] == "audit")
    about_me = audit["sections"][0]["rows"]
    assert any(row["who"] == "org_hr@example.org" and row["action"] == "Exported" for row in about_me)

"""The rules of NED campaigns: the role profile and appointing authority, reach, the longlist, each step's
decisions, the barring check and its override, the all-or-nothing appointment, closing and withdrawing, audit
rows and the fairness monitors."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from carelead.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from carelead.audit.models import AuditLog
from carelead.boardappraisals.services import board_framework_current
from carelead.boards.models import BoardMember, Term, term_years, years_end
from carelead.boardskills.models import SkillRequirement
from carelead.equality.engine import Period
from carelead.equality.monitors import MONITORS, compute_monitors
from carelead.fitproper.models import Assessment, BarredPerson, financial_year_for
from carelead.nedcampaigns import selectors, services
from carelead.nedcampaigns.models import (
    Appointment,
    Authority,
    Campaign,
    CampaignDecision,
    Stage,
    authority_default,
)
from carelead.nedcampaigns.tests.factories import (
    appoint,
    assignment_of,
    campaign,
    decide,
    interviewed,
    longlisted,
    pool_candidate,
)
from carelead.nedpool.models import Candidate

pytestmark = pytest.mark.django_db


@pytest.fixture
def regional_ned(world):
    """A NED appointments team member for the region Y99 only."""
    user = UserFactory(email="ned-y99@example.org", full_name="Regional Ned")
    RoleAssignmentFactory(user=user, role="ned_team", organisation=world.orgs["Y99"])
    return user


def _errors(caught) -> dict:
    return caught.value.message_dict if hasattr(caught.value, "error_dict") else {"__all__": caught.value.messages}


# The campaign and its profile --------------------------------------------------------------------------------------


def test_the_appointing_authority_follows_the_organisation_and_role():
    assert authority_default(organisation_type="trust", role="non_executive") == Authority.NHS_ENGLAND
    assert authority_default(organisation_type="trust", role="chair") == Authority.NHS_ENGLAND
    assert authority_default(organisation_type="icb", role="non_executive") == Authority.ICB_CHAIR
    assert authority_default(organisation_type="icb", role="chair") == Authority.NHS_ENGLAND_WITH_SECRETARY
    assert authority_default(organisation_type="care_provider", role="non_executive") == Authority.OWN_BOARD


def test_a_campaign_takes_the_usual_authority_and_is_audited(world):
    camp = campaign(world, code="QZZ")
    assert camp.status == Campaign.Status.OPEN
    assert camp.authority == Authority.ICB_CHAIR
    assert camp.opened_on == timezone.localdate()
    entry = AuditLog.objects.get(object_type="nedcampaigns.Campaign", object_id=str(camp.pk), action="create")
    assert entry.changes["organisation"] == [None, "QZZ"]


def test_an_authority_that_does_not_appoint_to_the_board_is_refused(world):
    with pytest.raises(ValidationError) as caught:
        campaign(world, code="CP001", authority=Authority.NHS_ENGLAND)
    assert "appointing authority is The organisation's own board" in _errors(caught)["authority"][0]


def test_the_profile_is_validated(world):
    with pytest.raises(ValidationError) as caught:
        campaign(world, role="chair", seats=2, skills=["astrology"], title=" ")
    errors = _errors(caught)
    assert errors["seats"] == ["A board has one chair: a campaign for a chair fills 1 seat"]
    assert errors["skills"] == ["Select skills from the list"]
    assert errors["title"] == ["Enter a title for the campaign"]
    with pytest.raises(ValidationError) as caught:
        campaign(world, skills=[])
    assert "at least one skill sought or one competency domain" in _errors(caught)["skills"][0]
    with pytest.raises(ValidationError) as caught:
        campaign(world, closing_date=timezone.localdate() - datetime.timedelta(days=1))
    assert "The closing date must be today or later" in _errors(caught)["closing_date"][0]


def test_a_campaign_cannot_be_for_a_region(world):
    with pytest.raises(PermissionDenied):
        campaign(world, code="Y99")


def test_domains_come_from_the_board_framework(world):
    framework = board_framework_current()
    domains = list(framework.domains.order_by("order")[:2])
    camp = campaign(world, domains=domains)
    assert camp.framework == framework
    assert set(camp.domains.all()) == set(domains)


def test_profile_defaults_come_from_the_gaps_and_the_seats_ending(world):
    from carelead.boardappraisals.tests.factories import BoardMemberFactory

    today = timezone.localdate()
    raa = world.orgs["RAA"]
    SkillRequirement.objects.create(organisation=raa, skill="finance", needed=1, level=2)
    SkillRequirement.objects.create(organisation=raa, skill="legal", needed=1, level=2)
    from carelead.boardskills.models import MemberSkill

    holder = BoardMemberFactory(organisation=raa, start_date=today - datetime.timedelta(days=400))
    MemberSkill.objects.create(member=holder, skill="legal", validated_level=3, validated_on=today)
    for _ in range(2):
        BoardMemberFactory(organisation=raa, start_date=years_end(today, -term_years()) + datetime.timedelta(days=40))
    defaults = selectors.profile_defaults(assignment=assignment_of(world.users["ned_team"]), organisation=raa)
    assert defaults.skills == ["finance"]
    assert defaults.role == "non_executive"
    assert defaults.seats == 2
    assert defaults.authority == Authority.NHS_ENGLAND


def test_a_regional_team_runs_campaigns_for_its_region_only(world, regional_ned):
    camp = campaign(world, user=regional_ned)
    assert camp.organisation.code == "RAA"
    with pytest.raises(PermissionDenied):
        campaign(world, code="RCC", user=regional_ned)
    far = campaign(world, code="RCC")
    assert not selectors.campaigns_visible(assignment=assignment_of(regional_ned)).filter(pk=far.pk).exists()
    with pytest.raises(PermissionDenied):
        services.campaign_end(
            assignment=assignment_of(regional_ned),
            by=regional_ned,
            campaign=far,
            outcome="withdrawn",
            reason="Not ours to end",
        )


def test_a_draft_opens_and_its_profile_can_change_until_shortlisting(world):
    ned = world.users["ned_team"]
    camp = campaign(world, open_now=False)
    assert camp.status == Campaign.Status.DRAFT
    services.campaign_open(assignment=assignment_of(ned), by=ned, campaign=camp)
    camp.refresh_from_db()
    assert camp.status == Campaign.Status.OPEN
    with pytest.raises(ValidationError, match="Only a draft campaign can be opened"):
        services.campaign_open(assignment=assignment_of(ned), by=ned, campaign=camp)
    entry = longlisted(world, camp, pool_candidate(world))[0]
    decide(world, entry, "shortlist")
    with pytest.raises(ValidationError, match="cannot be changed once shortlisting has started"):
        services.campaign_update(
            assignment=assignment_of(ned),
            by=ned,
            campaign=camp,
            role="non_executive",
            seats=1,
            title="Changed",
            closing_date=camp.closing_date,
            skills=["finance"],
            domains=[],
        )


# The longlist ------------------------------------------------------------------------------------------------------


def test_the_pool_search_ranks_by_sought_skills_validated_counting_more(world):
    camp = campaign(world, skills=["finance", "legal"])
    both = pool_candidate(world, name="Both Declared", skills=("finance", "legal"))
    validated = pool_candidate(world, name="One Validated", skills=("finance",), validated=("finance", "legal"))
    one = pool_candidate(world, name="One Declared", skills=("legal",))
    none = pool_candidate(world, name="No Match", skills=("clinical",))
    pool_candidate(world, name="Not Admitted", status="assessed", skills=("finance", "legal"))
    pool_candidate(world, name="Already Appointed", status="appointed", skills=("finance", "legal"))
    pool_candidate(world, name="Withdrawn", status="withdrawn", skills=("finance", "legal"))
    pool_candidate(world, name="Erased", skills=("finance",), erased_at=timezone.now())
    found = list(
        selectors.longlist_search(assignment=assignment_of(world.users["ned_team"]), campaign=camp, filters={})
    )
    assert [c.name for c in found] == ["One Validated", "Both Declared", "One Declared", "No Match"]
    assert [(c.score, c.held, c.validated_held) for c in found] == [(4, 2, 2), (2, 2, 0), (1, 1, 0), (0, 0, 0)]
    assert {both.pk, validated.pk, one.pk, none.pk} == {c.pk for c in found}


def test_the_pool_search_filters_by_region_sector_and_role(world):
    camp = campaign(world)
    near = pool_candidate(world, name="Near")
    pool_candidate(world, name="Far", region="Y98")
    pool_candidate(world, name="Care Only", nhs=False, social_care=True)
    chair = pool_candidate(world, name="Chair Only")
    Candidate.objects.filter(pk=chair.pk).update(roles=["chair"])
    ned = assignment_of(world.users["ned_team"])
    defaults = selectors.longlist_filter_defaults(campaign=camp)
    assert defaults["region"] == "Y99" and defaults["sector"] == "nhs" and defaults["role"] == "non_executive"
    found = selectors.longlist_search(assignment=ned, campaign=camp, filters=defaults)
    assert [c.name for c in found] == ["Near"]
    longlisted(world, camp, near)
    assert not selectors.longlist_search(assignment=ned, campaign=camp, filters=defaults).exists()
    chairs = selectors.longlist_search(assignment=ned, campaign=camp, filters={"role": "chair"})
    assert [c.name for c in chairs] == ["Chair Only"]


def test_longlisting_records_a_decision_with_the_match_and_an_audit_row(world):
    camp = campaign(world, skills=["finance", "legal"])
    person = pool_candidate(world, skills=("finance", "legal"), validated=("finance",))
    entry = longlisted(world, camp, person)[0]
    assert entry.stage == Stage.LONGLISTED
    assert entry.match_score == 3
    decision = entry.decisions.get()
    assert decision.step == "longlist" and decision.outcome == "progressed"
    assert "holds 2 of the 2 skills sought, 1 validated" in decision.reason
    assert AuditLog.objects.filter(object_type="nedcampaigns.CampaignCandidate", object_id=str(entry.pk)).exists()
    assert person.name not in str(list(AuditLog.objects.filter(object_type__startswith="nedcampaigns").values()))


def test_longlisting_refuses_who_is_not_in_the_pool_or_already_on_it(world):
    camp = campaign(world)
    listed = pool_candidate(world, name="Listed Already")
    longlisted(world, camp, listed)
    for candidate, message in (
        (pool_candidate(world, name="Just Registered", status="registered"), "Just Registered is not in the pool"),
        (listed, "Listed Already is already on the longlist"),
        (pool_candidate(world, erased_at=timezone.now()), "details were erased"),
    ):
        with pytest.raises(ValidationError) as caught:
            longlisted(world, camp, candidate)
        assert message in _errors(caught)["candidates"][0]
    with pytest.raises(ValidationError) as caught:
        services.longlist_add(
            assignment=assignment_of(world.users["ned_team"]),
            by=world.users["ned_team"],
            campaign=camp,
            candidates=[pool_candidate(world)],
            reason="short",
        )
    assert "at least 10 characters" in _errors(caught)["reason"][0]


def test_a_regional_team_longlists_only_candidates_of_its_region(world, regional_ned):
    camp = campaign(world, user=regional_ned)
    far = pool_candidate(world, region="Y98")
    assert not selectors.longlist_search(assignment=assignment_of(regional_ned), campaign=camp, filters={}).filter(
        pk=far.pk
    )
    with pytest.raises(PermissionDenied):
        longlisted(world, camp, far, user=regional_ned)


def test_the_longlist_needs_an_open_campaign_before_its_closing_date(world):
    draft = campaign(world, open_now=False)
    with pytest.raises(ValidationError, match="open the draft first"):
        longlisted(world, draft, pool_candidate(world))
    camp = campaign(world)
    Campaign.objects.filter(pk=camp.pk).update(closing_date=timezone.localdate() - datetime.timedelta(days=1))
    camp.refresh_from_db()
    with pytest.raises(ValidationError, match="closed to new candidates"):
        longlisted(world, camp, pool_candidate(world))


# Decisions ---------------------------------------------------------------------------------------------------------


def test_each_candidate_moves_only_from_the_previous_stage(world):
    camp = campaign(world)
    entry = longlisted(world, camp, pool_candidate(world))[0]
    with pytest.raises(ValidationError) as caught:
        decide(world, entry, "interview")
    # the campaign is still open: interview decisions wait for shortlisting
    assert "Interview decisions cannot be recorded while the campaign is open" in caught.value.messages[0]
    decide(world, entry, "shortlist")
    camp.refresh_from_db()
    assert camp.status == Campaign.Status.SHORTLISTING
    with pytest.raises(ValidationError) as caught:
        decide(world, entry, "shortlist")
    assert caught.value.messages == [
        "Only a candidate who is longlisted can be shortlisted; this candidate is shortlisted for interview."
    ]
    other = longlisted(world, camp, pool_candidate(world))[0]
    with pytest.raises(ValidationError) as caught:
        decide(world, other, "interview")
    assert "Only a candidate who is shortlisted for interview can be interviewed" in caught.value.messages[0]
    decide(world, entry, "interview")
    camp.refresh_from_db()
    assert camp.status == Campaign.Status.INTERVIEWING
    entry.refresh_from_db()
    assert entry.stage == Stage.INTERVIEWED
    assert list(entry.decisions.values_list("step", flat=True)) == ["longlist", "shortlist", "interview"]


def test_a_decision_needs_a_reason_and_is_never_changed(world):
    camp = campaign(world)
    entry = longlisted(world, camp, pool_candidate(world))[0]
    ned = world.users["ned_team"]
    with pytest.raises(ValidationError) as caught:
        services.decision_record(
            assignment=assignment_of(ned), by=ned, entry=entry, step="shortlist", outcome="not_progressed", reason=" "
        )
    assert _errors(caught)["reason"] == ["Give the reason for the decision in at least 10 characters"]
    decision = decide(world, entry, "shortlist", "not_progressed")
    entry.refresh_from_db()
    assert entry.stage == Stage.NOT_PROGRESSED
    decision.reason = "Changed afterwards"
    with pytest.raises(PermissionDenied):
        decision.save()
    with pytest.raises(PermissionDenied):
        CampaignDecision.objects.filter(pk=decision.pk).update(reason="Changed")
    assert AuditLog.objects.filter(object_type="nedcampaigns.CampaignDecision", object_id=str(decision.pk)).exists()


def test_appointing_is_not_a_plain_decision(world):
    camp = campaign(world)
    entry = interviewed(world, camp, pool_candidate(world))[0]
    with pytest.raises(ValidationError) as caught:
        decide(world, entry, "appointment", "progressed")
    assert "appointment form" in _errors(caught)["outcome"][0]
    decide(world, entry, "appointment", "not_progressed")
    entry.refresh_from_db()
    assert entry.stage == Stage.NOT_PROGRESSED


# The appointment ---------------------------------------------------------------------------------------------------


def test_an_appointment_creates_the_member_term_and_fit_and_proper_test(world):
    today = timezone.localdate()
    camp = campaign(world)
    person = pool_candidate(world, name="Ada Appointee")
    loser = pool_candidate(world, name="Second Place")
    waiting = pool_candidate(world, name="Still Longlisted")
    entry, second = interviewed(world, camp, person, loser)
    left = longlisted(world, camp, waiting)[0]
    appointment = appoint(world, entry)

    member = appointment.member
    assert member.name == "Ada Appointee"
    assert member.organisation == world.orgs["RAA"]
    assert (member.role, member.voting, member.start_date, member.end_date) == ("non_executive", True, today, None)
    term = Term.objects.get(member=member)
    assert (term.number, term.starts_on, term.ends_on) == (1, today, years_end(today, term_years()))
    assessment = Assessment.objects.get(member=member)
    assert assessment.year == financial_year_for(today)
    assert assessment.checks.count() == 10
    assert not assessment.checks.exclude(outcome="").exists()
    assert (appointment.authority, appointment.approver_name, appointment.approved_on) == (
        "nhs_england",
        "Pat Approver",
        today,
    )
    person.refresh_from_db()
    assert person.status == "appointed"
    camp.refresh_from_db()
    assert camp.status == Campaign.Status.APPOINTED
    # everyone else still in the running is recorded as not taken forward, at their next step
    second.refresh_from_db()
    left.refresh_from_db()
    assert second.stage == left.stage == Stage.NOT_PROGRESSED
    assert second.decisions.get(step="appointment").reason == services.FILLED_REASON
    assert left.decisions.get(step="shortlist").outcome == "not_progressed"
    assert AuditLog.objects.filter(object_type="nedcampaigns.Appointment", object_id=str(appointment.pk)).exists()
    assert AuditLog.objects.filter(object_type="boards.BoardMember", object_id=str(member.pk)).exists()
    assert AuditLog.objects.filter(object_type="boards.Term").exists()


def test_an_associate_is_non_voting_and_a_campaign_fills_each_seat(world):
    camp = campaign(world, role="associate", seats=2)
    first, second = interviewed(world, camp, pool_candidate(world), pool_candidate(world))
    assert appoint(world, first).member.voting is False
    camp.refresh_from_db()
    assert camp.status == Campaign.Status.INTERVIEWING  # one seat still to fill
    appoint(world, second)
    camp.refresh_from_db()
    assert camp.status == Campaign.Status.APPOINTED


def test_only_an_appointable_candidate_is_appointed(world):
    camp = campaign(world)
    entry = longlisted(world, camp, pool_candidate(world))[0]
    other = interviewed(world, camp, pool_candidate(world))[0]
    with pytest.raises(ValidationError) as caught:
        appoint(world, entry)
    assert "Only a candidate who is interviewed: appointable can be appointed" in caught.value.messages[0]
    assert appoint(world, other)


def test_the_appointment_is_validated(world):
    today = timezone.localdate()
    camp = campaign(world)
    entry = interviewed(world, camp, pool_candidate(world))[0]
    with pytest.raises(ValidationError) as caught:
        appoint(
            world,
            entry,
            authority=Authority.OWN_BOARD,
            approver_name="",
            approved_on=today + datetime.timedelta(days=1),
            starts_on=today + datetime.timedelta(days=800),
            reason="",
        )
    errors = _errors(caught)
    assert "appointed by NHS England or The council of governors" in errors["authority"][0]
    assert errors["approver_name"] == ["Enter the name of the person who approved the appointment for the authority"]
    assert errors["approved_on"] == ["The date of approval cannot be in the future"]
    assert errors["reason"] == ["Give the reason for the appointment in at least 10 characters"]
    with pytest.raises(ValidationError) as caught:
        appoint(world, entry, starts_on=today - datetime.timedelta(days=1))
    assert _errors(caught)["starts_on"] == ["The seat cannot start before the appointment was approved"]
    assert not BoardMember.objects.filter(organisation=world.orgs["RAA"]).exists()


def test_a_foundation_trust_appoints_through_its_council_of_governors(world):
    camp = campaign(world)
    entry = interviewed(world, camp, pool_candidate(world))[0]
    appointment = appoint(world, entry, authority=Authority.COUNCIL_OF_GOVERNORS, approver_name="Lead Governor")
    assert appointment.authority == Authority.COUNCIL_OF_GOVERNORS


def test_a_barring_list_match_refuses_the_appointment(world):
    BarredPerson.objects.create(
        name="Bára Barred", reference="BAR-001", source="HCPC", added_on=datetime.date(2026, 1, 5)
    )
    camp = campaign(world)
    entry = interviewed(world, camp, pool_candidate(world, name="Bara BARRED"))[0]
    with pytest.raises(ValidationError) as caught:
        appoint(world, entry)
    assert (
        "matches the barring list for senior managers (entry BAR-001)" in _errors(caught)["barring_different_person"][0]
    )
    with pytest.raises(ValidationError) as caught:
        appoint(world, entry, barring_different_person=True, barring_reason="Not them")
    assert "at least 20 characters" in _errors(caught)["barring_reason"][0]
    assert not BoardMember.objects.filter(organisation=world.orgs["RAA"]).exists()
    entry.refresh_from_db()
    assert entry.stage == Stage.INTERVIEWED


def test_a_barring_match_set_aside_as_a_different_person_is_recorded_and_audited(world):
    BarredPerson.objects.create(name="Sam Same", reference="BAR-002", source="HCPC", added_on=datetime.date(2026, 1, 5))
    camp = campaign(world)
    entry = interviewed(world, camp, pool_candidate(world, name="Sam Same"))[0]
    reason = "Date of birth and address checked with the list keeper: a different person"
    appointment = appoint(world, entry, barring_different_person=True, barring_reason=reason)
    assert appointment.barring_references == ["BAR-002"]
    assert appointment.barring_override_reason == reason
    override = AuditLog.objects.get(object_type="nedcampaigns.Appointment", changes__has_key="barring_reason")
    assert override.changes["barring_match_set_aside"] == [None, ["BAR-002"]]
    assert override.actor == world.users["ned_team"]


def test_a_failing_appointment_leaves_nothing_behind(world, monkeypatch):
    camp = campaign(world)
    person = pool_candidate(world)
    entry = interviewed(world, camp, person)[0]
    audits = AuditLog.objects.count()

    def refuse(**kwargs):
        raise ValidationError("The fit and proper person test could not be started.")

    monkeypatch.setattr(services, "assessments_start", refuse)
    with pytest.raises(ValidationError, match="could not be started"):
        appoint(world, entry)
    assert not BoardMember.objects.filter(organisation=world.orgs["RAA"]).exists()
    assert not Term.objects.exists()
    assert not Appointment.objects.exists()
    assert not CampaignDecision.objects.filter(step="appointment").exists()
    entry.refresh_from_db()
    person.refresh_from_db()
    camp.refresh_from_db()
    assert (entry.stage, person.status, camp.status) == (Stage.INTERVIEWED, "in_pool", Campaign.Status.INTERVIEWING)
    assert AuditLog.objects.count() == audits


def test_a_seat_starting_later_gets_the_test_for_its_own_year(world):
    today = timezone.localdate()
    starts = today + datetime.timedelta(days=200)
    camp = campaign(world)
    entry = interviewed(world, camp, pool_candidate(world))[0]
    appointment = appoint(world, entry, starts_on=starts)
    assert appointment.fpp_year == financial_year_for(starts)
    assert Assessment.objects.get(member=appointment.member).year == financial_year_for(starts)


def test_a_candidate_who_left_the_pool_cannot_be_appointed(world):
    camp = campaign(world)
    person = pool_candidate(world)
    entry = interviewed(world, camp, person)[0]
    Candidate.objects.filter(pk=person.pk).update(status="withdrawn")
    with pytest.raises(ValidationError, match="left the pool or been erased"):
        appoint(world, entry)


# Ending a campaign -------------------------------------------------------------------------------------------------


def test_closing_records_the_remaining_candidates_and_withdrawing_judges_nobody(world):
    ned = world.users["ned_team"]
    closing = campaign(world)
    entry = longlisted(world, closing, pool_candidate(world))[0]
    services.campaign_end(
        assignment=assignment_of(ned), by=ned, campaign=closing, outcome="closed", reason="No appointable field"
    )
    entry.refresh_from_db()
    assert entry.stage == Stage.NOT_PROGRESSED
    assert entry.decisions.get(step="shortlist").reason == "The campaign closed: No appointable field"
    with pytest.raises(ValidationError, match="already ended"):
        services.campaign_end(
            assignment=assignment_of(ned), by=ned, campaign=closing, outcome="withdrawn", reason="Changed our mind"
        )

    withdrawing = campaign(world)
    kept = longlisted(world, withdrawing, pool_candidate(world))[0]
    services.campaign_end(
        assignment=assignment_of(ned), by=ned, campaign=withdrawing, outcome="withdrawn", reason="Seat no longer vacant"
    )
    kept.refresh_from_db()
    assert kept.stage == Stage.LONGLISTED
    assert kept.decisions.count() == 1


def test_a_campaign_with_an_appointment_is_closed_not_withdrawn(world):
    ned = world.users["ned_team"]
    camp = campaign(world, seats=2)
    entry = interviewed(world, camp, pool_candidate(world))[0]
    appoint(world, entry)
    with pytest.raises(ValidationError) as caught:
        services.campaign_end(
            assignment=assignment_of(ned), by=ned, campaign=camp, outcome="withdrawn", reason="Second seat not needed"
        )
    assert _errors(caught)["outcome"] == ["An appointment has been made in this campaign: close it instead"]
    draft = campaign(world, open_now=False)
    with pytest.raises(ValidationError) as caught:
        services.campaign_end(
            assignment=assignment_of(ned), by=ned, campaign=draft, outcome="closed", reason="Not needed now"
        )
    assert _errors(caught)["outcome"] == ["A draft campaign has not opened: withdraw it instead"]


# The fairness monitors ---------------------------------------------------------------------------------------------


def test_decisions_feed_the_national_fairness_monitors(world):
    for code in ("FAIR-NED-SHORTLIST", "FAIR-NED-INTERVIEW", "FAIR-NED-APPOINT"):
        assert code in MONITORS
    camp = campaign(world, seats=1)
    white = [
        pool_candidate(world, monitoring={"ethnic_category": "A", "sex": "F", "disability": "N"}) for _ in range(3)
    ]
    bme = [pool_candidate(world, monitoring={"ethnic_category": "H", "sex": "M", "disability": "Y"}) for _ in range(3)]
    entries = longlisted(world, camp, *white, *bme)
    for entry in entries[:3]:
        decide(world, entry, "shortlist")
    for entry in entries[3:]:
        decide(world, entry, "shortlist", "not_progressed")
    decide(world, entries[0], "interview")
    appoint(world, entries[0])
    period = Period.parse(financial_year_for(timezone.localdate()))
    rows = compute_monitors(
        period=period, published=True, codes=["FAIR-NED-SHORTLIST", "FAIR-NED-APPOINT"], characteristics=["ethnicity"]
    )
    assert {r["scope"] for r in rows} == {"national"}
    shortlist = next(r for r in rows if r["code"] == "FAIR-NED-SHORTLIST")
    # national figures are not suppressed: 3 of 3 White shortlisted, 0 of 3 BME
    assert (shortlist["reference_count"], shortlist["reference_group"]) == (3, 3)
    assert (shortlist["compared_count"], shortlist["compared_group"]) == (0, 3)
    appointed = next(r for r in rows if r["code"] == "FAIR-NED-APPOINT")
    # everyone's campaign ended: one White candidate appointed of six
    assert (appointed["reference_count"], appointed["reference_group"]) == (1, 3)
    assert (appointed["compared_count"], appointed["compared_group"]) == (0, 3)


def test_a_campaigns_decisions_by_group_are_published_figures(world):
    camp = campaign(world)
    people = [pool_candidate(world, monitoring={"ethnic_category": "A"}) for _ in range(9)]
    people += [pool_candidate(world, monitoring={"ethnic_category": "N"}) for _ in range(2)]
    for entry in longlisted(world, camp, *people):
        decide(world, entry, "shortlist")
    steps = selectors.decisions_by_group(campaign=camp)
    shortlist = steps[0]
    assert shortlist["step"] == "shortlist"
    ethnicity = next(t for t in shortlist["tables"] if t["code"] == "ethnicity")
    cells = {row["label"]: row["decided"].text for row in ethnicity["rows"]}
    # 9 White show rounded to 10; 2 BME hidden, and the empty unknown cell with them so BME cannot be worked out
    assert cells == {"White": "10", "BME": "*", "Not known or not stated": "*"}
    assert ethnicity["decided_total"].text == "10"
    assert all(t["code"] != "age" for t in shortlist["tables"])

"""Board appraisal services: starting the year, due dates, the sections by state, moves, the sign-off rules (EDI
objective, domains, overall rating, who signs), nothing changing afterwards, and the completion counts."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction

from carelead.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from carelead.audit.models import AuditLog
from carelead.boardappraisals.models import BoardAppraisal, BoardObjective, DomainRating, due_on_for
from carelead.boardappraisals.selectors import board_appraisal_completion, board_appraisals_readable
from carelead.boardappraisals.services import (
    board_appraisal_appraiser_save,
    board_appraisal_feedback_save,
    board_appraisal_move,
    board_appraisal_outcome_save,
    board_appraisal_sign_off,
    board_appraisal_sign_off_problems,
    board_appraisals_start,
    board_domain_ratings_save,
    board_objectives_save,
)
from carelead.boardappraisals.tests.factories import BoardMemberFactory, appraisal_for
from carelead.core.choices import BoardRole
from carelead.standards.models import Domain

State = BoardAppraisal.State
TODAY = datetime.date(2026, 5, 1)


def assignment_of(user):
    return user.assignments.select_related("organisation").get()


def start(world, code="RAA", year=2026, **kwargs):
    return board_appraisals_start(
        organisation=world.orgs[code], year=year, by=world.users["org_hr"], today=TODAY, **kwargs
    )


def sign(appraisal, user, **kwargs):
    return board_appraisal_sign_off(appraisal=appraisal, by=user, assignment=assignment_of(user), **kwargs)


def regional_lead_of(world, code):
    user = UserFactory()
    RoleAssignmentFactory(user=user, role="regional_talent", organisation=world.orgs[code])
    return user


def test_due_dates_follow_the_role():
    assert due_on_for(role=BoardRole.CHAIR, year=2026) == datetime.date(2026, 6, 30)
    assert due_on_for(role=BoardRole.NON_EXECUTIVE, year=2026) == datetime.date(2026, 9, 30)
    assert due_on_for(role=BoardRole.EXECUTIVE, year=2026) == datetime.date(2026, 3, 31)


def test_the_due_dates_are_a_setting(settings):
    settings.CARELEAD_BOARD_APPRAISAL_DUE = {BoardRole.EXECUTIVE: (6, 30)}
    assert due_on_for(role=BoardRole.EXECUTIVE, year=2027) == datetime.date(2027, 6, 30)
    assert due_on_for(role=BoardRole.CHAIR, year=2027) == datetime.date(2027, 6, 30)


def test_starting_the_year_appraises_chairs_neds_and_executives_in_post(world, boards):
    created = start(world)
    by_member = {a.member.name: a for a in created}
    assert set(by_member) == {"Carol Chair", "Nina Nonexec", "Sid Senior", "Eve Executive", "Chris Chief"}
    assert by_member["Carol Chair"].due_on == datetime.date(2026, 6, 30)
    assert by_member["Nina Nonexec"].due_on == datetime.date(2026, 9, 30)
    assert by_member["Eve Executive"].due_on == datetime.date(2026, 3, 31)
    assert all(a.state == State.DRAFT and a.organisation == world.orgs["RAA"] for a in created)
    # The chair appraises the non-executives; the others' appraisers are named by HR.
    assert by_member["Nina Nonexec"].appraiser_member == boards["chair"]
    assert by_member["Nina Nonexec"].appraiser_name == "Carol Chair"
    assert by_member["Carol Chair"].appraiser_name == "" and by_member["Chris Chief"].appraiser_name == ""
    assert AuditLog.objects.filter(object_type="boardappraisals.BoardAppraisal", action="create").count() == 5


def test_each_appraisal_rates_the_domains_of_the_published_board_framework(world, boards):
    appraisal = start(world)[0]
    ratings = list(appraisal.domain_ratings.select_related("domain__framework"))
    board_domains = Domain.objects.filter(framework__code="CLBF", framework__status="published")
    assert [r.domain for r in ratings] == list(board_domains.order_by("order", "code"))
    assert [r.domain.code for r in ratings] == ["B1", "B2", "B3", "B4", "B5", "B6"]
    assert {r.domain.framework_id for r in ratings} == {appraisal.framework_id}


def test_starting_again_creates_only_what_is_missing(world, boards):
    assert len(start(world)) == 5
    assert start(world) == []
    new_ned = BoardMemberFactory(organisation=world.orgs["RAA"], name="New Ned", start_date=TODAY)
    assert [a.member for a in start(world)] == [new_ned]
    assert [a.member for a in start(world, include_associates=True)] == [boards["associate"]]
    assert BoardAppraisal.objects.filter(organisation=world.orgs["RAA"], year=2026).count() == 7


def test_starting_a_far_year_or_a_region_is_refused(world, boards):
    with pytest.raises(ValidationError):
        start(world, year=2030)
    with pytest.raises(ValidationError):
        start(world, code="Y99")


def complete(world, member, **kwargs):
    return appraisal_for(member, complete=True, created_by=world.users["org_hr"], **kwargs)


def test_sign_off_is_refused_without_an_edi_objective(world, boards):
    appraisal = complete(world, boards["ned"])
    appraisal.objectives.update(is_edi=False)
    with pytest.raises(ValidationError) as caught:
        sign(appraisal, world.users["org_hr"], signed_off_for="Carol Chair")
    assert any("EDI" in m for m in caught.value.messages)
    appraisal.refresh_from_db()
    assert appraisal.state == State.REVIEW and appraisal.signed_off_at is None

    board_objectives_save(
        appraisal=appraisal,
        by=world.users["org_hr"],
        rows=[
            {"pk": o.pk, "title": o.title, "measure": o.measure, "is_edi": True, "rating": ""}
            for o in appraisal.objectives.all()
        ],
    )
    sign(appraisal, world.users["org_hr"], signed_off_for="Carol Chair")
    assert BoardAppraisal.objects.get(pk=appraisal.pk).state == State.SIGNED_OFF


def test_sign_off_is_refused_until_every_domain_is_rated(world, boards):
    appraisal = complete(world, boards["ned"])
    b3 = appraisal.domain_ratings.get(domain__code="B3")
    DomainRating.objects.filter(pk=b3.pk).update(rating="")
    problems = board_appraisal_sign_off_problems(appraisal=appraisal)
    assert problems == ["Rate every board competency domain: B3 not rated yet."]
    with pytest.raises(ValidationError):
        sign(appraisal, world.users["org_hr"], signed_off_for="Carol Chair")


def test_sign_off_is_refused_without_an_overall_rating_or_before_the_review(world, boards):
    appraisal = complete(world, boards["ned"], overall_rating="")
    assert board_appraisal_sign_off_problems(appraisal=appraisal) == ["Choose the overall rating."]
    draft = appraisal_for(boards["ned2"], created_by=world.users["org_hr"])
    problems = board_appraisal_sign_off_problems(appraisal=draft)
    assert len(problems) == 4 and "appraiser's review" in problems[0]
    with pytest.raises(ValidationError):
        sign(draft, world.users["org_hr"], signed_off_for="Carol Chair")


def test_the_chairs_appraisal_is_signed_off_by_the_regional_lead_only(world, boards):
    appraisal = complete(world, boards["chair"])
    for user in (world.users["org_hr"], world.users["national_admin"], regional_lead_of(world, "Y98")):
        with pytest.raises(PermissionDenied, match="regional talent lead for Holdout Region"):
            sign(appraisal, user, signed_off_for="Carol Chair")
    assert BoardAppraisal.objects.get(pk=appraisal.pk).state == State.REVIEW

    signed = sign(appraisal, world.users["regional_talent"], signed_off_for="ignored for a chair")
    assert signed.state == State.SIGNED_OFF and signed.signed_off_by == world.users["regional_talent"]
    assert signed.signed_off_for == ""


def test_other_members_are_signed_off_by_hr_for_the_chair_naming_the_chair(world, boards):
    appraisal = complete(world, boards["ned"])
    with pytest.raises(PermissionDenied):
        sign(appraisal, world.users["regional_talent"], signed_off_for="Carol Chair")
    other_hr = UserFactory()
    RoleAssignmentFactory(user=other_hr, role="org_hr", organisation=world.orgs["RBB"])
    with pytest.raises(PermissionDenied):
        sign(appraisal, other_hr, signed_off_for="Carol Chair")
    with pytest.raises(ValidationError) as caught:
        sign(appraisal, world.users["org_hr"], signed_off_for="  ")
    assert "signed_off_for" in caught.value.error_dict

    signed = sign(appraisal, world.users["org_hr"], signed_off_for="Carol Chair")
    assert signed.state == State.SIGNED_OFF and signed.signed_off_for == "Carol Chair"
    assert signed.signed_off_by == world.users["org_hr"] and signed.signed_off_at is not None
    entry = AuditLog.objects.filter(object_id=str(appraisal.pk), changes__state__1="signed_off").get()
    assert entry.changes["signed_off_for"] == ["", "Carol Chair"]

    executive = complete(world, boards["ceo"])
    assert sign(executive, world.users["national_admin"], signed_off_for="Carol Chair").state == State.SIGNED_OFF


def test_nobody_signs_off_their_own_appraisal(world, boards):
    appraisal = complete(world, boards["exec"])
    user = UserFactory(person=world.people["exec"])
    RoleAssignmentFactory(user=user, role="org_hr", organisation=world.orgs["RAA"])
    with pytest.raises(PermissionDenied, match="your own"):
        sign(appraisal, user, signed_off_for="Carol Chair")


def test_nothing_changes_after_sign_off(world, boards):
    appraisal = complete(world, boards["ned"])
    sign(appraisal, world.users["org_hr"], signed_off_for="Carol Chair")
    hr = world.users["org_hr"]
    objective = appraisal.objectives.get()
    attempts = [
        lambda: board_appraisal_appraiser_save(appraisal=appraisal, by=hr, appraiser_name="Someone Else"),
        lambda: board_objectives_save(appraisal=appraisal, by=hr, rows=[{"title": "New", "measure": "M"}]),
        lambda: board_appraisal_feedback_save(
            appraisal=appraisal,
            by=hr,
            feedback_board=1,
            feedback_executives=1,
            feedback_partners=1,
            feedback_staff=1,
            feedback_themes="x",
        ),
        lambda: board_domain_ratings_save(appraisal=appraisal, by=hr, ratings={}),
        lambda: board_appraisal_outcome_save(
            appraisal=appraisal, by=hr, overall_rating="exceptional", appraiser_comments="", member_comments=""
        ),
        lambda: board_appraisal_move(appraisal=appraisal, by=hr, to=State.REVIEW),
        lambda: board_appraisal_move(appraisal=appraisal, by=hr, to=State.CLOSED, reason="Left"),
        lambda: sign(appraisal, hr, signed_off_for="Carol Chair"),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError):
            attempt()

    # Below the services, the database refuses too: the appraisal and its parts.
    with pytest.raises(DatabaseError, match="cannot be changed"), transaction.atomic():
        BoardAppraisal.objects.filter(pk=appraisal.pk).update(overall_rating="exceptional")
    with pytest.raises(DatabaseError, match="cannot be changed"), transaction.atomic():
        BoardObjective.objects.filter(pk=objective.pk).update(is_edi=False)
    with pytest.raises(DatabaseError, match="cannot be changed"), transaction.atomic():
        BoardObjective.objects.create(appraisal=appraisal, title="Sneaked in", measure="-")
    with pytest.raises(DatabaseError, match="cannot be changed"), transaction.atomic():
        DomainRating.objects.filter(appraisal=appraisal).update(rating="unsatisfactory")
    with pytest.raises(DatabaseError, match="cannot be changed"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE boardappraisals_boardappraisal SET state = 'review' WHERE id = %s", [appraisal.pk])
    appraisal.refresh_from_db()
    assert appraisal.state == State.SIGNED_OFF and appraisal.overall_rating == "good"
    assert appraisal.objectives.get().is_edi
    assert set(appraisal.domain_ratings.values_list("rating", flat=True)) == {"good"}


def test_an_appraisal_still_open_can_be_changed_in_the_database(world, boards):
    appraisal = complete(world, boards["ned"])
    BoardAppraisal.objects.filter(pk=appraisal.pk).update(member_comments="Fine")
    DomainRating.objects.filter(appraisal=appraisal).update(rating="exceptional")


def test_closing_needs_a_reason_and_then_freezes_the_appraisal(world, boards):
    appraisal = appraisal_for(boards["ned"], created_by=world.users["org_hr"])
    with pytest.raises(ValidationError) as caught:
        board_appraisal_move(appraisal=appraisal, by=world.users["org_hr"], to=State.CLOSED, reason=" ")
    assert "reason" in caught.value.error_dict
    closed = board_appraisal_move(
        appraisal=appraisal, by=world.users["org_hr"], to=State.CLOSED, reason="Left the board on 31 July."
    )
    assert closed.state == State.CLOSED and closed.closed_at is not None
    with pytest.raises(ValidationError, match="closed and cannot be changed"):
        board_appraisal_appraiser_save(appraisal=closed, by=world.users["org_hr"], appraiser_name="X")
    with pytest.raises(DatabaseError), transaction.atomic():
        BoardAppraisal.objects.filter(pk=closed.pk).update(state=State.DRAFT)


def test_moves_check_what_each_stage_needs(world, boards):
    hr = world.users["org_hr"]
    appraisal = appraisal_for(boards["chair"], created_by=hr, appraiser_name="")
    with pytest.raises(ValidationError, match="Name the appraiser"):
        board_appraisal_move(appraisal=appraisal, by=hr, to=State.FEEDBACK)
    with pytest.raises(ValidationError, match="cannot move"):
        board_appraisal_move(appraisal=appraisal, by=hr, to=State.REVIEW)
    with pytest.raises(ValidationError):
        board_appraisal_move(appraisal=appraisal, by=hr, to=State.SIGNED_OFF)
    board_appraisal_appraiser_save(appraisal=appraisal, by=hr, appraiser_name="", appraiser_member=boards["ned2"])
    appraisal = board_appraisal_move(appraisal=appraisal, by=hr, to=State.FEEDBACK)
    assert appraisal.appraiser_name == "Sid Senior"
    with pytest.raises(ValidationError) as caught:
        board_appraisal_move(appraisal=appraisal, by=hr, to=State.REVIEW)
    assert len(caught.value.messages) == 2
    board_appraisal_feedback_save(
        appraisal=appraisal,
        by=hr,
        feedback_board=6,
        feedback_executives=4,
        feedback_partners=3,
        feedback_staff=2,
        feedback_themes="Visible and fair; chairs meetings well.",
    )
    appraisal = board_appraisal_move(appraisal=appraisal, by=hr, to=State.REVIEW)
    assert appraisal.state == State.REVIEW and appraisal.feedback_total == 15
    assert board_appraisal_move(appraisal=appraisal, by=hr, to=State.FEEDBACK).state == State.FEEDBACK
    changes = AuditLog.objects.filter(object_id=str(appraisal.pk), changes__has_key="state")
    assert changes.count() == 3


def test_sections_open_by_state(world, boards):
    hr = world.users["org_hr"]
    appraisal = appraisal_for(boards["ned"], created_by=hr)
    with pytest.raises(ValidationError, match="only while"):
        board_domain_ratings_save(appraisal=appraisal, by=hr, ratings={})
    with pytest.raises(ValidationError, match="only while"):
        board_appraisal_outcome_save(
            appraisal=appraisal, by=hr, overall_rating="good", appraiser_comments="", member_comments=""
        )
    with pytest.raises(ValidationError, match="only while"):
        board_appraisal_feedback_save(
            appraisal=appraisal,
            by=hr,
            feedback_board=1,
            feedback_executives=0,
            feedback_partners=0,
            feedback_staff=0,
            feedback_themes="",
        )
    with pytest.raises(ValidationError, match="rated at the appraiser's review"):
        board_objectives_save(
            appraisal=appraisal, by=hr, rows=[{"title": "T", "measure": "M", "is_edi": True, "rating": "good"}]
        )


def test_objectives_are_added_changed_and_removed_with_an_audit_trail(world, boards):
    hr = world.users["org_hr"]
    appraisal = appraisal_for(boards["ned"], created_by=hr)
    first, second = board_objectives_save(
        appraisal=appraisal,
        by=hr,
        rows=[
            {"title": "Chair the quality committee", "measure": "Monthly, with a forward plan"},
            {"title": "Sponsor the race equality network", "measure": "Quarterly meetings", "is_edi": True},
        ],
    )
    assert [o.order for o in (first, second)] == [0, 1] and second.is_edi
    with pytest.raises(ValidationError, match="title"):
        board_objectives_save(appraisal=appraisal, by=hr, rows=[{"pk": first.pk, "title": "", "measure": "M"}])
    kept = board_objectives_save(
        appraisal=appraisal,
        by=hr,
        rows=[
            {"pk": first.pk, "delete": True},
            {"pk": second.pk, "title": "Sponsor the staff networks", "measure": "Quarterly meetings", "is_edi": True},
        ],
    )
    assert [o.title for o in kept] == ["Sponsor the staff networks"]
    assert list(appraisal.objectives.values_list("title", "order")) == [("Sponsor the staff networks", 0)]
    actions = AuditLog.objects.filter(object_type="boardappraisals.BoardObjective").values_list("action", flat=True)
    assert sorted(actions) == ["create", "create", "delete", "update"]


def test_domain_ratings_need_evidence_and_are_audited(world, boards):
    hr = world.users["org_hr"]
    appraisal = appraisal_for(boards["ned"], created_by=hr, state=State.REVIEW)
    b1, b2 = list(appraisal.domain_ratings.select_related("domain"))[:2]
    with pytest.raises(ValidationError) as caught:
        board_domain_ratings_save(appraisal=appraisal, by=hr, ratings={b1.domain_id: ("good", " ")})
    assert "B1" in caught.value.error_dict
    board_domain_ratings_save(
        appraisal=appraisal,
        by=hr,
        ratings={b1.domain_id: ("good", "Led the quality strategy."), b2.domain_id: ("", "")},
    )
    assert DomainRating.objects.get(pk=b1.pk).rating == "good"
    entry = AuditLog.objects.get(object_type="boardappraisals.DomainRating")
    assert entry.changes == {
        "B1": [{"rating": "", "evidence": ""}, {"rating": "good", "evidence": "Led the quality strategy."}]
    }
    assert entry.subject_person_id is None and entry.organisation_id == world.orgs["RAA"].pk


def test_completion_counts_due_signed_off_overdue_and_chairs_apart(world, boards):
    hr = world.users["org_hr"]
    complete(world, boards["chair"], year=2025)  # another year: not counted
    signed_chair = complete(world, boards["chair"])
    sign(signed_chair, world.users["regional_talent"])
    appraisal_for(boards["ned"], created_by=hr)  # due 30 September 2026
    closed = appraisal_for(boards["ned2"], created_by=hr)
    board_appraisal_move(appraisal=closed, by=hr, to=State.CLOSED, reason="Left the board")
    appraisal_for(boards["exec"], created_by=hr)  # due 31 March 2026
    appraisal_for(boards["rbb_chair"], created_by=hr)  # due 30 June 2026
    appraisal_for(boards["rcc_ned"], created_by=hr)

    on = datetime.date(2026, 7, 15)
    counts = board_appraisal_completion(organisations=[world.orgs["RAA"], world.orgs["RBB"]], year=2026, today=on)
    raa = counts["by_organisation"][world.orgs["RAA"].pk]
    assert raa == {
        "due": 3,
        "signed_off": 1,
        "overdue": 1,  # the executive's (31 March); the NED's is not due until 30 September
        "closed": 1,
        "chairs_due": 1,
        "chairs_signed_off": 1,
        "chairs_overdue": 0,
    }
    rbb = counts["by_organisation"][world.orgs["RBB"].pk]
    assert (rbb["due"], rbb["overdue"], rbb["chairs_overdue"]) == (1, 1, 1)
    assert world.orgs["RCC"].pk not in counts["by_organisation"]
    assert counts["total"]["due"] == 4 and counts["total"]["chairs_due"] == 2 and counts["total"]["overdue"] == 2


def test_who_reads_appraisals_in_full(world, boards):
    hr = world.users["org_hr"]
    chair = appraisal_for(boards["chair"], created_by=hr)
    ned = appraisal_for(boards["ned"], created_by=hr)
    own = appraisal_for(boards["exec"], created_by=hr)
    far_chair = appraisal_for(boards["rcc_chair"], created_by=hr)

    def readable(persona, user=None):
        user = user or world.users[persona]
        return set(board_appraisals_readable(assignment=assignment_of(user), user=user))

    assert readable("org_hr") == {chair, ned, own}
    assert readable("national_admin") == {chair, ned, own, far_chair}
    assert readable("regional_talent") == {chair}
    assert readable("ned_team") == set() and readable("regulator") == set() and readable("org_admin") == set()
    assert readable("staff") == set()
    eve = UserFactory(person=world.people["exec"])
    RoleAssignmentFactory(user=eve, role="staff", organisation=world.orgs["RAA"])
    assert readable("staff", eve) == {own}

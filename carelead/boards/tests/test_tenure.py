"""The tenure rule when a term is recorded (beyond 6 years needs a recent review agreeing to extend; never
beyond 9 years), the implied first term, and the other writes: reviews and ending a seat."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from carelead.audit.models import AuditLog
from carelead.boardappraisals.tests.factories import BoardMemberFactory
from carelead.boards.models import TenureReview, Term, years_end
from carelead.boards.selectors import board_member_get, seat_of
from carelead.boards.services import board_seat_end, board_tenure_review_record, board_term_record

START = date(2018, 4, 1)
TODAY = date(2023, 3, 1)
NEW_TERM_STARTS = date(2023, 4, 1)


def _after(years: float) -> date:
    return START + timedelta(days=round(years * 365.25))


def _review(member, user, *, on: date, outcome: str = TenureReview.Outcome.EXTEND):
    return board_tenure_review_record(
        member=member,
        reviewed_on=on,
        outcome=outcome,
        reason="Reviewed by the nominations committee: independence and skills mix considered.",
        by=user,
        today=TODAY,
    )


@pytest.mark.parametrize(
    ("ends_on", "review_on", "outcome", "refused"),
    [
        pytest.param(_after(5.9), None, None, None, id="5.9 years, no review"),
        pytest.param(years_end(START, 6), None, None, None, id="exactly 6 years, no review"),
        pytest.param(years_end(START, 6) + timedelta(days=1), None, None, "rigorous tenure review", id="6 years+1d"),
        pytest.param(_after(6.1), None, None, "rigorous tenure review", id="6.1 years, no review"),
        pytest.param(_after(6.1), date(2022, 9, 1), "extend", None, id="6.1 years, review to extend"),
        pytest.param(_after(6.1), date(2022, 9, 1), "do_not_extend", "rigorous tenure review", id="6.1, not extend"),
        pytest.param(_after(6.1), date(2021, 12, 1), "extend", "rigorous tenure review", id="6.1, review too old"),
        pytest.param(_after(8.9), date(2022, 9, 1), "extend", None, id="8.9 years, review to extend"),
        pytest.param(years_end(START, 9), date(2022, 9, 1), "extend", None, id="exactly 9 years, reviewed"),
        pytest.param(years_end(START, 9) + timedelta(days=1), date(2022, 9, 1), "extend", "beyond 9 years", id="9y+1d"),
        pytest.param(_after(9.1), date(2022, 9, 1), "extend", "beyond 9 years", id="9.1 years, reviewed"),
        pytest.param(_after(9.1), None, None, "beyond 9 years", id="9.1 years, no review"),
    ],
)
def test_the_tenure_rule_when_a_term_is_recorded(world, ends_on, review_on, outcome, refused):
    member = BoardMemberFactory(organisation=world.orgs["RAA"], name="Tess Tenure", start_date=START)
    user = world.users["ned_team"]
    if review_on:
        _review(member, user, on=review_on, outcome=outcome)
    record = {"member": member, "starts_on": NEW_TERM_STARTS, "ends_on": ends_on, "by": user, "today": TODAY}
    if refused:
        with pytest.raises(ValidationError) as exc:
            board_term_record(**record)
        assert refused in " ".join(exc.value.message_dict["ends_on"])
        assert not Term.objects.filter(member=member).exists()
        return
    term = board_term_record(**record)
    # The seat had no terms: the implied first term is recorded as term 1, up to the day before term 2.
    assert term.number == 2
    first = Term.objects.get(member=member, number=1)
    assert (first.starts_on, first.ends_on) == (START, NEW_TERM_STARTS - timedelta(days=1))


def test_first_term_on_the_start_date_is_term_one_and_terms_follow_on(world):
    member = BoardMemberFactory(organisation=world.orgs["RAA"], start_date=START)
    user = world.users["org_hr"]
    assignment = user.assignments.get()
    first = board_term_record(
        member=member, starts_on=START, ends_on=years_end(START, 3), by=user, assignment=assignment, today=TODAY
    )
    assert first.number == 1 and Term.objects.filter(member=member).count() == 1
    with pytest.raises(ValidationError) as exc:
        board_term_record(member=member, starts_on=date(2020, 4, 1), ends_on=date(2023, 3, 31), by=user, today=TODAY)
    assert "on or after the end of term 1" in exc.value.message_dict["starts_on"][0]
    with pytest.raises(ValidationError) as exc:
        board_term_record(member=member, starts_on=date(2021, 4, 1), ends_on=date(2021, 3, 1), by=user, today=TODAY)
    assert exc.value.message_dict["ends_on"] == ["The term must end after it starts"]
    second = board_term_record(
        member=member, starts_on=date(2021, 4, 1), ends_on=date(2024, 3, 31), notes="Reappointed", by=user, today=TODAY
    )
    assert second.number == 2
    assert AuditLog.objects.filter(object_type="boards.Term", organisation_id=world.orgs["RAA"].pk).count() == 2


def test_before_the_seat_started_and_after_it_ended_are_refused(world):
    member = BoardMemberFactory(organisation=world.orgs["RAA"], start_date=START)
    user = world.users["ned_team"]
    with pytest.raises(ValidationError) as exc:
        board_term_record(member=member, starts_on=date(2017, 1, 1), ends_on=date(2019, 1, 1), by=user, today=TODAY)
    assert "cannot start before" in exc.value.message_dict["starts_on"][0]
    board_seat_end(member=member, ended_on=date(2022, 12, 31), by=user, today=TODAY)
    member.refresh_from_db()
    assert member.end_date == date(2022, 12, 31)
    assert AuditLog.objects.get(object_type="boards.BoardMember").changes == {"end_date": [None, "2022-12-31"]}
    with pytest.raises(ValidationError) as exc:
        board_term_record(member=member, starts_on=date(2023, 4, 1), ends_on=date(2026, 3, 31), by=user, today=TODAY)
    assert "left the board" in exc.value.messages[0]


def test_writes_are_refused_outside_the_scope(world):
    other = BoardMemberFactory(organisation=world.orgs["RBB"], start_date=START)
    hr = world.users["org_hr"]
    with pytest.raises(PermissionDenied):
        board_term_record(
            member=other, starts_on=START, ends_on=years_end(START, 3), by=hr, assignment=hr.assignments.get()
        )
    with pytest.raises(PermissionDenied):
        board_seat_end(member=other, ended_on=TODAY, by=hr, assignment=hr.assignments.get(), today=TODAY)
    assert not Term.objects.exists()


def test_reviews_are_validated_and_kept_as_recorded(world):
    member = BoardMemberFactory(organisation=world.orgs["RAA"], start_date=START)
    user = world.users["ned_team"]
    with pytest.raises(ValidationError) as exc:
        board_tenure_review_record(
            member=member, reviewed_on=date(2024, 1, 1), outcome="maybe", reason="Too short", by=user, today=TODAY
        )
    assert set(exc.value.message_dict) == {"reviewed_on", "outcome", "reason"}
    review = _review(member, user, on=date(2022, 9, 1))
    assert AuditLog.objects.filter(object_type="boards.TenureReview", object_id=str(review.pk)).exists()
    review.reason = "Changed afterwards"
    with pytest.raises(PermissionDenied):
        review.save()
    with pytest.raises(PermissionDenied):
        TenureReview.objects.filter(pk=review.pk).update(reason="Changed")


def test_a_seat_without_terms_has_one_assumed_term_of_the_usual_length(world, settings):
    settings.CARELEAD_BOARD_TERM_YEARS = 4
    member = BoardMemberFactory(organisation=world.orgs["RAA"], start_date=START)
    seat = seat_of(board_member_get(assignment=world.users["ned_team"].assignments.get(), pk=member.pk), today=TODAY)
    assert seat.term_assumed and seat.term_number == 1
    assert (seat.term_starts_on, seat.term_ends_on) == (START, date(2022, 3, 31))
    assert seat.term_passed and not seat.beyond_six
    assert seat.tenure_text == "4 years, 11 months"

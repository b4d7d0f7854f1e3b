"""The demo's boards, NED candidate pool and fit and proper data: terms that keep the tenure rule, a pool at every
stage, tests that keep the sign-off and submission rules, and the same data for the same seed."""

import datetime
import itertools
from collections import Counter

import pytest
from django.db import transaction
from django.utils import timezone

from carelead.accounts.models import RoleAssignment
from carelead.accounts.tests.factories import UserFactory
from carelead.boardappraisals.tests.factories import BoardMemberFactory
from carelead.boards.models import BoardMember, TenureReview, Term, add_months, years_end
from carelead.boards.selectors import open_seats_q, seat_of, term_endings, with_terms
from carelead.boards.services import MAX_TERM_YEARS
from carelead.core.choices import BoardRole
from carelead.demo.ned import ned_demo_create
from carelead.fitproper.models import (
    Assessment,
    BarredPerson,
    BoardMemberReference,
    Check,
    CheckKind,
    CheckOutcome,
    Submission,
    financial_year_for,
    financial_year_start,
)
from carelead.fitproper.selectors import barring_matches, board_members_in_post
from carelead.fitproper.services import sign_off_problems
from carelead.nedpool.models import Candidate, CandidateMonitoring, CandidateSkill, Enrolment, Placement
from carelead.nedpool.services import NEEDS_READINESS, placement_bounds

pytestmark = pytest.mark.django_db

SEED = 5


@pytest.fixture
def tiny(monkeypatch) -> dict:
    """A tiny demo load (without NED data, should the load write it itself) and the arguments for the NED data."""
    from carelead.demo import generate

    monkeypatch.setattr(generate, "ned_demo_create", lambda **kwargs: {}, raising=False)
    generate.demo_load(size="tiny", seed=SEED)
    hr = RoleAssignment.objects.select_related("user", "organisation").get(role="org_hr")
    ned = RoleAssignment.objects.select_related("user").get(role="ned_team", organisation__isnull=True)
    return {"seed": SEED, "ned_user": ned.user, "trust": hr.organisation, "hr_user": hr.user}


@pytest.fixture
def loaded(tiny) -> dict:
    """The tiny load with its NED data; returns what ned_demo_create counted and its arguments."""
    return {"counts": ned_demo_create(**tiny), **tiny}


def _seats(today):
    members = with_terms(BoardMember.objects.filter(open_seats_q(on=today), start_date__lte=today))
    return [seat_of(m, today=today) for m in members.select_related("organisation")]


def test_terms_follow_each_seat_and_the_tenure_rule(loaded):
    today = timezone.localdate()
    seats = _seats(today)
    assert seats
    flagged = 0
    for seat in seats:
        member = seat.member
        terms = list(Term.objects.filter(member=member).order_by("number"))
        # Every seat held has its terms recorded, executives included, and none has run out.
        assert terms, member
        assert not seat.term_assumed and not seat.term_passed
        assert terms[0].number == 1 and terms[0].starts_on == member.start_date
        for before, after in itertools.pairwise(terms):
            assert after.number == before.number + 1
            assert after.starts_on == before.ends_on + datetime.timedelta(days=1)
        for term in terms:
            assert term.ends_on <= years_end(term.starts_on, MAX_TERM_YEARS)
        # Nobody serves beyond nine years.
        assert not seat.beyond_nine
        assert terms[-1].ends_on <= years_end(member.start_date, 9)
        if not seat.beyond_six:
            continue
        reviews = list(TenureReview.objects.filter(member=member))
        if not reviews:
            # Left without a review on purpose: the pages flag it.
            flagged += 1
            assert not seat.reviewed
            continue
        assert seat.reviewed
        six = years_end(member.start_date, 6)
        for term in terms:
            if term.ends_on > six:
                # An extend review in the 12 months before the term that took the member beyond six years.
                assert any(
                    r.outcome == TenureReview.Outcome.EXTEND
                    and add_months(term.starts_on, -12) <= r.reviewed_on <= term.starts_on
                    for r in reviews
                ), member
    assert 1 <= flagged <= 2
    assert {s.member.role for s in seats} >= {BoardRole.CHAIR, BoardRole.NON_EXECUTIVE, BoardRole.EXECUTIVE}
    assert Counter(s.term_number for s in seats)[1] >= 1
    assert any(s.term_number >= 2 for s in seats)
    # Some terms end within the alert period, so the NED team's list of terms ending soon has something.
    assert any(s.ends_soon for s in seats)
    ned = RoleAssignment.objects.get(role="ned_team", organisation__isnull=True)
    assert term_endings(assignment=ned, months=6).exists()
    assert loaded["counts"]["boards.Term"] == Term.objects.count()
    assert loaded["counts"]["boards.TenureReview"] == TenureReview.objects.count() > 0


def test_fit_and_proper_tests_keep_the_sign_off_and_submission_rules(loaded):
    today = timezone.localdate()
    this_year = financial_year_for(today)
    last_year = financial_year_for(datetime.date(financial_year_start(this_year), 1, 1))
    signed = Assessment.objects.filter(signed_off_at__isnull=False).prefetch_related("checks", "confirmations")
    assert signed.exists()
    for assessment in signed:
        checks = list(assessment.checks.all())
        assert {c.kind for c in checks} == set(CheckKind.values)
        assert assessment.attested_on is not None and assessment.attestation_text
        assert assessment.signed_off_at.date() <= today
        if assessment.signed_off_as == Assessment.SignedOffAs.NED_TEAM:
            assert assessment.signed_off_for
        assessment.signed_off_at = None  # ask the service what it would say before sign-off
        problems = sign_off_problems(
            assessment=assessment,
            checks=checks,
            confirmed_ids={c.domain_id for c in assessment.confirmations.all()},
        )
        assert problems == [], (assessment.pk, problems)
    for check in Check.objects.exclude(outcome=""):
        assert check.checked_on <= today and check.checked_by_id is not None
        if check.outcome == CheckOutcome.CONCERN:
            assert check.notes
            if check.resolution:
                assert check.checked_on <= check.resolved_on <= today
    # A submission is made only when every member in post is signed off for the year.
    submissions = list(Submission.objects.select_related("organisation"))
    assert any(s.year == last_year for s in submissions)
    for submission in submissions:
        members = board_members_in_post(organisation=submission.organisation, on=today)
        signed_ids = set(
            Assessment.objects.filter(year=submission.year, signed_off_at__isnull=False).values_list(
                "member_id", flat=True
            )
        )
        assert members.exists()
        assert all(m.pk in signed_ids for m in members), submission
    # The persona trust's year is under way: an open concern, a resolved one, an attestation still to come.
    trust = loaded["trust"]
    checks = Check.objects.filter(assessment__organisation=trust, assessment__year=this_year)
    assert checks.filter(outcome=CheckOutcome.CONCERN, resolution="").exists()
    assert checks.filter(outcome=CheckOutcome.CONCERN).exclude(resolution="").exists()
    assert checks.filter(kind=CheckKind.DBS, outcome=CheckOutcome.NOT_APPLICABLE).exists()
    assert checks.filter(checked_by=loaded["hr_user"]).exists()
    assert Assessment.objects.filter(organisation=trust, year=this_year, attested_on__isnull=True).exists()
    assert not Submission.objects.filter(organisation=trust, year=this_year).exists()
    assert Submission.objects.filter(organisation=trust, year=last_year).exists()
    # One reference per former member, for the seat they held.
    references = list(BoardMemberReference.objects.select_related("member"))
    assert references
    for reference in references:
        assert reference.served_to == reference.member.end_date < today
        assert reference.served_from == reference.member.start_date
        assert reference.written_on <= today
    # The barring list names nobody on a board.
    assert 5 <= BarredPerson.objects.count() <= 10
    for member in BoardMember.objects.all():
        assert barring_matches(name=member.name) == []


def test_the_candidate_pool_is_at_every_stage(loaded):
    candidates = list(Candidate.objects.all())
    assert len(candidates) >= 200
    assert len({c.email for c in candidates}) == len(candidates)
    assert all(c.email.endswith("@example.org") for c in candidates)
    statuses = Counter(c.status for c in candidates)
    assert set(statuses) >= {"registered", "assessed", "in_pool", "placed", "withdrawn"}
    for c in candidates:
        assert c.roles and (c.sector_nhs or c.sector_social_care)
        assert c.created_at == c.consented_at <= timezone.now()
        if c.status in NEEDS_READINESS:
            assert c.readiness and c.assessed_on
        if c.admitted_on:
            assert c.assessed_on <= c.admitted_on
    assert len({c.readiness for c in candidates if c.readiness}) >= 3
    # Declared skills for everyone; some validated by the team, always among those declared.
    declared = set(CandidateSkill.objects.filter(validated=False).values_list("candidate_id", "skill"))
    validated = set(CandidateSkill.objects.filter(validated=True).values_list("candidate_id", "skill"))
    assert {pk for pk, _ in declared} == {c.pk for c in candidates}
    assert validated and validated <= declared
    # Monitoring answers for most, some preferring not to say.
    answers = CandidateMonitoring.objects.count()
    assert 0.7 * len(candidates) <= answers < len(candidates)
    assert (
        CandidateMonitoring.objects.filter(ethnic_category="Z").exists()
        or CandidateMonitoring.objects.filter(disability="U").exists()
    )
    assert CandidateMonitoring.objects.exclude(ethnic_category__in=["A", "B", "C", "Z", ""]).exists()
    # NExT Director placements last 6 to 12 months, and the candidate placed now has one planned or under way.
    today = timezone.localdate()
    placements = list(Placement.objects.select_related("candidate", "host"))
    assert placements
    for p in placements:
        earliest, latest = placement_bounds(p.starts_on)
        assert earliest <= p.ends_on <= latest
        assert p.host.type in ("trust", "icb")
        if p.status == Placement.Status.PLANNED:
            assert p.starts_on > today
        elif p.status == Placement.Status.ACTIVE:
            assert p.starts_on <= today <= p.ends_on
        else:
            assert p.ends_on < today
    for c in candidates:
        if c.status == "placed":
            assert any(p.candidate_id == c.pk and p.status in ("planned", "active") for p in placements)
    for enrolment in Enrolment.objects.select_related("candidate"):
        assert "chair" in enrolment.candidate.roles


def test_the_same_seed_writes_the_same_data(tiny):
    def counts_of(seed):
        with transaction.atomic():
            counts = ned_demo_create(**{**tiny, "seed": seed})
            emails = sorted(Candidate.objects.values_list("email", flat=True))[:20]
            transaction.set_rollback(True)
        return counts, emails

    first = counts_of(SEED)
    assert counts_of(SEED) == first
    assert counts_of(SEED + 1) != first


def test_a_chair_who_signs_in_signs_off_their_board_in_person(world):
    raa = world.orgs["RAA"]
    today = timezone.localdate()
    chair_user = world.users["line_manager"]
    chair = BoardMemberFactory(
        organisation=raa, role=BoardRole.CHAIR, person=chair_user.person, start_date=today.replace(year=today.year - 2)
    )
    for years in (1, 4, 7):
        BoardMemberFactory(organisation=raa, start_date=today.replace(year=today.year - years, day=1))
    BoardMemberFactory(organisation=raa, role=BoardRole.EXECUTIVE, start_date=today.replace(year=today.year - 5))
    ned_demo_create(
        seed=1, ned_user=world.users["ned_team"], trust=raa, hr_user=world.users["org_hr"], chair_user=chair_user
    )
    signed = Assessment.objects.filter(organisation=raa, signed_off_at__isnull=False)
    assert signed.exists()
    for assessment in signed:
        if assessment.member_id == chair.pk:
            assert assessment.signed_off_as == Assessment.SignedOffAs.NED_TEAM
            assert assessment.signed_off_by == world.users["ned_team"]
        else:
            assert assessment.signed_off_as == Assessment.SignedOffAs.CHAIR
            assert assessment.signed_off_by == chair_user
    # Every seat has its terms; the only member past six years in the region is left unreviewed, and flagged.
    assert Term.objects.filter(member__organisation=raa).values("member").distinct().count() == 5
    seats = {s.member.pk: s for s in _seats(today)}
    flagged = [s for s in seats.values() if s.beyond_six]
    assert len(flagged) == 1 and not flagged[0].reviewed
    assert flagged[0].first_starts_on == today.replace(year=today.year - 7, day=1)


def test_a_chair_user_must_be_a_chair():
    with pytest.raises(ValueError, match="chair"):
        ned_demo_create(seed=1, ned_user=UserFactory(), chair_user=UserFactory())

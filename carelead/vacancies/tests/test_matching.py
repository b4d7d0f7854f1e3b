"""The matching engine: who is considered, who the gate leaves out, how each score is made and explained, the
order of ties, and that no special-category data moves anyone."""

import datetime
import itertools
import random
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carelead.appraisals.models import Appraisal, Cycle
from carelead.learning.models import TrainingRecord
from carelead.people.models import EqualityMonitoring
from carelead.people.tests.factories import PersonFactory
from carelead.standards.models import Accreditation, Module, Provider, Requirement
from carelead.talent.models import PoolMembership, TalentConversation, TalentPool
from carelead.vacancies.matching import (
    WEIGHT_MOBILITY,
    WEIGHT_READINESS,
    WEIGHT_REGION,
    WEIGHT_STANDARDS,
    Candidate,
    Facts,
    ordered,
    ranking_for,
    rankings_for,
    score,
)
from carelead.vacancies.models import Vacancy
from carelead.vacancies.tests.factories import ApplicationFactory, VacancyFactory

DAY = datetime.date(2026, 6, 1)


@pytest.fixture
def curriculum(db):
    """Our own small curriculum: induction (standard S1) gates first_line; managing people (S2) gates middle;
    a non-gating module develops S3."""
    Requirement.objects.update(active=False)
    provider = Provider.objects.create(code="TP-GOOD", name="Good Provider")
    modules = {
        "T-IND": Module.objects.create(code="T-IND", title="Induction", hours=6, standard_codes=["S1"]),
        "T-MGR": Module.objects.create(code="T-MGR", title="Managing people", hours=20, standard_codes=["S2"]),
        "T-EXTRA": Module.objects.create(code="T-EXTRA", title="Improvement", hours=8, standard_codes=["S3", "S9"]),
    }
    for module in modules.values():
        Accreditation.objects.create(provider=provider, module=module, valid_from=datetime.date(2024, 1, 1))
    Requirement.objects.create(code="T-REQ-IND", title="Induction", level="staff", order=1).modules.set(
        [modules["T-IND"]]
    )
    Requirement.objects.create(code="T-REQ-MGR", title="Managing people", level="first_line", order=2).modules.set(
        [modules["T-MGR"]]
    )
    return modules


def complete(person, *codes, on=datetime.date(2025, 3, 1), provider="TP-GOOD", expires_on=None):
    for code in codes:
        TrainingRecord.objects.create(
            record_id=f"R-{person.pk}-{code}-{on}-{provider}",
            person=person,
            course_code=code,
            mandatory=False,
            date=on,
            completed=True,
            expires_on=expires_on,
            provider_code=provider,
        )


def pool_of(world, level="middle", region="Y99"):
    pool, _ = TalentPool.objects.get_or_create(
        region=world.orgs[region], level=level, defaults={"name": f"{region} {level} pool"}
    )
    return pool


def join(
    world, person, *, level="middle", region="Y99", expires_on=DAY + datetime.timedelta(days=200), status="approved"
):
    return PoolMembership.objects.create(
        pool=pool_of(world, level, region),
        person=person,
        status=status,
        nominated_by=world.users["line_manager"],
        nominated_on=DAY - datetime.timedelta(days=100),
        nomination_reason="Ready for more",
        decided_by=world.users["regional_talent"],
        decided_on=DAY - datetime.timedelta(days=90),
        expires_on=expires_on,
    )


def talk(world, person, readiness, regions=(), sectors=(), held_on=DAY - datetime.timedelta(days=30)):
    return TalentConversation.objects.create(
        person=person,
        held_with=world.people["manager"],
        held_on=held_on,
        impact="high",
        growth="high",
        growth_direction="stretch",
        readiness=readiness,
        mobility_regions=list(regions),
        mobility_sectors=list(sectors),
        recorded_by=world.users["line_manager"],
    )


def appraise(world, person, rating, *, year="2025-26", signed_off_on=datetime.date(2026, 4, 20), readiness=""):
    cycle, _ = Cycle.objects.get_or_create(
        organisation=person.organisation,
        year=year,
        defaults={
            "imported": True,
            "opens_on": datetime.date(int(year[:4]), 4, 1),
            "self_assessment_due": datetime.date(int(year[:4]), 6, 1),
            "review_due": datetime.date(int(year[:4]), 9, 1),
            "sign_off_due": datetime.date(int(year[:4]), 12, 1),
        },
    )
    return Appraisal.objects.create(
        cycle=cycle,
        person=person,
        state=Appraisal.State.SIGNED_OFF,
        overall_rating=rating,
        signed_off_on=signed_off_on,
        readiness=readiness,
    )


def vacancy_at(world, code="RBB", level="middle", standards=("S1", "S2", "S3")):
    return VacancyFactory(
        organisation=world.orgs[code],
        level=level,
        required_standards=list(standards),
        created_by=world.users["org_hr"],
        opens_on=DAY - datetime.timedelta(days=7),
        closes_on=DAY + datetime.timedelta(days=28),
    )


@pytest.fixture
def example(world, curriculum):
    """The hand-computed example of the user guide."""
    member, (b, d, e) = world.people["member"], world.people["others"]
    rcc, rbb = world.people["rcc"], world.people["rbb"]
    # A: everything; B: two standards, readiness and rating from an appraisal; C: from another region, would
    # work in the NHS; D: fails the gate; E: membership expired; F: applied without being in the pool.
    complete(member, "T-IND", "T-MGR", "T-EXTRA")
    complete(b, "T-IND", "T-MGR")
    complete(rcc, "T-IND", "T-MGR")
    complete(d, "T-IND")
    complete(e, "T-IND", "T-MGR", "T-EXTRA")
    complete(rbb, "T-IND", "T-MGR")
    for person in (member, b, rcc, d):
        join(world, person)
    join(world, e, expires_on=DAY - datetime.timedelta(days=1))
    talk(world, member, "ready_now", regions=["Y99"])
    talk(world, rcc, "3_plus_years", sectors=["nhs"])
    talk(world, e, "ready_now", regions=["Y99"])
    appraise(world, member, "good")
    appraise(world, b, "exceptional", readiness="1_2_years")
    # An appraisal older than two years earns nothing.
    appraise(world, rcc, "exceptional", year="2023-24", signed_off_on=datetime.date(2024, 5, 1))
    vacancy = vacancy_at(world)
    ApplicationFactory(vacancy=vacancy, person=rbb, applied_on=DAY)
    return vacancy


def test_the_hand_computed_example(world, example):
    ranking = ranking_for(vacancy=example, on=DAY)
    rows = [(c.person.staff_id, c.score, c.explanation) for c in ranking.candidates]
    assert rows == [
        (
            "RAA-00003",
            Decimal("95.0"),
            "Ready now; meets 3 of 3 standards; rated good in 2025/26; named Holdout Region as a region to work in; "
            "already works in Holdout Region",
        ),
        (
            "RAA-00100",
            Decimal("61.7"),
            "Ready in 1 to 2 years; meets 2 of 3 standards; rated exceptional in 2025/26; "
            "already works in Holdout Region",
        ),
        (
            "RCC-00001",
            Decimal("41.7"),
            "Ready in 3 years or more; meets 2 of 3 standards; no appraisal signed off in the last 2 years; "
            "would work in the NHS",
        ),
        (
            "RBB-00001",
            Decimal("31.7"),
            "Readiness not recorded; meets 2 of 3 standards; no appraisal signed off in the last 2 years; "
            "already works in Holdout Region",
        ),
    ]
    # 95 = 40 (3 of 3 standards) + 30 (ready now) + 10 (good) + 10 (mobility) + 5 (region)
    first = ranking.candidates[0]
    assert [(p.name, p.points) for p in first.parts] == [
        ("readiness", Decimal(30)),
        ("standards", Decimal("40.0")),
        ("appraisal", Decimal(10)),
        ("mobility", Decimal(10)),
        ("region", Decimal(5)),
    ]
    assert ranking.candidates[1].facts.readiness_from == "appraisal"
    assert ranking.candidates[3].application_status == "applied"
    # D fails the gate (counted, not listed); E's membership expired (not considered at all).
    assert ranking.excluded_by_gate == 1
    assert ranking.considered == 5
    assert "RAA-00101" not in {c.person.staff_id for c in ranking.candidates}
    assert "RAA-00102" not in {c.person.staff_id for c in ranking.candidates}


def test_pool_expiry_and_status_are_respected(world, example):
    e = world.people["others"][2]
    assert e.pk not in ranking_for(vacancy=example, on=DAY).considered_ids
    # Two days earlier the membership had not expired, so E was considered.
    earlier = ranking_for(vacancy=example, on=DAY - datetime.timedelta(days=2))
    assert e.pk in earlier.considered_ids
    # A nomination not yet approved does not count.
    nominee = PersonFactory(organisation=world.orgs["RAA"], staff_id="RAA-00900")
    complete(nominee, "T-IND", "T-MGR")
    join(world, nominee, status="nominated")
    assert nominee.pk not in ranking_for(vacancy=example, on=DAY).considered_ids


def test_other_levels_and_regions_pools_are_not_considered(world, example):
    other = PersonFactory(organisation=world.orgs["RAA"], staff_id="RAA-00901")
    complete(other, "T-IND", "T-MGR")
    join(world, other, level="senior")
    far = PersonFactory(organisation=world.orgs["RCC"], staff_id="RCC-00901")
    complete(far, "T-IND", "T-MGR")
    join(world, far, region="Y98")
    considered = ranking_for(vacancy=example, on=DAY).considered_ids
    assert other.pk not in considered and far.pk not in considered


def test_leavers_and_withdrawn_applications_are_not_considered(world, example):
    rbb = world.people["rbb"]
    example.applications.update(status="withdrawn")
    member = world.people["member"]
    member.end_date = DAY - datetime.timedelta(days=1)
    member.save()
    ids = ranking_for(vacancy=example, on=DAY).considered_ids
    assert rbb.pk not in ids and member.pk not in ids


def test_a_standard_counts_only_with_a_completion_that_counts(world, curriculum):
    person = world.people["member"]
    complete(person, "T-IND", "T-MGR")
    complete(person, "T-EXTRA", provider="TP-NOBODY")  # no accreditation: S3 not evidenced
    join(world, person)
    vacancy = vacancy_at(world)
    (candidate,) = ranking_for(vacancy=vacancy, on=DAY).candidates
    assert candidate.facts.standards_met == 2
    complete(person, "T-EXTRA", on=datetime.date(2025, 4, 1), expires_on=DAY - datetime.timedelta(days=1))
    (candidate,) = ranking_for(vacancy=vacancy, on=DAY).candidates
    assert candidate.facts.standards_met == 2  # expired
    complete(person, "T-EXTRA", on=datetime.date(2025, 5, 1))
    (candidate,) = ranking_for(vacancy=vacancy, on=DAY).candidates
    assert candidate.facts.standards_met == 3


def test_a_vacancy_naming_no_standards_scores_none_for_them(world, curriculum):
    person = world.people["member"]
    complete(person, "T-IND", "T-MGR")
    join(world, person)
    vacancy = vacancy_at(world, standards=())
    (candidate,) = ranking_for(vacancy=vacancy, on=DAY).candidates
    assert candidate.parts[1].points == 0 and "names no required standards" in candidate.explanation


def test_ties_are_broken_by_staff_id(world, curriculum):
    people = [PersonFactory(organisation=world.orgs["RAA"], staff_id=f"RAA-0{n}") for n in (9003, 9001, 9002)]
    for person in people:
        complete(person, "T-IND", "T-MGR")
        join(world, person)
    ranking = ranking_for(vacancy=vacancy_at(world), on=DAY)
    assert [c.person.staff_id for c in ranking.candidates] == ["RAA-09001", "RAA-09002", "RAA-09003"]
    assert [c.rank for c in ranking.candidates] == [1, 2, 3]
    assert len({c.score for c in ranking.candidates}) == 1


def test_equal_scores_order_by_readiness_then_standards():
    # 30 = ready now alone; 30 = ready in 1 to 2 years + exceptional rating: readiness decides.
    ready = Facts(staff_id="Z", readiness="ready_now")
    later = Facts(staff_id="A", readiness="1_2_years", rating="exceptional", rating_year="2025-26")
    # 50 = ready now + 1 of 2 standards (20); 50 = ready now + exceptional + region: standards decide.
    more = Facts(staff_id="Y", readiness="ready_now", standards_met=1, standards_required=2)
    fewer = Facts(
        staff_id="B",
        readiness="ready_now",
        standards_required=2,
        rating="exceptional",
        rating_year="2025-26",
        in_region=True,
        region_name="X",
    )
    candidates = [
        Candidate(person=None, facts=f, score=score(f)[0], parts=score(f)[1]) for f in (later, ready, fewer, more)
    ]
    assert [c.score for c in candidates] == [Decimal(30), Decimal(30), Decimal(50), Decimal("50.0")]
    assert [c.facts.staff_id for c in ordered(candidates)] == ["Y", "B", "Z", "A"]


facts_strategy = st.builds(
    Facts,
    staff_id=st.text(alphabet="ABC0123456789-", min_size=1, max_size=6),
    standards_required=st.just(4),
    standards_met=st.integers(0, 4),
    readiness=st.sampled_from(["", "ready_now", "1_2_years", "3_plus_years"]),
    rating=st.sampled_from(["", "exceptional", "good", "development_needed", "unsatisfactory"]),
    rating_year=st.just("2025-26"),
    mobility=st.booleans(),
    mobility_words=st.just("would relocate"),
    in_region=st.booleans(),
    region_name=st.just("X"),
)


@given(
    st.lists(facts_strategy, min_size=0, max_size=30, unique_by=lambda f: f.staff_id),
    st.randoms(use_true_random=False),
)
@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
def test_the_ranking_is_a_total_order_independent_of_input_order(all_facts, rng):
    def build(facts_list):
        return [Candidate(person=None, facts=f, score=score(f)[0], parts=score(f)[1]) for f in facts_list]

    first = ordered(build(all_facts))
    shuffled = list(all_facts)
    rng.shuffle(shuffled)
    again = ordered(build(shuffled))
    assert [c.facts for c in first] == [c.facts for c in again]
    keys = [c.sort_key for c in first]
    assert all(a < b for a, b in itertools.pairwise(keys))  # strictly increasing: no two equal
    assert all(a.score >= b.score for a, b in itertools.pairwise(first))
    assert [c.rank for c in first] == list(range(1, len(first) + 1))


def test_the_score_never_exceeds_the_weights():
    best = Facts(
        staff_id="X",
        standards_met=5,
        standards_required=5,
        readiness="ready_now",
        rating="exceptional",
        rating_year="2025-26",
        mobility=True,
        mobility_words="would relocate",
        in_region=True,
        region_name="X",
    )
    top = WEIGHT_STANDARDS + WEIGHT_READINESS["ready_now"] + 15 + WEIGHT_MOBILITY + WEIGHT_REGION
    assert score(best)[0] == top == 100


def _signature(ranking):
    return [(c.person.staff_id, c.score, c.explanation) for c in ranking.candidates], ranking.excluded_by_gate


def test_special_category_data_never_changes_the_ranking(world, example):
    before = _signature(ranking_for(vacancy=example, on=DAY))
    rng = random.Random(7)
    people = list(world.people.values())
    people = [p for item in people for p in (item if isinstance(item, list) else [item])]
    for round_ in range(3):
        for person in people:
            EqualityMonitoring.objects.update_or_create(
                person=person,
                defaults={
                    "sex": rng.choice("FMXU"),
                    "ethnic_category": rng.choice(["A", "H", "N", "R", "Z", ""]),
                    "disability": rng.choice("YNU"),
                    "sexual_orientation": rng.choice(["", "Bisexual", "Heterosexual or straight"]),
                    "religion": rng.choice(["", "Sikhism", "Christianity", "No religion"]),
                    "date_of_birth": datetime.date(1960 + round_ * 10, 1, 1),
                },
            )
        assert _signature(ranking_for(vacancy=example, on=DAY)) == before
    EqualityMonitoring.objects.all().delete()
    assert _signature(ranking_for(vacancy=example, on=DAY)) == before


def _pool(world, vacancy, n: int, start: int) -> None:
    for i in range(n):
        person = PersonFactory(organisation=world.orgs["RAA"], staff_id=f"RAA-{start + i:05d}")
        complete(person, "T-IND", "T-MGR", "T-EXTRA")
        join(world, person)
        talk(world, person, "ready_now", regions=["Y99"])
        appraise(world, person, "good")
        ApplicationFactory(vacancy=vacancy, person=person, applied_on=DAY)


def test_query_count_does_not_grow_with_the_pool(world, curriculum):
    vacancy = Vacancy.objects.select_related("organisation").get(pk=vacancy_at(world).pk)
    counts = []
    for n, start in ((3, 20000), (30, 30000)):
        _pool(world, vacancy, n, start)
        with CaptureQueriesContext(connection) as captured:
            ranking = ranking_for(vacancy=vacancy, on=DAY)
        counts.append(len(captured))
        assert len(ranking.candidates) == len(ranking.considered_ids)
    assert counts[0] == counts[1], counts
    assert counts[0] <= 20


def test_many_vacancies_rank_in_the_same_number_of_queries(world, curriculum):
    _person = PersonFactory(organisation=world.orgs["RAA"], staff_id="RAA-07000")
    complete(_person, "T-IND", "T-MGR")
    join(world, _person)
    join(world, _person, level="senior")
    one = [vacancy_at(world)]
    many = one + [vacancy_at(world, level=lvl) for lvl in ("senior", "middle", "first_line")]
    counts = []
    for vacancies in (one, many):
        loaded = list(Vacancy.objects.select_related("organisation").filter(pk__in=[v.pk for v in vacancies]))
        with CaptureQueriesContext(connection) as captured:
            rankings = rankings_for(vacancies=loaded, on=DAY)
        counts.append(len(captured))
        assert set(rankings) == {v.pk for v in vacancies}
    assert counts[0] == counts[1], counts

"""Succession services: plans one at a time and for every executive and senior role, ranked candidates, the
emergency-successor rule, where candidates may come from, refusals and the audit trail."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from carelead.audit.models import AuditLog
from carelead.core.choices import Level, PayBand
from carelead.people.tests.factories import PersonFactory
from carelead.succession import services
from carelead.succession.models import SuccessionCandidate, SuccessionPlan
from carelead.succession.tests.factories import PlanFactory, pool_member
from carelead.talent.models import MembershipStatus

TODAY = timezone.localdate()


def acting(world, persona):
    """(assignment, user) of a persona, as the views pass them."""
    user = world.users[persona]
    return {"assignment": user.assignments.get(), "by": user}


def raa_plan(world, **extra):
    return PlanFactory(organisation=world.orgs["RAA"], created_by=world.users["org_hr"], **extra)


def add(world, plan, person, persona="org_hr", **extra):
    values = {"source": "internal", "readiness": "1_2_years", **extra}
    return services.candidate_add(plan=plan, person=person, **values, **acting(world, persona))


def ranking(plan) -> list[str]:
    return list(plan.candidates.order_by("rank").values_list("person__staff_id", flat=True))


def ranks(plan) -> list[int]:
    return list(plan.candidates.order_by("rank").values_list("rank", flat=True))


def errors_of(exc_info) -> dict:
    return exc_info.value.message_dict


# Plans ---------------------------------------------------------------------------------------------------------


def test_hr_creates_a_plan_for_a_role_in_its_organisation(world):
    plan = services.plan_create(
        organisation=world.orgs["RAA"],
        role_title="  Chief Nurse ",
        level=Level.EXECUTIVE,
        incumbent=world.people["exec"],
        review_due=TODAY + datetime.timedelta(days=200),
        notes="Board asked for this",
        **acting(world, "org_hr"),
    )
    assert plan.role_title == "Chief Nurse" and plan.critical is True and plan.created_by == world.users["org_hr"]
    entry = AuditLog.objects.get(object_type="succession.SuccessionPlan", object_id=str(plan.pk))
    assert entry.action == "create" and entry.organisation_id == world.orgs["RAA"].pk
    assert entry.changes["role_title"] == [None, "Chief Nurse"] and entry.actor == world.users["org_hr"]


def test_the_regional_team_creates_plans_across_its_region_only(world):
    plan = services.plan_create(
        organisation=world.orgs["RBB"],
        role_title="Chief Executive",
        level=Level.EXECUTIVE,
        **acting(world, "regional_talent"),
    )
    assert plan.organisation == world.orgs["RBB"]
    with pytest.raises(PermissionDenied):
        services.plan_create(
            organisation=world.orgs["RCC"],
            role_title="Chief Executive",
            level=Level.EXECUTIVE,
            **acting(world, "regional_talent"),
        )
    with pytest.raises(PermissionDenied):
        services.plan_create(
            organisation=world.orgs["RBB"],
            role_title="Finance Director",
            level=Level.EXECUTIVE,
            **acting(world, "org_hr"),
        )
    with pytest.raises(PermissionDenied):  # national administrators read plans, they do not write them
        services.plan_create(
            organisation=world.orgs["RAA"],
            role_title="Finance Director",
            level=Level.EXECUTIVE,
            **acting(world, "national_admin"),
        )
    assert SuccessionPlan.objects.count() == 1


def test_a_plan_is_refused_with_the_field_named(world):
    raa_plan(world, role_title="Chief Nurse")
    with pytest.raises(ValidationError) as exc:
        services.plan_create(
            organisation=world.orgs["RAA"], role_title="chief nurse", level=Level.EXECUTIVE, **acting(world, "org_hr")
        )
    assert errors_of(exc) == {"role_title": ["Holdout Large Trust already has a succession plan for “chief nurse”."]}
    with pytest.raises(ValidationError) as exc:
        services.plan_create(
            organisation=world.orgs["RAA"],
            role_title="Medical Director",
            level=Level.EXECUTIVE,
            incumbent=world.people["rbb"],
            **acting(world, "org_hr"),
        )
    assert errors_of(exc) == {"incumbent": ["The incumbent must be in post at Holdout Large Trust."]}
    assert SuccessionPlan.objects.count() == 1


def test_changing_a_plan_is_audited_and_the_incumbent_cannot_be_a_candidate(world):
    plan = raa_plan(world, role_title="Chief Nurse")
    add(world, plan, world.people["manager"])
    services.plan_change(
        plan=plan, values={"review_due": TODAY, "critical": False, "notes": "Reviewed"}, **acting(world, "org_hr")
    )
    plan.refresh_from_db()
    assert plan.review_due == TODAY and plan.critical is False
    entry = AuditLog.objects.filter(object_type="succession.SuccessionPlan", action="update").get()
    assert set(entry.changes) == {"review_due", "critical", "notes"}
    with pytest.raises(ValidationError) as exc:
        services.plan_change(plan=plan, values={"incumbent": world.people["manager"]}, **acting(world, "org_hr"))
    assert "is a candidate on this plan" in errors_of(exc)["incumbent"][0]


# Plans for every executive and senior role -------------------------------------------------------------------------


def senior(world, staff_id, job_title, **extra):
    return PersonFactory(
        staff_id=staff_id,
        organisation=world.orgs["RAA"],
        job_title=job_title,
        level=Level.SENIOR,
        pay_band=PayBand.B8C,
        **extra,
    )


def test_plans_for_every_executive_and_senior_role_once(world):
    senior(world, "RAA-00201", "Director of Operations")
    senior(world, "RAA-00202", "Director of Operations")
    senior(world, "RAA-00203", "")
    senior(world, "RAA-00204", "Head of Estates", end_date=TODAY - datetime.timedelta(days=1))  # has left
    PersonFactory(staff_id="RBB-00201", organisation=world.orgs["RBB"], level=Level.SENIOR, job_title="Head of IT")

    result = services.plans_create_for_senior_roles(organisation=world.orgs["RAA"], **acting(world, "org_hr"))

    titles = {p.incumbent.staff_id: p.role_title for p in SuccessionPlan.objects.select_related("incumbent")}
    assert titles == {
        "RAA-00001": "Chief Nurse",
        "RAA-00201": "Director of Operations (RAA-00201)",
        "RAA-00202": "Director of Operations (RAA-00202)",
        "RAA-00203": "Senior manager role (RAA-00203)",
    }
    assert len(result.created) == 4 and result.clashes == []
    plan = SuccessionPlan.objects.get(incumbent__staff_id="RAA-00203")
    assert plan.level == Level.SENIOR and plan.critical and plan.review_due == services.review_default(TODAY)
    assert AuditLog.objects.filter(object_type="succession.SuccessionPlan", action="bulk_create").count() == 4

    again = services.plans_create_for_senior_roles(organisation=world.orgs["RAA"], **acting(world, "org_hr"))
    assert again.created == [] and SuccessionPlan.objects.count() == 4

    # A newcomer whose job title already has a plan gets their staff ID added.
    PersonFactory(staff_id="RAA-00205", organisation=world.orgs["RAA"], level=Level.EXECUTIVE, job_title="Chief Nurse")
    third = services.plans_create_for_senior_roles(organisation=world.orgs["RAA"], **acting(world, "org_hr"))
    assert [p.role_title for p in third.created] == ["Chief Nurse (RAA-00205)"]


def test_default_plans_skip_a_title_taken_even_with_the_staff_id(world):
    raa_plan(world, role_title="Chief Nurse")
    raa_plan(world, role_title="Chief Nurse (RAA-00001)")
    result = services.plans_create_for_senior_roles(organisation=world.orgs["RAA"], **acting(world, "org_hr"))
    assert result.created == [] and result.clashes == [world.people["exec"]]


def test_default_plans_only_within_the_scope(world):
    with pytest.raises(PermissionDenied):
        services.plans_create_for_senior_roles(organisation=world.orgs["RCC"], **acting(world, "regional_talent"))
    result = services.plans_create_for_senior_roles(organisation=world.orgs["RAA"], **acting(world, "regional_talent"))
    assert [p.role_title for p in result.created] == ["Chief Nurse"]


# Candidates and their ranks ------------------------------------------------------------------------------------


def test_adding_at_a_rank_moving_and_removing_keep_ranks_one_to_n(world):
    plan = raa_plan(world)
    a, b, c, d = world.people["others"] + [world.people["manager"]]
    for person in (a, b, c):
        add(world, plan, person)
    add(world, plan, d, rank=1)
    assert ranking(plan) == [d.staff_id, a.staff_id, b.staff_id, c.staff_id] and ranks(plan) == [1, 2, 3, 4]

    services.candidate_move(candidate=plan.candidates.get(person=c), direction="up", **acting(world, "org_hr"))
    assert ranking(plan) == [d.staff_id, a.staff_id, c.staff_id, b.staff_id]
    services.candidate_move(candidate=plan.candidates.get(person=d), direction="down", **acting(world, "org_hr"))
    assert ranking(plan) == [a.staff_id, d.staff_id, c.staff_id, b.staff_id]

    services.candidate_change(candidate=plan.candidates.get(person=b), values={"rank": 1}, **acting(world, "org_hr"))
    assert ranking(plan) == [b.staff_id, a.staff_id, d.staff_id, c.staff_id] and ranks(plan) == [1, 2, 3, 4]
    services.candidate_change(candidate=plan.candidates.get(person=b), values={"rank": 3}, **acting(world, "org_hr"))
    assert ranking(plan) == [a.staff_id, d.staff_id, b.staff_id, c.staff_id]

    services.candidate_remove(
        candidate=plan.candidates.get(person=d), reason="Moved to another trust", **acting(world, "org_hr")
    )
    assert ranking(plan) == [a.staff_id, b.staff_id, c.staff_id] and ranks(plan) == [1, 2, 3]
    removal = AuditLog.objects.get(object_type="succession.SuccessionCandidate", action="delete")
    assert removal.changes["reason"] == "Moved to another trust" and removal.subject_person_id == d.pk
    assert removal.changes["rank"] == 2 and removal.organisation_id == world.orgs["RAA"].pk


def test_rank_and_move_refusals(world):
    plan = raa_plan(world)
    first = add(world, plan, world.people["others"][0])
    with pytest.raises(ValidationError) as exc:
        add(world, plan, world.people["others"][1], rank=3)
    assert errors_of(exc) == {"rank": ["Rank must be a whole number from 1 to 2."]}
    with pytest.raises(ValidationError) as exc:
        services.candidate_move(candidate=first, direction="up", **acting(world, "org_hr"))
    assert exc.value.messages == [f"{world.people['others'][0].full_name} is already first."]
    with pytest.raises(ValidationError) as exc:
        services.candidate_change(candidate=first, values={"rank": 2}, **acting(world, "org_hr"))
    assert errors_of(exc) == {"rank": ["Rank must be a whole number from 1 to 1."]}
    with pytest.raises(ValidationError) as exc:
        services.candidate_remove(candidate=first, reason="  ", **acting(world, "org_hr"))
    assert errors_of(exc) == {"reason": ["Say why the candidate is being removed."]}
    assert ranks(plan) == [1]


def test_one_emergency_successor_per_plan(world):
    plan = raa_plan(world)
    a, b = world.people["others"][:2]
    first = add(world, plan, a, emergency=True)
    with pytest.raises(ValidationError) as exc:
        add(world, plan, b, emergency=True)
    assert f"{a.full_name} is already the emergency successor" in errors_of(exc)["emergency"][0]
    second = add(world, plan, b)
    with pytest.raises(ValidationError):
        services.candidate_change(candidate=second, values={"emergency": True}, **acting(world, "org_hr"))

    previous = services.candidate_make_emergency(candidate=second, **acting(world, "org_hr"))
    assert previous.pk == first.pk
    assert list(plan.candidates.filter(emergency=True).values_list("person_id", flat=True)) == [b.pk]
    moved = AuditLog.objects.filter(object_type="succession.SuccessionCandidate", changes__emergency=[True, False])
    assert moved.get().subject_person_id == a.pk
    assert services.candidate_make_emergency(candidate=second, **acting(world, "org_hr")) is None


def test_readiness_and_notes_change_and_are_audited(world):
    plan = raa_plan(world)
    candidate = add(world, plan, world.people["others"][0])
    services.candidate_change(
        candidate=candidate,
        values={"readiness": "ready_now", "notes": "Acting up since May"},
        **acting(world, "org_hr"),
    )
    candidate.refresh_from_db()
    assert candidate.readiness == "ready_now" and candidate.notes == "Acting up since May"
    entry = AuditLog.objects.filter(object_type="succession.SuccessionCandidate", action="update").get()
    assert entry.changes["readiness"] == ["1_2_years", "ready_now"] and entry.changes["plan"] == plan.pk
    with pytest.raises(ValidationError) as exc:
        services.candidate_change(candidate=candidate, values={"readiness": "someday"}, **acting(world, "org_hr"))
    assert errors_of(exc) == {"readiness": ["Choose how ready the candidate is."]}


# Where candidates come from ---------------------------------------------------------------------------------------


def test_an_internal_candidate_works_in_the_plans_organisation(world):
    plan = raa_plan(world)
    with pytest.raises(ValidationError) as exc:
        add(world, plan, world.people["rbb"], persona="regional_talent")
    assert errors_of(exc) == {
        "person": ["Rob Otherteam does not work at Holdout Large Trust, so cannot be an internal candidate."]
    }
    assert not SuccessionCandidate.objects.exists()


def test_a_pool_candidate_is_an_active_member_of_the_regions_pool(world):
    plan = raa_plan(world)
    talent = world.users["regional_talent"]
    pool_member(person=world.people["rbb"], region=world.orgs["Y99"], by=talent)
    candidate = add(world, plan, world.people["rbb"], persona="regional_talent", source="pool", readiness="ready_now")
    assert candidate.source == "pool" and candidate.rank == 1

    # A member of another region's pool is refused, and so are nominations not yet approved and lapsed memberships.
    pool_member(person=world.people["rcc"], region=world.orgs["Y98"], by=talent)
    lapsed = PersonFactory(organisation=world.orgs["CP001"])
    pool_member(person=lapsed, region=world.orgs["Y99"], by=talent, expires_in=-1)
    nominated = PersonFactory(organisation=world.orgs["RBB"])
    pool_member(person=nominated, region=world.orgs["Y99"], by=talent, status=MembershipStatus.NOMINATED)
    for person in (world.people["rcc"], lapsed, nominated):
        with pytest.raises(ValidationError) as exc:
            add(world, plan, person, persona="regional_talent", source="pool")
        assert errors_of(exc) == {
            "person": [
                f"{person.full_name} is not an approved member of a talent pool in Holdout Region "
                "whose membership runs today."
            ]
        }
    assert plan.candidates.count() == 1


def test_hr_leaves_pool_candidates_to_the_regional_team(world):
    plan = raa_plan(world)
    pool_member(person=world.people["rbb"], region=world.orgs["Y99"], by=world.users["regional_talent"])
    with pytest.raises(PermissionDenied):
        add(world, plan, world.people["rbb"], source="pool")


def test_candidate_refusals_name_the_problem(world):
    plan = raa_plan(world, incumbent=world.people["exec"])
    cases = [
        (world.people["exec"], {}, "Eve Executive holds this role, so cannot succeed to it."),
        (
            PersonFactory(
                organisation=world.orgs["RAA"],
                first_name="Lee",
                last_name="Leaver",
                end_date=TODAY - datetime.timedelta(days=3),
            ),
            {},
            "Lee Leaver has left and cannot be a candidate.",
        ),
    ]
    for person, extra, message in cases:
        with pytest.raises(ValidationError) as exc:
            add(world, plan, person, **extra)
        assert errors_of(exc) == {"person": [message]}
    add(world, plan, world.people["member"])
    with pytest.raises(ValidationError) as exc:
        add(world, plan, world.people["member"])
    assert errors_of(exc) == {"person": ["Sam Staffmember is already a candidate on this plan."]}
    with pytest.raises(ValidationError) as exc:
        add(world, plan, world.people["manager"], source="external")
    assert "source" in errors_of(exc)


def test_nobody_adds_themselves_or_handles_a_plan_they_are_on(world):
    plan = raa_plan(world)
    hr = world.users["org_hr"]
    hr.person = world.people["others"][0]
    hr.save(update_fields=["person"])
    with pytest.raises(ValidationError) as exc:
        add(world, plan, world.people["others"][0])
    assert errors_of(exc) == {"person": ["You cannot add yourself as a candidate."]}
    candidate = add(world, plan, world.people["others"][0], persona="regional_talent")
    with pytest.raises(PermissionDenied):
        add(world, plan, world.people["others"][1])
    with pytest.raises(PermissionDenied):
        services.candidate_remove(candidate=candidate, reason="Conflict", **acting(world, "org_hr"))


def test_each_candidate_write_is_audited(world):
    plan = raa_plan(world)
    a = add(world, plan, world.people["others"][0])
    add(world, plan, world.people["others"][1])
    services.candidate_move(candidate=a, direction="down", **acting(world, "org_hr"))
    entries = AuditLog.objects.filter(object_type="succession.SuccessionCandidate").order_by("pk")
    assert [e.action for e in entries] == ["create", "create", "update"]
    assert entries[2].changes["rank"] == [1, 2] and all(e.organisation_id == world.orgs["RAA"].pk for e in entries)

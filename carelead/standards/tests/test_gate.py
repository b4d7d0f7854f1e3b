"""The progression gate's rules (domain.md section 3, contract section 6)."""

import datetime
import json

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carelead.learning.models import TrainingRecord
from carelead.standards.gate import eligibility_for_level
from carelead.standards.models import Accreditation, GateException, Module, PriorLearning, Provider, Requirement

DAY = datetime.date(2026, 6, 1)


@pytest.fixture
def curriculum(db):
    """A small curriculum of our own, with the shipped one switched off."""
    Requirement.objects.update(active=False)
    induction = Module.objects.create(code="T-IND", title="Induction", hours=6)
    basics = Module.objects.create(code="T-MGR1", title="Managing people", hours=20)
    basics_alt = Module.objects.create(code="T-MGR2", title="Managing people, blended", hours=12)
    middle = Module.objects.create(code="T-MID", title="Leading services", hours=40)
    good = Provider.objects.create(code="TP-GOOD", name="Good Provider")
    lapsed = Provider.objects.create(code="TP-LAPSED", name="Lapsed Provider")
    for module in (induction, basics, basics_alt, middle):
        Accreditation.objects.create(provider=good, module=module, valid_from=datetime.date(2024, 1, 1))
    Accreditation.objects.create(
        provider=lapsed,
        module=basics,
        valid_from=datetime.date(2023, 1, 1),
        valid_to=datetime.date(2024, 12, 31),
        status="expired",
    )
    reqs = {
        "staff": Requirement.objects.create(code="T-REQ-IND", title="Induction", level="staff", order=1),
        "first_line": Requirement.objects.create(
            code="T-REQ-MGR", title="Managing people", level="first_line", order=2
        ),
        "middle": Requirement.objects.create(code="T-REQ-MID", title="Leading services", level="middle", order=3),
        "optional": Requirement.objects.create(code="T-REQ-OPT", title="Optional", level="staff", gating=False),
    }
    reqs["staff"].modules.set([induction])
    reqs["first_line"].modules.set([basics, basics_alt])
    reqs["middle"].modules.set([middle])
    reqs["optional"].modules.set([middle])
    return reqs


def complete(person, code, *, on=datetime.date(2025, 3, 1), provider="TP-GOOD", completed=True, expires_on=None):
    return TrainingRecord.objects.create(
        record_id=f"R-{person.pk}-{code}-{on}-{provider}",
        person=person,
        course_code=code,
        mandatory=False,
        date=on,
        completed=completed,
        expires_on=expires_on,
        provider_code=provider,
    )


def test_missing_exactly_one_requirement_names_exactly_it(world, curriculum):
    person = world.people["member"]
    complete(person, "T-IND")
    result = eligibility_for_level(person=person, level="middle", on=DAY)
    assert not result.eligible
    assert [o.requirement.code for o in result.missing] == ["T-REQ-MGR"]
    assert [o.requirement.code for o in result.met] == ["T-REQ-IND"]
    assert [m["module"] for m in result.missing[0].suggestions] == ["T-MGR2", "T-MGR1"]
    complete(person, "T-MGR2")
    assert eligibility_for_level(person=person, level="middle", on=DAY).eligible


def test_only_levels_below_count_and_non_gating_never_blocks(world, curriculum):
    person = world.people["member"]
    assert eligibility_for_level(person=person, level="staff", on=DAY).eligible
    result = eligibility_for_level(person=person, level="first_line", on=DAY)
    assert [o.requirement.code for o in result.missing] == ["T-REQ-IND"]


def test_a_provider_not_accredited_on_the_date_does_not_count(world, curriculum):
    person = world.people["member"]
    complete(person, "T-IND")
    complete(person, "T-MGR1", on=datetime.date(2025, 2, 1), provider="TP-LAPSED")
    result = eligibility_for_level(person=person, level="middle", on=DAY)
    assert "not accredited for it on that date" in result.missing[0].reason
    complete(person, "T-MGR1", on=datetime.date(2024, 6, 1), provider="TP-LAPSED")
    assert eligibility_for_level(person=person, level="middle", on=DAY).eligible


def test_expiry_is_judged_on_the_day_asked_about(world, curriculum):
    person = world.people["member"]
    complete(person, "T-IND", expires_on=DAY)
    assert eligibility_for_level(person=person, level="first_line", on=DAY).eligible
    after = eligibility_for_level(person=person, level="first_line", on=DAY + datetime.timedelta(days=1))
    assert not after.eligible and "expired on" in after.missing[0].reason


def test_incomplete_and_future_records_do_not_count(world, curriculum):
    person = world.people["member"]
    complete(person, "T-IND", completed=False)
    assert "not completed" in eligibility_for_level(person=person, level="first_line", on=DAY).missing[0].reason
    complete(person, "T-IND", on=DAY + datetime.timedelta(days=5))
    assert not eligibility_for_level(person=person, level="first_line", on=DAY).eligible


def test_approved_prior_learning_meets_a_requirement(world, curriculum):
    person = world.people["member"]
    prior = PriorLearning.objects.create(person=person, requirement=curriculum["staff"], evidence="NVQ")
    assert not eligibility_for_level(person=person, level="first_line", on=DAY).eligible
    prior.status, prior.reviewed_on = "approved", datetime.date(2026, 1, 1)
    prior.reviewed_by = world.users["org_hr"]
    prior.save()
    result = eligibility_for_level(person=person, level="first_line", on=DAY)
    assert result.eligible and result.met[0].reason == "recognised prior learning"


def test_an_approved_exception_allows_appointment_until_it_expires(world, curriculum):
    person = world.people["member"]
    GateException.objects.create(
        person=person,
        level="first_line",
        reason="Interim cover",
        requested_by=world.users["org_hr"],
        status="approved",
        decided_by=world.users["national_admin"],
        expires_on=DAY,
    )
    on_day = eligibility_for_level(person=person, level="first_line", on=DAY)
    assert not on_day.eligible and on_day.appointable
    later = eligibility_for_level(person=person, level="first_line", on=DAY + datetime.timedelta(days=1))
    assert not later.appointable


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    offset=st.integers(min_value=-400, max_value=400),
    valid_days=st.one_of(st.none(), st.integers(min_value=0, max_value=800)),
    expiry=st.one_of(st.none(), st.integers(min_value=-400, max_value=400)),
    completed=st.booleans(),
    status=st.sampled_from(["active", "expired", "suspended"]),
)
def test_a_completion_counts_exactly_when_every_rule_holds(world, offset, valid_days, expiry, completed, status):
    from django.db import transaction

    with transaction.atomic():
        Requirement.objects.update(active=False)
        module = Module.objects.create(code="H-MOD", title="Module", hours=1)
        provider = Provider.objects.create(code="H-PRV", name="Provider")
        start = datetime.date(2025, 1, 1)
        valid_to = None if valid_days is None else start + datetime.timedelta(days=valid_days)
        Accreditation.objects.create(
            provider=provider, module=module, valid_from=start, valid_to=valid_to, status=status
        )
        requirement = Requirement.objects.create(code="H-REQ", title="Requirement", level="staff")
        requirement.modules.set([module])
        person = world.people["member"]
        done_on = start + datetime.timedelta(days=offset)
        expires_on = None if expiry is None else DAY + datetime.timedelta(days=expiry)
        TrainingRecord.objects.create(
            record_id="H-1",
            person=person,
            course_code="H-MOD",
            mandatory=False,
            date=done_on,
            completed=completed,
            expires_on=expires_on,
            provider_code="H-PRV",
        )
        expected = (
            completed
            and done_on <= DAY
            and (expires_on is None or expires_on >= DAY)
            and status not in ("suspended",)
            and start <= done_on
            and (valid_to is None or done_on <= valid_to)
        )
        assert eligibility_for_level(person=person, level="first_line", on=DAY).eligible == expected
        transaction.set_rollback(True)


def test_the_commands_follow_the_contract(world, curriculum, capsys):
    call_command("curriculum", "--format", "json")
    document = json.loads(capsys.readouterr().out)
    assert {r["code"] for r in document} >= {"T-REQ-IND", "T-REQ-MGR", "T-REQ-MID"}
    for requirement in document:
        assert {"code", "title", "level", "gating", "modules"} <= set(requirement)
        for module in requirement["modules"]:
            assert all({"code", "valid_from", "valid_to"} <= set(p) for p in module["providers"])
    complete(world.people["member"], "T-IND")
    call_command("eligibility", "RAA-00003", "--level", "middle", "--on", "2026-06-01", "--format", "json")
    answer = json.loads(capsys.readouterr().out)
    assert answer["eligible"] is False
    assert [m["requirement"] for m in answer["missing"]] == ["T-REQ-MGR"]
    assert {"staff_id", "level", "eligible", "missing", "met"} <= set(answer)
    with pytest.raises(SystemExit) as unknown:
        call_command("eligibility", "NOBODY", "--level", "middle")
    assert unknown.value.code == 1
    with pytest.raises(SystemExit) as bad_level:
        call_command("eligibility", "RAA-00003", "--level", "chief")
    assert bad_level.value.code == 1


def test_the_staff_import_refuses_a_promotion_the_gate_does_not_allow(world, curriculum, tmp_path):
    from carelead.audit.services import Actor
    from carelead.imports.services import import_file
    from carelead.people.models import Person

    path = tmp_path / "promotion.csv"
    path.write_text(
        "staff_id,org_code,first_name,last_name,pay_band,level,start_date\n"
        "RAA-00003,RAA,Sam,Staffmember,7,first_line,2019-04-01\n"
    )
    refused = import_file(kind_name="staff", path=path, actor=Actor(system="test"))
    assert [(p.row, p.column, p.code) for p in refused.problems] == [(1, "level", "gate_not_met")]
    assert "T-REQ-IND" in refused.problems[0].message
    assert Person.objects.get(staff_id="RAA-00003").level == "staff"
    complete(world.people["member"], "T-IND")
    allowed = import_file(kind_name="staff", path=path, actor=Actor(system="test"))
    assert allowed.written
    assert Person.objects.get(staff_id="RAA-00003").level == "first_line"


def test_the_batch_answer_matches_the_single_one(world, curriculum):
    from carelead.standards.gate import eligibility_for_people

    member, manager = world.people["member"], world.people["manager"]
    complete(member, "T-IND")
    complete(manager, "T-IND")
    complete(manager, "T-MGR1", provider="TP-LAPSED", on=datetime.date(2025, 2, 1))
    batch = eligibility_for_people(people=[member, manager], levels_of=lambda p: ["first_line", "middle"], on=DAY)
    for person in (member, manager):
        for level in ("first_line", "middle"):
            single = eligibility_for_level(person=person, level=level, on=DAY)
            assert batch[(person.pk, level)].as_dict() == single.as_dict()

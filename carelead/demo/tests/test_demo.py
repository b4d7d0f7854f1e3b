"""The demo loader: reproducible, internally consistent, importable, and safe to run twice."""

import base64
import hashlib
import io
import json
from dataclasses import fields
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count, F
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from carelead.accounts.models import RoleAssignment, User
from carelead.accounts.permissions import Scope
from carelead.audit.models import AuditLog
from carelead.audit.services import Actor
from carelead.boards.models import BoardMember
from carelead.core.choices import LEVEL_ORDER, ethnic_group
from carelead.core.exporting import write_csv
from carelead.demo.catalogue import AS_OF, PERIODS
from carelead.demo.personas import demo_totp_key
from carelead.demo.plan import OrgPlan, organisation_plan
from carelead.demo.workforce import OrgWorkforce, Tables
from carelead.equality.models import CapabilityCase, DisciplinaryCase, RecruitmentDecision, SurveyResult
from carelead.imports.registry import KINDS, kind_get
from carelead.imports.services import import_file
from carelead.learning.models import TrainingRecord
from carelead.organisations.models import Organisation
from carelead.people.models import EmploymentChange, EqualityMonitoring, Person
from carelead.standards.gate import eligibility_for_level
from carelead.standards.induction import completed_induction_exists, induction_rates
from carelead.standards.models import Cohort, GateException, PriorLearning
from carelead.standards.programme import months_in_role

pytestmark = pytest.mark.django_db

JSON_PERSONAS = {
    "staff",
    "line_manager",
    "org_hr",
    "regional_talent",
    "ned_team",
    "provider",
    "regulator",
    "guardian",
    "national_admin",
}


def demo(**options) -> str:
    """Run ``carelead demo --size tiny`` and return what it printed."""
    out = io.StringIO()
    call_command("demo", size="tiny", no_progress=True, stdout=out, **options)
    return out.getvalue()


def export_digest() -> str:
    """A hash of every import kind's export: equal digests mean equal data."""
    digest = hashlib.sha256()
    for name in sorted(KINDS):
        buffer = io.StringIO()
        write_csv(kind_get(name), buffer)
        digest.update(buffer.getvalue().encode())
    return digest.hexdigest()


def digest_of_load(seed: int) -> str:
    """Load with a seed, hash the exports, and roll the load back."""
    with transaction.atomic():
        demo(seed=seed)
        digest = export_digest()
        transaction.set_rollback(True)
    return digest


@pytest.fixture
def loaded(tmp_path: Path) -> list[dict]:
    """A tiny demo load; returns the logins written to --logins-json."""
    path = tmp_path / "logins.json"
    demo(seed=7, logins_json=path)
    return json.loads(path.read_text(encoding="utf-8"))


def test_tiny_loads_an_organisation_tree_and_its_workforce(loaded):
    types = dict(Organisation.objects.values_list("type").annotate(n=Count("id")))
    assert types == {"national": 1, "region": 1, "icb": 1, "trust": 1, "care_provider": 2, "other": 1}
    trust = Organisation.objects.get(type="trust")
    assert trust.path.count("/") == 5
    assert trust.region.type == "region"
    assert trust.icb.type == "icb"
    assert 480 <= Person.objects.filter(organisation=trust).count() <= 520
    assert Person.objects.filter(organisation__type="care_provider", organisation__sector="social_care").exists()
    people = Person.objects.count()
    assert EqualityMonitoring.objects.count() == people
    assert EmploymentChange.objects.filter(kind="started").count() == people
    assert EmploymentChange.objects.filter(kind="changed").exists()
    assert 3 <= TrainingRecord.objects.count() / people <= 6
    assert BoardMember.objects.filter(organisation=trust, role="chair").count() == 1
    assert BoardMember.objects.filter(organisation=trust, person__isnull=False).exists()
    assert SurveyResult.objects.filter(organisation=trust).values("period").distinct().count() == len(PERIODS)


def test_same_seed_gives_the_same_data_and_another_seed_differs():
    first = digest_of_load(3)
    assert digest_of_load(3) == first
    assert digest_of_load(4) != first


def test_logins_json_lists_every_persona_with_a_working_password(loaded):
    personas = {login["persona"] for login in loaded}
    assert personas >= JSON_PERSONAS
    for login in loaded:
        assert set(login) == {"persona", "username", "password", "landing", "totp_secret"}
        assert login["landing"].startswith("/")
        user = User.objects.get(email=login["username"])
        assert user.check_password(login["password"])
        assert user.assignments.filter(role=login["persona"], is_active=True).exists()


def test_personas_above_staff_carry_the_secret_of_their_authenticator_app(loaded):
    secrets = {login["persona"]: login["totp_secret"] for login in loaded}
    assert secrets["staff"] is None
    assert all(secrets[persona] for persona in secrets if persona != "staff")
    assert len(set(secrets.values())) == len(secrets)
    for login in loaded:
        user = User.objects.get(email=login["username"])
        devices = TOTPDevice.objects.filter(user=user, confirmed=True)
        if login["totp_secret"] is None:
            assert not devices.exists()
            continue
        device = devices.get()
        assert base64.b32encode(device.bin_key).decode() == login["totp_secret"]
        # The code an authenticator app makes from the secret is accepted.
        code = f"{totp(base64.b32decode(login['totp_secret'])):06d}"
        assert device.verify_token(code)
    # The same seed gives the same secrets.
    assert secrets["org_hr"] == base64.b32encode(demo_totp_key(seed=7, persona="org_hr")).decode()


def test_personas_are_scoped_as_personas_md_says(loaded):
    trust = Organisation.objects.get(type="trust")
    scopes = {a.role: a.organisation for a in RoleAssignment.objects.select_related("organisation")}
    for role in ("staff", "line_manager", "org_hr", "org_admin", "guardian"):
        assert scopes[role] == trust
    assert scopes["regional_talent"] == trust.region
    assert scopes["provider"].type == "other"
    for role in ("ned_team", "regulator", "national_admin"):
        assert scopes[role] is None
    for assignment in RoleAssignment.objects.all():
        assignment.full_clean()


def test_the_line_manager_persona_manages_managers_and_the_staff_persona(loaded):
    manager = User.objects.get(assignments__role="line_manager").person
    staff = User.objects.get(assignments__role="staff").person
    assert staff.line_manager_id == manager.pk
    assert staff.end_date is None
    assert not staff.bank
    reports = manager.direct_reports.annotate(n=Count("direct_reports"))
    assert sum(1 for r in reports if r.n) >= 3


def test_every_person_but_the_top_has_a_manager_above_them_in_their_organisation(loaded):
    staffed = Organisation.objects.filter(staff__isnull=False).distinct().count()
    assert Person.objects.filter(line_manager__isnull=True).count() == staffed
    assert not Person.objects.exclude(line_manager=None).exclude(line_manager__organisation=F("organisation")).exists()
    for level, manager_level in Person.objects.exclude(line_manager=None).values_list("level", "line_manager__level"):
        if level == "executive":
            assert manager_level == "executive"
        else:
            assert LEVEL_ORDER.index(manager_level) > LEVEL_ORDER.index(level)


def test_rows_added_after_the_load_get_fresh_keys(loaded):
    person = Person.objects.order_by("pk").last()
    record = TrainingRecord.objects.create(
        record_id="AFTER-DEMO", person=person, course_code="MAND-01", mandatory=True, date="2026-03-31"
    )
    assert record.pk > TrainingRecord.objects.exclude(pk=record.pk).order_by("pk").last().pk
    hr = User.objects.get(assignments__role="org_hr")
    exception = GateException.objects.create(
        person=person, level="middle", reason="After the demo", requested_by=hr, expires_on="2026-12-31"
    )
    assert exception.pk > GateException.objects.exclude(pk=exception.pk).order_by("pk").last().pk


def test_appointed_applicants_were_shortlisted(loaded):
    assert RecruitmentDecision.objects.filter(appointed=True).exists()
    assert not RecruitmentDecision.objects.filter(appointed=True, shortlisted=False).exists()


def test_one_audit_entry_per_table(loaded):
    entries = AuditLog.objects.filter(actor_label="system:demo", action=AuditLog.Action.BULK_CREATE)
    counts = {e.object_type: e.changes["count"] for e in entries}
    assert counts["people.Person"] == Person.objects.count()
    assert counts["learning.TrainingRecord"] == TrainingRecord.objects.count()
    assert len(counts) == len(set(counts))


def test_every_export_reimports_cleanly_and_changes_nothing(loaded, tmp_path):
    for name in (
        "organisations",
        "staff",
        "board_members",
        "recruitment",
        "training",
        "disciplinary",
        "capability",
        "survey",
    ):
        path = tmp_path / f"{name}.csv"
        with open(path, "w", newline="", encoding="utf-8") as handle:
            rows = write_csv(kind_get(name), handle)
        result = import_file(kind_name=name, path=path, actor=Actor(system="test"), dry_run=True)
        assert result.ok, (name, [p.render() for p in result.problems[:5]])
        assert result.counts.unchanged == rows, (name, result.as_dict())


def test_if_empty_on_a_loaded_database_succeeds_and_adds_nothing(loaded):
    before = (Person.objects.count(), User.objects.count(), AuditLog.objects.count())
    out = demo(seed=7, if_empty=True)
    assert "already loaded" in out
    assert (Person.objects.count(), User.objects.count(), AuditLog.objects.count()) == before


def test_without_if_empty_a_loaded_database_is_refused_with_exit_code_1(loaded):
    before = Person.objects.count()
    with pytest.raises(CommandError) as error:
        demo(seed=8)
    assert error.value.returncode == 1
    assert Person.objects.count() == before


MANAGER_LEVELS = ("first_line", "middle", "senior")


def test_the_line_manager_persona_is_one_requirement_short_for_the_next_level(loaded):
    manager = User.objects.get(assignments__role="line_manager").person
    # The persona manages managers, so it is at middle or senior level (middle for this seed).
    assert manager.level in MANAGER_LEVELS
    assert eligibility_for_level(person=manager, level=manager.level).eligible
    upcoming = eligibility_for_level(person=manager, level=LEVEL_ORDER[LEVEL_ORDER.index(manager.level) + 1])
    assert not upcoming.eligible
    assert len(upcoming.missing) == 1
    assert upcoming.missing[0].suggestions
    assert upcoming.exception is None


def test_the_staff_persona_has_completed_the_induction(loaded):
    staff = User.objects.get(assignments__role="staff").person
    result = eligibility_for_level(person=staff, level="first_line")
    assert [o.requirement.code for o in result.met] == [settings.CARELEAD_INDUCTION_REQUIREMENT]
    assert result.eligible
    assert Person.objects.filter(pk=staff.pk).annotate(done=completed_induction_exists()).get().done


def test_managers_mostly_meet_their_level_and_some_are_one_requirement_short(loaded):
    managers = list(Person.objects.filter(level__in=MANAGER_LEVELS, end_date=None))
    own_eligible = next_eligible = one_short = 0
    reasons = []
    for person in managers:
        own_eligible += eligibility_for_level(person=person, level=person.level, on=AS_OF).eligible
        upcoming = eligibility_for_level(
            person=person, level=LEVEL_ORDER[LEVEL_ORDER.index(person.level) + 1], on=AS_OF
        )
        next_eligible += upcoming.eligible
        one_short += len(upcoming.missing) == 1
        reasons += [o.reason for o in upcoming.missing]
    assert own_eligible >= 0.8 * len(managers)
    assert next_eligible >= 1
    assert 0.05 * len(managers) <= one_short <= 0.25 * len(managers)
    # Some records do not count, and the gate says why.
    assert any("not accredited for it on that date" in r for r in reasons)
    assert any("but not completed" in r for r in reasons)
    assert any(" expired on " in r for r in reasons)


def test_curriculum_records_name_an_accredited_provider_and_the_gate_counts_them(loaded):
    records = TrainingRecord.objects.filter(course_code="IND-101", completed=True)
    assert records.exists()
    assert not records.filter(provider_code="").exists()
    assert not records.filter(mandatory=True).exists()


def test_gate_exceptions_and_prior_learning_exist_in_several_states(loaded):
    hr = User.objects.get(assignments__role="org_hr")
    trust = Organisation.objects.get(type="trust")
    exceptions = list(GateException.objects.select_related("person"))
    assert {e.status for e in exceptions} == {"approved", "requested", "refused"}
    for e in exceptions:
        assert (e.decided_by_id is None) == (e.status == "requested")
        assert e.decided_by_id != e.requested_by_id
        if e.person.organisation_id == trust.pk:
            assert e.requested_by == hr
        result = eligibility_for_level(person=e.person, level=e.level, on=AS_OF)
        assert not result.eligible
        if e.status == "approved" and e.expires_on >= AS_OF:
            assert result.appointable
    assert any(e.status == "approved" and e.expires_on > AS_OF for e in exceptions)

    applications = list(PriorLearning.objects.select_related("person", "requirement"))
    assert {a.status for a in applications} == {"pending", "approved", "rejected"}
    for a in applications:
        assert (a.reviewed_by_id is None) == (a.status == "pending")
        if a.status == "rejected":
            assert a.review_note
        if a.status == "approved":
            level = LEVEL_ORDER[LEVEL_ORDER.index(a.requirement.level) + 1]
            met = eligibility_for_level(person=a.person, level=level, on=AS_OF).met
            assert "recognised prior learning" in [o.reason for o in met if o.requirement == a.requirement]


def test_the_induction_dashboard_shows_completions_and_overdue_joiners(loaded):
    rows = induction_rates(scope=Scope(path=None, organisation_id=None, role="national_admin"), by="organisation")
    joiners = sum(r.joiners for r in rows)
    completed = sum(r.completed for r in rows)
    assert joiners
    assert 0.6 * joiners <= completed < joiners
    assert sum(r.overdue for r in rows) > 0


# Equality analytics ----------------------------------------------------------------------------------------


def test_equality_records_cover_five_financial_years(loaded):
    assert [label for label, _, _ in PERIODS] == ["2021-22", "2022-23", "2023-24", "2024-25", "2025-26"]
    for label, start, end in PERIODS:
        within = {"date__gte": start, "date__lte": end}
        cases = DisciplinaryCase.objects.filter(**within).count() + CapabilityCase.objects.filter(**within).count()
        assert cases, label
        assert RecruitmentDecision.objects.filter(**within, appointed=True).exists(), label
        assert TrainingRecord.objects.filter(**within, mandatory=False, course_code__startswith="CPD-").exists(), label
        assert SurveyResult.objects.filter(period=label).exists(), label
        promotions = EmploymentChange.objects.filter(kind="changed", effective_on__gte=start, effective_on__lte=end)
        assert promotions.exists(), label


def test_promotions_move_people_up_into_the_role_they_hold(loaded):
    changes = list(EmploymentChange.objects.filter(kind="changed").select_related("person"))
    people = Person.objects.count()
    # A few percent of staff a year over five years, at most one each.
    assert 0.04 * people <= len(changes) <= 0.25 * people
    assert len({c.person_id for c in changes}) == len(changes)
    level_up = 0
    for change in changes:
        person = change.person
        assert PERIODS[0][1] <= change.effective_on <= PERIODS[-1][2]
        assert change.effective_on >= person.start_date + timedelta(days=365)
        assert (change.level, change.pay_band, change.job_title) == (person.level, person.pay_band, person.job_title)
        assert change.previous
        if "level" in change.previous:
            assert LEVEL_ORDER.index(change.previous["level"]) < LEVEL_ORDER.index(change.level)
            level_up += 1
    assert level_up


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def test_most_people_have_a_date_of_birth_consistent_with_their_start(loaded):
    rows = list(
        Person.objects.values_list("level", "start_date", "end_date", "monitoring__date_of_birth").order_by("id")
    )
    known = [row for row in rows if row[3] is not None]
    assert 0.95 * len(rows) <= len(known) < len(rows)
    ages: dict[str, list[int]] = {}
    for level, start, end, born in known:
        assert _age(born, start) >= 16
        assert 17 <= _age(born, end or AS_OF) <= 70
        if end is None:
            ages.setdefault(level, []).append(_age(born, AS_OF))
    staff = ages["staff"]
    managers = ages["first_line"] + ages["middle"] + ages["senior"]
    assert sum(managers) / len(managers) > sum(staff) / len(staff)
    assert sum(age < 25 for age in staff) < 0.15 * len(staff)
    assert sum(age >= 60 for age in staff) < 0.15 * len(staff)


def test_past_programme_cohorts_have_decided_applications(loaded):
    trust = Organisation.objects.get(type="trust")
    past = list(Cohort.objects.filter(ends_on__lt=AS_OF).order_by("starts_on"))
    assert [c.code for c in past] == [f"MCP-{trust.region.code}-{year}" for year in (2023, 2024, 2025)]
    selected_before: set[int] = set()
    decided = {"selected", "completed", "waitlisted", "not_selected"}
    for cohort in past:
        applications = list(cohort.applications.select_related("person"))
        statuses = {a.status for a in applications}
        assert statuses <= decided | {"not_supported"}
        assert {"completed", "not_selected", "waitlisted"} <= statuses
        chosen = [a for a in applications if a.status in ("selected", "completed")]
        assert 0 < len(chosen) <= cohort.places
        assert not selected_before & {a.person_id for a in chosen}
        selected_before |= {a.person_id for a in chosen}
        for a in applications:
            assert a.person.level in cohort.eligible_levels
            assert months_in_role(person=a.person, on=cohort.applications_close_on) >= cohort.min_months_in_role
            assert a.created_at.date() <= cohort.applications_close_on
            if a.status in decided:
                assert a.decision_reason
                assert a.decided_by_id is not None
                assert a.decided_at.date() < cohort.starts_on
            if a.status == "completed":
                assert cohort.starts_on < a.completed_on <= cohort.ends_on
                assert a.sessions_attended >= 6
                record = TrainingRecord.objects.get(record_id=f"MCP:{cohort.code}:{a.person_id}")
                assert (record.course_code, record.date, record.completed) == ("MCP-301", a.completed_on, True)
                assert record.provider_code == cohort.provider.code
    # The running and open cohorts are unchanged, and nobody in them applied before.
    running = Cohort.objects.get(code=f"MCP-{trust.region.code}-1")
    assert running.applications.count() == 14
    assert not Cohort.objects.get(code="MCP-NAT-1").applications.exists()
    assert not selected_before & set(running.applications.values_list("person_id", flat=True))


def test_gate_exceptions_were_also_decided_in_earlier_years(loaded):
    earlier = GateException.objects.filter(created_at__date__lt=PERIODS[-1][1])
    assert earlier.count() >= 3
    assert set(earlier.values_list("status", flat=True)) <= {"approved", "refused"}
    assert not earlier.filter(expires_on__gte=AS_OF).exists()
    assert not earlier.filter(decided_at__isnull=True).exists()


def test_the_personas_trust_narrows_its_survey_gap(loaded):
    trust = Organisation.objects.get(type="trust")

    def gap(period: str) -> float:
        values = dict(
            SurveyResult.objects.filter(organisation=trust, period=period, measure="WRES7").values_list(
                "group", "percent"
            )
        )
        return float(values["white"] - values["bme"])

    assert gap(PERIODS[0][0]) > gap(PERIODS[-1][0]) + 3


def test_the_plan_puts_some_organisations_at_parity_and_some_with_marked_disparities():
    orgs = [o for o in organisation_plan(size="region", seed=1) if o.type in ("trust", "icb", "care_provider")]
    parity = sum(o.disparity == 0 for o in orgs) / len(orgs)
    marked = sum(o.disparity >= 1.8 for o in orgs) / len(orgs)
    assert 0.08 <= parity <= 0.25
    assert 0.04 <= marked <= 0.16
    assert 0.15 <= sum(o.narrowing > 0 for o in orgs) / len(orgs) <= 0.45
    trusts = [o for o in orgs if o.type == "trust"]
    assert any(o.disparity == 0 for o in trusts)
    assert any(o.disparity >= 1.8 for o in trusts)
    assert all(o.gap(4) < o.gap(0) for o in orgs if o.narrowing)
    again = {o.code: (o.disparity, o.narrowing) for o in organisation_plan(size="region", seed=1)}
    assert all(again[o.code] == (o.disparity, o.narrowing) for o in orgs)


class _Rows:
    """A table that keeps its rows in memory."""

    def __init__(self) -> None:
        self.rows: list[tuple] = []
        self.next_id = 1

    def allocate(self, n: int = 1) -> int:
        first = self.next_id
        self.next_id += n
        return first

    def add(self, row: tuple) -> None:
        self.rows.append(row)


def _generate(disparity: float, narrowing: float = 0.0) -> Tables:
    """One large acute trust's records, generated in memory."""
    org = OrgPlan(
        code="RZZ",
        name="Test Hospitals NHS Trust",
        type="trust",
        sector="nhs",
        kind="acute",
        staff=10_000,
        bme_share=0.4,
        disparity=disparity,
        narrowing=narrowing,
        id=1,
    )
    tables = Tables(**{f.name: _Rows() for f in fields(Tables)})
    workforce = OrgWorkforce(org=org, seed=1, tables=tables, provider_code="XLC")
    workforce.build()
    workforce.write_people()
    workforce.write_training()
    workforce.write_cases()
    workforce.write_recruitment()
    workforce.write_survey()
    return tables


def _ratio(hits_a: int, n_a: int, hits_b: int, n_b: int) -> float:
    return (hits_a / n_a) / (hits_b / n_b)


def _measures(tables: Tables, year: int | None = None) -> dict[str, float]:
    """Relative likelihoods (disadvantaged group's shortfall or excess), on everyone ever employed."""
    group = {row[0]: ethnic_group(row[2]) for row in tables.monitoring.rows}
    disabled = {row[0]: row[3] for row in tables.monitoring.rows}
    heads = {g: sum(1 for v in group.values() if v == g) for g in ("white", "bme")}
    dis_heads = {d: sum(1 for v in disabled.values() if v == d) for d in ("Y", "N")}
    start, end = (PERIODS[year][1], PERIODS[year][2]) if year is not None else (PERIODS[0][1], PERIODS[-1][2])

    def within(day: str) -> bool:
        return start.isoformat() <= day <= end.isoformat()

    shortlisted = [r for r in tables.recruitment.rows if r[4] and within(r[3])]
    appointed = {g: sum(1 for r in shortlisted if r[5] and ethnic_group(r[6]) == g) for g in ("white", "bme")}
    listed = {g: sum(1 for r in shortlisted if ethnic_group(r[6]) == g) for g in ("white", "bme")}
    disciplined = {g: len({r[1] for r in tables.disciplinary.rows if group[r[1]] == g}) for g in ("white", "bme")}
    capability = {
        d: len({r[1] for r in tables.capability.rows if r[3] == "performance" and disabled[r[1]] == d})
        for d in ("Y", "N")
    }
    cpd = {g: sum(1 for r in tables.training.rows if r[2].startswith("CPD-") and group[r[1]] == g) for g in heads}
    promoted = {
        g: sum(1 for r in tables.history.rows if r[2] == "changed" and '"level"' in r[7] and group[r[0]] == g)
        for g in heads
    }
    return {
        "appointed": _ratio(appointed["white"], listed["white"], appointed["bme"], listed["bme"]),
        "disciplinary": _ratio(disciplined["bme"], heads["bme"], disciplined["white"], heads["white"]),
        "capability": _ratio(capability["Y"], dis_heads["Y"], capability["N"], dis_heads["N"]),
        "cpd": _ratio(cpd["white"], heads["white"], cpd["bme"], heads["bme"]),
        "promoted": _ratio(promoted["white"], heads["white"], promoted["bme"], heads["bme"]),
    }


def _survey_gap(tables: Tables, period: str, measure: str = "WRES7") -> float:
    values = {row[3]: float(row[4]) for row in tables.survey.rows if row[1] == period and row[2] == measure}
    return values["white"] - values["bme"]


def test_organisations_at_parity_and_with_marked_disparities_differ_as_planned():
    parity, marked = _measures(_generate(0.0)), _measures(_generate(2.0))
    assert 0.9 <= parity["appointed"] <= 1.1
    assert marked["appointed"] >= 1.7
    assert parity["cpd"] <= 1.1
    assert marked["cpd"] >= 1.2
    assert parity["disciplinary"] <= 1.25
    assert marked["disciplinary"] >= parity["disciplinary"] * 1.25
    assert marked["capability"] > parity["capability"] * 1.5
    assert marked["promoted"] > parity["promoted"]


def test_an_improving_organisation_narrows_its_gaps_year_by_year():
    tables = _generate(2.0, narrowing=0.15)
    first, last = _measures(tables, 0), _measures(tables, len(PERIODS) - 1)
    assert first["appointed"] > last["appointed"] + 0.3
    assert _survey_gap(tables, PERIODS[0][0]) > _survey_gap(tables, PERIODS[-1][0]) + 8


def test_the_persona_trust_has_an_action_plan_whose_log_matches_each_status(loaded):
    from carelead.actionplans.models import Action

    hr = next(login for login in loaded if login["persona"] == "org_hr")
    trust = User.objects.get(email=hr["username"]).assignments.get().organisation
    actions = list(Action.objects.filter(organisation=trust).prefetch_related("updates"))
    assert len(actions) >= 2
    for action in actions:
        action.full_clean()  # a known measure, due after it starts, dropped with a reason
        log = sorted(action.updates.all(), key=lambda u: u.date)
        assert (log[-1].status if log else "planned") == action.status
        assert (action.completed_on is not None) == (action.status == "done")


def test_appraisals_in_every_stage_with_work_waiting_for_each_persona(loaded):
    from carelead.appraisals.models import Appraisal, CalibrationAdjustment, Template

    logins = {login["persona"]: User.objects.get(email=login["username"]) for login in loaded}
    assert Template.objects.filter(status="published").count() == 1
    live = Appraisal.objects.filter(cycle__imported=False)
    assert set(live.values_list("state", flat=True)) >= {
        "draft",
        "self_assessment",
        "manager_review",
        "meeting_held",
        "signed_off",
        "calibrated",
    }
    assert live.get(person=logins["staff"].person).state == "self_assessment"
    giving = set(live.filter(appraiser=logins["line_manager"].person).values_list("state", flat=True))
    assert {"manager_review", "meeting_held"} <= giving
    for adjustment in CalibrationAdjustment.objects.select_related("appraisal"):
        assert adjustment.appraisal.overall_rating == adjustment.from_rating != adjustment.to_rating
    # last year's outcomes for the trusts, as history
    assert Appraisal.objects.filter(cycle__imported=True, state="signed_off").exclude(overall_rating="").exists()


def test_board_appraisals_at_every_stage_and_signed_off_ones_have_an_edi_objective(loaded):
    from carelead.boardappraisals.models import BoardAppraisal

    states = set(BoardAppraisal.objects.values_list("state", flat=True))
    assert {"draft", "feedback", "review", "signed_off"} <= states
    for appraisal in BoardAppraisal.objects.filter(state="signed_off").prefetch_related("objectives"):
        assert any(o.is_edi for o in appraisal.objectives.all())
        assert (
            appraisal.member.role != "chair"
            or appraisal.signed_off_by.assignments.filter(role="regional_talent").exists()
        )


def test_360_feedback_with_a_group_shown_and_a_group_too_small_to_show(loaded):
    from carelead.feedback.models import FeedbackAnswer, FeedbackRequest
    from carelead.feedback.services import feedback_report

    closed = FeedbackRequest.objects.get(status="closed")
    report = feedback_report(closed)
    assert [g["group"] for g in report["groups"]] == ["peer"]
    assert FeedbackAnswer.objects.filter(request=closed, group="other").count() == 2  # held, never shown
    assert FeedbackRequest.objects.filter(status="open").exists()


def test_careers_and_talent_at_every_stage_for_the_personas(loaded):
    from carelead.challenged.models import StatusChange
    from carelead.succession.models import SuccessionPlan
    from carelead.talent.models import PoolMembership, TalentConversation
    from carelead.vacancies.models import Application, ApplicationDecision, Vacancy

    logins = {login["persona"]: User.objects.get(email=login["username"]) for login in loaded}
    staff, manager = logins["staff"].person, logins["line_manager"].person
    assert TalentConversation.objects.filter(person=staff).exists()
    assert TalentConversation.objects.filter(person__line_manager=manager).exists()
    # the staff persona waits for the regional team's decision; the manager is in a pool
    assert PoolMembership.objects.get(person=staff).status == "nominated"
    assert PoolMembership.objects.get(person=manager).status == "approved"
    assert {"draft", "open", "shortlisting", "interviewing", "filled", "withdrawn"} <= set(
        Vacancy.objects.values_list("status", flat=True)
    )
    for vacancy in Vacancy.objects.filter(status="filled"):
        assert vacancy.applications.get(person=vacancy.appointed).status == "appointed"
        assert vacancy.filled_on > vacancy.closes_on
    # every decided application is in the recruitment data the equality standards read, under its own key
    decided = Application.objects.exclude(status__in=["applied", "withdrawn"])
    keys = set(
        RecruitmentDecision.objects.filter(application_id__startswith="CL-").values_list("application_id", flat=True)
    )
    assert {a.recruitment_id for a in decided} == keys
    for a in decided:
        assert list(ApplicationDecision.objects.filter(application=a).values_list("status", flat=True))[-1] == a.status
    assert SuccessionPlan.objects.filter(organisation=staff.organisation, level="executive").exists()
    # each organisation's status history ends at its current values
    for org in Organisation.objects.filter(type="trust"):
        latest = StatusChange.objects.filter(organisation=org).order_by("-effective_on", "-pk").first()
        assert (latest.oversight_segment, latest.cqc_rating) == (org.oversight_segment, org.cqc_rating)

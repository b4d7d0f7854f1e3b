"""The demo loader: reproducible, internally consistent, importable, and safe to run twice."""

import hashlib
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count, F

from carelead.accounts.models import RoleAssignment, User
from carelead.audit.models import AuditLog
from carelead.audit.services import Actor
from carelead.boards.models import BoardMember
from carelead.core.choices import LEVEL_ORDER
from carelead.core.exporting import write_csv
from carelead.equality.models import RecruitmentDecision, SurveyResult
from carelead.imports.registry import KINDS, kind_get
from carelead.imports.services import import_file
from carelead.learning.models import TrainingRecord
from carelead.organisations.models import Organisation
from carelead.people.models import EmploymentChange, EqualityMonitoring, Person

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
    assert 3 <= TrainingRecord.objects.count() / people <= 5
    assert BoardMember.objects.filter(organisation=trust, role="chair").count() == 1
    assert BoardMember.objects.filter(organisation=trust, person__isnull=False).exists()
    assert SurveyResult.objects.filter(organisation=trust).values("period").distinct().count() == 2


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
        assert login["totp_secret"] is None
        user = User.objects.get(email=login["username"])
        assert user.check_password(login["password"])
        assert user.assignments.filter(role=login["persona"], is_active=True).exists()


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

"""The retention rules: each purges what has passed its period and nothing else (to the day), a dry run writes
nothing, a run is audited in counts without personal data, a second run changes nothing, a rule is all or nothing,
and reducing leavers' monitoring leaves the equality standards' published figures for past years as they were."""

import datetime
import io
import json

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from carelead.audit.models import AuditLog
from carelead.core import retention
from carelead.equality.engine import Period, compute_standards
from carelead.equality.monitors import compute_monitors
from carelead.imports.models import ImportJob
from carelead.nedpool.models import Candidate, CandidateMonitoring
from carelead.people.models import EqualityMonitoring, Person
from carelead.people.tests.factories import MonitoringFactory, PersonFactory

ON = datetime.date(2026, 11, 2)
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _periods(settings):
    settings.CARELEAD_LEAVER_MONITORING_REDUCE_DAYS = 1095
    settings.CARELEAD_LEAVER_MONITORING_DELETE_DAYS = 2190
    settings.CARELEAD_NED_CANDIDATE_RETENTION_DAYS = 1095
    settings.CARELEAD_IMPORT_FILE_RETENTION_DAYS = 30


def _runs() -> list[AuditLog]:
    return list(AuditLog.objects.filter(object_type="core.RetentionRule").order_by("pk"))


def leaver(world, end_date, *, code="RAA", **monitoring):
    values = {
        "sex": "F",
        "ethnic_category": "H",
        "disability": "Y",
        "sexual_orientation": "Gay or Lesbian",
        "religion": "Buddhism",
        "date_of_birth": datetime.date(1970, 5, 17),
        **monitoring,
    }
    person = PersonFactory(organisation=world.orgs[code], start_date=datetime.date(2015, 4, 1), end_date=end_date)
    MonitoringFactory(person=person, **values)
    return person


def monitoring_of(person: Person) -> dict | None:
    return (
        EqualityMonitoring.objects.filter(person=person)
        .values("sex", "ethnic_category", "disability", "sexual_orientation", "religion", "date_of_birth")
        .first()
    )


# Leavers' equality monitoring --------------------------------------------------------------------------------------


def test_leavers_are_reduced_then_deleted_to_the_day(world):
    reduce_cut = ON - datetime.timedelta(days=1095)
    delete_cut = ON - datetime.timedelta(days=2190)
    reduced = leaver(world, reduce_cut - DAY)
    kept = leaver(world, reduce_cut)
    in_post = leaver(world, None)
    deleted = leaver(world, delete_cut - DAY)
    only_reduced = leaver(world, delete_cut)
    before = {p.pk: monitoring_of(p) for p in (kept, in_post)}

    results = retention.retention_run(on=ON, only="leavers_reduce") + retention.retention_run(
        on=ON, only="leavers_delete"
    )

    assert [r.counts for r in results] == [{"records": 2}, {"records": 1}]
    for person in (reduced, only_reduced):
        assert monitoring_of(person) == {
            "sex": "U",
            "ethnic_category": "H",
            "disability": "Y",
            "sexual_orientation": "",
            "religion": "",
            "date_of_birth": None,
        }
    assert monitoring_of(deleted) is None
    assert Person.objects.filter(pk=deleted.pk).exists(), "only the monitoring goes, never the staff record"
    assert {p.pk: monitoring_of(p) for p in (kept, in_post)} == before
    # The world's own people (in post) are untouched.
    assert monitoring_of(world.people["member"])["religion"] == "Sikhism"


def test_at_the_defaults_nobody_in_post_in_the_last_two_complete_years_is_reduced(world):
    # On 2 November 2026 the last complete year is 2025-26; the year before started on 1 April 2024.
    first_day = leaver(world, datetime.date(2024, 4, 1))
    earlier = leaver(world, datetime.date(2023, 11, 2))
    retention.retention_run(on=ON, only="leavers_reduce")
    assert monitoring_of(first_day)["religion"] == "Buddhism"
    assert monitoring_of(earlier)["religion"] == ""


def test_the_standards_figures_of_past_years_do_not_change_when_leavers_are_reduced(world):
    """WRES and WDES read only ethnic category and disability, which the reduction keeps; so do the fairness
    monitors by ethnicity and disability (and the trend series, built from the same counts)."""
    for year, n in ((2021, 3), (2022, 4), (2023, 5)):
        for i in range(n):
            leaver(world, datetime.date(year, 6, 30), ethnic_category="H" if i % 2 else "A", disability="YN"[i % 2])
    periods = [Period.parse(label) for label in ("2020-21", "2021-22", "2022-23", "2023-24")]

    def figures():
        standards = [compute_standards(period=p, published=published) for p in periods for published in (True, False)]
        monitors = [
            compute_monitors(period=p, published=False, characteristics=["ethnicity", "disability"]) for p in periods
        ]
        return standards, monitors

    before = figures()
    assert retention.retention_run(on=ON, only="leavers_reduce")[0].counts["records"] == 12
    assert figures() == before


def test_deletion_must_come_after_reduction(world, settings):
    settings.CARELEAD_LEAVER_MONITORING_DELETE_DAYS = 1095
    with pytest.raises(ImproperlyConfigured):
        retention.retention_run(on=ON, only="leavers_reduce")


def test_a_period_of_less_than_a_day_is_refused(world, settings):
    settings.CARELEAD_IMPORT_FILE_RETENTION_DAYS = 0
    with pytest.raises(ImproperlyConfigured):
        retention.retention_run(on=ON, only="import_files")


def test_batches_reach_every_record(world, monkeypatch):
    monkeypatch.setattr(retention, "BATCH", 2)
    people = [leaver(world, datetime.date(2022, 1, 1) + DAY * i) for i in range(5)]
    seen = []
    assert retention.retention_run(
        on=ON, only="leavers_reduce", progress_for=lambda rule: lambda d, t: seen.append((d, t))
    )[0].counts == {"records": 5}
    assert seen == [(2, 5), (4, 5), (5, 5)]
    assert all(monitoring_of(p)["religion"] == "" for p in people)


def test_a_rule_is_all_or_nothing(world, monkeypatch):
    person = leaver(world, datetime.date(2022, 1, 1))

    def broken(**kwargs):
        raise RuntimeError("the audit log is unavailable")

    monkeypatch.setattr(retention, "audit_record", broken)
    with pytest.raises(RuntimeError):
        retention.retention_run(on=ON, only="leavers_reduce")
    assert monitoring_of(person)["religion"] == "Buddhism"


# NED candidates ----------------------------------------------------------------------------------------------------


def _aged(candidate: Candidate, when: datetime.datetime) -> Candidate:
    Candidate.objects.filter(pk=candidate.pk).update(updated_at=when, consented_at=when)
    return candidate


def test_candidates_without_contact_are_anonymised_and_no_others(world):
    from carelead.nedcampaigns.tests.factories import campaign, longlisted
    from carelead.nedpool.tests.factories import candidate, placement

    cutoff = timezone.make_aware(datetime.datetime.combine(ON - datetime.timedelta(days=1095), datetime.time.min))
    old, just_in = cutoff - datetime.timedelta(seconds=1), cutoff
    region = [world.orgs["Y99"]]
    stale = _aged(candidate(regions=region, name="Stale Candidate", monitoring={"ethnic_category": "A"}), old)
    recent = _aged(candidate(regions=region, name="Recent Candidate"), just_in)
    appointed = _aged(candidate(regions=region, name="Appointed Candidate", status="appointed"), old)
    on_campaign = candidate(regions=region, name="Campaign Candidate", status="in_pool", readiness="ready_ned")
    longlisted(world, campaign(world), on_campaign)
    _aged(on_campaign, old)
    placed = candidate(regions=region, name="Placed Candidate")
    placement(candidate=placed, host=world.orgs["RBB"], status="active")
    _aged(placed, old)

    result = retention.retention_run(on=ON, only="ned_candidates")[0]

    assert result.counts == {"candidates": 1}
    stale.refresh_from_db()
    assert stale.erased_at is not None and stale.name == "Erased candidate" and stale.statement == ""
    assert not CandidateMonitoring.objects.filter(candidate=stale).exists()
    for kept in (recent, appointed, on_campaign, placed):
        kept.refresh_from_db()
        assert kept.erased_at is None, kept.name
    erased = AuditLog.objects.get(object_type="nedpool.Candidate", object_id=str(stale.pk))
    assert erased.actor is None and erased.actor_label == "system:retention_purge"
    assert "Stale" not in json.dumps(erased.changes) + erased.object_repr


# Uploaded import files ---------------------------------------------------------------------------------------------


@pytest.fixture
def storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    return tmp_path


def upload(world, status, updated: datetime.date) -> ImportJob:
    job = ImportJob(
        kind="staff",
        original_name="staff.csv",
        size=9,
        created_by=world.users["org_hr"],
        organisation=world.orgs["RAA"],
        status=status,
    )
    job.file.save("staff.csv", ContentFile(b"staff_id\n"), save=False)
    job.save()
    when = timezone.make_aware(datetime.datetime.combine(updated, datetime.time(12)))
    ImportJob.objects.filter(pk=job.pk).update(updated_at=when)
    return job


def test_uploaded_files_go_once_the_import_is_long_finished(world, storage, django_capture_on_commit_callbacks):
    cutoff = ON - datetime.timedelta(days=30)
    done = upload(world, ImportJob.Status.DONE, cutoff - DAY)
    checked = upload(world, ImportJob.Status.VALID, cutoff - DAY)
    recent = upload(world, ImportJob.Status.DONE, cutoff)
    queued = upload(world, ImportJob.Status.QUEUED, cutoff - DAY)
    names = {job.pk: job.file.name for job in (done, checked, recent, queued)}

    with django_capture_on_commit_callbacks(execute=True):
        result = retention.retention_run(on=ON, only="import_files")[0]

    assert result.counts == {"files": 2}
    for job in (done, checked):
        job.refresh_from_db()
        assert job.file.name == "" and not (storage / names[job.pk]).exists()
    assert checked.status == ImportJob.Status.CANCELLED
    assert done.status == ImportJob.Status.DONE
    for job in (recent, queued):
        job.refresh_from_db()
        assert job.file.name == names[job.pk] and (storage / names[job.pk]).exists()


# Every rule together -----------------------------------------------------------------------------------------------


def everything_due(world):
    from carelead.nedpool.tests.factories import candidate
    from carelead.speakup.models import Case
    from carelead.speakup.tests.factories import case

    leaver(world, datetime.date(2023, 1, 31))
    leaver(world, datetime.date(2019, 1, 31))
    _aged(
        candidate(regions=[world.orgs["Y99"]], name="Stale Candidate"),
        timezone.make_aware(datetime.datetime(2020, 1, 1)),
    )
    upload(world, ImportJob.Status.DONE, datetime.date(2026, 1, 1))
    closed = case(organisation=world.orgs["RAA"], mode="named", status="closed", closed_on=datetime.date(2025, 1, 1))
    Case.objects.filter(pk=closed.pk).update(description="The rota puts one nurse on nights.")


def test_a_dry_run_writes_nothing(world, storage):
    everything_due(world)
    before = {
        "monitoring": list(EqualityMonitoring.objects.order_by("pk").values()),
        "candidates": list(Candidate.objects.order_by("pk").values()),
        "jobs": list(ImportJob.objects.order_by("pk").values()),
        "audit": AuditLog.objects.count(),
    }
    results = retention.retention_run(on=ON, dry_run=True)
    counts = {r.rule.code: r.counts for r in results}
    assert counts.pop("speakup")["cases"] == 1
    assert counts == {
        "leavers_reduce": {"records": 1},
        "leavers_delete": {"records": 1},
        "ned_candidates": {"candidates": 1},
        "import_files": {"files": 1},
    }
    after = {
        "monitoring": list(EqualityMonitoring.objects.order_by("pk").values()),
        "candidates": list(Candidate.objects.order_by("pk").values()),
        "jobs": list(ImportJob.objects.order_by("pk").values()),
        "audit": AuditLog.objects.count(),
    }
    assert after == before


def test_each_run_is_audited_in_counts_and_a_second_run_changes_nothing(world, storage):
    everything_due(world)
    retention.retention_run(on=ON)
    runs = _runs()
    assert [r.object_id for r in runs] == [
        "speakup",
        "leavers_reduce",
        "leavers_delete",
        "ned_candidates",
        "import_files",
    ]
    for run in runs:
        assert run.actor is None and run.actor_label == "system:retention_purge"
        assert run.subject_person_id is None
        text = json.dumps(run.changes) + run.object_repr
        for personal in ("Buddhism", "Gay or Lesbian", "1970-05-17", "Stale", "staff.csv", "nurse on nights"):
            assert personal not in text
    assert runs[1].changes["counts"] == {"records": 1} and runs[1].action == AuditLog.Action.BULK_UPDATE
    assert runs[2].action == AuditLog.Action.DELETE
    assert runs[1].changes["cutoff"] == (ON - datetime.timedelta(days=1095)).isoformat()

    snapshot = (
        list(EqualityMonitoring.objects.order_by("pk").values()),
        list(Candidate.objects.order_by("pk").values()),
        list(ImportJob.objects.order_by("pk").values()),
    )
    audit = AuditLog.objects.count()
    again = retention.retention_run(on=ON)
    assert all(not any(r.counts.values()) for r in again)
    assert AuditLog.objects.count() == audit
    assert snapshot == (
        list(EqualityMonitoring.objects.order_by("pk").values()),
        list(Candidate.objects.order_by("pk").values()),
        list(ImportJob.objects.order_by("pk").values()),
    )


def test_the_command_runs_one_rule_or_all_and_says_what_it_did(world, storage):
    everything_due(world)
    out = io.StringIO()
    call_command("retention_purge", "--on", ON.isoformat(), "--dry-run", "--no-progress", stdout=out)
    text = out.getvalue()
    assert "leavers' monitoring: would reduce 1 records" in text
    assert "NED candidates: would anonymise 1 candidates" in text
    assert "speak-up retention: would delete the content of 1 closed cases" in text
    assert not _runs()

    out = io.StringIO()
    call_command("retention_purge", "--on", ON.isoformat(), "--only", "import_files", "--no-progress", stdout=out)
    assert "import files: deleted 1 uploaded files" in out.getvalue()
    assert "leavers" not in out.getvalue()
    assert [r.object_id for r in _runs()] == ["import_files"]


def test_the_daily_job_applies_every_rule(world, storage):
    everything_due(world)
    out = io.StringIO()
    call_command("reminders", "--on", ON.isoformat(), stdout=out)
    text = out.getvalue()
    assert "speak-up retention: deleted the content of 1 closed cases" in text
    assert "leavers' monitoring: reduced 1 records" in text
    assert "leavers' monitoring: deleted 1 records" in text
    assert "NED candidates: anonymised 1 candidates" in text
    assert "import files: deleted 1 uploaded files" in text


def test_the_table_lists_every_rule_with_its_setting():
    table = {row["code"]: row for row in retention.retention_table()}
    assert set(table) == {"speakup", "leavers_reduce", "leavers_delete", "ned_candidates", "import_files"}
    assert table["leavers_delete"]["setting"] == "CARELEAD_LEAVER_MONITORING_DELETE_DAYS"
    assert table["leavers_delete"]["days"] == 2190

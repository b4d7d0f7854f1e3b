"""Faults: an import killed at any moment leaves all of its file or none of it; while the database is down every
page answers 503 with a clear page (the health check too) and all answer normally once it returns; an import task
run again, after a worker died part way or after it finished, writes its file exactly once.

The kill and outage tests run ``carelead`` in other processes against scratch databases on the engine of the test
run (SQLite files, or PostgreSQL databases of their own), so the suite's SQLite and PostgreSQL runs cover both.
"""

import http.client
import json
import random
import socket
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest
from django.contrib.auth.decorators import login_not_required
from django.core.files.base import ContentFile
from django.db import OperationalError
from django.test import Client
from django.urls import path

from bench.staff_file import write_organisations, write_staff
from carelead.audit.models import AuditLog
from carelead.core.middleware import RETRY_AFTER_SECONDS, database_unavailable_response
from carelead.imports.models import ImportJob
from carelead.imports.tasks import run_import_job, validate_import_job
from carelead.people.models import EmploymentChange, EqualityMonitoring, Person
from tests.scratch_databases import BASE_DIR, ScratchDatabase, ScratchDatabases, carelead_ok

pytestmark = pytest.mark.django_db


# An import killed part way ----------------------------------------------------------------------------------------

STAFF_ROWS = 30_000
TABLES = [
    Person._meta.db_table,
    EmploymentChange._meta.db_table,
    EqualityMonitoring._meta.db_table,
    AuditLog._meta.db_table,
]


def held(db: ScratchDatabase) -> dict[str, int]:
    """Rows in the tables a staff import writes, and the audit entries that record a staff import."""
    counts = db.counts(*TABLES)
    with db.connect() as conn, conn.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {AuditLog._meta.db_table} WHERE object_type = 'import.staff'")  # noqa: S608
        counts["staff imports audited"] = cursor.fetchone()[0]
    return counts


def writing(db: ScratchDatabase) -> bool:
    """Whether a transaction that writes is open on the database at this moment."""
    if db.vendor == "sqlite":
        probe = sqlite3.connect(db.name, timeout=0, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:
            return True  # the write lock is held
        finally:
            if probe.in_transaction:
                probe.execute("ROLLBACK")
            probe.close()
        return False
    with db.connect() as conn, conn.cursor() as cursor:
        # A transaction is given an id when it first writes.
        cursor.execute(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = %s AND backend_xid IS NOT NULL", [db.name]
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.slow
def test_an_import_killed_at_any_moment_leaves_all_of_the_file_or_none_of_it(scratch, migrated, tmp_path):
    organisations, staff = tmp_path / "organisations.csv", tmp_path / "staff.csv"
    write_organisations(organisations)
    write_staff(staff, STAFF_ROWS)
    data_dir = tmp_path / "data"
    template = scratch.copy(migrated)
    carelead_ok("import", "organisations", str(organisations), "--no-progress", env=template.env(data_dir))
    none = held(template)
    command = [sys.executable, "-m", "carelead", "import", "staff", str(staff), "--no-progress"]

    # An undisturbed run says what "all of it" is, and when the import's transaction ends.
    complete = scratch.copy(template)
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=BASE_DIR, env=complete.env(data_dir), stdout=subprocess.DEVNULL)
    committed = 0.0
    while process.poll() is None:
        if writing(complete):
            committed = time.monotonic() - started
        time.sleep(0.05)
    assert process.returncode == 0
    everything = held(complete)
    scratch.drop(complete)
    assert committed > 0, "the import's transaction was never seen open"
    for table in TABLES[:3]:
        assert everything[table] - none[table] == STAFF_ROWS, table
    assert everything["staff imports audited"] == none["staff imports audited"] + 1

    # Killed while starting up, early, in the middle and late in the import, and just before it would commit.
    rng = random.Random(20261128)
    outcomes = []
    for fraction in (0.03, 0.35, 0.55, 0.75, 0.9, 0.96):
        trial = scratch.copy(template)
        delay = committed * (fraction + rng.uniform(-0.02, 0.01))
        process = subprocess.Popen(
            command, cwd=BASE_DIR, env=trial.env(data_dir), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(delay)
        in_transaction = writing(trial)
        process.kill()
        process.wait()
        after = held(trial)
        scratch.drop(trial)
        outcome = "all" if after == everything else "none" if after == none else "partial"
        outcomes.append((round(delay, 2), in_transaction, outcome))
        assert outcome != "partial", f"killed at {delay:.2f} s: {after}, not {none} or {everything}"
    # Most kills landed inside the import's open transaction, where a partial write could have shown.
    assert sum(1 for _, in_transaction, _ in outcomes if in_transaction) >= 3, (committed, outcomes)


# The database down ------------------------------------------------------------------------------------------------

SIGN_IN = """
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from carelead.accounts.models import User
user = User.objects.create_user("outage@example.org", "a long password for the outage", full_name="Ola Outage")
session = SessionStore()
session.update({
    SESSION_KEY: str(user.pk),
    BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
    HASH_SESSION_KEY: user.get_session_auth_hash(),
})
session.create()
print(session.session_key)
"""


def _free_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(port: int, url: str, session: str | None = None) -> tuple[int, dict[str, str], str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", url, headers={"Cookie": f"sessionid={session}"} if session else {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        connection.close()


def _wait_for(port: int, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, f"the server stopped:\n{log.read_text()}"
        try:
            if _get(port, "/healthz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    pytest.fail(f"the server did not answer within a minute:\n{log.read_text()}")


class Outage:
    """Makes a scratch database unreachable for new connections, and brings it back."""

    def __init__(self, scratch: ScratchDatabases, db: ScratchDatabase):
        self.scratch, self.db = scratch, db
        self.folder = Path(db.name).parent

    def start(self) -> None:
        if self.db.vendor == "sqlite":
            # The folder goes, as when a volume is lost: no connection can open the file.
            self.folder.rename(self.folder.with_name(self.folder.name + "-gone"))
        else:
            self.scratch.admin(f'ALTER DATABASE "{self.db.name}" WITH ALLOW_CONNECTIONS false')
            self.scratch.admin(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [self.db.name]
            )

    def end(self) -> None:
        if self.db.vendor == "sqlite":
            self.folder.with_name(self.folder.name + "-gone").rename(self.folder)
        else:
            self.scratch.admin(f'ALTER DATABASE "{self.db.name}" WITH ALLOW_CONNECTIONS true')


def test_while_the_database_is_down_pages_answer_503_and_recover_when_it_returns(scratch, migrated, tmp_path):
    db = scratch.copy(migrated, folder=tmp_path / "database")
    env = db.env(tmp_path / "data")
    session = carelead_ok("shell", "-c", SIGN_IN, env=env).strip().splitlines()[-1]
    port, log = _free_port(), tmp_path / "server.log"
    with open(log, "w") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "carelead", "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
            cwd=BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    outage = Outage(scratch, db)
    try:
        _wait_for(port, server, log)
        assert _get(port, "/", session)[0] == 200

        outage.start()
        status, headers, body = _get(port, "/healthz")
        assert status == 503
        assert json.loads(body) == {"status": "unavailable", "database": "down"}
        # A signed-in page reads the session and the user's roles before its view runs.
        for url in ("/", "/people/me/", "/accessibility/"):
            status, headers, body = _get(port, url, session)
            assert status == 503, (url, body[:500])
            assert headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
            assert "Sorry, the service is temporarily unavailable" in body
            assert "Nothing you saved has been lost" in body
        status, headers, body = _get(port, "/api/v1/organisations/", session)
        assert status == 503
        assert json.loads(body)["error"]["code"] == "service_unavailable"

        outage.end()
        assert _get(port, "/healthz")[0] == 200
        status, _, body = _get(port, "/", session)
        assert status == 200
        assert "Welcome, Ola" in body
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@login_not_required
def _view_losing_the_database(request):
    raise OperationalError("server closed the connection unexpectedly")


urlpatterns = [path("lost/", _view_losing_the_database)]


@pytest.mark.urls("tests.test_faults")
def test_a_view_that_loses_the_database_answers_503_not_500():
    response = Client(raise_request_exception=False).get("/lost/")

    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert b"temporarily unavailable" in response.content


def test_the_sign_in_check_losing_the_database_answers_503(monkeypatch):
    from django.contrib.sessions.backends.db import SessionStore

    def lost(self):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(SessionStore, "load", lost)
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "a" * 32

    page = client.get("/")
    api = client.get("/api/v1/organisations/")

    assert page.status_code == 503
    assert b"Nothing you saved has been lost" in page.content
    assert api.status_code == 503
    assert api.json()["error"]["code"] == "service_unavailable"


def test_the_unavailable_page_needs_no_database(rf, django_assert_num_queries):
    request = rf.get("/people/me/")
    request.user = None  # anything that read it would fail

    with django_assert_num_queries(0):
        response = database_unavailable_response(request)

    assert response.status_code == 503
    assert "no-cache" in response["Cache-Control"]


# Import tasks run again -------------------------------------------------------------------------------------------

HEADER = b"staff_id,org_code,first_name,last_name,pay_band,level,start_date\n"
ROWS = b"".join(b"RAA-8%04d,RAA,First,Last,5,staff,2024-04-01\n" % i for i in range(30))


class WorkerKilled(BaseException):
    """The process running a task dies: no handler in it runs, its transaction is never committed."""


@pytest.fixture
def checked_upload(world, settings, tmp_path):
    """A staff file of 30 people uploaded by RAA's HR team and checked by the worker, ready to import."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    job = ImportJob(
        kind="staff",
        original_name="staff.csv",
        size=len(HEADER + ROWS),
        created_by=world.users["org_hr"],
        organisation=world.orgs["RAA"],
    )
    job.file.save("staff.csv", ContentFile(HEADER + ROWS), save=False)
    job.save()
    assert validate_import_job.call(job.pk) == "valid"
    job.status = ImportJob.Status.QUEUED
    job.save(update_fields=["status", "updated_at"])
    return job


def written() -> dict[str, int]:
    return {
        "people": Person.objects.filter(staff_id__startswith="RAA-8").count(),
        "history": EmploymentChange.objects.filter(person__staff_id__startswith="RAA-8").count(),
        "monitoring": EqualityMonitoring.objects.filter(person__staff_id__startswith="RAA-8").count(),
        "audit": AuditLog.objects.filter(object_type__in=["import.staff", "people.Person"]).count(),
    }


NOTHING = {"people": 0, "history": 0, "monitoring": 0, "audit": 0}
ONCE = {"people": 30, "history": 30, "monitoring": 30, "audit": 2}  # one bulk entry for the rows, one for the run


def test_an_import_task_run_again_after_it_finished_writes_nothing_more(checked_upload):
    assert run_import_job.call(checked_upload.pk) == "done"
    assert written() == ONCE

    assert run_import_job.call(checked_upload.pk) == "done"
    assert validate_import_job.call(checked_upload.pk) == "done"  # a late check cannot reopen it

    assert written() == ONCE
    checked_upload.refresh_from_db()
    assert checked_upload.status == ImportJob.Status.DONE


def test_an_import_task_whose_worker_died_part_way_writes_the_file_once_when_run_again(checked_upload, monkeypatch):
    import carelead.imports.services

    real_audit = carelead.imports.services.audit_record

    def die(**kwargs):
        raise WorkerKilled  # after every row was written, before the commit

    monkeypatch.setattr(carelead.imports.services, "audit_record", die)
    with pytest.raises(WorkerKilled):
        run_import_job.call(checked_upload.pk)
    assert written() == NOTHING
    checked_upload.refresh_from_db()
    assert checked_upload.status == ImportJob.Status.IMPORTING  # as a killed worker leaves it

    monkeypatch.setattr(carelead.imports.services, "audit_record", real_audit)
    assert run_import_job.call(checked_upload.pk) == "done"
    assert run_import_job.call(checked_upload.pk) == "done"

    assert written() == ONCE


def test_an_import_task_that_failed_wrote_nothing_and_stays_failed_when_run_again(checked_upload, monkeypatch):
    import carelead.imports.services

    def fail(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(carelead.imports.services, "audit_record", fail)
    assert run_import_job.call(checked_upload.pk) == "failed"
    monkeypatch.undo()
    assert run_import_job.call(checked_upload.pk) == "failed"

    assert written() == NOTHING
    checked_upload.refresh_from_db()
    assert "nothing was written" in checked_upload.error

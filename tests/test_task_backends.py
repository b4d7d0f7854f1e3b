"""The task queue behind large uploads and trend refreshes: the database backend by default, Redis through RQ when
configured. Each runs a real upload (check, then import) through its own worker command in this process; the
Redis run skips, with its reason, unless a Redis server answers. Also the settings that select a backend and add
a read replica, and the replica router."""

import json
import os
import subprocess
import sys
import uuid
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django_tasks.base import TaskResultStatus

from carelead.imports.models import ImportJob
from carelead.imports.tasks import run_import_job, validate_import_job
from carelead.people.models import Person
from config.routers import PrimaryReplicaRouter

HEADER = b"staff_id,org_code,first_name,last_name,pay_band,level,start_date\n"
ROWS = b"".join(b"RAA-9%04d,RAA,First,Last,5,staff,2024-04-01\n" % i for i in range(30))
BAD_ROW = b"RAA-99999,RAA,First,Last,5,staff,2024-13-01\n"
TEST_REDIS_URL = os.environ.get("CARELEAD_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def uploads(settings, tmp_path):
    """Uploaded files go to a folder of this test's own."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    return tmp_path


def uploaded_job(world, content: bytes) -> ImportJob:
    """A staff file uploaded by RAA's HR team, as the upload page stores it before queueing its check."""
    job = ImportJob(
        kind="staff",
        original_name="staff.csv",
        size=len(content),
        created_by=world.users["org_hr"],
        organisation=world.orgs["RAA"],
    )
    job.file.save("staff.csv", ContentFile(content), save=False)
    job.save()
    return job


def db_worker():
    call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", "--no-reload", verbosity=0)


# The database backend (the default) -----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_checks_then_imports_an_upload(world, settings, uploads):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    job = uploaded_job(world, HEADER + ROWS)

    checked = validate_import_job.enqueue(job.pk)
    assert checked.status == TaskResultStatus.READY
    job.refresh_from_db()
    assert job.status == ImportJob.Status.VALIDATING  # nothing runs until a worker takes it
    db_worker()
    checked.refresh()
    assert checked.status == TaskResultStatus.SUCCESSFUL
    assert checked.return_value == "valid"
    job.refresh_from_db()
    assert job.report["created"] == 30
    assert not Person.objects.filter(staff_id__startswith="RAA-9").exists()

    imported = run_import_job.enqueue(job.pk)
    db_worker()
    imported.refresh()
    assert (imported.status, imported.return_value) == (TaskResultStatus.SUCCESSFUL, "done")
    assert Person.objects.filter(staff_id__startswith="RAA-9").count() == 30
    assert not DBTaskResult.objects.exclude(status=TaskResultStatus.SUCCESSFUL).exists()


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_records_a_file_with_problems(world, settings, uploads):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    job = uploaded_job(world, HEADER + ROWS + BAD_ROW)
    checked = validate_import_job.enqueue(job.pk)
    db_worker()
    checked.refresh()
    assert (checked.status, checked.return_value) == (TaskResultStatus.SUCCESSFUL, "invalid")
    imported = run_import_job.enqueue(job.pk)
    db_worker()
    imported.refresh()
    assert imported.return_value == "invalid"  # an unchecked or failed file is never written
    assert not Person.objects.filter(staff_id__startswith="RAA-9").exists()


# Redis through RQ -----------------------------------------------------------------------------------------------


@pytest.fixture
def rq_queue(settings):
    """A queue of this test's own on the test Redis server, removed afterwards; skips when no server answers."""
    import redis

    connection = redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=1, socket_timeout=5)
    try:
        connection.ping()
    except redis.exceptions.RedisError as exc:
        pytest.skip(f"no Redis server answers at {TEST_REDIS_URL} ({type(exc).__name__}): the RQ backend is untested")
    name = f"carelead-test-{uuid.uuid4().hex[:12]}"
    # Results are fetched through the "default" queue's connection, so it points at the test server too.
    settings.RQ_QUEUES = {queue: {"URL": TEST_REDIS_URL, "DEFAULT_TIMEOUT": 300} for queue in ("default", name)}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [name]}}
    yield SimpleNamespace(name=name, connection=connection)
    for key in connection.scan_iter(match="rq:job:*"):
        if connection.hget(key, "origin") == name.encode():
            connection.delete(key, key.replace(b"rq:job:", b"rq:results:"))
    for key in connection.scan_iter(match=f"*{name}*"):
        connection.delete(key)
    connection.srem("rq:queues", f"rq:queue:{name}")
    connection.close()


def rq_worker(queue_name: str) -> None:
    """`carelead rqworker QUEUE --burst`, with the worker that runs jobs in this process rather than a fork."""
    from django_rq.management.commands.rqworker import Command as RQWorkerCommand

    call_command(RQWorkerCommand(), queue_name, burst=True, worker_class="rq.SimpleWorker", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_the_rq_worker_checks_then_imports_an_upload(world, uploads, rq_queue):
    import django_rq

    job = uploaded_job(world, HEADER + ROWS)
    checked = validate_import_job.using(queue_name=rq_queue.name).enqueue(job.pk)
    assert checked.status == TaskResultStatus.READY
    assert django_rq.get_queue(rq_queue.name).count == 1
    job.refresh_from_db()
    assert job.status == ImportJob.Status.VALIDATING
    rq_worker(rq_queue.name)
    checked.refresh()
    assert (checked.status, checked.return_value) == (TaskResultStatus.SUCCESSFUL, "valid")
    job.refresh_from_db()
    assert job.report["created"] == 30

    imported = run_import_job.using(queue_name=rq_queue.name).enqueue(job.pk)
    rq_worker(rq_queue.name)
    imported.refresh()
    assert (imported.status, imported.return_value) == (TaskResultStatus.SUCCESSFUL, "done")
    assert Person.objects.filter(staff_id__startswith="RAA-9").count() == 30
    assert django_rq.get_queue(rq_queue.name).count == 0


@pytest.mark.django_db(transaction=True)
def test_the_rq_worker_reports_a_task_that_fails(world, uploads, rq_queue):
    checked = validate_import_job.using(queue_name=rq_queue.name).enqueue(987654321)  # no such upload
    rq_worker(rq_queue.name)
    checked.refresh()
    assert checked.status == TaskResultStatus.FAILED
    assert checked.errors[-1].exception_class_path.endswith("DoesNotExist")


# Settings and the replica router --------------------------------------------------------------------------------


def settings_under(tmp_path, **environ) -> dict:
    """The deployment settings read in a fresh process under the given environment."""
    script = (
        "import json; from config.settings import base as s; print(json.dumps({"
        "'tasks': s.TASKS, 'rq': s.RQ_QUEUES, 'apps': s.INSTALLED_APPS, 'databases': sorted(s.DATABASES),"
        "'replica': s.DATABASES.get('replica'), 'routers': getattr(s, 'DATABASE_ROUTERS', [])}, default=str))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CARELEAD_", "DATABASE_URL"))}
    env.update(CARELEAD_DATA_DIR=str(tmp_path), CARELEAD_SECRET_KEY="x" * 50, **environ)
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_the_database_queue_and_the_primary_alone_are_the_default(tmp_path):
    s = settings_under(tmp_path)
    assert s["tasks"] == {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert "django_rq" not in s["apps"]
    assert s["databases"] == ["default"] and s["routers"] == []


def test_rq_is_chosen_by_name_or_path_with_its_redis_address(tmp_path):
    for chosen in ("rq", "django_tasks_rq.RQBackend"):
        s = settings_under(tmp_path, CARELEAD_TASK_BACKEND=chosen, CARELEAD_REDIS_URL="redis://cache.internal:6380/2")
        assert s["tasks"] == {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
        assert s["rq"]["default"]["URL"] == "redis://cache.internal:6380/2"
        assert s["rq"]["default"]["DEFAULT_TIMEOUT"] >= 3600  # a national import must not be cut off
        assert {"django_rq", "django_tasks_rq"} <= set(s["apps"])


def test_the_rq_configuration_passes_the_system_checks(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CARELEAD_", "DATABASE_URL"))}
    env.update(CARELEAD_DATA_DIR=str(tmp_path), CARELEAD_SECRET_KEY="x" * 50, CARELEAD_TASK_BACKEND="rq")
    out = subprocess.run(
        [sys.executable, "-m", "carelead", "check", "--fail-level", "WARNING"], env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr


def test_a_replica_url_adds_the_replica_alias_and_its_router(tmp_path):
    s = settings_under(
        tmp_path,
        DATABASE_URL="postgres://carelead@primary:5432/carelead",
        CARELEAD_DATABASE_REPLICA_URL="postgres://carelead_ro@replica:5432/carelead",
    )
    assert s["databases"] == ["default", "replica"]
    assert s["replica"]["HOST"] == "replica" and s["replica"]["USER"] == "carelead_ro"
    assert s["replica"]["TEST"] == {"MIRROR": "default"}  # tests read the primary in its place
    assert s["routers"] == ["config.routers.PrimaryReplicaRouter"]


def _read_from(alias: str):
    return SimpleNamespace(_state=SimpleNamespace(db=alias))


def test_the_router_writes_to_the_primary_and_never_migrates_the_replica():
    router = PrimaryReplicaRouter()
    assert router.db_for_read(Person) is None  # the primary unless the query or its instance says otherwise
    assert router.db_for_write(Person) == "default"
    assert router.db_for_write(Person, instance=_read_from("replica")) == "default"
    assert router.allow_relation(_read_from("replica"), _read_from("default")) is True
    assert router.allow_relation(_read_from("other"), _read_from("default")) is None
    assert router.allow_migrate("replica", "people") is False
    assert router.allow_migrate("default", "people") is None

"""Throwaway databases for tests that run the ``carelead`` command in other processes.

Each is on the engine the test run uses (a SQLite file, or a PostgreSQL database of its own on the same server),
so the suite's SQLite and PostgreSQL runs each test both. A migrated one is a copy of the test database's schema,
made by the test run's own migrations, so no test pays for ``carelead migrate`` again.

A module that uses them is marked ``django_db`` (so that pytest-django sets the test database up) but needs no
transactional tests, nor the flush of the test database after each; pass pytest-django's ``django_db_blocker``
when making them in a module-scoped fixture.
"""

import os
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import load_backend

BASE_DIR = Path(settings.BASE_DIR)


@dataclass
class ScratchDatabase:
    vendor: str
    name: str  # the SQLite file, or the PostgreSQL database
    settings_dict: dict
    blocker: object = None

    @property
    def url(self) -> str:
        if self.vendor == "sqlite":
            return f"sqlite:///{self.name}"
        s = self.settings_dict
        password = f":{quote(s['PASSWORD'], safe='')}" if s.get("PASSWORD") else ""
        user, host, port = quote(s["USER"] or "", safe=""), s["HOST"] or "127.0.0.1", s["PORT"] or 5432
        return f"postgres://{user}{password}@{host}:{port}/{self.name}"

    def env(self, data_dir: Path) -> dict[str, str]:
        """The environment a ``carelead`` process needs to work on this database, with its own data directory."""
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": self.url,
            "CARELEAD_DATA_DIR": str(data_dir),
        }

    @contextmanager
    def connect(self) -> Iterator[BaseDatabaseWrapper]:
        """A Django connection to this database (opened on first use, closed afterwards).

        It stays out of ``django.db.connections``: Django's test cases allow a connection they were not told about
        only when it is not registered there.
        """
        wrapper = load_backend(self.settings_dict["ENGINE"]).DatabaseWrapper(
            {**self.settings_dict, "NAME": self.name}, alias=f"scratch_{uuid.uuid4().hex[:8]}"
        )
        with _unblocked(self.blocker):
            try:
                yield wrapper
            finally:
                wrapper.close()

    def counts(self, *tables: str) -> dict[str, int]:
        """Rows in each of the given tables."""
        with self.connect() as db, db.cursor() as cursor:
            result = {}
            for table in tables:
                cursor.execute(f"SELECT COUNT(*) FROM {db.ops.quote_name(table)}")  # noqa: S608
                result[table] = cursor.fetchone()[0]
            return result


class ScratchDatabases:
    """Creates scratch databases like the test database, and removes them all at the end."""

    def __init__(self, folder: Path, blocker=None):
        self.folder = folder
        self.blocker = blocker
        self.vendor = connection.vendor
        self.settings_dict = dict(connection.settings_dict)
        name = str(self.settings_dict["NAME"])
        if not (name.startswith("test_") or "mode=memory" in name):
            raise RuntimeError(f"{name} is not a test database: mark the test module django_db")
        self.created: list[ScratchDatabase] = []

    def empty(self) -> ScratchDatabase:
        """A database with nothing in it."""
        db = self._new()
        if self.vendor == "postgresql":
            self.admin(f'CREATE DATABASE "{db.name}"')
        return db

    def migrated(self) -> ScratchDatabase:
        """A copy of the test database: every migration applied, no records."""
        db = self._new()
        if self.vendor == "sqlite":
            with _unblocked(self.blocker), closing(sqlite3.connect(db.name)) as target:
                connection.ensure_connection()
                connection.connection.backup(target)
            return db
        source = self.settings_dict["NAME"]
        with _unblocked(self.blocker):
            connection.close()  # a template database must have no other sessions
        try:
            self.admin(f'CREATE DATABASE "{db.name}" TEMPLATE "{source}"')
        except Exception:
            # Someone else is connected to the test database: copy it through pg_dump instead.
            self.admin(f'CREATE DATABASE "{db.name}"')
            dump = self.folder / f"{db.name}.dump"
            self._pg(["pg_dump", "--format=custom", "--file", str(dump), "--dbname", source])
            self._pg(["pg_restore", "--no-owner", "--dbname", db.name, str(dump)])
        return db

    def copy(self, source: ScratchDatabase, folder: Path | None = None) -> ScratchDatabase:
        """A copy of another scratch database, which nothing may be connected to meanwhile (a SQLite copy in
        ``folder`` when given)."""
        db = self._new(folder)
        if self.vendor == "sqlite":
            with closing(sqlite3.connect(source.name)) as src, closing(sqlite3.connect(db.name)) as target:
                src.backup(target)
        else:
            self.admin(f'CREATE DATABASE "{db.name}" TEMPLATE "{source.name}"')
        return db

    def drop(self, db: ScratchDatabase) -> None:
        if self.vendor == "postgresql":
            self.admin(f'DROP DATABASE IF EXISTS "{db.name}" WITH (FORCE)')
        else:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(db.name + suffix).unlink(missing_ok=True)
        if db in self.created:
            self.created.remove(db)

    def drop_all(self) -> None:
        for db in list(self.created):
            self.drop(db)

    def _new(self, folder: Path | None = None) -> ScratchDatabase:
        key = f"{os.getpid()}_{uuid.uuid4().hex[:10]}"
        if self.vendor == "sqlite":
            (folder or self.folder).mkdir(parents=True, exist_ok=True)
            name = str((folder or self.folder) / f"scratch_{key}.sqlite3")
        elif self.vendor == "postgresql":
            name = f"carelead_scratch_{key}"
        else:
            raise NotImplementedError(self.vendor)
        db = ScratchDatabase(vendor=self.vendor, name=name, settings_dict=self.settings_dict, blocker=self.blocker)
        self.created.append(db)
        return db

    def admin(self, sql: str, params: list | None = None) -> None:
        """Run a statement on the PostgreSQL server, outside any database's transaction."""
        import psycopg

        s = self.settings_dict
        with psycopg.connect(
            host=s["HOST"] or None,
            port=s["PORT"] or None,
            user=s["USER"] or None,
            password=s["PASSWORD"] or None,
            dbname="postgres",
            autocommit=True,
        ) as admin:
            admin.execute(sql, params)

    def _pg(self, argv: list[str]) -> None:
        s = self.settings_dict
        env = {**os.environ, "PGPASSWORD": s["PASSWORD"] or ""}
        args = ["--host", s["HOST"] or "127.0.0.1", "--port", str(s["PORT"] or 5432), "--username", s["USER"]]
        subprocess.run([argv[0], *args, *argv[1:]], env=env, check=True, capture_output=True)


@contextmanager
def _unblocked(blocker):
    if blocker is None:
        yield
    else:
        with blocker.unblock():
            yield


def carelead(*args: str, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess:
    """Run ``carelead ARGS`` to completion and return what it printed."""
    return subprocess.run(
        [sys.executable, "-m", "carelead", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def carelead_ok(*args: str, env: dict[str, str], timeout: float = 300) -> str:
    """Run ``carelead ARGS``, which must succeed; its standard output."""
    done = carelead(*args, env=env, timeout=timeout)
    assert done.returncode == 0, f"carelead {' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


# Module-scoped fixtures for the modules that use these databases (registered by the project conftest).


@pytest.fixture(scope="module")
def scratch(django_db_setup, django_db_blocker, tmp_path_factory):
    databases = ScratchDatabases(tmp_path_factory.mktemp("databases"), blocker=django_db_blocker)
    yield databases
    databases.drop_all()


@pytest.fixture(scope="module")
def migrated(scratch):
    """The test database's schema, copied once for the module."""
    return scratch.migrated()

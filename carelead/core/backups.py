"""Consistent backups of the default database, and restoring them (``carelead backup`` and ``carelead restore``).

SQLite is copied through its online backup API, which gives a consistent copy while the service runs. PostgreSQL
is dumped by ``pg_dump --format=custom`` from an exported snapshot, and the manifest's row counts are read inside
that same snapshot, so they describe exactly what the dump holds. The manifest, a JSON file beside each backup,
records the database vendor, when the backup was taken, its SHA-256, the latest migration applied per app and the
rows in every table; a restore checks the file against it first and the restored database against it after.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections, transaction
from django.utils import timezone

MANIFEST_FORMAT = 1
EXTENSIONS = {"sqlite": "sqlite3", "postgresql": "dump"}
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# The first bytes of each vendor's backup file: a SQLite database and a pg_dump custom-format archive.
MAGIC = {"sqlite": b"SQLite format 3\x00", "postgresql": b"PGDMP"}
# libpq reads these from the environment; pg_dump and pg_restore get them from there, never on the command line.
_PG_ENVIRONMENT = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
}


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message tells the operator why."""


@dataclass(frozen=True)
class Backup:
    path: Path
    manifest_path: Path
    manifest: dict[str, Any]

    @property
    def size(self) -> int:
        return self.manifest["size"]


@dataclass
class Restore:
    path: Path
    database: str
    manifest: dict[str, Any] | None
    counts: dict[str, int] = field(default_factory=dict)
    differences: list[str] = field(default_factory=list)
    unapplied_migrations: int = 0

    @property
    def ok(self) -> bool:
        return not self.differences


def database_vendor(*, alias: str = "default") -> str:
    """ "sqlite" or "postgresql"; any other engine cannot be backed up by CareLead."""
    vendor = connections[alias].vendor
    if vendor not in EXTENSIONS:
        raise BackupError(f"the {vendor} database engine is not supported: back it up with its own tools")
    return vendor


def database_describe(*, alias: str = "default") -> str:
    """The configured database, named for messages (never with its password)."""
    params = connections[alias].settings_dict
    if connections[alias].vendor == "sqlite":
        return f"SQLite database {params['NAME']}"
    host = params.get("HOST") or "the local server"
    port = f":{params['PORT']}" if params.get("PORT") else ""
    return f"PostgreSQL database {params['NAME']} on {host}{port}"


def backup_default_path(*, vendor: str, now: datetime | None = None) -> Path:
    """<data dir>/backups/carelead-<vendor>-<UTC time>.<sqlite3|dump>."""
    stamp = (now or timezone.now()).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return Path(settings.DATA_DIR) / "backups" / f"carelead-{vendor}-{stamp}.{EXTENSIONS[vendor]}"


def manifest_path_for(path: Path) -> Path:
    """The manifest beside a backup file."""
    return path.with_name(path.name + ".manifest.json")


def backup_vendor_of(path: Path) -> str | None:
    """Which database a backup file is from, read from its first bytes."""
    with open(path, "rb") as handle:
        head = handle.read(16)
    return next((vendor for vendor, magic in MAGIC.items() if head.startswith(magic)), None)


def backup_create(*, output: Path | None = None, alias: str = "default") -> Backup:
    """Write a consistent backup of the database and its manifest; returns where they are."""
    vendor = database_vendor(alias=alias)
    path = Path(output) if output else backup_default_path(vendor=vendor)
    if path.exists():
        raise BackupError(f"{path} already exists: choose another --output or move the old file")
    if not path.parent.exists():
        # Backups hold personal data: the folder is readable by its owner only.
        path.parent.mkdir(mode=0o700, parents=True)
    partial, manifest_path = path.with_name(path.name + ".partial"), manifest_path_for(path)
    partial.unlink(missing_ok=True)
    # Created owner-only before anything is written into it.
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    try:
        if vendor == "sqlite":
            contents = _sqlite_backup(source=_sqlite_path(alias), target=partial)
        else:
            contents = _postgresql_backup(alias=alias, target=partial)
        manifest = {
            "format": MANIFEST_FORMAT,
            "vendor": vendor,
            "created_at": timezone.now().isoformat(),
            "file": path.name,
            "size": partial.stat().st_size,
            "sha256": _sha256(partial),
            **contents,
        }
        # The manifest first: a backup file under its final name always has one beside it.
        fd = os.open(manifest_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        manifest_path.unlink(missing_ok=True)
        raise
    return Backup(path=path, manifest_path=manifest_path, manifest=manifest)


def restore_check(*, path: Path, alias: str = "default") -> dict[str, Any] | None:
    """Check a backup file before anything is changed: it exists, is from this vendor and matches its manifest."""
    vendor = database_vendor(alias=alias)
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    found = backup_vendor_of(path)
    if found is None:
        raise BackupError(f"{path} is neither a SQLite backup nor a pg_dump custom-format archive")
    if found != vendor:
        raise BackupError(
            f"{path} is a {VENDOR_NAMES[found]} backup but the configured database is {VENDOR_NAMES[vendor]}: "
            f"restore it into a {VENDOR_NAMES[found]} database (set DATABASE_URL)"
        )
    manifest_path = manifest_path_for(path)
    if not manifest_path.is_file():
        return None
    try:
        manifest = json.loads(manifest_path.read_text())
    except ValueError as exc:
        raise BackupError(f"{manifest_path} is not a readable manifest: {exc}") from None
    if manifest.get("vendor") != vendor:
        raise BackupError(
            f"{manifest_path} describes a {manifest.get('vendor')} backup, not a {VENDOR_NAMES[vendor]} one"
        )
    if manifest.get("sha256") and manifest["sha256"] != _sha256(path):
        raise BackupError(
            f"{path} does not match its manifest (SHA-256 differs): the file is damaged or incomplete; use another copy"
        )
    return manifest


def database_row_counts(*, alias: str = "default") -> dict[str, int]:
    """Rows in every table of the configured database ({} when it does not exist yet)."""
    if connections[alias].vendor == "sqlite":
        name = _sqlite_path(alias)
        if not name.exists():
            return {}
        with closing(_sqlite_connect(name)) as handle:
            return _sqlite_counts(handle)
    connection = connections[alias]
    with connection.cursor() as cursor:
        return _table_counts(cursor, connection.introspection.table_names(cursor), connection.ops.quote_name)


def restore_run(*, path: Path, manifest: dict[str, Any] | None, force: bool = False, alias: str = "default") -> Restore:
    """Replace the configured database with a backup, then compare every table's rows with the manifest."""
    vendor = database_vendor(alias=alias)
    path = Path(path)
    try:
        held = database_row_counts(alias=alias)
    except (DatabaseError, sqlite3.DatabaseError) as exc:
        raise BackupError(f"cannot read the {database_describe(alias=alias)}: {exc}".strip()) from None
    if any(held.values()) and not force:
        raise BackupError(
            f"the {database_describe(alias=alias)} already holds data ({sum(held.values()):,} rows in "
            f"{sum(1 for n in held.values() if n)} tables): restore into an empty database, or pass --force "
            "to replace it"
        )
    connections[alias].close()
    if vendor == "sqlite":
        _sqlite_restore(source=path, target=_sqlite_path(alias))
    else:
        _postgresql_restore(source=path, alias=alias)
    result = Restore(path=path, database=database_describe(alias=alias), manifest=manifest)
    result.counts = database_row_counts(alias=alias)
    if manifest is not None:
        expected = manifest.get("tables", {})
        for table in sorted(set(expected) | set(result.counts)):
            want, got = expected.get(table), result.counts.get(table)
            if want is None:
                result.differences.append(f"{table}: in the database but not in the backup ({got:,} rows)")
            elif got is None:
                result.differences.append(f"{table}: missing (the backup has {want:,} rows)")
            elif want != got:
                result.differences.append(f"{table}: {got:,} rows, the backup has {want:,}")
    result.unapplied_migrations = _unapplied_migrations(alias)
    return result


# SQLite -----------------------------------------------------------------------------------------------------------


def _sqlite_path(alias: str) -> Path:
    name = str(connections[alias].settings_dict["NAME"])
    if name == ":memory:" or name.startswith("file:") or "mode=memory" in name:
        raise BackupError("the configured SQLite database is in memory: there is nothing on disk to back up")
    return Path(name)


def _sqlite_connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, timeout=30)


def _sqlite_backup(*, source: Path, target: Path) -> dict[str, Any]:
    if not source.is_file():
        raise BackupError(f"the SQLite database {source} does not exist")
    with closing(_sqlite_connect(source)) as src, closing(_sqlite_connect(target)) as dst:
        # One step: the copy is of a single moment, and in WAL mode writers carry on meanwhile.
        src.backup(dst)
        # A single self-contained file, whatever journal the live database keeps.
        dst.execute("PRAGMA journal_mode=DELETE")
        tables = _sqlite_counts(dst)
        return {"migrations": _migrations(dst.cursor(), tables), "tables": tables}


def _sqlite_restore(*, source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with closing(_sqlite_connect(source)) as src, closing(_sqlite_connect(target)) as dst:
        src.backup(dst)


def _sqlite_counts(handle: sqlite3.Connection) -> dict[str, int]:
    # The tables Django's introspection lists (sqlite_sequence aside; its numbers are not rows of data).
    tables = [
        row[0]
        for row in handle.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'sqlite_sequence' ORDER BY name"
        )
    ]
    return _table_counts(handle.cursor(), tables, lambda name: '"' + name.replace('"', '""') + '"')


# PostgreSQL -------------------------------------------------------------------------------------------------------


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(
            f"{name} was not found on the PATH: install the PostgreSQL client tools (Debian: postgresql-client) "
            "of the same major version as the server, or newer"
        )
    return found


def _pg_connection(alias: str) -> tuple[list[str], dict[str, str]]:
    """Options naming the server and user, and an environment carrying the password and TLS settings."""
    params = connections[alias].settings_dict
    args = ["--no-password"]  # fail with a clear message rather than wait for a password on the terminal
    if params.get("HOST"):
        args += ["--host", str(params["HOST"])]
    if params.get("PORT"):
        args += ["--port", str(params["PORT"])]
    if params.get("USER"):
        args += ["--username", str(params["USER"])]
    env = dict(os.environ)
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = str(params["PASSWORD"])
    for option, variable in _PG_ENVIRONMENT.items():
        value = (params.get("OPTIONS") or {}).get(option)
        if value:
            env[variable] = str(value)
    return args, env


def _pg_run(argv: list[str], env: dict[str, str], what: str) -> None:
    completed = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        detail = (completed.stderr or completed.stdout).strip()
        raise BackupError(f"{what} failed (exit {completed.returncode}): {detail}")


def _postgresql_backup(*, alias: str, target: Path) -> dict[str, Any]:
    pg_dump = _pg_tool("pg_dump")
    args, env = _pg_connection(alias)
    connection = connections[alias]
    connection.ensure_connection()
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        # The snapshot pg_dump reads is the one the counts below are read in.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        tables = _table_counts(cursor, connection.introspection.table_names(cursor), connection.ops.quote_name)
        contents = {"migrations": _migrations(cursor, tables), "tables": tables}
        _pg_run(
            [
                pg_dump,
                *args,
                "--format=custom",
                f"--snapshot={snapshot}",
                "--file",
                str(target),
                "--dbname",
                str(connection.settings_dict["NAME"]),
            ],
            env,
            "pg_dump",
        )
    return contents


def _postgresql_restore(*, source: Path, alias: str) -> None:
    pg_restore = _pg_tool("pg_restore")
    args, env = _pg_connection(alias)
    _pg_run(
        [
            pg_restore,
            *args,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--dbname",
            str(connections[alias].settings_dict["NAME"]),
            str(source),
        ],
        env,
        "pg_restore",
    )


# Shared -----------------------------------------------------------------------------------------------------------


def _table_counts(cursor, tables: list[str], quote) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - names come from the catalogue
        counts[table] = cursor.fetchone()[0]
    return counts


def _migrations(cursor, tables: dict[str, int]) -> dict[str, str]:
    """The latest migration applied per app, as the django_migrations table records them."""
    if "django_migrations" not in tables:
        return {}
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
    return dict(cursor.fetchall())


def _unapplied_migrations(alias: str) -> int:
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[alias])
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()

"""``carelead backup`` and ``carelead restore``: the tiny demo data set is backed up, restored into an empty database
and compared with the original table by table and row by row, schema included; then the refusals an operator
relies on (a database that holds data, a missing, foreign or damaged file, missing PostgreSQL tools).

Every command runs in its own process against scratch databases on the engine of the test run (SQLite files, or
PostgreSQL databases of their own), so the suite's two runs cover both; the test database is only copied.
"""

import hashlib
import json
import re
import shutil

import pytest

from carelead.core.backups import manifest_path_for
from tests.scratch_databases import ScratchDatabase, carelead, carelead_ok

pytestmark = pytest.mark.django_db


def _value(value):
    # bytea arrives as a memoryview, whose repr names an address rather than the bytes.
    return bytes(value) if isinstance(value, memoryview) else value


def table_rows(db: ScratchDatabase) -> dict[str, list[str]]:
    """Every table's rows, each hashed, in primary-key order (all columns for a table without one)."""
    rows = {}
    with db.connect() as conn, conn.cursor() as cursor:
        q = conn.ops.quote_name
        for table in conn.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {q(table)} WHERE 1 = 0")  # noqa: S608
            columns = [column[0] for column in cursor.description]
            order = conn.introspection.get_primary_key_columns(cursor, table) or columns
            cursor.execute(
                f"SELECT {', '.join(map(q, columns))} FROM {q(table)} "  # noqa: S608
                f"ORDER BY {', '.join(map(q, order))}"
            )
            rows[table] = [
                hashlib.sha256(repr(tuple(_value(v) for v in row)).encode()).hexdigest() for row in cursor.fetchall()
            ]
    return rows


SCHEMA_QUERIES = {
    "sqlite": [
        "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name",
        "SELECT name, seq FROM sqlite_sequence ORDER BY name",
    ],
    "postgresql": [
        "SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns "
        "WHERE table_schema = 'public' ORDER BY 1, 2",
        "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1, 2",
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2",
        # The audit log's append-only triggers, and the functions they call.
        "SELECT event_object_table, trigger_name, action_timing, event_manipulation, action_statement "
        "FROM information_schema.triggers ORDER BY 1, 2, 4",
        "SELECT proname, prosrc FROM pg_proc WHERE pronamespace = 'public'::regnamespace ORDER BY 1",
        # Sequences carry on where they were, so new rows do not collide with restored ones.
        "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1",
    ],
}


# PostgreSQL prints an index predicate or check read back from a dump from its parsed form: the same condition,
# with its casts and brackets placed differently. Compared without them.
_CASTS = re.compile(r"::[a-z_ ]+(\[\])?|[()\s]")


def _comparable(value):
    return _CASTS.sub("", value) if isinstance(value, str) else value


def schema(db: ScratchDatabase) -> list[list[tuple]]:
    with db.connect() as conn, conn.cursor() as cursor:
        result = []
        for query in SCHEMA_QUERIES[db.vendor]:
            cursor.execute(query)
            rows = cursor.fetchall()
            if db.vendor == "postgresql":
                rows = [tuple(map(_comparable, row)) for row in rows]
            result.append([tuple(row) for row in rows])
        return result


def test_a_backup_restored_into_an_empty_database_matches_every_table_row_by_row(scratch, migrated, tmp_path):
    source = scratch.copy(migrated)
    source_env = source.env(tmp_path / "source-data")
    carelead_ok("demo", "--size", "tiny", "--no-progress", env=source_env)
    extension = "sqlite3" if source.vendor == "sqlite" else "dump"
    backup = tmp_path / "backups" / f"carelead.{extension}"

    printed = carelead_ok("backup", "--output", str(backup), env=source_env)

    assert str(backup) in printed
    assert oct(backup.stat().st_mode & 0o777) == "0o600", "a backup holds personal data: owner-only"
    original = table_rows(source)
    manifest = json.loads(manifest_path_for(backup).read_text())
    assert manifest["vendor"] == source.vendor
    assert manifest["sha256"] == hashlib.sha256(backup.read_bytes()).hexdigest()
    assert manifest["tables"] == {table: len(rows) for table, rows in original.items()}
    with source.connect() as conn, conn.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
        assert manifest["migrations"] == dict(cursor.fetchall())
    # The data set is varied enough for the comparison to mean something.
    assert len(original["people_person"]) > 500
    assert sum(1 for rows in original.values() if rows) >= 40

    target = scratch.empty()
    printed = carelead_ok("restore", str(backup), "--yes", env=target.env(tmp_path / "target-data"))

    assert "match the manifest" in printed
    for query, before, after in zip(SCHEMA_QUERIES[source.vendor], schema(source), schema(target), strict=True):
        assert after == before, f"{query}: {sorted(set(before) ^ set(after))[:5]}"
    restored = table_rows(target)
    assert sorted(restored) == sorted(original)
    differing = {
        table: f"{len(restored[table])} rows restored, {len(rows)} backed up"
        for table, rows in original.items()
        if restored[table] != rows
    }
    assert not differing, differing

    # Restoring over a database that now holds data needs --force, and gives the same result.
    refused = carelead("restore", str(backup), "--yes", env=target.env(tmp_path / "target-data"))
    assert refused.returncode == 2
    assert "already holds data" in refused.stderr and "--force" in refused.stderr
    carelead_ok("restore", str(backup), "--yes", "--force", env=target.env(tmp_path / "target-data"))
    assert table_rows(target) == original


def test_restore_refuses_missing_foreign_and_damaged_files_before_touching_the_database(scratch, migrated, tmp_path):
    source = migrated
    env = source.env(tmp_path / "data")
    carelead_ok("backup", env=env)
    (backup,) = [p for p in (tmp_path / "data" / "backups").iterdir() if not p.name.endswith(".json")]
    assert backup.name.startswith(f"carelead-{source.vendor}-")
    target = scratch.empty()
    target_env = target.env(tmp_path / "target-data")

    missing = carelead("restore", str(tmp_path / "nowhere.dump"), "--yes", env=target_env)
    assert missing.returncode == 2
    assert "no such file" in missing.stderr

    foreign = tmp_path / "foreign.backup"
    if source.vendor == "sqlite":
        foreign.write_bytes(b"PGDMP\x01\x0e\x00" + bytes(100))
        expected = "is a PostgreSQL backup but the configured database is SQLite"
    else:
        foreign.write_bytes(b"SQLite format 3\x00" + bytes(100))
        expected = "is a SQLite backup but the configured database is PostgreSQL"
    wrong = carelead("restore", str(foreign), "--yes", env=target_env)
    assert wrong.returncode == 2
    assert expected in wrong.stderr

    damaged = tmp_path / backup.name
    data = bytearray(backup.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))
    shutil.copy(manifest_path_for(backup), manifest_path_for(damaged))
    broken = carelead("restore", str(damaged), "--yes", env=target_env)
    assert broken.returncode == 2
    assert "damaged or incomplete" in broken.stderr

    unconfirmed = carelead("restore", str(backup), env=target_env)
    assert unconfirmed.returncode == 2
    assert "--yes" in unconfirmed.stderr

    # Nothing above reached the target.
    with target.connect() as conn:
        assert conn.introspection.table_names() == []


def test_postgresql_backup_without_the_client_tools_says_what_to_install(scratch, migrated, tmp_path):
    if scratch.vendor != "postgresql":
        pytest.skip("pg_dump is used only for PostgreSQL; this run is on SQLite")
    source = migrated
    env = {**source.env(tmp_path / "data"), "PATH": str(tmp_path / "no-tools")}

    done = carelead("backup", env=env)

    assert done.returncode == 2
    assert "pg_dump was not found" in done.stderr and "postgresql-client" in done.stderr
    assert not (tmp_path / "data" / "backups").exists() or not any((tmp_path / "data" / "backups").iterdir())

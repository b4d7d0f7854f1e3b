"""Writes generated rows straight into the real tables: executemany on SQLite, COPY FROM STDIN on PostgreSQL.

The ORM is bypassed for speed, so this module does the ORM's bookkeeping itself: primary keys come from a
counter that starts after the table's current maximum, columns are the model fields' own column names, and
fields the generator does not set (timestamps, defaults) are filled the way Django would fill them.
"""

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.color import no_style
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

AUTO_FIELD_TYPES = frozenset({"AutoField", "BigAutoField", "SmallAutoField"})


class Table:
    """Buffered rows for one model; the values follow ``fields`` and the table's constants are appended."""

    def __init__(
        self, *, model: type[models.Model], fields: Sequence[str], connection: BaseDatabaseWrapper, now: Any
    ) -> None:
        meta = model._meta
        self.model = model
        self.db_table = meta.db_table
        given = [meta.get_field(name) for name in fields]
        pk = meta.pk
        # An auto-increment key the caller did not name is numbered here as rows arrive.
        self.auto_pk = pk.get_internal_type() in AUTO_FIELD_TYPES and pk not in given
        columns = ([pk.column] if self.auto_pk else []) + [f.column for f in given]
        tail_columns, tail = [], []
        for field in meta.concrete_fields:
            if field in given or field is pk:
                continue
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = now
            elif field.has_default():
                value = field.get_db_prep_save(field.get_default(), connection)
            elif field.null:
                continue
            else:
                raise ImproperlyConfigured(
                    f"The demo loader does not set {meta.label}.{field.name}, which has no default: "
                    "add it to the loader's field list."
                )
            tail_columns.append(field.column)
            tail.append(value)
        self.columns = columns + tail_columns
        self.tail = tuple(tail)
        self.next_id = 1
        self.rows: list[tuple] = []
        self.count = 0

    def allocate(self, n: int = 1) -> int:
        """Reserve n consecutive primary keys and return the first."""
        first = self.next_id
        self.next_id += n
        return first

    def add(self, row: tuple) -> None:
        """Buffer one row (without the table's constants)."""
        if self.auto_pk:
            self.rows.append((self.next_id, *row, *self.tail))
            self.next_id += 1
        else:
            self.rows.append(row + self.tail)


class Sink:
    """All tables of one load, flushed in the order they were registered (parents before children)."""

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection
        self.now = connection.ops.adapt_datetimefield_value(timezone.now())
        self.tables: list[Table] = []
        # Secondary indexes set aside while their (empty) tables fill, rebuilt by finish(): one sorted build
        # is several times faster than maintaining each index row by row.
        self.suspended_indexes: list[str] = []
        connection.ensure_connection()
        self.vendor = connection.vendor
        # The driver's own cursor: Django's wrapper would record every query when DEBUG is on.
        self.raw = connection.connection.cursor()

    def table(self, model: type[models.Model], fields: Sequence[str]) -> Table:
        """Register a model's table; its key counter starts after the largest key already stored."""
        table = Table(model=model, fields=fields, connection=self.connection, now=self.now)
        qn = self.connection.ops.quote_name
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT MAX({qn(model._meta.pk.column)}) FROM {qn(table.db_table)}")  # noqa: S608
            (current,) = cursor.fetchone()
        table.next_id = current + 1 if isinstance(current, int) else 1
        if current is None:
            self._suspend_indexes(table.db_table)
        self.tables.append(table)
        return table

    def _suspend_indexes(self, db_table: str) -> None:
        """Drop the table's non-unique indexes (inside the load's transaction) and remember how to rebuild them."""
        qn = self.connection.ops.quote_name
        with self.connection.cursor() as cursor:
            if self.vendor == "sqlite":
                cursor.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
                    [db_table],
                )
                found = [(name, sql) for name, sql in cursor.fetchall() if "UNIQUE" not in sql.upper().split("(")[0]]
            elif self.vendor == "postgresql":
                # Unique and constraint-backed indexes stay: they enforce rules and back foreign keys.
                cursor.execute(
                    "SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x "
                    "JOIN pg_class i ON i.oid = x.indexrelid "
                    "WHERE x.indrelid = to_regclass(%s) AND NOT x.indisunique AND NOT x.indisprimary "
                    "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
                    [qn(db_table)],
                )
                found = cursor.fetchall()
            else:
                found = []
            for name, sql in found:
                cursor.execute(f"DROP INDEX {qn(name)}")
                self.suspended_indexes.append(sql)

    @property
    def pending(self) -> int:
        """Rows buffered and not yet written."""
        return sum(len(t.rows) for t in self.tables)

    def flush(self) -> None:
        """Write every buffered row, parents first."""
        for table in self.tables:
            if table.rows:
                self._write(table)
                table.count += len(table.rows)
                table.rows = []

    def _write(self, table: Table) -> None:
        qn = self.connection.ops.quote_name
        columns = ", ".join(qn(c) for c in table.columns)
        if self.vendor == "postgresql":
            with self.raw.copy(f"COPY {qn(table.db_table)} ({columns}) FROM STDIN") as copy:
                for row in table.rows:
                    copy.write_row(row)
        elif self.vendor == "sqlite":
            marks = ", ".join("?" * len(table.columns))
            sql = f"INSERT INTO {qn(table.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
            self.raw.executemany(sql, table.rows)
        else:
            marks = ", ".join(["%s"] * len(table.columns))
            sql = f"INSERT INTO {qn(table.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
            with self.connection.cursor() as cursor:
                cursor.executemany(sql, table.rows)

    def finish(self) -> None:
        """Rebuild the indexes set aside and move the database's key sequences past the keys assigned here."""
        statements = self.suspended_indexes + self.connection.ops.sequence_reset_sql(
            no_style(), [t.model for t in self.tables]
        )
        with self.connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
        self.suspended_indexes = []

    def analyze(self) -> None:
        """Refresh the query planner's statistics for the tables just filled."""
        qn = self.connection.ops.quote_name
        with self.connection.cursor() as cursor:
            for table in self.tables:
                if self.vendor in ("postgresql", "sqlite"):
                    cursor.execute(f"ANALYZE {qn(table.db_table)}")

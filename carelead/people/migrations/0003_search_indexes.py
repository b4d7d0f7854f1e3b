"""Indexes for staff search on PostgreSQL.

Search matches names by case-insensitive prefix and staff IDs and emails case-insensitively, which Django writes
as ``UPPER(column::text) LIKE UPPER('smith%')`` and ``UPPER(column::text) = UPPER(...)``. A plain index on the
column cannot answer those, so a search for a common surname across 1.5 million staff read the whole table. These
expression indexes match the SQL exactly (``text_pattern_ops`` lets a prefix LIKE use the index whatever the
database's collation). SQLite has no expression operator classes and serves the small embedded sites, so it is
left alone.
"""

from django.db import migrations

INDEXES = [
    ("people_person_last_name_upper", "UPPER(last_name::text) text_pattern_ops"),
    ("people_person_first_name_upper", "UPPER(first_name::text) text_pattern_ops"),
    ("people_person_staff_id_upper", "UPPER(staff_id::text)"),
    ("people_person_email_upper", "UPPER(email::text)"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, expression in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON people_person ({expression})")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _ in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("people", "0002_monitoring_date_of_birth")]

    operations = [migrations.RunPython(create, drop, elidable=False)]

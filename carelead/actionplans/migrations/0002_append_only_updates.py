"""Make the progress log append-only in the database itself, as the audit log is."""

from django.db import migrations

PG_FORWARD = """
CREATE OR REPLACE FUNCTION actionplans_actionupdate_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'progress updates cannot be changed or deleted';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER actionplans_actionupdate_no_update BEFORE UPDATE ON actionplans_actionupdate
    FOR EACH ROW EXECUTE FUNCTION actionplans_actionupdate_append_only();
CREATE TRIGGER actionplans_actionupdate_no_delete BEFORE DELETE ON actionplans_actionupdate
    FOR EACH ROW EXECUTE FUNCTION actionplans_actionupdate_append_only();
"""
PG_REVERSE = """
DROP TRIGGER IF EXISTS actionplans_actionupdate_no_update ON actionplans_actionupdate;
DROP TRIGGER IF EXISTS actionplans_actionupdate_no_delete ON actionplans_actionupdate;
DROP FUNCTION IF EXISTS actionplans_actionupdate_append_only();
"""
# SQLite: updates are refused; deletes stay possible for the test harness's table flush (the application
# still refuses them, see ActionUpdate.delete and ActionUpdateQuerySet.delete).
SQLITE_FORWARD = """
CREATE TRIGGER IF NOT EXISTS actionplans_actionupdate_no_update BEFORE UPDATE ON actionplans_actionupdate
BEGIN SELECT RAISE(ABORT, 'progress updates cannot be changed'); END;
"""
SQLITE_REVERSE = "DROP TRIGGER IF EXISTS actionplans_actionupdate_no_update;"


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARD)


def reverse(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_REVERSE)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_REVERSE)


class Migration(migrations.Migration):
    dependencies = [("actionplans", "0001_initial")]
    operations = [migrations.RunPython(forward, reverse)]

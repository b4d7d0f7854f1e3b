"""Make signed-off and closed board appraisals unchangeable in the database itself, parts included.

The services already refuse such changes; the triggers stop anything that goes round them (a raw query, a bulk
update, a data fix). SQLite refuses updates and inserts only: deletes stay possible there for the test harness's
table flush, as with the other append-only tables.
"""

from django.db import migrations

PG_FORWARD = """
CREATE OR REPLACE FUNCTION boardappraisals_frozen() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'a signed-off or closed board appraisal cannot be changed';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER boardappraisals_boardappraisal_frozen BEFORE UPDATE OR DELETE ON boardappraisals_boardappraisal
    FOR EACH ROW WHEN (OLD.state IN ('signed_off', 'closed')) EXECUTE FUNCTION boardappraisals_frozen();

CREATE OR REPLACE FUNCTION boardappraisals_part_frozen() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND EXISTS (
        SELECT 1 FROM boardappraisals_boardappraisal
        WHERE id = OLD.appraisal_id AND state IN ('signed_off', 'closed')
    ) THEN
        RAISE EXCEPTION 'a signed-off or closed board appraisal cannot be changed';
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND EXISTS (
        SELECT 1 FROM boardappraisals_boardappraisal
        WHERE id = NEW.appraisal_id AND state IN ('signed_off', 'closed')
    ) THEN
        RAISE EXCEPTION 'a signed-off or closed board appraisal cannot be changed';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER boardappraisals_domainrating_frozen BEFORE INSERT OR UPDATE OR DELETE ON boardappraisals_domainrating
    FOR EACH ROW EXECUTE FUNCTION boardappraisals_part_frozen();
CREATE TRIGGER boardappraisals_boardobjective_frozen BEFORE INSERT OR UPDATE OR DELETE
    ON boardappraisals_boardobjective FOR EACH ROW EXECUTE FUNCTION boardappraisals_part_frozen();
"""
PG_REVERSE = """
DROP TRIGGER IF EXISTS boardappraisals_boardappraisal_frozen ON boardappraisals_boardappraisal;
DROP TRIGGER IF EXISTS boardappraisals_domainrating_frozen ON boardappraisals_domainrating;
DROP TRIGGER IF EXISTS boardappraisals_boardobjective_frozen ON boardappraisals_boardobjective;
DROP FUNCTION IF EXISTS boardappraisals_part_frozen();
DROP FUNCTION IF EXISTS boardappraisals_frozen();
"""
SQLITE_FORWARD = [
    """
CREATE TRIGGER IF NOT EXISTS boardappraisals_boardappraisal_frozen BEFORE UPDATE ON boardappraisals_boardappraisal
WHEN OLD.state IN ('signed_off', 'closed')
BEGIN SELECT RAISE(ABORT, 'a signed-off or closed board appraisal cannot be changed'); END;
""",
    """
CREATE TRIGGER IF NOT EXISTS boardappraisals_domainrating_frozen_insert BEFORE INSERT ON boardappraisals_domainrating
WHEN (SELECT state FROM boardappraisals_boardappraisal WHERE id = NEW.appraisal_id) IN ('signed_off', 'closed')
BEGIN SELECT RAISE(ABORT, 'a signed-off or closed board appraisal cannot be changed'); END;
""",
    """
CREATE TRIGGER IF NOT EXISTS boardappraisals_domainrating_frozen_update BEFORE UPDATE ON boardappraisals_domainrating
WHEN (SELECT state FROM boardappraisals_boardappraisal WHERE id = OLD.appraisal_id) IN ('signed_off', 'closed')
  OR (SELECT state FROM boardappraisals_boardappraisal WHERE id = NEW.appraisal_id) IN ('signed_off', 'closed')
BEGIN SELECT RAISE(ABORT, 'a signed-off or closed board appraisal cannot be changed'); END;
""",
    """
CREATE TRIGGER IF NOT EXISTS boardappraisals_boardobjective_frozen_insert BEFORE INSERT ON boardappraisals_boardobjective
WHEN (SELECT state FROM boardappraisals_boardappraisal WHERE id = NEW.appraisal_id) IN ('signed_off', 'closed')
BEGIN SELECT RAISE(ABORT, 'a signed-off or closed board appraisal cannot be changed'); END;
""",
    """
CREATE TRIGGER IF NOT EXISTS boardappraisals_boardobjective_frozen_update BEFORE UPDATE ON boardappraisals_boardobjective
WHEN (SELECT state FROM boardappraisals_boardappraisal WHERE id = OLD.appraisal_id) IN ('signed_off', 'closed')
  OR (SELECT state FROM boardappraisals_boardappraisal WHERE id = NEW.appraisal_id) IN ('signed_off', 'closed')
BEGIN SELECT RAISE(ABORT, 'a signed-off or closed board appraisal cannot be changed'); END;
""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS boardappraisals_boardappraisal_frozen;",
    "DROP TRIGGER IF EXISTS boardappraisals_domainrating_frozen_insert;",
    "DROP TRIGGER IF EXISTS boardappraisals_domainrating_frozen_update;",
    "DROP TRIGGER IF EXISTS boardappraisals_boardobjective_frozen_insert;",
    "DROP TRIGGER IF EXISTS boardappraisals_boardobjective_frozen_update;",
]


def _run(statements: dict[str, str | list[str]]):
    def apply(apps, schema_editor):
        sql = statements.get(schema_editor.connection.vendor) or []
        for statement in [sql] if isinstance(sql, str) else sql:
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("boardappraisals", "0001_initial")]
    operations = [
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": PG_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]

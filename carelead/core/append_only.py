"""Database triggers that make a table append-only, for migrations (the audit log pattern, shared).

PostgreSQL refuses UPDATE and DELETE; SQLite refuses UPDATE (deletes stay possible there for the test harness's
table flush; the application refuses them through the model's manager).
"""

from django.db import migrations


def append_only(table: str, message: str) -> migrations.RunPython:
    function = f"{table}_append_only"
    pg_forward = f"""
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{message}';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} FOR EACH ROW EXECUTE FUNCTION {function}();
CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION {function}();
"""
    pg_reverse = f"""
DROP TRIGGER IF EXISTS {table}_no_update ON {table};
DROP TRIGGER IF EXISTS {table}_no_delete ON {table};
DROP FUNCTION IF EXISTS {function}();
"""
    sqlite_forward = f"""
CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table}
BEGIN SELECT RAISE(ABORT, '{message}'); END;
"""
    sqlite_reverse = f"DROP TRIGGER IF EXISTS {table}_no_update;"

    def run(sql: dict[str, str]):
        def apply(apps, schema_editor):
            statement = sql.get(schema_editor.connection.vendor)
            if statement:
                schema_editor.execute(statement)

        return apply

    return migrations.RunPython(
        run({"postgresql": pg_forward, "sqlite": sqlite_forward}),
        run({"postgresql": pg_reverse, "sqlite": sqlite_reverse}),
    )

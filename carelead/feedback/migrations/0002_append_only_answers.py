"""Make feedback answers append-only in the database itself: once given, an answer is never changed or removed."""

from django.db import migrations

PG_FORWARD = """
CREATE OR REPLACE FUNCTION feedback_feedbackanswer_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'feedback answers cannot be changed or deleted';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER feedback_feedbackanswer_no_update BEFORE UPDATE ON feedback_feedbackanswer
    FOR EACH ROW EXECUTE FUNCTION feedback_feedbackanswer_append_only();
CREATE TRIGGER feedback_feedbackanswer_no_delete BEFORE DELETE ON feedback_feedbackanswer
    FOR EACH ROW EXECUTE FUNCTION feedback_feedbackanswer_append_only();
"""
PG_REVERSE = """
DROP TRIGGER IF EXISTS feedback_feedbackanswer_no_update ON feedback_feedbackanswer;
DROP TRIGGER IF EXISTS feedback_feedbackanswer_no_delete ON feedback_feedbackanswer;
DROP FUNCTION IF EXISTS feedback_feedbackanswer_append_only();
"""
# SQLite: updates are refused; deletes stay possible for the test harness's table flush (the application
# still refuses them, see FeedbackAnswer.delete and FeedbackAnswerQuerySet.delete).
SQLITE_FORWARD = """
CREATE TRIGGER IF NOT EXISTS feedback_feedbackanswer_no_update BEFORE UPDATE ON feedback_feedbackanswer
BEGIN SELECT RAISE(ABORT, 'feedback answers cannot be changed'); END;
"""
SQLITE_REVERSE = "DROP TRIGGER IF EXISTS feedback_feedbackanswer_no_update;"


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
    dependencies = [("feedback", "0001_initial")]
    operations = [migrations.RunPython(forward, reverse)]

"""The audit log is append-only in PostgreSQL too: a trigger refuses UPDATE and DELETE.

The model and its queryset already refuse both; the trigger also stops raw SQL and other
programs. TRUNCATE (``flush``, transactional tests) still works. SQLite gets no trigger: its
``flush`` deletes row by row and would be blocked. To correct the log deliberately, a migration
drops the trigger first.
"""

from django.db import migrations

POSTGRES = [
    """CREATE OR REPLACE FUNCTION cases_auditentry_append_only() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION 'cases_auditentry is append-only'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER cases_auditentry_append_only BEFORE UPDATE OR DELETE ON cases_auditentry
    FOR EACH ROW EXECUTE FUNCTION cases_auditentry_append_only()""",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS cases_auditentry_append_only ON cases_auditentry",
    "DROP FUNCTION IF EXISTS cases_auditentry_append_only()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES}),
            _run({"postgresql": POSTGRES_DROP}),
        )
    ]

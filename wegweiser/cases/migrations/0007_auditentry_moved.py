"""AuditEntry moved to the audit app (issue 12; its new state is created by audit 0001): the
case management forgets it. The table, its rows and its append-only trigger stay (no SQL runs)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0001_initial'),
        ('cases', '0006_organisation_moved'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name='AuditEntry',
                ),
            ],
            database_operations=[],
        ),
    ]

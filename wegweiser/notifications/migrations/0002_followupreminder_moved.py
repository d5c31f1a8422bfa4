"""The record of check-in reminders moved to the case management (cases 0008); the table and
its rows stay (state only)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0001_initial'),
        ('cases', '0008_followupreminder_moved'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='FollowUpReminder')],
            database_operations=[],
        ),
    ]

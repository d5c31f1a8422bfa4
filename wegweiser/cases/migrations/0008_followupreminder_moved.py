"""The record of check-in reminders sent, moved here from the notifications app (issue 12: the
notifications app sends mails and keeps each user's settings; what a mail announces is the
case management's) without moving data: the table ``notifications_followupreminder`` keeps its
name and rows; only Django's state and the content type move."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from wegweiser.core.migration_operations import content_types_follow


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0007_auditentry_moved'),
        ('notifications', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='FollowUpReminder',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('sent_on', models.DateField(verbose_name='gesendet am')),
                        ('followup', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='cases.followup')),
                        ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'Erinnerung an einen Nachbetreuungstermin',
                        'verbose_name_plural': 'Erinnerungen an Nachbetreuungstermine',
                        'db_table': 'notifications_followupreminder',
                        'constraints': [models.UniqueConstraint(fields=('followup', 'recipient'), name='followup_reminder_once')],
                    },
                ),
            ],
            database_operations=[],
        ),
        content_types_follow('notifications', 'cases', ['followupreminder']),
    ]

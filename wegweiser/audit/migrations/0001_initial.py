"""The audit log, moved here from the case management (issue 12) without moving data.

The table ``cases_auditentry`` was created by the cases app's migration 0001 and keeps its name
(``db_table``), its index and its rows; the PostgreSQL trigger that refuses UPDATE and DELETE on
it (cases 0002, function ``cases_auditentry_append_only``) stays on the table and keeps working.
This migration only tells Django that the model now lives here (no SQL runs on the table), and
relabels its content type."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from wegweiser.core.migration_operations import content_types_follow


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('cases', '0006_organisation_moved'),
        ('organisations', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='AuditEntry',
                    fields=[
                        ('id', models.BigAutoField(primary_key=True, serialize=False)),
                        ('at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='Zeitpunkt')),
                        ('action', models.CharField(choices=[('view', 'angesehen'), ('create', 'angelegt'), ('update', 'geändert'), ('transition', 'Statuswechsel'), ('enrol', 'aufgenommen'), ('override', 'Ausnahme von der Förderprüfung'), ('export', 'exportiert'), ('erase', 'gelöscht'), ('anonymise', 'anonymisiert'), ('consent_given', 'Einwilligung erfasst'), ('consent_withdrawn', 'Einwilligung widerrufen'), ('referral_sent', 'Überweisung gesendet'), ('referral_viewed', 'Überweisung angesehen (Empfängerin)'), ('referral_answered', 'Überweisung beantwortet'), ('referral_withdrawn', 'Überweisung zurückgezogen'), ('referral_expired', 'Überweisung abgelaufen'), ('referral_completed', 'Überweisung abgeschlossen'), ('referral_link', 'Antwort-Link erstellt'), ('organisation_created', 'Organisation angelegt'), ('member_invited', 'Person eingeladen'), ('invitation_resent', 'Einladung erneut gesendet'), ('invitation_accepted', 'Einladung angenommen'), ('roles_changed', 'Rollen geändert'), ('user_deactivated', 'Konto deaktiviert'), ('user_reactivated', 'Konto reaktiviert')], max_length=24, verbose_name='Aktion')),
                        ('object_type', models.CharField(max_length=40, verbose_name='Objektart')),
                        ('object_id', models.CharField(max_length=64, verbose_name='Objekt')),
                        ('participant_id', models.UUIDField(blank=True, db_index=True, null=True, verbose_name='Person')),
                        ('detail', models.JSONField(blank=True, default=dict, verbose_name='Einzelheiten')),
                        ('actor', models.ForeignKey(blank=True, help_text='Leer: Antwort über einen Link oder das System', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('organisation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisations.organisation')),
                    ],
                    options={
                        'verbose_name': 'Protokolleintrag',
                        'verbose_name_plural': 'Protokoll',
                        'db_table': 'cases_auditentry',
                        'ordering': ['-at', '-id'],
                        'indexes': [models.Index(fields=['organisation', '-at'], name='cases_audit_organis_8a34ed_idx')],
                    },
                ),
            ],
            database_operations=[],
        ),
        content_types_follow('cases', 'audit', ['auditentry']),
    ]

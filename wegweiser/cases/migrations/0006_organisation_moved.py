"""Organisation moved from the directory to the organisations app, Project to the programmes
app (issue 12): the foreign keys now name the new models. Only Django's idea of the models
changes; the tables, their columns and constraints stay as they are (no SQL runs)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0005_referral_receiver_case'),
        ('organisations', '0001_initial'),
        ('programmes', '0002_project'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='auditentry',
                    name='organisation',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisations.organisation'),
                ),
                migrations.AlterField(
                    model_name='case',
                    name='organisation',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='cases', to='organisations.organisation'),
                ),
                migrations.AlterField(
                    model_name='case',
                    name='project',
                    field=models.ForeignKey(blank=True, help_text='Das geförderte Projekt der Teilnahme; leer bis zur Aufnahme', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='cases', to='programmes.project', verbose_name='Projekt'),
                ),
                migrations.AlterField(
                    model_name='consent',
                    name='recipient',
                    field=models.ForeignKey(blank=True, help_text='Nur bei Weitergabe: die benannte Organisation', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisations.organisation', verbose_name='Empfänger'),
                ),
                migrations.AlterField(
                    model_name='household',
                    name='organisation',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='households', to='organisations.organisation'),
                ),
                migrations.AlterField(
                    model_name='participant',
                    name='organisation',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='participants', to='organisations.organisation', verbose_name='Organisation'),
                ),
                migrations.AlterField(
                    model_name='projectrecordkeeping',
                    name='project',
                    field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='record_keeping', serialize=False, to='programmes.project'),
                ),
                migrations.AlterField(
                    model_name='referral',
                    name='receiving_organisation',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='referrals_received', to='organisations.organisation'),
                ),
                migrations.AlterField(
                    model_name='referral',
                    name='sending_organisation',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='referrals_sent', to='organisations.organisation'),
                ),
            ],
            database_operations=[],
        ),
    ]

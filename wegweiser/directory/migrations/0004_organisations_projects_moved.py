"""Organisation and Region moved to the organisations app, Project and ProjectPartner to the
programmes app (issue 12; their new state is created by organisations 0001 and programmes 0002).
Here the directory forgets them and its foreign keys name the new models. Only Django's idea of
the models changes: the tables keep their names and their rows, no SQL runs.

It runs after every other app has pointed its foreign keys at the new models, so that no state
ever refers to a model that is gone."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('public', '0003_organisation_moved'),
        ('cases', '0006_organisation_moved'),
        ('accounts', '0004_organisation_moved'),
        ('directory', '0003_search_table'),
        ('organisations', '0001_initial'),
        ('programmes', '0002_project'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='offer',
                    name='organisation',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='offers', to='organisations.organisation', verbose_name='Anbieter'),
                ),
                migrations.RemoveField(
                    model_name='projectpartner',
                    name='organisation',
                ),
                migrations.RemoveField(
                    model_name='project',
                    name='partners',
                ),
                migrations.AlterField(
                    model_name='location',
                    name='organisation',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='locations', to='organisations.organisation'),
                ),
                migrations.RemoveField(
                    model_name='project',
                    name='carrier',
                ),
                migrations.RemoveField(
                    model_name='project',
                    name='funding_round',
                ),
                migrations.RemoveField(
                    model_name='project',
                    name='regions',
                ),
                migrations.AlterField(
                    model_name='offer',
                    name='project',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='offers', to='programmes.project', verbose_name='Projekt'),
                ),
                migrations.RemoveField(
                    model_name='projectpartner',
                    name='project',
                ),
                migrations.RemoveField(
                    model_name='region',
                    name='parent',
                ),
                migrations.AlterField(
                    model_name='offer',
                    name='region',
                    field=models.ForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='organisations.region'),
                ),
                migrations.AlterField(
                    model_name='location',
                    name='city_region',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='city_locations', to='organisations.region', verbose_name='Sonderstatusstadt'),
                ),
                migrations.AlterField(
                    model_name='offer',
                    name='city_region',
                    field=models.ForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='organisations.region'),
                ),
                migrations.AlterField(
                    model_name='location',
                    name='region',
                    field=models.ForeignKey(help_text='Aus den Koordinaten bestimmt', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='locations', to='organisations.region', verbose_name='Kreis'),
                ),
                migrations.DeleteModel(
                    name='Organisation',
                ),
                migrations.DeleteModel(
                    name='Project',
                ),
                migrations.DeleteModel(
                    name='ProjectPartner',
                ),
                migrations.DeleteModel(
                    name='Region',
                ),
            ],
            database_operations=[],
        ),
    ]

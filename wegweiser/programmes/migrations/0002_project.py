"""Project and ProjectPartner (funded projects and their Verbund partners), moved here from the
directory (issue 12) without moving data.

The tables (``directory_project``, ``directory_projectpartner``, ``directory_project_regions``)
were created by the directory's migrations and keep their names: this migration only tells
Django that the models now live here (no SQL runs on the tables), and relabels their content
types."""

import django.db.models.deletion
import uuid
from django.db import migrations, models

from wegweiser.core.migration_operations import content_types_follow


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('directory', '0003_search_table'),
        ('organisations', '0001_initial'),
        ('programmes', '0001_catalogue'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Project',
                    fields=[
                        ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        ('name', models.CharField(max_length=250, verbose_name='Name')),
                        ('description', models.JSONField(blank=True, default=dict, verbose_name='Beschreibung')),
                        ('start', models.DateField(verbose_name='Beginn')),
                        ('end', models.DateField(blank=True, null=True, verbose_name='Ende')),
                        ('budget_eur', models.DecimalField(blank=True, decimal_places=2, max_digits=12, null=True, verbose_name='Fördersumme (EUR)')),
                        ('carrier', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='projects', to='organisations.organisation', verbose_name='Träger')),
                        ('funding_round', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='projects', to='programmes.fundinground', verbose_name='Förderrunde')),
                        ('regions', models.ManyToManyField(db_table='directory_project_regions', related_name='projects', to='organisations.region', verbose_name='Einsatzgebiet')),
                    ],
                    options={
                        'verbose_name': 'Gefördertes Projekt',
                        'verbose_name_plural': 'Geförderte Projekte',
                        'db_table': 'directory_project',
                        'ordering': ['name'],
                    },
                ),
                migrations.CreateModel(
                    name='ProjectPartner',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('role', models.CharField(choices=[('lead', 'Verbundkoordination'), ('partner', 'Teilprojekt'), ('jobcenter', 'Jobcenter-Partner'), ('strategic', 'Strategischer Partner')], max_length=20, verbose_name='Rolle')),
                        ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='organisations.organisation')),
                        ('project', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='programmes.project')),
                    ],
                    options={
                        'verbose_name': 'Verbundpartner',
                        'verbose_name_plural': 'Verbundpartner',
                        'db_table': 'directory_projectpartner',
                    },
                ),
                migrations.AddField(
                    model_name='project',
                    name='partners',
                    field=models.ManyToManyField(blank=True, related_name='partner_projects', through='programmes.ProjectPartner', to='organisations.organisation'),
                ),
                migrations.AddConstraint(
                    model_name='projectpartner',
                    constraint=models.UniqueConstraint(fields=('project', 'organisation'), name='unique_project_partner'),
                ),
            ],
            database_operations=[],
        ),
        content_types_follow('directory', 'programmes', ['project', 'projectpartner']),
    ]

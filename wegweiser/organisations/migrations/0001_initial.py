"""Organisation and Region, moved here from the directory (issue 12) without moving data.

The tables were created by the directory's migrations and keep their names (``db_table``):
this migration only tells Django that the models now live here (no SQL runs on the tables), and
relabels their content types. It runs after the directory's 0003, so that on a new database the
tables exist before anything refers to them here."""

import django.db.models.deletion
import uuid
from django.db import migrations, models

from wegweiser.core.migration_operations import content_types_follow


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('directory', '0003_search_table'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Organisation',
                    fields=[
                        ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        ('name', models.CharField(max_length=250, verbose_name='Name')),
                        ('alternate_name', models.CharField(blank=True, max_length=120, verbose_name='Kurzname')),
                        ('kind', models.CharField(choices=[('kommune', 'Kommune / Kreisverwaltung'), ('jobcenter', 'Jobcenter'), ('arbeitsagentur', 'Agentur für Arbeit'), ('wohlfahrtsverband', 'Wohlfahrtsverband'), ('migrantenorganisation', 'Migrantenorganisation'), ('bildungstraeger', 'Bildungsträger'), ('kammer', 'Kammer'), ('unternehmen', 'Unternehmen'), ('verein', 'Verein'), ('beratungsstelle', 'Beratungsstelle'), ('sonstige', 'Sonstige')], max_length=30, verbose_name='Art')),
                        ('description', models.JSONField(blank=True, default=dict, verbose_name='Beschreibung')),
                        ('email', models.EmailField(blank=True, max_length=254, verbose_name='E-Mail')),
                        ('phone', models.CharField(blank=True, max_length=40, verbose_name='Telefon')),
                        ('website', models.URLField(blank=True, verbose_name='Website')),
                        ('is_synthetic', models.BooleanField(default=False, help_text='Erfundener Eintrag der Demo-Daten', verbose_name='Demodaten')),
                        ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='branches', to='organisations.organisation', verbose_name='Hauptorganisation')),
                    ],
                    options={
                        'verbose_name': 'Organisation',
                        'verbose_name_plural': 'Organisationen',
                        'db_table': 'directory_organisation',
                        'ordering': ['name'],
                    },
                ),
                migrations.CreateModel(
                    name='Region',
                    fields=[
                        ('ags', models.CharField(max_length=8, primary_key=True, serialize=False, verbose_name='Amtlicher Schlüssel')),
                        ('name', models.CharField(max_length=120, verbose_name='Name')),
                        ('label', models.CharField(max_length=200, verbose_name='Bezeichnung')),
                        ('kind', models.CharField(choices=[('landkreis', 'Landkreis'), ('kreisfreie_stadt', 'Kreisfreie Stadt'), ('sonderstatusstadt', 'Sonderstatusstadt')], max_length=20, verbose_name='Art')),
                        ('land_ags', models.CharField(db_index=True, max_length=2, verbose_name='Land')),
                        ('land', models.CharField(max_length=60, verbose_name='Landesname')),
                        ('geometry', models.JSONField(blank=True, null=True, verbose_name='Grenze (GeoJSON)')),
                        ('lat', models.FloatField()),
                        ('lon', models.FloatField()),
                        ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='cities', to='organisations.region')),
                    ],
                    options={
                        'verbose_name': 'Region',
                        'verbose_name_plural': 'Regionen',
                        'db_table': 'directory_region',
                        'ordering': ['land_ags', 'label'],
                    },
                ),
            ],
            database_operations=[],
        ),
        content_types_follow('directory', 'organisations', ['organisation', 'region']),
    ]

"""PostgreSQL: a narrow search table kept in step by a trigger (see
``wegweiser.directory.search.create_search_table``). Nothing changes on SQLite."""

import django.contrib.postgres.search
from django.db import migrations, models


def forwards(apps, schema_editor):
    from wegweiser.directory import search

    search.create_search_table(schema_editor)


def backwards(apps, schema_editor):
    from wegweiser.directory import search

    search.drop_search_table(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_search_index")]

    operations = [
        migrations.CreateModel(
            name="OfferSearchRow",
            fields=[
                ("search_key", models.BigIntegerField(primary_key=True, serialize=False)),
                ("status", models.CharField(max_length=10)),
                ("lat", models.FloatField(null=True)),
                ("lon", models.FloatField(null=True)),
                ("facets", models.CharField(max_length=1000)),
                ("region_id", models.CharField(max_length=8, null=True)),
                ("city_region_id", models.CharField(max_length=8, null=True)),
                ("funding_round_id", models.BigIntegerField(null=True)),
                ("sort_name", models.CharField(max_length=250)),
                ("stems", django.contrib.postgres.search.SearchVectorField()),
            ],
            options={"db_table": "directory_offer_search", "managed": False},
        ),
        migrations.RunPython(forwards, backwards),
    ]

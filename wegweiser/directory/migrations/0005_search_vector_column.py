"""PostgreSQL: the search table's vector (stems with their prefixes, and the facets) becomes a
stored generated column with its GIN index, instead of an index on the expression.

With the expression index the planner read the table row by row whenever a filter matched most
offers ("in person", "free"), and then built each row's prefix vector again: 18-24 ms for 155
offers, growing with the directory. A stored column is compared in microseconds, so either plan
is cheap (``search.vector_column``). Nothing changes on SQLite.
"""

import django.contrib.postgres.search
from django.db import migrations


def forwards(apps, schema_editor):
    from wegweiser.directory import search

    search.vector_column(schema_editor)


def backwards(apps, schema_editor):
    from wegweiser.directory import search

    search.vector_expression_index(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("directory", "0004_organisations_projects_moved")]

    operations = [
        migrations.AddField(
            model_name="offersearchrow",
            name="vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False),
        ),
        migrations.RunPython(forwards, backwards),
    ]

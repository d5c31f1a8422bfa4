"""The full-text index of offers: a generated tsvector column with a GIN index on PostgreSQL,
an FTS5 table on SQLite (see wegweiser.directory.search)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from wegweiser.directory import search

    search.create_index(schema_editor)


def backwards(apps, schema_editor):
    from wegweiser.directory import search

    search.drop_index(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]

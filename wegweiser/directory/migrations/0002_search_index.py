"""The full-text index of offers: a GIN expression index on PostgreSQL, an FTS5 table on SQLite
(see wegweiser.directory.search)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from wegweiser.directory import search

    search.create_index(schema_editor, apps.get_model("directory", "Offer"))


def backwards(apps, schema_editor):
    from wegweiser.directory import search

    search.drop_index(schema_editor, apps.get_model("directory", "Offer"))


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]

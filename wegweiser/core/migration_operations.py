"""Operations for migrations that move a model from one app to another without moving its data.

The model's state moves with ``migrations.SeparateDatabaseAndState`` (the table keeps its name
through ``Meta.db_table``); :func:`content_types_follow` moves its row in ``django_content_type``
too, so that the admin's history and the permissions stay attached to it. A new database has no
content types yet while it migrates (they are created afterwards): there is nothing to move then.
"""

from __future__ import annotations

from django.db import migrations


def content_types_follow(old_app: str, new_app: str, models: list[str]) -> migrations.RunPython:
    """A reversible ``RunPython`` that relabels the content types of ``models`` (lower-case model
    names) from ``old_app`` to ``new_app``."""

    def relabel(source: str, target: str):
        def run(apps, schema_editor):
            content_types = apps.get_model("contenttypes", "ContentType").objects.using(
                schema_editor.connection.alias
            )
            for model in models:
                if not content_types.filter(app_label=target, model=model).exists():
                    content_types.filter(app_label=source, model=model).update(app_label=target)

        return run

    return migrations.RunPython(relabel(old_app, new_app), relabel(new_app, old_app))

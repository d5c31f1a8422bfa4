"""System check: an entry names its subject's model by the model's name (``object_type``), so no
two installed models may share a name."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.apps import apps
from django.core import checks


def shared_model_names(models: Iterable[type]) -> list[checks.CheckMessage]:
    """An error for each model name that more than one of ``models`` bears."""
    labels: dict[str, list[str]] = defaultdict(list)
    for model in models:
        labels[model._meta.model_name].append(model._meta.label)
    return [
        checks.Error(
            f"Models {', '.join(found)} share the name {name!r}: audit entries name their "
            "subject by model name (audit.models).",
            hint="Rename one of the models.",
            id="audit.E001",
        )
        for name, found in labels.items()
        if len(found) > 1
    ]


@checks.register()
def model_names_unique(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    return shared_model_names(apps.get_models())

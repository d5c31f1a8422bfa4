"""The structure of an HSDS document, checked with ``jsonschema`` against the HSDS 3.0 JSON
Schemas (copied into ``schema/``, CC BY-SA 4.0, see its README) and our profile of them
(``schema/wegweiser-profile.json``: the extension ``x_wegweiser``).

Each error becomes ``(path, German message)`` with the path as the import names it
(``organizations[3].services[0].languages[1].code``). Records that carry ``x_wegweiser`` are ours
and must be valid HSDS. Records of other publishers may leave out what HSDS requires but the
mapping does not need (e.g. the ids of child records, an address's country), and their ids need
not be UUIDs (the mapping gives them one, with a warning); everything else is an error there too.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from jsonschema import Draft202012Validator, FormatChecker, ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from wegweiser.directory.hsds.profile import EXTENSION, Issue

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
PROFILE_SCHEMA = "wegweiser-profile.json"

#: Required fields another publisher's records must have for the mapping: ``(record, field)``.
NEEDED = {
    ("organization", "id"),
    ("organization", "name"),
    ("service", "id"),
    ("service", "name"),
    ("service", "status"),
    ("location", "id"),
    ("phone", "number"),
}
#: The keys under which a record (with or without our extension) is nested in another.
RECORD_KEYS = {"programs", "locations", "services", "organization", "location"}


@lru_cache(maxsize=64)
def _retrieve(uri: str) -> Resource:
    """A schema file of ``schema/``, by the name its ``$ref`` gives."""
    contents = json.loads((SCHEMA_DIR / uri.rsplit("/", 1)[-1]).read_text(encoding="utf-8"))
    return Resource.from_contents(contents, default_specification=DRAFT202012)


@lru_cache(maxsize=1)
def _validators() -> dict[str, Draft202012Validator]:
    registry = Registry(retrieve=_retrieve)
    profile = SCHEMA_DIR.as_uri() + "/" + PROFILE_SCHEMA
    return {
        kind: Draft202012Validator(
            {"$ref": f"{profile}#/$defs/{kind}"}, registry=registry, format_checker=FormatChecker()
        )
        for kind in ("organization", "service")
    }


def structure_errors(record: Any, kind: str, base: str) -> list[Issue]:
    """The errors of one top-level ``record`` (``kind`` organization or service) at ``base``."""
    issues: list[Issue] = []
    for error in _validators()[kind].iter_errors(record):
        own = _own(record, error.absolute_path)
        for steps, message in _describe(error):
            if own or _matters_for_others(error, steps):
                issues.append((_path(base, steps), message))
    return issues


def _own(record: Any, steps: Iterable) -> bool:
    """Whether the record the error lies in carries our extension (its children inherit it)."""
    own = isinstance(record, dict) and EXTENSION in record
    node, key = record, None
    for step in steps:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(step, str):
            key = step
        entered = isinstance(step, int) or step in ("organization", "location")
        if entered and key in RECORD_KEYS and isinstance(node, dict):
            own = EXTENSION in node
    return own


def _matters_for_others(error: ValidationError, steps: Sequence) -> bool:
    name = str(steps[-1]) if steps else ""
    if error.validator == "required":
        return (error.schema.get("name"), name) in NEEDED
    is_id = name == "id" or name.endswith("_id")
    return not (is_id and error.validator in ("type", "format"))


TYPE_MESSAGES = {
    "string": gettext_lazy("Hier wird ein Text erwartet."),
    "number": gettext_lazy("Hier wird eine Zahl erwartet."),
    "boolean": gettext_lazy("Hier wird true oder false erwartet."),
    "array": gettext_lazy("Hier wird eine Liste erwartet."),
    "object": gettext_lazy("Hier wird ein Objekt erwartet."),
}


def _describe(error: ValidationError) -> list[tuple[list, str]]:
    """``(path steps, message)`` of an error; a missing field has the path it should have."""
    steps = list(error.absolute_path)
    value = error.instance
    if error.validator == "required":
        missing = [f for f in error.validator_value if f not in value]
        return [([*steps, f], _("Pflichtfeld „%(field)s“ fehlt.") % {"field": f}) for f in missing]
    if error.validator == "type":
        types = (
            error.validator_value
            if isinstance(error.validator_value, list)
            else [error.validator_value]
        )
        expected = next((t for t in types if t != "null"), "string")
        return [(steps, str(TYPE_MESSAGES.get(expected, TYPE_MESSAGES["string"])))]
    if error.validator == "enum":
        allowed = ", ".join(str(v) for v in error.validator_value)
        if steps and steps[-1] == "status":
            message = _("Unbekannter Status „%(value)s“ (erwartet: %(allowed)s).")
        else:
            message = _("Unbekannter Wert „%(value)s“ (erwartet: %(allowed)s).")
        return [(steps, message % {"value": value, "allowed": allowed})]
    if error.validator == "format" and error.validator_value == "email":
        return [(steps, _("„%(value)s“ ist keine gültige E-Mail-Adresse.") % {"value": value})]
    if error.validator == "format" and error.validator_value == "uuid":
        return [(steps, _("„%(value)s“ ist keine gültige UUID.") % {"value": value})]
    return [
        (
            steps,
            _("Der Wert entspricht nicht HSDS 3.0 (Regel „%(rule)s“).") % {"rule": error.validator},
        )
    ]


def _path(base: str, steps: Iterable) -> str:
    path = base
    for step in steps:
        path += f"[{step}]" if isinstance(step, int) else (f".{step}" if path else str(step))
    return path

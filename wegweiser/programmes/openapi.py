"""The eligibility request's JSON schema with the rules the profile parser enforces, for the
OpenAPI document: country codes, the sections each residence title allows, and the consistency
rules of ``eligibility.facts._check_consistency`` written as ``if``/``then``."""

from __future__ import annotations

import copy
from typing import Any

from wegweiser.eligibility.values import (
    COUNTRY_CODES,
    FREE_MOVEMENT_STATES,
    SECTIONS_BY_TITLE,
    STATELESS,
    TITLES_WITH_POSSIBLE_ABSOLUTE_BAN,
    TITLES_WITH_SECTION,
)


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` or null: the API treats a null fact as an absent one."""
    return {"anyOf": [schema, {"type": "null"}]}


def _title(condition: dict[str, Any]) -> dict[str, Any]:
    """A profile whose residence object has a title matching ``condition``."""
    return {
        "properties": {
            "residence": {
                "type": "object",
                "required": ["title"],
                "properties": {"title": condition},
            }
        },
        "required": ["residence"],
    }


def _cits(condition: dict[str, Any]) -> dict[str, Any]:
    return {"properties": {"citizenships": condition}}


def _with_cits(condition: dict[str, Any]) -> dict[str, Any]:
    both = _title(condition)
    both["properties"]["citizenships"] = {"type": "array"}
    both["required"] = ["residence", "citizenships"]
    return both


def strict_profile_schema(schema: dict[str, Any]) -> dict[str, Any]:
    schema = copy.deepcopy(schema)
    props = schema["properties"]
    props["citizenships"] = {
        "type": "array",
        "items": {"type": "string", "enum": sorted(COUNTRY_CODES) + [STATELESS]},
        "minItems": 1,
        "uniqueItems": True,
        "if": {"contains": {"const": STATELESS}},
        "then": {"maxItems": 1},
        "description": props["citizenships"].get("description", ""),
    }
    props["participations"] = {"type": "array", "items": {"x-values": "RoundId"}}
    residence = props["residence"]
    residence["properties"]["section"] = {"type": "string"}
    residence["allOf"] = [
        {
            "if": {"properties": {"title": {"const": title}}},
            "then": {
                "properties": {"section": nullable({"enum": sorted(SECTIONS_BY_TITLE[title])})}
            },
        }
        for title in TITLES_WITH_SECTION
    ] + [
        {
            "if": {"properties": {"title": {"not": {"enum": list(TITLES_WITH_SECTION)}}}},
            "then": {"properties": {"section": {"type": "null"}}},
        }
    ]
    residence["properties"]["section"] = nullable(residence["properties"]["section"])
    for name in list(props):
        if name != "residence":
            props[name] = nullable(props[name])
    props["residence"] = nullable(residence)
    not_german = {"not": {"const": "german_citizen"}}
    schema["allOf"] = [
        {  # an absolute work ban only with a Duldung or an Aufenthaltsgestattung
            "if": {
                **_title({"not": {"enum": list(TITLES_WITH_POSSIBLE_ABSOLUTE_BAN)}}),
            },
            "then": {"properties": {"work_ban": {"not": {"const": "absolute"}}}},
        },
        {  # a Duldung under § 60b means an absolute work ban
            "if": {
                "properties": {
                    "residence": {
                        "type": "object",
                        "required": ["title", "section"],
                        "properties": {"title": {"const": "duldung"}, "section": {"const": "60b"}},
                    }
                },
                "required": ["residence"],
            },
            "then": {"properties": {"work_ban": {"not": {"enum": ["none", "temporary"]}}}},
        },
        {  # a foreign title means a migration background
            "if": _title(not_german),
            "then": {"properties": {"migration_background": {"not": {"const": False}}}},
        },
        {  # German citizens hold DE, others do not
            "if": _with_cits({"const": "german_citizen"}),
            "then": _cits({"contains": {"const": "DE"}}),
        },
        {
            "if": _with_cits(not_german),
            "then": _cits({"not": {"contains": {"const": "DE"}}}),
        },
        {  # free movement needs an EU/EEA/Swiss citizenship
            "if": _with_cits({"const": "free_movement"}),
            "then": _cits({"contains": {"enum": sorted(FREE_MOVEMENT_STATES)}}),
        },
    ]
    return schema

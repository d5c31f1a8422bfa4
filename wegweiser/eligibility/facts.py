"""The person's facts: the profile type, its parsing and the derived facts.

Pure Python, no Django. See docs/eligibility.md and ``shared/domain/eligibility.md`` section 1.
Every fact is declared once, in :mod:`wegweiser.eligibility.registry`; this module builds the
profile from that list.

Every fact is optional: an absent (or ``null``) fact is *unknown*, never a default -- except
``participations``, where absence means "no participation known".
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import Any

from wegweiser.eligibility.parsing import Context, ProfileError, age_on
from wegweiser.eligibility.registry import (
    BOOL_KEYS,
    DERIVED_FACTS,
    ENUM_KEYS,
    FACTS,
    FACTS_BY_INPUT_KEY,
    FACTS_BY_KEY,
    INPUT_KEYS,
    PROFILE_FACTS,
    PROFILE_KEYS,
    REGISTRY,
    Fact,
)
from wegweiser.eligibility.values import (
    ABSCHNITT_5_SECTIONS,
    AGS_RE,
    AUFENTHALTSERLAUBNIS_SECTIONS,
    COUNTRY_CODES,
    DISABILITY_ANSWERS,
    DULDUNG_SECTIONS,
    EU_MEMBER_STATES,
    FREE_MOVEMENT_STATES,
    GENDERS,
    GERMAN_LEVELS,
    JOBCENTRE_CONTACTS,
    KREIS_RE,
    MAX_AGE,
    RESIDENCE_TITLES,
    SECTIONS_BY_TITLE,
    STATELESS,
    TITLES_WITH_POSSIBLE_ABSOLUTE_BAN,
    TITLES_WITH_SECTION,
    WORK_BANS,
)

__all__ = [  # the registry's names and the value sets, for the modules that read the profile
    "ABSCHNITT_5_SECTIONS",
    "AGS_RE",
    "AUFENTHALTSERLAUBNIS_SECTIONS",
    "BOOL_KEYS",
    "COUNTRY_CODES",
    "DISABILITY_ANSWERS",
    "DULDUNG_SECTIONS",
    "ENUM_KEYS",
    "EU_MEMBER_STATES",
    "FACTS",
    "FREE_MOVEMENT_STATES",
    "GENDERS",
    "GERMAN_LEVELS",
    "INPUT_KEYS",
    "JOBCENTRE_CONTACTS",
    "KREIS_RE",
    "MAX_AGE",
    "PROFILE_KEYS",
    "RESIDENCE_TITLES",
    "SECTIONS_BY_TITLE",
    "STATELESS",
    "TITLES_WITH_POSSIBLE_ABSOLUTE_BAN",
    "TITLES_WITH_SECTION",
    "WORK_BANS",
    "Fact",
    "Profile",
    "ProfileError",
    "age_on",
    "derive",
    "parse_profile",
    "profile_from_row",
]

# --- the profile -------------------------------------------------------------------------------

_TYPES = {
    "bool": bool,
    "int": int,
    "enum": str,
    "str": str,
    "list": tuple[str, ...],
    "date": dt.date,
}
#: per input key: the fields that answer it and the conditions under which it is asked
_ABSENT = {
    key: (tuple(f.name for f in facts), tuple(f.asked_if for f in facts if f.asked_if))
    for key, facts in FACTS_BY_INPUT_KEY.items()
}


class _ProfileMethods:
    def absent(self, key: str) -> bool:
        """Is the input ``key`` (an entry of ``INPUT_KEYS``) unknown in this profile?

        Never for a fact with a default (``participations``); a fact asked only under a
        condition (the section, for titles that have one) is not missing where it does not hold.
        """
        names, asked_if = _ABSENT[key]
        if any(getattr(self, name) is not None for name in names):
            return False
        return all(cond.evaluate(vars(self)) is True for cond in asked_if)

    def to_json(self) -> dict[str, Any]:
        """The profile as the JSON object it was parsed from (unknown facts left out)."""
        out: dict[str, Any] = {}
        for fact in PROFILE_FACTS:
            value = getattr(self, fact.name)
            if value is None or value == fact.default:
                continue
            if isinstance(value, dt.date):
                value = value.isoformat()
            elif isinstance(value, tuple):
                value = list(value)
            if fact.key == fact.top_key:
                out[fact.key] = value
            else:
                out.setdefault(fact.top_key, {})[fact.key.split(".", 1)[1]] = value
        return out


Profile = dataclasses.make_dataclass(
    "Profile",
    [(f.name, _TYPES[f.kind] | None, dataclasses.field(default=f.default)) for f in PROFILE_FACTS],
    bases=(_ProfileMethods,),
    frozen=True,
)
Profile.__module__ = __name__
Profile.__doc__ = (
    """A validated profile, one field per fact of the registry. ``None`` means unknown."""
)


def profile_from_row(row: Mapping[str, Any]) -> Profile:
    """A profile from a row of the bulk check's table (no validation: the row was validated)."""
    values = {}
    for fact in PROFILE_FACTS:
        value = row.get(fact.name)
        if fact.kind == "list":
            value = fact.default if value is None else tuple(value)
        values[fact.name] = value
    return Profile(**values)


# --- parsing -----------------------------------------------------------------------------------


def parse_profile(
    data: Any,
    *,
    reference_date: dt.date,
    known_rounds: frozenset[str] | set[str] | None = None,
) -> Profile:
    """Validate a JSON object into a :class:`Profile` or raise :class:`ProfileError`."""
    if not isinstance(data, dict):
        raise ProfileError("profile", "not_an_object")
    for key in data:
        if key not in PROFILE_KEYS:
            raise ProfileError(key, "unknown_key", allowed=", ".join(PROFILE_KEYS))
    ctx = Context(reference_date, known_rounds)
    values: dict[str, Any] = {}
    for key, facts in FACTS_BY_KEY.items():
        raw = data.get(key)
        if raw is None:
            continue
        if facts[0].key == key:
            values[facts[0].name] = facts[0].parse(key, raw, values, ctx)
        else:
            _parse_object(key, raw, facts, values, ctx)
    _check_consistency(values)
    return Profile(**values)


def _parse_object(key: str, raw: Any, facts: tuple[Fact, ...], values: dict, ctx: Context) -> None:
    """A JSON object holding several facts (``residence``: title and section)."""
    if not isinstance(raw, dict):
        raise ProfileError(key, "not_an_object")
    inner = {f.key.split(".", 1)[1]: f for f in facts}
    for name in raw:
        if name not in inner:
            raise ProfileError(f"{key}.{name}", "unknown_key", allowed=", ".join(inner))
    for name, fact in inner.items():
        if raw.get(name) is not None:
            values[fact.name] = fact.parse(fact.key, raw[name], values, ctx)
        elif fact.required:
            raise ProfileError(fact.key, "required")


def _check_consistency(v: dict[str, Any]) -> None:
    title, section, cits = (
        v.get("residence_title"),
        v.get("residence_section"),
        v.get("citizenships"),
    )
    if (
        v.get("work_ban") == "absolute"
        and title is not None
        and title not in TITLES_WITH_POSSIBLE_ABSOLUTE_BAN
    ):
        raise ProfileError("work_ban", "absolute_ban_needs_duldung", title=title)
    if title == "duldung" and section == "60b" and v.get("work_ban") in ("none", "temporary"):
        raise ProfileError("work_ban", "duldung_60b_means_absolute_ban")
    if title not in (None, "german_citizen") and v.get("migration_background") is False:
        raise ProfileError("migration_background", "foreign_title_means_migration_background")
    if cits is not None and title is not None:
        if title == "german_citizen" and "DE" not in cits:
            raise ProfileError("citizenships", "german_citizen_without_de")
        if title != "german_citizen" and "DE" in cits:
            raise ProfileError("residence.title", "de_citizen_needs_german_title")
        if title == "free_movement" and not set(cits) & FREE_MOVEMENT_STATES:
            raise ProfileError("citizenships", "free_movement_needs_eea")


# --- derived facts -----------------------------------------------------------------------------

_UNTESTED = tuple(f.name for f in PROFILE_FACTS if not f.testable)
_ON_DAY = tuple((f.name, f.on_day[0]) for f in REGISTRY if f.on_day is not None)
_DERIVED = tuple((f.name, f.definition) for f in DERIVED_FACTS)


def derive(profile: Profile, reference_date: dt.date) -> dict[str, Any]:
    """All facts a condition may test, ``None`` where unknown.

    The profile's facts, the age on the reference date, then each derived fact of the registry
    in its order (a derived fact may test those above it).
    """
    facts = dict(vars(profile))
    for name in _UNTESTED:
        del facts[name]
    for name, value_on in _ON_DAY:
        facts[name] = value_on(profile, reference_date)
    for name, definition in _DERIVED:
        facts[name] = definition.evaluate(facts)
    return facts

"""Reading one value of a profile fact from its JSON form, or refusing it with a message.

Each parser takes the JSON key it reads (for the message), the value, the facts read so far (a
later fact may depend on an earlier one: the age on the birth date, the section on the residence
title) and the :class:`Context` of the check. The registry (``registry.py``) names the parser of
each fact; ``facts.parse_profile`` runs them in the registry's order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from wegweiser.eligibility.i18n import message
from wegweiser.eligibility.values import (
    AGS_RE,
    COUNTRY_CODES,
    KREIS_RE,
    MAX_AGE,
    SECTIONS_BY_TITLE,
    STATELESS,
    TITLES_WITH_SECTION,
)


class ProfileError(ValueError):
    """Invalid input: names the offending key; ``text(lang)`` gives the message."""

    def __init__(self, key: str, code: str, **params: Any) -> None:
        self.key = key
        self.code = code
        self.params = params
        super().__init__(self.text("en"))

    def text(self, lang: str = "de") -> str:
        return f"{self.key}: {message(self.code, lang, **self.params)}"


@dataclass(frozen=True)
class Context:
    reference_date: dt.date
    known_rounds: Collection[str] | None = None


#: ``parser(key, value, facts read so far, context)`` -> the fact's value
Parser = Callable[[str, Any, Mapping[str, Any], Context], Any]


def completed_years(year, month, day, on: dt.date):
    """Whole years completed on ``on`` by somebody born on ``year``-``month``-``day``.

    The birthday itself counts (§ 187(2) BGB); born on 29 February, the new year of life starts
    on 1 March in other years (§ 188(2), (3) BGB), which the comparison of month and day gives.
    Written once for both checks: the arguments are whole numbers (the single check) or polars
    expressions (the bulk check).
    """
    return on.year - year - (month * 100 + day > on.month * 100 + on.day)


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Whole years completed on ``day`` (:func:`completed_years`)."""
    return completed_years(birth_date.year, birth_date.month, birth_date.day, day)


def parse_bool(key: str, value: Any, facts: Mapping[str, Any], ctx: Context) -> bool:
    if not isinstance(value, bool):
        raise ProfileError(key, "not_a_bool", value=value)
    return value


def enum_parser(allowed: tuple[str, ...]) -> Parser:
    def parse_enum(key: str, value: Any, facts: Mapping[str, Any], ctx: Context) -> str:
        if not isinstance(value, str) or value not in allowed:
            raise ProfileError(key, "not_allowed", value=value, allowed=", ".join(allowed))
        return value

    return parse_enum


def parse_birth_date(key: str, value: Any, facts: Mapping[str, Any], ctx: Context) -> dt.date:
    if not isinstance(value, str):
        raise ProfileError(key, "not_a_date", value=value)
    try:
        birth_date = dt.date.fromisoformat(value)
    except ValueError:
        raise ProfileError(key, "not_a_date", value=value) from None
    if birth_date > ctx.reference_date:
        raise ProfileError(
            key,
            "birth_after_reference",
            value=birth_date.isoformat(),
            date=ctx.reference_date.isoformat(),
        )
    return birth_date


def parse_age(key: str, value: Any, facts: Mapping[str, Any], ctx: Context) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # JSON has one kind of number: 30.0 is the whole number 30
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_AGE:
        raise ProfileError(key, "not_an_age", value=value, max=MAX_AGE)
    birth_date = facts.get("birth_date")
    if birth_date is not None and age_on(birth_date, ctx.reference_date) != value:
        raise ProfileError(key, "age_contradicts_birth_date", value=value)
    return value


def parse_citizenships(
    key: str, value: Any, facts: Mapping[str, Any], ctx: Context
) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise ProfileError(key, "not_a_country_list")
    for code in value:
        if code != STATELESS and (not isinstance(code, str) or code not in COUNTRY_CODES):
            raise ProfileError(key, "unknown_country", value=code)
    if STATELESS in value and len(value) > 1:
        raise ProfileError(key, "stateless_alone")
    if len(set(value)) != len(value):
        raise ProfileError(key, "duplicate", value=value)
    return tuple(value)


def parse_section(key: str, value: Any, facts: Mapping[str, Any], ctx: Context) -> str:
    title = facts["residence_title"]
    if title not in TITLES_WITH_SECTION:
        raise ProfileError(key, "section_not_for_title", title=title)
    if not isinstance(value, str) or value not in SECTIONS_BY_TITLE[title]:
        allowed = ", ".join(sorted(SECTIONS_BY_TITLE[title]))
        raise ProfileError(key, "not_allowed", value=value, allowed=allowed)
    return value


def parse_kreis(key: str, value: Any, facts: Mapping[str, Any], ctx: Context) -> str:
    if not isinstance(value, str) or not KREIS_RE.match(value):
        raise ProfileError(key, "not_a_kreis", value=value)
    return value


def parse_municipality(key: str, value: Any, facts: Mapping[str, Any], ctx: Context) -> str:
    if not isinstance(value, str) or not AGS_RE.match(value):
        raise ProfileError(key, "not_an_ags", value=value)
    kreis = facts.get("kreis")
    if kreis is not None and not value.startswith(kreis):
        raise ProfileError(key, "ags_not_in_kreis", value=value)
    return value


def parse_rounds(key: str, value: Any, facts: Mapping[str, Any], ctx: Context) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(p, str) for p in value):
        raise ProfileError(key, "not_a_round_list")
    for p in value:
        if ctx.known_rounds is not None and p not in ctx.known_rounds:
            raise ProfileError(key, "unknown_round", value=p)
    return tuple(dict.fromkeys(value))

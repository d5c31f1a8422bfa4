"""The fact registry: every fact of the eligibility check, declared once, here.

Pure Python, no Django. ``shared/domain/eligibility.md`` section 1 lists the person's facts;
:data:`REGISTRY` declares each of them once, in the order the questions are asked, followed by the
derived facts. Everything else that names the facts comes from this list:

- the profile type, its parsing and its JSON form (``facts.Profile``, ``facts.parse_profile``);
- the key lists: :data:`PROFILE_KEYS` (JSON), :data:`INPUT_KEYS` (questions, in question order),
  :data:`BOOL_KEYS`, :data:`ENUM_KEYS`, :data:`RECORDED_KEYS`, :data:`ASKED_KEYS`;
- :data:`FACTS`, the facts a rule can test, with their labels and the inputs they depend on;
- the OpenAPI schema of a profile (:func:`profile_json_schema`) and the polars schema of the bulk
  check (:data:`POLARS_SCHEMA`);
- the derived facts, each written once as a condition (``conditions.py``) that the single check
  evaluates and the bulk check compiles to polars (``facts.derive``, ``bulk.derived_expressions``).

How to add a fact: ``docs/eligibility.md``, "Adding a fact".
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import polars as pl

from wegweiser.eligibility.conditions import parse_condition
from wegweiser.eligibility.parsing import (
    Parser,
    age_on,
    completed_years,
    enum_parser,
    parse_age,
    parse_birth_date,
    parse_bool,
    parse_citizenships,
    parse_kreis,
    parse_municipality,
    parse_rounds,
    parse_section,
)
from wegweiser.eligibility.values import (
    ABSCHNITT_5_SECTIONS,
    AGS_RE,
    COUNTRY_CODES,
    DISABILITY_ANSWERS,
    EU_MEMBER_STATES,
    GENDERS,
    GERMAN_LEVELS,
    JOBCENTRE_CONTACTS,
    KREIS_RE,
    MAX_AGE,
    RESIDENCE_TITLES,
    STATELESS,
    TITLES_WITH_POSSIBLE_ABSOLUTE_BAN,
    TITLES_WITH_SECTION,
    WORK_BANS,
)

#: The kinds of fact and their column types in the bulk check.
DTYPES: dict[str, pl.DataType] = {
    "bool": pl.Boolean(),
    "int": pl.Int32(),
    "enum": pl.String(),
    "str": pl.String(),
    "list": pl.List(pl.String()),
    "date": pl.Date(),
}
#: OpenAPI fragments by kind (other kinds name their own ``schema``).
_SCHEMAS: dict[str, dict[str, Any]] = {
    "bool": {"type": "boolean"},
    "date": {"type": "string", "format": "date"},
}


@dataclass(frozen=True)
class Fact:
    """A fact of the profile (``key`` is set) or a derived fact (``definition`` is set).

    ``kind`` is one of :data:`DTYPES`; ``values`` lists the allowed values of an enum (or of the
    elements of a list). ``inputs`` are the question keys the fact depends on: when a rule on
    this fact is unknown, the absent ones are *missing* (computed, see :func:`_build`).

    Profile facts: ``key`` is where the fact stands in the profile JSON (``residence.title`` is
    ``title`` inside the object ``residence``); ``question`` the input key that asks it (``None``:
    never asked); ``asked_if`` a condition on earlier facts without which it is not asked (nor
    missing); ``testable`` whether a rule may test it; ``recorded`` whether case management holds
    it in the person's record (identity and legal status: the enrolment takes it from there);
    ``required`` within its JSON object; ``default`` the value of an absent fact (``None``:
    unknown); ``parse`` reads the JSON value (``parsing.py``; by default true/false or one of
    ``values``); ``schema`` its OpenAPI fragment (by default from ``kind`` and ``values``);
    ``on_day`` computes the tested value on the reference date, for the single check and for the
    bulk check (only the age: arithmetic, which conditions do not have).

    Derived facts: ``definition`` is a condition on earlier facts (``conditions.py``, with
    ``known`` and ``cases``).
    """

    name: str
    kind: str
    label_de: str = ""
    label_en: str = ""
    values: tuple[str, ...] = ()
    key: str | None = None
    question: str | None = None
    asked_if: Any = None  # the condition's data, parsed by _build
    testable: bool = True
    recorded: bool = False
    required: bool = False
    default: Any = None
    parse: Parser | None = None
    schema: dict[str, Any] | None = None
    on_day: tuple[Callable[[Any, dt.date], Any], Callable[[dt.date], pl.Expr]] | None = None
    definition: Any = None  # the condition's data, parsed by _build
    inputs: tuple[str, ...] = ()

    @property
    def top_key(self) -> str:
        """The key of the profile JSON that holds the fact (``residence`` for its title)."""
        return (self.key or "").split(".")[0]

    @property
    def dtype(self) -> pl.DataType:
        return DTYPES[self.kind]

    def json_schema(self) -> dict[str, Any]:
        if self.schema is not None:
            return self.schema
        if self.kind == "enum":
            return {"type": "string", "enum": list(self.values)}
        return _SCHEMAS[self.kind]


def _fact(name: str, kind: str, de: str = "", en: str = "", **kw: Any) -> Fact:
    """A profile fact, at ``key`` = its name in the JSON and asked by the question of that name
    unless told otherwise."""
    kw.setdefault("key", name)
    kw.setdefault("question", name)
    return Fact(name, kind, de, en, **kw)


def _derived(name: str, definition: dict[str, Any], de: str, en: str) -> Fact:
    return Fact(name, "bool", de, en, definition=definition)


# --- the age: the one fact computed by arithmetic ----------------------------------------------


def _age_value(profile: Any, day: dt.date) -> int | None:
    """The tested age: from the birth date on the reference date, else the age given."""
    if profile.birth_date is not None:
        return age_on(profile.birth_date, day)
    return profile.age


def birth_date_age_expr(day: dt.date) -> pl.Expr:
    """:func:`parsing.completed_years` on the ``birth_date`` column (null where unknown)."""
    bd = pl.col("birth_date")
    return completed_years(
        bd.dt.year(), bd.dt.month().cast(pl.Int32), bd.dt.day().cast(pl.Int32), day
    )


def _age_expr(day: dt.date) -> pl.Expr:
    return pl.coalesce(birth_date_age_expr(day), pl.col("age"))


# --- the registry ------------------------------------------------------------------------------

REGISTRY_DATA: tuple[Fact, ...] = (
    _fact("birth_date", "date", testable=False, recorded=True, parse=parse_birth_date),
    _fact(
        "age",
        "int",
        "Alter",
        "age",
        question="birth_date",
        recorded=True,
        parse=parse_age,
        schema={"type": "integer", "minimum": 0, "maximum": MAX_AGE},
        on_day=(_age_value, _age_expr),
    ),
    _fact("gender", "enum", "Geschlecht", "gender", values=GENDERS, recorded=True),
    _fact(
        "residence_title",
        "enum",
        "Aufenthaltsstatus",
        "residence status",
        values=RESIDENCE_TITLES,
        key="residence.title",
        question="residence",
        recorded=True,
        required=True,
    ),
    _fact(
        "residence_section",
        "str",
        "Paragraf des Aufenthaltstitels",
        "section of the residence title",
        key="residence.section",
        question="residence.section",
        asked_if={"fact": "residence_title", "in": list(TITLES_WITH_SECTION)},
        recorded=True,
        parse=parse_section,
        schema={"type": "string", "examples": ["25(2)", "60a"]},
    ),
    _fact(
        "citizenships",
        "list",
        "Staatsangehörigkeit(en)",
        "citizenship(s)",
        values=(*sorted(COUNTRY_CODES), STATELESS),
        recorded=True,
        parse=parse_citizenships,
        schema={
            "type": "array",
            "items": {"type": "string"},
            "description": 'ISO 3166-1 alpha-2 codes or ["stateless"]',
        },
    ),
    _fact("work_ban", "enum", "Arbeitsverbot", "work ban", values=WORK_BANS, recorded=True),
    _fact(
        "jobcentre_contact",
        "enum",
        "Kontakt zu Jobcenter/Agentur für Arbeit",
        "contact with job centre",
        values=JOBCENTRE_CONTACTS,
    ),
    _fact(
        "kreis",
        "str",
        "Kreis",
        "district (Kreis)",
        recorded=True,
        parse=parse_kreis,
        schema={"type": "string", "pattern": KREIS_RE.pattern},
    ),
    _fact(
        "municipality",
        "str",
        question=None,
        testable=False,
        parse=parse_municipality,
        schema={"type": "string", "pattern": AGS_RE.pattern},
    ),
    _fact("migration_background", "bool", "Migrationshintergrund", "migration background"),
    _fact(
        "foreign_qualification",
        "bool",
        "ausländischer Berufs- oder Studienabschluss",
        "foreign vocational or academic qualification",
    ),
    _fact("german_level", "enum", "Deutschkenntnisse", "German level", values=GERMAN_LEVELS),
    _fact(
        "municipality_has_wir_or_amif_project",
        "bool",
        "WIR- oder AMIF-Projekt in der Kommune",
        "WIR or AMIF project in the municipality",
    ),
    _fact(
        "attending_integration_course",
        "bool",
        "besucht einen Integrationskurs",
        "attends an integration course",
    ),
    _fact(
        "child_without_childcare",
        "bool",
        "Kind im Vorschulalter ohne Betreuungsplatz",
        "child below school age without a childcare place",
    ),
    # absent means "no participation known" (eligibility.md section 1): never unknown
    _fact(
        "participations",
        "list",
        "laufende Teilnahmen",
        "current participations",
        default=(),
        parse=parse_rounds,
        schema={"type": "array", "items": {"type": "string"}},
    ),
    # ESF Plus data (Art. 9), never an eligibility condition
    _fact("disability", "enum", values=DISABILITY_ANSWERS, question=None, testable=False),
    # --- derived facts (eligibility.md section 1) ---
    _derived(
        # Kapitel 2 Abschnitt 5 AufenthG; § 104c is not part of it (facts B.1)
        "humanitarian_residence",
        {
            "all": [
                {"fact": "residence_title", "eq": "aufenthaltserlaubnis"},
                {"fact": "residence_section", "in": sorted(ABSCHNITT_5_SECTIONS)},
            ]
        },
        "humanitärer Aufenthalt (Kap. 2 Abschn. 5 AufenthG)",
        "humanitarian residence (Chapter 2 Part 5 AufenthG)",
    ),
    _derived(
        "refugee",
        {
            "any": [
                {"fact": "humanitarian_residence", "eq": True},
                {
                    "all": [
                        {"fact": "residence_title", "eq": "aufenthaltserlaubnis"},
                        {"fact": "residence_section", "eq": "104c"},
                    ]
                },
                {"fact": "residence_title", "in": ["aufenthaltsgestattung", "duldung"]},
            ]
        },
        "geflüchtet im aufenthaltsrechtlichen Sinn",
        "refugee (residence law)",
    ),
    _derived(
        # any EU citizenship; a German citizen is one even when no citizenship is given
        "eu_citizen",
        {
            "cases": [
                {
                    "when": {"fact": "citizenships", "known": True},
                    "then": {"fact": "citizenships", "contains_any": sorted(EU_MEMBER_STATES)},
                },
                {"when": {"fact": "residence_title", "eq": "german_citizen"}, "then": True},
            ],
            "else": None,
        },
        "Unionsbürger/in",
        "EU citizen",
    ),
    _derived(
        # ESF Plus: no EU citizenship; Norwegians, Swiss and stateless persons are (facts A.5)
        "third_country_national",
        {"not": {"fact": "eu_citizen", "eq": True}},
        "Drittstaatsangehörige/r",
        "third-country national",
    ),
    _derived(
        # § 60a(6), § 60b AufenthG, § 61 AsylG: only with a Duldung or Aufenthaltsgestattung
        "absolute_work_ban",
        {
            "cases": [
                {
                    "when": {
                        "any": [
                            {"fact": "work_ban", "eq": "absolute"},
                            {
                                "all": [
                                    {"fact": "residence_title", "eq": "duldung"},
                                    {"fact": "residence_section", "eq": "60b"},
                                ]
                            },
                        ]
                    },
                    "then": True,
                },
                {
                    "when": {
                        "fact": "residence_title",
                        "not_in": list(TITLES_WITH_POSSIBLE_ABSOLUTE_BAN),
                    },
                    "then": False,
                },
                {"when": {"fact": "work_ban", "known": True}, "then": False},
            ],
            "else": None,
        },
        "absolutes Arbeitsverbot",
        "absolute work ban",
    ),
    _derived(
        # Migrationshintergrund (Mikrozensus 2005 ff., Statistisches Bundesamt): the person or
        # a parent was not a German citizen by birth. A residence title other than German
        # citizenship says so without asking (a "no" with such a title is refused as a
        # contradiction, facts.py); for Germans the answer decides.
        "has_migration_background",
        {
            "cases": [
                {"when": {"fact": "residence_title", "ne": "german_citizen"}, "then": True},
                {
                    "when": {"fact": "migration_background", "known": True},
                    "then": {"fact": "migration_background", "eq": True},
                },
            ],
            "else": None,
        },
        "Migrationshintergrund (angegeben oder aus dem Aufenthaltstitel)",
        "migration background (stated or from the residence title)",
    ),
    _derived(
        "lives_in_hessen",
        {"fact": "kreis", "startswith": "06"},
        "wohnt in Hessen",
        "lives in Hessen",
    ),
    _derived(
        "lawful_stay_or_duldung",
        {"fact": "residence_title", "ne": "none"},
        "rechtmäßiger Aufenthalt oder Duldung",
        "lawful stay or Duldung",
    ),
)


def _build(data: tuple[Fact, ...]) -> tuple[Fact, ...]:
    """Parse the conditions (each may test the facts above it) and compute the inputs."""
    built: list[Fact] = []
    testable: dict[str, Fact] = {}
    for fact in data:
        assert fact.kind in DTYPES, fact.name
        inputs: set[str] = set()
        changes: dict[str, Any] = {}
        for attr in ("asked_if", "definition"):
            raw = getattr(fact, attr)
            if raw is not None:
                cond = parse_condition(raw, facts=testable, derived=attr == "definition")
                changes[attr] = cond
                inputs |= {k for f in cond.facts() for k in testable[f].inputs}
        if fact.question is not None:
            inputs.add(fact.question)
        if fact.key is not None and fact.parse is None:
            assert fact.kind in ("bool", "enum"), f"{fact.name}: needs a parser"
            changes["parse"] = parse_bool if fact.kind == "bool" else enum_parser(fact.values)
        if fact.key is not None:
            assert fact.schema or fact.kind in (*_SCHEMAS, "enum"), f"{fact.name}: needs a schema"
        fact = dataclasses.replace(fact, inputs=tuple(sorted(inputs)), **changes)
        built.append(fact)
        if fact.testable:
            testable[fact.name] = fact
    return tuple(built)


REGISTRY = _build(REGISTRY_DATA)

#: The facts of a profile: the fields of ``facts.Profile``, the columns of the bulk check.
PROFILE_FACTS: tuple[Fact, ...] = tuple(f for f in REGISTRY if f.key is not None)
#: The derived facts, each computed from the facts above it.
DERIVED_FACTS: tuple[Fact, ...] = tuple(f for f in REGISTRY if f.definition is not None)
#: The facts a condition can test, by name.
FACTS: dict[str, Fact] = {f.name: f for f in REGISTRY if f.testable}

#: The keys a profile may contain (``age`` is the alternative to ``birth_date``).
PROFILE_KEYS: tuple[str, ...] = tuple(dict.fromkeys(f.top_key for f in PROFILE_FACTS))
#: Input keys in the order questions are asked when they are otherwise equally useful.
INPUT_KEYS: tuple[str, ...] = tuple(dict.fromkeys(f.question for f in PROFILE_FACTS if f.question))
#: The input keys a person is asked (``participations`` is never unknown).
ASKED_KEYS: tuple[str, ...] = tuple(
    dict.fromkeys(f.question for f in PROFILE_FACTS if f.question and f.default is None)
)
#: The profile facts each input key asks for.
FACTS_BY_INPUT_KEY: dict[str, tuple[Fact, ...]] = {
    k: tuple(f for f in PROFILE_FACTS if f.question == k) for k in INPUT_KEYS
}
BOOL_KEYS: tuple[str, ...] = tuple(f.key for f in PROFILE_FACTS if f.kind == "bool")
#: The top-level enum keys and their values.
ENUM_KEYS: dict[str, tuple[str, ...]] = {
    f.key: f.values for f in PROFILE_FACTS if f.kind == "enum" and "." not in f.key
}
#: The JSON keys case management takes from the person's record.
RECORDED_KEYS: frozenset[str] = frozenset(f.top_key for f in PROFILE_FACTS if f.recorded)
#: The bulk check's columns and their types.
POLARS_SCHEMA: dict[str, pl.DataType] = {f.name: f.dtype for f in PROFILE_FACTS}

#: The facts of each top-level JSON key (``residence``: its title and section).
FACTS_BY_KEY: dict[str, tuple[Fact, ...]] = {
    k: tuple(f for f in PROFILE_FACTS if f.top_key == k) for k in PROFILE_KEYS
}


def profile_json_schema(description: str = "") -> dict[str, Any]:
    """The JSON schema of a profile (for the OpenAPI document)."""
    properties: dict[str, Any] = {}
    for fact in PROFILE_FACTS:
        if "." not in fact.key:
            properties[fact.key] = fact.json_schema()
            continue
        outer, inner = fact.key.split(".")
        obj = properties.setdefault(
            outer, {"type": "object", "additionalProperties": False, "properties": {}}
        )
        obj["properties"][inner] = fact.json_schema()
        if fact.required:
            obj.setdefault("required", []).append(inner)
    schema: dict[str, Any] = {"type": "object", "additionalProperties": False}
    if description:
        schema["description"] = description
    schema["properties"] = properties
    return schema

"""The fact registry: one list of facts, derived facts that both checks compute alike."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools

import polars as pl
import pytest

from wegweiser.eligibility.bulk import SCHEMA, derived_expressions, normalise
from wegweiser.eligibility.conditions import ConditionError, parse_condition
from wegweiser.eligibility.facts import Profile, derive, parse_profile
from wegweiser.eligibility.registry import (
    DERIVED_FACTS,
    FACTS,
    INPUT_KEYS,
    PROFILE_FACTS,
    PROFILE_KEYS,
    RECORDED_KEYS,
    profile_json_schema,
)

DAY = dt.date(2026, 8, 1)


def test_the_profile_and_the_bulk_columns_are_the_registry_facts():
    fields = [f.name for f in dataclasses.fields(Profile)]
    assert fields == [f.name for f in PROFILE_FACTS] == list(SCHEMA)
    assert list(profile_json_schema()["properties"]) == list(PROFILE_KEYS)
    assert INPUT_KEYS[:4] == ("birth_date", "gender", "residence", "residence.section")
    assert INPUT_KEYS[-1] == "participations"
    assert {
        "birth_date",
        "age",
        "gender",
        "citizenships",
        "residence",
        "work_ban",
        "kreis",
    } == RECORDED_KEYS


def test_derived_facts_depend_on_the_inputs_of_what_they_test():
    assert FACTS["refugee"].inputs == ("residence", "residence.section")
    assert FACTS["third_country_national"].inputs == ("citizenships", "residence")
    assert FACTS["absolute_work_ban"].inputs == ("residence", "residence.section", "work_ban")
    assert FACTS["age"].inputs == ("birth_date",)


@pytest.mark.parametrize(
    "condition",
    [
        {"fact": "citizenships", "known": True},
        {"cases": [{"when": {"fact": "gender", "eq": "male"}, "then": True}], "else": None},
    ],
)
def test_rules_may_not_decide_on_what_is_not_known(condition):
    with pytest.raises(ConditionError):
        parse_condition(condition, facts=FACTS)
    parse_condition(condition, facts=FACTS, derived=True)


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ({"fact": "kreis", "known": "yes"}, "takes true or false"),
        ({"cases": []}, "non-empty list"),
        ({"cases": [{"when": {"fact": "kreis", "known": True}}]}, "exactly 'when' and 'then'"),
        ({"cases": [{"when": {"fact": "kreis", "known": True}, "then": 1}]}, "must be a mapping"),
    ],
)
def test_the_additions_are_checked(condition, message):
    with pytest.raises(ConditionError, match=message):
        parse_condition(condition, facts=FACTS, derived=True)


TITLES = [
    None,
    "german_citizen",
    "free_movement",
    "aufenthaltserlaubnis",
    "niederlassungserlaubnis",
    "aufenthaltsgestattung",
    "duldung",
    "none",
]
SECTIONS = {"aufenthaltserlaubnis": [None, "25(2)", "104c", "18g"], "duldung": [None, "60a", "60b"]}
CITIZENSHIPS = [None, ["DE"], ["DE", "SY"], ["RO"], ["NO"], ["SY"], ["stateless"]]
WORK_BANS = [None, "none", "temporary", "absolute"]
KREISE = [None, "06412", "09162"]


def every_valid_profile():
    """Every combination of the facts the derived facts test, unknowns included."""
    for title, cits, work_ban, kreis in itertools.product(TITLES, CITIZENSHIPS, WORK_BANS, KREISE):
        for section in SECTIONS.get(title, [None]):
            data = {"citizenships": cits, "work_ban": work_ban, "kreis": kreis}
            if title is not None:
                data["residence"] = {"title": title, "section": section}
            try:
                yield parse_profile(data, reference_date=DAY)
            except ValueError:  # a contradiction: refused by both checks
                continue


def test_the_single_and_the_bulk_check_derive_the_same_facts():
    profiles = list(every_valid_profile())
    assert len(profiles) > 500
    rows = [
        {
            name: list(value) if isinstance(value, tuple) else value
            for name, value in dataclasses.asdict(p).items()
        }
        for p in profiles
    ]
    lazy = normalise(
        pl.DataFrame(rows, schema_overrides={k: v for k, v in SCHEMA.items() if k in rows[0]})
    ).lazy()
    for stage in derived_expressions(DAY):
        lazy = lazy.with_columns(stage)
    frame = lazy.collect()
    for fact in DERIVED_FACTS:
        single = [derive(p, DAY)[fact.name] for p in profiles]
        assert frame.get_column(fact.name).to_list() == single, fact.name


def test_eu_citizenship_is_decided_by_the_citizenships_first():
    syrian = parse_profile({"citizenships": ["SY"]}, reference_date=DAY)
    german = parse_profile({"residence": {"title": "german_citizen"}}, reference_date=DAY)
    unknown = parse_profile({"residence": {"title": "duldung"}}, reference_date=DAY)
    assert derive(syrian, DAY)["third_country_national"] is True
    assert derive(german, DAY)["eu_citizen"] is True
    assert derive(unknown, DAY)["eu_citizen"] is None

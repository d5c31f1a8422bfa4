"""Property tests: bulk and single evaluation agree on random profiles, unknowns included."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.eligibility.test_cases import CATALOGUE, profile_row
from wegweiser.eligibility.bulk import (
    BatchError,
    evaluate_frame,
    missing_column,
    normalise,
    status_column,
    validate,
)
from wegweiser.eligibility.engine import evaluate
from wegweiser.eligibility.facts import (
    DULDUNG_SECTIONS,
    GENDERS,
    GERMAN_LEVELS,
    JOBCENTRE_CONTACTS,
    RESIDENCE_TITLES,
    WORK_BANS,
    ProfileError,
    parse_profile,
)

DATES = st.dates(min_value=dt.date(2016, 1, 1), max_value=dt.date(2030, 12, 31))
SECTIONS = ["22", "23(1)", "24", "25(1)", "25(2)", "25(5)", "25a", "104c", "16a", "18g", "19d"]
COUNTRIES = ["DE", "SY", "UA", "RO", "FR", "NO", "CH", "TR", "AF", "stateless"]


def maybe(strategy):
    return st.one_of(st.none(), strategy)


@st.composite
def residences(draw):
    title = draw(st.sampled_from(RESIDENCE_TITLES))
    res = {"title": title}
    if title == "aufenthaltserlaubnis":
        section = draw(maybe(st.sampled_from(SECTIONS)))
    elif title == "duldung":
        section = draw(maybe(st.sampled_from(sorted(DULDUNG_SECTIONS))))
    else:
        section = None
    if section is not None:
        res["section"] = section
    return res


@st.composite
def profiles(draw):
    """Raw JSON profiles; some are invalid (contradictions) and are filtered by validation."""
    day = draw(DATES)
    data = {}
    choice = draw(st.sampled_from(["birth_date", "age", "none"]))
    if choice == "birth_date":
        data["birth_date"] = draw(
            st.dates(min_value=day - dt.timedelta(days=365 * 70), max_value=day)
        ).isoformat()
    elif choice == "age":
        data["age"] = draw(st.integers(min_value=0, max_value=80))
    optional = {
        "gender": st.sampled_from(GENDERS),
        "citizenships": st.lists(st.sampled_from(COUNTRIES), min_size=1, max_size=2, unique=True),
        "residence": residences(),
        "work_ban": st.sampled_from(WORK_BANS),
        "migration_background": st.booleans(),
        "jobcentre_contact": st.sampled_from(JOBCENTRE_CONTACTS),
        "kreis": st.sampled_from(["06412", "06435", "06611", "09162", "11000"]),
        "foreign_qualification": st.booleans(),
        "german_level": st.sampled_from(GERMAN_LEVELS),
        "attending_integration_course": st.booleans(),
        "child_without_childcare": st.booleans(),
        "municipality_has_wir_or_amif_project": st.booleans(),
        "participations": st.lists(
            st.sampled_from(sorted(CATALOGUE.round_ids)), max_size=2, unique=True
        ),
    }
    for key, strategy in optional.items():
        if draw(st.booleans()):
            data[key] = draw(strategy)
    return day, data


def _valid(day, data):
    try:
        return parse_profile(data, reference_date=day, known_rounds=CATALOGUE.round_ids)
    except ProfileError:
        return None


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(profiles(), min_size=10, max_size=40), DATES)
def test_bulk_equals_single(items, day):
    """Evaluate many profiles at one date in one frame and compare every round, row by row."""
    parsed = [p for p in (_valid(day, data) for _, data in items) if p is not None]
    parsed = [p for p in parsed if p.birth_date is None or p.birth_date <= day]
    if not parsed:
        return
    frame = normalise(
        pl.DataFrame(
            [profile_row(p) for p in parsed],
            schema_overrides={
                "citizenships": pl.List(pl.String),
                "participations": pl.List(pl.String),
            },
        )
    )
    validate(frame, day, CATALOGUE.round_ids)  # a valid profile is a valid row
    rounds = CATALOGUE.rounds  # every round, active or not
    out = evaluate_frame(CATALOGUE, frame, day, rounds)
    for i, profile in enumerate(parsed):
        row = out.row(i, named=True)
        for result in evaluate(CATALOGUE, profile, day, rounds):
            assert row[status_column(result.round)] == result.status
            assert row[missing_column(result.round)] == ";".join(result.missing)


@settings(max_examples=200, deadline=None)
@given(profiles())
def test_knowing_more_never_reverses_a_decided_answer(item):
    """Monotonicity of three-valued logic: adding a fact keeps decided answers decided."""
    day, data = item
    full = _valid(day, data)
    if full is None:
        return
    for key in [k for k in data if k != "participations"]:  # absent = none, not unknown
        partial = _valid(day, {k: v for k, v in data.items() if k != key})
        if partial is None:
            continue
        before = {
            r.round.key: r.status for r in evaluate(CATALOGUE, partial, day, CATALOGUE.rounds)
        }
        after = {r.round.key: r.status for r in evaluate(CATALOGUE, full, day, CATALOGUE.rounds)}
        for rkey, status in before.items():
            if status != "undetermined":
                assert after[rkey] == status, (key, rkey)


def test_the_bulk_check_refuses_what_the_single_check_refuses():
    """A foreign residence title with "no migration background": refused by both checks."""
    day = dt.date(2026, 8, 1)
    data = {"migration_background": False, "residence": {"title": "duldung"}}
    assert _valid(day, data) is None
    frame = normalise(
        pl.DataFrame(
            [{"migration_background": False, "residence_title": "duldung"}],
            schema_overrides={"migration_background": pl.Boolean},
        )
    )
    with pytest.raises(BatchError, match="migration background"):
        validate(frame, day, CATALOGUE.round_ids)

"""The domain cases: every case through the single check and the bulk check."""

from __future__ import annotations

from collections import defaultdict

import polars as pl
import pytest

from tests.eligibility.casefiles import Case, load_cases
from wegweiser.eligibility.bulk import (
    SCHEMA,
    evaluate_frame,
    missing_column,
    normalise,
    status_column,
)
from wegweiser.eligibility.catalogue import load_catalogue
from wegweiser.eligibility.engine import ELIGIBLE, NOT_ELIGIBLE, evaluate
from wegweiser.eligibility.facts import RESIDENCE_TITLES, parse_profile

CATALOGUE = load_catalogue()
CASES = load_cases()


def resolve(selector: str) -> str:
    (rnd,) = CATALOGUE.select_rounds([selector])  # a selector must name exactly one round
    return rnd.key


def selectors(case: Case) -> list[str]:
    return list(dict.fromkeys([*case.expect, *case.reasons, *case.shown, *case.missing]))


def run(case: Case):
    profile = parse_profile(
        case.profile, reference_date=case.date, known_rounds=CATALOGUE.round_ids
    )
    rounds = CATALOGUE.select_rounds(selectors(case))
    return profile, {r.round.key: r for r in evaluate(CATALOGUE, profile, case.date, rounds)}


def profile_row(profile) -> dict:
    """A profile as a row of the bulk schema (the field names are the column names)."""
    row = {name: getattr(profile, name) for name in SCHEMA}
    row["citizenships"] = list(profile.citizenships) if profile.citizenships else None
    row["participations"] = list(profile.participations)
    return row


def test_there_are_enough_cases():
    assert len(CASES) >= 60


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_single_check(case: Case):
    _, results = run(case)
    for selector, status in case.expect.items():
        got = results[resolve(selector)]
        assert got.status == status, f"{case.story}: {selector} is {got.status}"
    for selector, rule_ids in case.reasons.items():
        got = results[resolve(selector)]
        assert [rule.id for rule, _ in got.decided_by] == rule_ids, case.story
    for selector, rule_ids in case.shown.items():
        got = results[resolve(selector)]
        assert [rule.id for rule, _ in got.reasons_for_person] == rule_ids, case.story
    for selector, missing in case.missing.items():
        assert list(results[resolve(selector)].missing) == missing, case.story
    if case.active is not None:
        active = {r.key for r in CATALOGUE.active_rounds(case.date)}
        assert active == {resolve(s) for s in case.active}, case.story


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_bulk_check_gives_the_same_answer(case: Case):
    profile, results = run(case)
    frame = normalise(
        pl.DataFrame(
            [profile_row(profile)],
            schema_overrides={
                "citizenships": pl.List(pl.String),
                "participations": pl.List(pl.String),
            },
        )
    )
    rounds = CATALOGUE.select_rounds(selectors(case))
    out = evaluate_frame(CATALOGUE, frame, case.date, rounds).row(0, named=True)
    for rnd in rounds:
        assert out[status_column(rnd)] == results[rnd.key].status, case.story
        assert out[missing_column(rnd)] == ";".join(results[rnd.key].missing), case.story


def test_every_rule_decides_some_case():
    """Each rule of each round fails in at least one case; each round is met in one case."""
    failing: set[str] = set()
    statuses: dict[str, set[str]] = defaultdict(set)
    for case in CASES:
        _, results = run(case)
        for key, result in results.items():
            statuses[key].add(result.status)
            failing.update(rule.id for rule, outcome in result.decided_by if outcome is False)
    all_rules = {rule.id for rnd in CATALOGUE.rounds for rule in rnd.rules}
    assert sorted(all_rules - failing) == []
    for rnd in CATALOGUE.rounds:
        assert {ELIGIBLE, NOT_ELIGIBLE} <= statuses[rnd.key], f"{rnd.key}: {statuses[rnd.key]}"


def test_every_residence_title_appears():
    titles = {c.profile.get("residence", {}).get("title") for c in CASES}
    assert set(RESIDENCE_TITLES) <= titles

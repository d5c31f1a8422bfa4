"""Evaluate a profile against funding rounds: answers with reasons and missing facts.

``shared/domain/eligibility.md`` section 2: a round is ``not_eligible`` as soon as one rule fails
on known facts (even if others are unknown), ``eligible`` only when every rule holds on known
facts, otherwise ``undetermined`` with the facts whose knowledge would decide it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from wegweiser.eligibility.catalogue import Catalogue, Round, Rule
from wegweiser.eligibility.facts import (
    DULDUNG_SECTIONS,
    FACTS,
    INPUT_KEYS,
    Profile,
    derive,
)

ELIGIBLE = "eligible"
NOT_ELIGIBLE = "not_eligible"
UNDETERMINED = "undetermined"
STATUSES = (ELIGIBLE, NOT_ELIGIBLE, UNDETERMINED)
OUTCOME_NAMES = {True: "met", False: "not_met", None: "unknown"}


@dataclass(frozen=True)
class RoundResult:
    round: Round
    status: str
    #: the deciding rules with their outcome (True, False or None)
    decided_by: tuple[tuple[Rule, bool | None], ...]
    missing: tuple[str, ...]
    facts: dict[str, Any]

    def to_json(self, lang: str = "de") -> dict[str, Any]:
        return {
            "programme": self.round.programme,
            "round": self.round.id,
            "status": self.status,
            "reasons": [
                {
                    "rule": rule.id,
                    "outcome": OUTCOME_NAMES[outcome],
                    "text": rule.reason_text(lang, self.facts, outcome),
                    "source": rule.source_text(),
                }
                for rule, outcome in self.decided_by
            ],
            "missing": list(self.missing),
        }


def evaluate_round(rnd: Round, profile: Profile, facts: dict[str, Any]) -> RoundResult:
    outcomes = [(rule, rule.condition.evaluate(facts)) for rule in rnd.rules]
    failed = [(r, o) for r, o in outcomes if o is False]
    if failed:
        return RoundResult(rnd, NOT_ELIGIBLE, tuple(failed), (), facts)
    unknown = [(r, o) for r, o in outcomes if o is None]
    if not unknown:
        return RoundResult(rnd, ELIGIBLE, tuple(outcomes), (), facts)
    missing_keys = {k for r, _ in unknown for k in r.input_keys if profile.absent(k)}
    missing = tuple(k for k in INPUT_KEYS if k in missing_keys)
    return RoundResult(rnd, UNDETERMINED, tuple(unknown), missing, facts)


def evaluate(
    catalogue: Catalogue,
    profile: Profile,
    day: dt.date,
    rounds: Sequence[Round] | None = None,
) -> list[RoundResult]:
    """Answer for each of ``rounds`` (default: every round active on ``day``)."""
    facts = derive(profile, day)
    chosen = catalogue.active_rounds(day) if rounds is None else rounds
    return [evaluate_round(r, profile, facts) for r in chosen]


def result_document(results: list[RoundResult], day: dt.date, lang: str = "de") -> dict[str, Any]:
    return {"date": day.isoformat(), "results": [r.to_json(lang) for r in results]}


# --- the next question ------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    """The input key to ask next and the rounds its answer can decide."""

    key: str
    rounds: tuple[str, ...]
    score: float

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "rounds": list(self.rounds), "score": round(self.score, 3)}


_RESIDENCE_CANDIDATES = (
    {"residence_title": "german_citizen"},
    {"residence_title": "free_movement"},
    {"residence_title": "aufenthaltserlaubnis", "residence_section": "25(2)"},
    {"residence_title": "aufenthaltserlaubnis", "residence_section": "104c"},
    {"residence_title": "aufenthaltserlaubnis", "residence_section": "18g"},
    {"residence_title": "niederlassungserlaubnis"},
    {"residence_title": "aufenthaltsgestattung"},
    {"residence_title": "duldung", "residence_section": "60a"},
    {"residence_title": "duldung", "residence_section": "60b"},
    {"residence_title": "none"},
)
_CITIZENSHIP_CANDIDATES = (("DE",), ("RO",), ("SY",), ("NO",), ("stateless",))


def _candidates(key: str, profile: Profile, ages: Sequence[int]) -> list[dict[str, Any]]:
    """Representative answers to ``key``, as Profile field updates."""
    if key == "birth_date":
        return [{"age": a} for a in ages]
    if key == "residence":
        return [dict(c) for c in _RESIDENCE_CANDIDATES]
    if key == "residence.section":
        if profile.residence_title == "duldung":
            return [{"residence_section": s} for s in sorted(DULDUNG_SECTIONS)]
        return [{"residence_section": s} for s in ("25(2)", "104c", "18g")]
    if key == "citizenships":
        return [{"citizenships": c} for c in _CITIZENSHIP_CANDIDATES]
    if key == "kreis":
        return [{"kreis": "06412"}, {"kreis": "09162"}]
    if key == "participations":
        return []
    fact = FACTS[key]
    if fact.kind == "bool":
        return [{key: True}, {key: False}]
    return [{key: v} for v in fact.values]


def _age_candidates(rounds: Sequence[Round]) -> list[int]:
    thresholds = {
        c.value
        for r in rounds
        for rule in r.rules
        for c in rule.condition.comparisons()
        if c.fact == "age" and isinstance(c.value, int)
    }
    ages = {max(0, t + d) for t in thresholds for d in (-1, 0)}
    return sorted(ages | {30})


def next_question(
    catalogue: Catalogue,
    profile: Profile,
    day: dt.date,
    rounds: Sequence[Round] | None = None,
    exclude: Collection[str] = (),
) -> Question | None:
    """The unknown input that decides the most still-undetermined rounds, or ``None``.

    ``exclude`` lists keys not to ask again (the person answered "I don't know").

    Each candidate key is tried with representative answers; its score is the mean number of
    undetermined rounds the answer decides. Ties go to the key that more rounds are missing, then
    to the fixed question order of ``INPUT_KEYS``.
    """
    chosen = list(catalogue.active_rounds(day) if rounds is None else rounds)
    open_results = [
        r for r in evaluate(catalogue, profile, day, chosen) if r.status == UNDETERMINED
    ]
    if not open_results:
        return None
    open_rounds = [r.round for r in open_results]
    keys = [k for k in INPUT_KEYS if k not in exclude and any(k in r.missing for r in open_results)]
    ages = _age_candidates(open_rounds)
    best: tuple[float, int, int] | None = None
    best_question = None
    for position, key in enumerate(keys):
        affected = tuple(r.round.key for r in open_results if key in r.missing)
        candidates = _candidates(key, profile, ages)
        if not candidates:
            continue
        decided = 0
        for update in candidates:
            trial = dataclasses.replace(profile, **update)
            facts = derive(trial, day)
            decided += sum(
                1 for rnd in open_rounds if evaluate_round(rnd, trial, facts).status != UNDETERMINED
            )
        score = decided / len(candidates)
        rank = (score, len(affected), -position)
        if best is None or rank > best:
            best, best_question = rank, Question(key, affected, score)
    return best_question

"""Evaluate a profile against funding rounds: answers with reasons and missing facts.

``shared/domain/eligibility.md`` section 2: a round is ``not_eligible`` as soon as one rule fails
on known facts (even if others are unknown), ``eligible`` only when every rule holds on known
facts, otherwise ``undetermined`` with the facts whose knowledge would decide it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from wegweiser.eligibility.catalogue import Catalogue, Round, Rule
from wegweiser.eligibility.facts import Profile, derive
from wegweiser.eligibility.registry import FACTS, INPUT_KEYS
from wegweiser.eligibility.values import DULDUNG_SECTIONS

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

    @property
    def reasons_for_person(self) -> tuple[tuple[Rule, bool | None], ...]:
        """The reasons to show the person herself (the self-check), a part of ``decided_by``.

        Not eligible: only the first failing rule in the round's order. One failing rule is
        enough, and the later ones need not be about her: Win-Win's second round excludes
        refugee residence titles *among young men*, so a woman with a humanitarian residence
        permit fails that rule too, but what fails for her is that the programme is for men.
        Each round therefore lists first the rule that defines its target group (Win-Win: men,
        WIR: refugees, IQ recognition counselling: a foreign qualification), then the narrower
        conditions (``docs/eligibility.md``, "Reasons for the person"). Eligible and
        undetermined: every deciding rule (what holds, what is still open).
        """
        if self.status == NOT_ELIGIBLE:
            return self.decided_by[:1]
        return self.decided_by

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
    """The input key to ask next, the rounds its answer can decide and why it is asked.

    ``rules`` are the still-unknown rules of those rounds that depend on the key: their texts
    (:meth:`why`) say in plain language why the question is asked. ``score`` is the mean number
    of open rounds one answer decides; ``expected_remaining`` the estimated number of questions
    still to ask after this one (averaged over representative answers and "I don't know").
    """

    key: str
    rounds: tuple[str, ...]
    score: float
    rules: tuple[Rule, ...] = ()
    expected_remaining: float = 0.0

    def why(self, lang: str = "de") -> list[str]:
        """The plain-language texts of the rules this answer helps decide (no duplicates)."""
        return list(dict.fromkeys(rule.reason_text(lang) for rule in self.rules))

    def to_json(self, lang: str = "de") -> dict[str, Any]:
        return {
            "key": self.key,
            "rounds": list(self.rounds),
            "score": round(self.score, 3),
            "rules": list(dict.fromkeys(rule.id for rule in self.rules)),
            "why": self.why(lang),
            "expected_remaining": round(self.expected_remaining, 3),
        }


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
#: Above this many answer combinations a round is assumed decidable rather than enumerated.
_MAX_COMBINATIONS = 4096


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


def _askable(result: RoundResult, exclude: Collection[str]) -> list[str]:
    return [k for k in result.missing if k not in exclude and k != "participations"]


def _decidable(
    result: RoundResult, profile: Profile, day: dt.date, exclude: Collection[str], ages
) -> bool:
    """Can answers to the round's askable missing keys still decide it?

    A round whose deciding facts were all answered with "I don't know" stays open whatever else
    is asked; questions only it needs are not worth asking. A round with a single askable key is
    decidable when one of that key's answers decides it; with several keys every combination of
    representative answers is tried (up to :data:`_MAX_COMBINATIONS`, beyond that it counts as
    decidable).
    """
    keys = _askable(result, exclude)
    if not keys:
        return False
    options = [_candidates(k, profile, ages) for k in keys]
    for update in (u for opts in options for u in opts):
        trial = dataclasses.replace(profile, **update)
        if evaluate_round(result.round, trial, derive(trial, day)).status != UNDETERMINED:
            return True
    if len(keys) == 1:
        return False
    total = 1
    for opts in options:
        total *= max(1, len(opts))
    if total > _MAX_COMBINATIONS:
        return True
    for combo in itertools.product(*options):
        trial = profile
        for update in combo:
            trial = dataclasses.replace(trial, **update)
        if evaluate_round(result.round, trial, derive(trial, day)).status != UNDETERMINED:
            return True
    return False


def _remaining_keys(
    rounds: Sequence[Round], profile: Profile, day: dt.date, exclude: Collection[str]
) -> tuple[int, int]:
    """(open rounds, distinct askable keys they miss) after a trial answer: the estimate of what
    is left to ask."""
    facts = derive(profile, day)
    keys: set[str] = set()
    still_open = 0
    for rnd in rounds:
        res = evaluate_round(rnd, profile, facts)
        if res.status == UNDETERMINED:
            still_open += 1
            keys.update(_askable(res, exclude))
    return still_open, len(keys)


def keys_left(
    catalogue: Catalogue,
    profile: Profile,
    day: dt.date,
    rounds: Sequence[Round] | None = None,
    exclude: Collection[str] = (),
) -> frozenset[str]:
    """The input keys that may still be asked: those the undetermined rounds miss, less the
    excluded ones. Their number bounds the questions left (the self-check's progress line)."""
    chosen = list(catalogue.active_rounds(day) if rounds is None else rounds)
    facts = derive(profile, day)
    keys: set[str] = set()
    for rnd in chosen:
        res = evaluate_round(rnd, profile, facts)
        if res.status == UNDETERMINED:
            keys.update(_askable(res, exclude))
    return frozenset(keys)


def _open(
    catalogue: Catalogue,
    profile: Profile,
    day: dt.date,
    rounds: Sequence[Round] | None,
    exclude: Collection[str],
    results: Sequence[RoundResult] | None,
) -> tuple[set[str], list[RoundResult], list[int]]:
    """(excluded keys, the open rounds' results, candidate ages). ``results``: :func:`evaluate`
    of the same profile, day and rounds, if already at hand."""
    if results is None:
        chosen = list(catalogue.active_rounds(day) if rounds is None else rounds)
        results = evaluate(catalogue, profile, day, chosen)
    open_results = [r for r in results if r.status == UNDETERMINED]
    return set(exclude), open_results, _age_candidates([r.round for r in open_results])


def _open_decidable(
    catalogue: Catalogue,
    profile: Profile,
    day: dt.date,
    rounds: Sequence[Round] | None,
    exclude: Collection[str],
) -> tuple[set[str], list[RoundResult], list[int]]:
    """(excluded keys, the open rounds' results that answers can still decide, candidate ages)."""
    excluded, open_results, ages = _open(catalogue, profile, day, rounds, exclude, None)
    open_results = [r for r in open_results if _decidable(r, profile, day, excluded, ages)]
    return excluded, open_results, ages


def any_question_left(
    catalogue: Catalogue,
    profile: Profile,
    day: dt.date,
    rounds: Sequence[Round] | None = None,
    exclude: Collection[str] = (),
    results: Sequence[RoundResult] | None = None,
) -> bool:
    """Whether :func:`next_question` would ask something: the same test, without weighing the
    keys against each other (the result page only needs to know whether to offer more
    questions). ``results``: :func:`evaluate` of the same arguments, if already at hand.

    A key is asked when an open round that answers can still decide misses it, it is not
    excluded, the person has not answered it and it has candidate answers: the open rounds are
    tried one by one, the cheap tests of their keys first, and the first such round ends the
    search (the costly one, :func:`_decidable`, runs only for rounds with such a key)."""
    excluded, open_results, ages = _open(catalogue, profile, day, rounds, exclude, results)
    for result in open_results:
        askable = [
            k
            for k in _askable(result, excluded)
            if k in _INPUT_KEY_SET and profile.absent(k) and _candidates(k, profile, ages)
        ]
        if askable and _decidable(result, profile, day, excluded, ages):
            return True
    return False


_INPUT_KEY_SET = frozenset(INPUT_KEYS)


def next_question(
    catalogue: Catalogue,
    profile: Profile,
    day: dt.date,
    rounds: Sequence[Round] | None = None,
    exclude: Collection[str] = (),
    implies: Mapping[str, Sequence[str]] | None = None,
) -> Question | None:
    """The unknown input whose answer leaves the fewest questions to ask, or ``None``.

    ``exclude`` lists keys not to ask again (the person answered "I don't know").
    ``implies`` names keys whose answer the caller derives from another key's answer without
    asking (the self-check: the WIR/AMIF project fact from the postcode's Kreis): a key is then
    tried with every combination of its own and the implied keys' representative answers, so a
    question that answers more is asked earlier.

    Only keys that are absent from ``profile``, not excluded, and missing in an undetermined
    round that answers can still decide are asked; ``None`` means every round is decided or no
    question can decide one any more. Each candidate key is tried with representative answers
    (ages at every threshold of the rules, typical residence titles, EU/EEA/third-country/
    stateless citizenships, Hessen/elsewhere, each enum value) and with "I don't know". After
    each answer the open rounds and the distinct keys they still miss are counted; the key with
    the smallest expected number of remaining questions wins (a greedy minimum of the expected
    number of questions), ties to the key whose answers decide more open rounds on average, then
    to the key more open rounds miss (a fact rounds share), then to the order of ``INPUT_KEYS``.
    """
    excluded, open_results, ages = _open_decidable(catalogue, profile, day, rounds, exclude)
    if not open_results:
        return None
    open_rounds = [r.round for r in open_results]
    implied = {
        k: tuple(i for i in (implies or {}).get(k, ()) if i not in excluded and profile.absent(i))
        for k in INPUT_KEYS
    }
    keys = [
        k
        for k in INPUT_KEYS
        if k not in excluded
        and profile.absent(k)
        and any({k, *implied[k]} & set(_askable(r, excluded)) for r in open_results)
    ]
    best: tuple[float, ...] | None = None
    best_question = None
    for position, key in enumerate(keys):
        candidates = _candidates(key, profile, ages)
        for also in implied[key]:
            candidates = [c | u for c in candidates for u in _candidates(also, profile, ages)]
        if not candidates:
            continue
        answered = {key, *implied[key]}
        affected = [r for r in open_results if answered & set(r.missing)]
        decided = 0
        remaining = 0.0
        for update in candidates:
            trial = dataclasses.replace(profile, **update)
            still_open, left = _remaining_keys(open_rounds, trial, day, excluded)
            decided += len(open_rounds) - still_open
            remaining += left
        # "I don't know": nothing is decided and the key is never asked again
        _, left = _remaining_keys(open_rounds, profile, day, excluded | {key})
        remaining += left
        expected_remaining = remaining / (len(candidates) + 1)
        score = decided / len(candidates)
        rank = (-expected_remaining, score, len(affected), -position)
        if best is None or rank > best:
            rules = tuple(
                rule
                for r in affected
                for rule, outcome in r.decided_by
                if outcome is None and answered & set(rule.input_keys)
            )
            best = rank
            best_question = Question(
                key, tuple(r.round.key for r in affected), score, rules, expected_remaining
            )
    return best_question

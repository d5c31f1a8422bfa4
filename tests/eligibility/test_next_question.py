"""next_question: the unknown fact that decides the most still-open rounds."""

from __future__ import annotations

import dataclasses
import datetime as dt
import statistics

from tests.eligibility.casefiles import load_cases
from wegweiser.eligibility.catalogue import load_catalogue
from wegweiser.eligibility.engine import UNDETERMINED, evaluate, next_question
from wegweiser.eligibility.facts import Profile, parse_profile

CATALOGUE = load_catalogue()
DAY = dt.date(2025, 6, 1)


def test_nothing_to_ask_when_everything_is_decided():
    profile = parse_profile(
        {
            "age": 5,
            "kreis": "09162",
            "foreign_qualification": False,
            "residence": {"title": "german_citizen"},
            "migration_background": False,
            "gender": "female",
        },
        reference_date=DAY,
    )
    assert all(r.status != UNDETERMINED for r in evaluate(CATALOGUE, profile, DAY))
    assert next_question(CATALOGUE, profile, DAY) is None


def test_first_question_is_one_that_many_rounds_miss():
    question = next_question(CATALOGUE, Profile(), DAY)
    assert question is not None
    results = evaluate(CATALOGUE, Profile(), DAY)
    counts = {k: sum(k in r.missing for r in results) for k in ("birth_date", "residence", "kreis")}
    assert question.key in counts
    assert len(question.rounds) == counts[question.key]


def test_asks_only_what_is_missing():
    profile = parse_profile(
        {"residence": {"title": "aufenthaltserlaubnis"}, "age": 30}, reference_date=DAY
    )
    question = next_question(CATALOGUE, profile, DAY)
    assert question.key not in ("birth_date", "residence")


def answer_from(truth: Profile, key: str) -> dict:
    """The field updates that answer ``key`` as ``truth`` would."""
    if key == "birth_date":
        return {"birth_date": truth.birth_date, "age": truth.age}
    if key == "residence":
        return {
            "residence_title": truth.residence_title,
            "residence_section": truth.residence_section,
        }
    if key == "residence.section":
        return {"residence_section": truth.residence_section}
    return {key: getattr(truth, key)}


def questions_until_decided(truth: Profile, day: dt.date) -> int:
    # participations are never "unknown" (eligibility.md § 1): the self-check asks them up front
    known, asked, unknown = Profile(participations=truth.participations), 0, set()
    while (question := next_question(CATALOGUE, known, day, exclude=unknown)) is not None:
        update = answer_from(truth, question.key)
        known = dataclasses.replace(known, **update)
        asked += 1
        if all(v is None for v in update.values()):
            unknown.add(question.key)  # "I don't know": never asked again
    final = {r.round.key: r.status for r in evaluate(CATALOGUE, known, day)}
    assert final == {r.round.key: r.status for r in evaluate(CATALOGUE, truth, day)}
    return asked


def test_questions_end_and_decide_the_personas():
    """Asking the personas of the case files ends with the answers their full profile gives.

    The median number of questions is reported by `make bench`."""
    counts = []
    for case in load_cases():
        truth = parse_profile(
            case.profile, reference_date=case.date, known_rounds=CATALOGUE.round_ids
        )
        counts.append(questions_until_decided(truth, case.date))
    assert max(counts) <= 15
    assert statistics.median(counts) >= 1

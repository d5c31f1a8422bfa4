"""any_question_left: the result page's cheap test of whether the self-check has more to ask.

It must say exactly what ``next_question(...) is not None`` says, for any person, with any keys
answered "I don't know", and with the answers evaluated beforehand passed in or not.
"""

from __future__ import annotations

import dataclasses

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.eligibility.test_next_question import CASES, CATALOGUE, _parse
from tests.eligibility.test_properties import profiles
from wegweiser.eligibility.engine import any_question_left, evaluate, next_question
from wegweiser.eligibility.facts import INPUT_KEYS, Profile, parse_profile
from wegweiser.eligibility.questioning import answer_from


def _agree(profile: Profile, day, exclude) -> None:
    expected = next_question(CATALOGUE, profile, day, exclude=exclude) is not None
    assert any_question_left(CATALOGUE, profile, day, exclude=exclude) is expected
    results = evaluate(CATALOGUE, profile, day)
    assert any_question_left(CATALOGUE, profile, day, exclude=exclude, results=results) is expected


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profiles(), st.sets(st.sampled_from(INPUT_KEYS)))
def test_agrees_with_next_question_for_any_person(item, exclude):
    day, data = item
    profile = _parse(day, data)
    if profile is not None:
        _agree(profile, day, exclude)


def test_agrees_at_every_step_of_the_personas_dialogues():
    """Every state the self-check passes through with the 120 personas, the last one (nothing
    left to ask) included."""
    steps = 0
    for case in CASES:
        truth = parse_profile(case.profile, reference_date=case.date)
        known, unknown = Profile(participations=truth.participations), set()
        while True:
            _agree(known, case.date, unknown)
            steps += 1
            question = next_question(CATALOGUE, known, case.date, exclude=unknown)
            if question is None:
                break
            update = answer_from(truth, question.key)
            if any(v is not None for v in update.values()):
                known = dataclasses.replace(known, **update)
            else:
                unknown.add(question.key)
    assert steps > len(CASES)

"""Asking a known person the adaptive questions: the measure of ``next_question``.

The public self-check asks one question at a time, chosen by :func:`engine.next_question`,
until every active round is decided or no question is left. :func:`ask_until_decided` plays
that dialogue with a person whose full profile is known (a test persona): each question is
answered from the profile, with "I don't know" where the profile lacks the fact. It is used by
the tests and by ``bench/eligibility.py`` (median number of questions, issue 5).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from wegweiser.eligibility.catalogue import Catalogue, Round
from wegweiser.eligibility.engine import (
    UNDETERMINED,
    Question,
    RoundResult,
    evaluate,
    keys_left,
    next_question,
)
from wegweiser.eligibility.facts import Profile
from wegweiser.eligibility.registry import FACTS_BY_INPUT_KEY, INPUT_KEYS


def answer_from(truth: Profile, key: str) -> dict[str, Any]:
    """The profile field updates that answer the question ``key`` as ``truth`` would.

    All values ``None`` means "I don't know". The residence question is answered with title and
    paragraph: the self-check asks both on one page, as both are on the same card.
    """
    keys = (key, "residence.section") if key == "residence" else (key,)
    return {f.name: getattr(truth, f.name) for k in keys for f in FACTS_BY_INPUT_KEY[k]}


#: What a caller with the directory knows once the Kreis is known, without asking: whether a
#: project of the federal WIR programme or an AMIF-funded project serves it (the self-check,
#: ``public/derived.py``). Passed as ``implies`` to the dialogue.
DIRECTORY_ANSWERS: dict[str, tuple[str, ...]] = {"kreis": ("municipality_has_wir_or_amif_project",)}


def pages_left(
    catalogue: Catalogue,
    profile: Profile,
    day: dt.date,
    rounds: Sequence[Round] | None = None,
    exclude: Collection[str] = (),
) -> int:
    """At most this many question pages are left (the self-check's progress line): the keys the
    open rounds still miss, title and paragraph of the residence on one page."""
    keys = set(keys_left(catalogue, profile, day, rounds, exclude))
    if "residence" in keys:
        keys.discard("residence.section")
    return len(keys)


@dataclass(frozen=True)
class Step:
    question: Question
    known: bool  # False: the person answered "I don't know"
    at_most: int = 0  # pages left at most before this question, this one included


@dataclass(frozen=True)
class Dialogue:
    steps: tuple[Step, ...]
    profile: Profile  # what the questions found out
    results: tuple[RoundResult, ...]  # the answers on that profile

    @property
    def count(self) -> int:
        return len(self.steps)

    @property
    def decided(self) -> bool:
        """Is every round decided (rather than no question left)?"""
        return all(r.status != UNDETERMINED for r in self.results)


def ask_until_decided(
    catalogue: Catalogue,
    truth: Profile,
    day: dt.date,
    rounds: Sequence[Round] | None = None,
    implies: Mapping[str, Sequence[str]] | None = None,
) -> Dialogue:
    """Ask ``truth`` the adaptive questions until every round is decided or none is left.

    ``implies`` (as for :func:`engine.next_question`): keys known without asking once another
    key is answered, taken from ``truth`` then (the self-check derives the WIR/AMIF project fact
    from the Kreis).

    ``participations`` are known from the start: they are never unknown (eligibility.md § 1) and
    the self-check asks them up front, not adaptively. The loop ends after at most one question
    per input key, since every answer either fills the key or excludes it.
    """
    known = Profile(participations=truth.participations)
    unknown: set[str] = set()
    steps: list[Step] = []
    while (
        question := next_question(catalogue, known, day, rounds, exclude=unknown, implies=implies)
    ) is not None:
        if len(steps) >= len(INPUT_KEYS):  # pragma: no cover - next_question's guarantee
            raise AssertionError(
                f"more questions than input keys: {[s.question.key for s in steps]}"
            )
        at_most = pages_left(catalogue, known, day, rounds, exclude=unknown)
        update = answer_from(truth, question.key)
        answered = any(v is not None for v in update.values())
        if answered:
            known = dataclasses.replace(known, **update)
            for also in (implies or {}).get(question.key, ()):
                if known.absent(also):
                    known = dataclasses.replace(known, **answer_from(truth, also))
            if question.key == "residence" and known.absent("residence.section"):
                # The self-check asks the paragraph on the title's page; left at "weiß ich
                # nicht" there, it is not asked again (public/views.py).
                unknown.add("residence.section")
        else:
            unknown.add(question.key)  # "I don't know": never asked again
        steps.append(Step(question, answered, at_most))
    return Dialogue(tuple(steps), known, tuple(evaluate(catalogue, known, day, rounds)))

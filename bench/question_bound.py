"""The fewest questions any order could ask the eligibility test personas (issue 5's measure).

Not part of ``make bench`` (it takes about four minutes on 2 cores). For each persona of
``tests/eligibility/cases`` it searches the subsets of the input keys, smallest first, for one
after which no open round can be decided any more, answering as ``questioning.answer_from``
does (with "I don't know" where the persona lacks the fact, and a paragraph left open with the
residence title). The size of that subset bounds every strategy from below, since order only
ever adds questions. Prints the bound's median and distribution next to what ``next_question``
achieves, and writes ``bench/results/question_bound.json``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.eligibility.casefiles import load_cases  # noqa: E402
from wegweiser.eligibility.catalogue import load_catalogue  # noqa: E402
from wegweiser.eligibility.engine import (  # noqa: E402
    UNDETERMINED,
    _age_candidates,
    _decidable,
    evaluate,
)
from wegweiser.eligibility.facts import INPUT_KEYS, Profile, parse_profile  # noqa: E402
from wegweiser.eligibility.questioning import answer_from, ask_until_decided  # noqa: E402

KEYS = [k for k in INPUT_KEYS if k != "participations"]


def nothing_left(catalogue, profile: Profile, day: dt.date, excluded: set[str]) -> bool:
    """Would ``next_question`` return None: no open round any answer could still decide?"""
    open_results = [r for r in evaluate(catalogue, profile, day) if r.status == UNDETERMINED]
    ages = _age_candidates([r.round for r in open_results])
    return not any(_decidable(r, profile, day, excluded, ages) for r in open_results)


def after(truth: Profile, asked: tuple[str, ...]) -> tuple[Profile, set[str]]:
    """The profile and the "I don't know" keys after asking ``asked`` (in any order)."""
    known, unknown = Profile(participations=truth.participations), set()
    for key in asked:
        update = answer_from(truth, key)
        if any(v is not None for v in update.values()):
            known = dataclasses.replace(known, **update)
            if key == "residence" and known.absent("residence.section"):
                unknown.add("residence.section")
        else:
            unknown.add(key)
    return known, unknown


def bound(catalogue, truth: Profile, day: dt.date, most: int) -> int:
    for size in range(most + 1):
        for asked in itertools.combinations(KEYS, size):
            profile, unknown = after(truth, asked)
            if nothing_left(catalogue, profile, day, unknown):
                return size
    return most


def main() -> None:
    catalogue = load_catalogue()
    cases = load_cases()
    started = time.perf_counter()
    bounds, achieved = [], []
    for i, case in enumerate(cases, start=1):
        truth = parse_profile(
            case.profile, reference_date=case.date, known_rounds=catalogue.round_ids
        )
        reached = ask_until_decided(catalogue, truth, case.date).count
        achieved.append(reached)
        bounds.append(bound(catalogue, truth, case.date, reached))
        if i % 20 == 0 or i == len(cases):
            took = time.perf_counter() - started
            print(f"  {i}/{len(cases)} personas ({took:.0f} s)", flush=True)
    doc = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "personas": len(cases),
        "lower_bound": {
            "median": statistics.median(bounds),
            "mean": round(statistics.fmean(bounds), 2),
            "distribution": {str(n): c for n, c in sorted(Counter(bounds).items())},
        },
        "next_question": {
            "median": statistics.median(achieved),
            "mean": round(statistics.fmean(achieved), 2),
        },
        "personas_above_the_bound": sum(a > b for a, b in zip(achieved, bounds, strict=True)),
    }
    out = ROOT / "bench" / "results" / "question_bound.json"
    out.write_text(json.dumps(doc, indent=2) + "\n")
    print(
        f"lower bound over {len(cases)} personas: median {doc['lower_bound']['median']}, "
        f"mean {doc['lower_bound']['mean']}; next_question: median "
        f"{doc['next_question']['median']}, mean {doc['next_question']['mean']}; "
        f"{doc['personas_above_the_bound']} personas above the bound; written to "
        f"{out.relative_to(ROOT)}"
    )


if __name__ == "__main__":
    main()

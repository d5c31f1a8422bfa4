"""Benchmark: bulk (polars) versus single eligibility checks. Run with `make bench`.

Writes bench/results/eligibility.json and prints the rates. A benchmark, not a test: nothing
here passes or fails.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import polars as pl

from wegweiser.eligibility.bulk import evaluate_frame, normalise, validate
from wegweiser.eligibility.catalogue import load_catalogue
from wegweiser.eligibility.engine import evaluate
from wegweiser.eligibility.facts import (
    Profile,
    parse_profile,
    profile_from_row,
)
from wegweiser.eligibility.questioning import DIRECTORY_ANSWERS, ask_until_decided
from wegweiser.eligibility.synthetic import complete_profiles, synthetic_profiles

ROOT = Path(__file__).resolve().parent.parent
DAY = dt.date(2026, 8, 1)  # ten rounds active, three of them Win-Win
N_BULK = int(os.environ.get("BENCH_PROFILES", 1_000_000))
N_SINGLE = int(os.environ.get("BENCH_SINGLE_SAMPLE", 20_000))
REPEAT = 5


def to_profiles(frame: pl.DataFrame) -> list[Profile]:
    return [profile_from_row(row) for row in frame.iter_rows(named=True)]


def question_counts() -> dict | None:
    """Questions until every active round is decided, over the test personas (issue 5).

    Each persona of tests/eligibility/cases is asked the adaptive questions of
    ``next_question`` on its reference date; it answers from its profile, "I don't know" where
    the profile lacks the fact; counting stops when every round active on that date is decided
    or no question is left. The answers reached must be those of the full profile.
    """
    sys.path.insert(0, str(ROOT))
    try:
        from tests.eligibility.casefiles import load_cases
    except ImportError:  # the test personas are not shipped
        return None
    catalogue = load_catalogue()
    counts, decided = [], 0
    for case in load_cases():
        truth = parse_profile(
            case.profile, reference_date=case.date, known_rounds=catalogue.round_ids
        )
        dialogue = ask_until_decided(catalogue, truth, case.date)
        full = {r.round.key: r.status for r in evaluate(catalogue, truth, case.date)}
        assert {r.round.key: r.status for r in dialogue.results} == full, case.id
        counts.append(dialogue.count)
        decided += dialogue.decided
    return {
        "personas": len(counts),
        "median": statistics.median(counts),
        "mean": round(statistics.fmean(counts), 2),
        "max": max(counts),
        "distribution": {str(n): c for n, c in sorted(Counter(counts).items())},
        "personas_fully_decided": decided,
        "target_median": None,  # the target (5) is for people who know every fact
    }


#: Complete synthetic people for the comparison measure: how many, and on which days.
N_COMPLETE = 400
COMPLETE_DAYS = (dt.date(2025, 6, 1), DAY)


def complete_question_counts() -> dict:
    """The same dialogue with people who know every fact (for comparison with the personas).

    Synthetic profiles of the bulk benchmark with no unknown fact (ages 0–69, every residence
    title, the paragraph wherever the title has one), the first ``N_COMPLETE`` per day of
    ``COMPLETE_DAYS``: how many questions they need is what the order of questions achieves for
    somebody who can answer them all.
    """
    catalogue = load_catalogue()
    out = {}
    for day in COMPLETE_DAYS:
        complete = normalise(complete_profiles(N_COMPLETE, day))
        counts = [
            ask_until_decided(catalogue, p, day, implies=DIRECTORY_ANSWERS).count
            for p in to_profiles(complete)
        ]
        assert len(counts) == N_COMPLETE, len(counts)
        out[day.isoformat()] = {
            "people": len(counts),
            "median": statistics.median(counts),
            "mean": round(statistics.fmean(counts), 2),
            "max": max(counts),
            "target_median": 5,
        }
    return out


def main() -> None:
    catalogue = load_catalogue()
    rounds = catalogue.active_rounds(DAY)
    print(
        f"eligibility benchmark: {len(rounds)} rounds active on {DAY}, "
        f"polars {pl.__version__}, {os.cpu_count()} cores",
        flush=True,
    )
    questions = question_counts()
    if questions is not None:
        print(
            f"  questions until every active round is decided, over {questions['personas']} "
            f"sparse test personas (for comparison): median {questions['median']}, "
            f"mean {questions['mean']}, max {questions['max']}; "
            f"distribution {questions['distribution']}",
            flush=True,
        )
        questions["complete_synthetic_people"] = complete = complete_question_counts()
        for day, fig in complete.items():
            print(
                f"  {fig['people']} synthetic people who know every fact, on {day}: median "
                f"{fig['median']} (target <= 5, issue 16), mean {fig['mean']}, max {fig['max']}",
                flush=True,
            )

    started = time.perf_counter()
    frame = normalise(synthetic_profiles(N_BULK, DAY))
    validate(frame, DAY, catalogue.round_ids)
    print(
        f"  generated and validated {frame.height:,} synthetic profiles "
        f"in {time.perf_counter() - started:.2f} s",
        flush=True,
    )

    bulk_times = []
    for i in range(REPEAT):
        t0 = time.perf_counter()
        result = evaluate_frame(catalogue, frame, DAY, rounds)
        bulk_times.append(time.perf_counter() - t0)
        print(f"  bulk run {i + 1}/{REPEAT}: {bulk_times[-1]:.3f} s", flush=True)
    bulk_rate = N_BULK / min(bulk_times)
    bulk_status_only = []
    for _ in range(REPEAT):
        t0 = time.perf_counter()
        evaluate_frame(catalogue, frame, DAY, rounds, with_missing=False)
        bulk_status_only.append(time.perf_counter() - t0)

    sample = to_profiles(frame.head(N_SINGLE))
    single_times = []
    for i in range(REPEAT):
        t0 = time.perf_counter()
        for profile in sample:
            evaluate(catalogue, profile, DAY, rounds)
        single_times.append(time.perf_counter() - t0)
        print(
            f"  single-check loop {i + 1}/{REPEAT}: {len(sample):,} profiles in "
            f"{single_times[-1]:.3f} s",
            flush=True,
        )
    single_rate = len(sample) / min(single_times)

    # the two agree on the sample
    sample_frame = result.head(N_SINGLE)
    for profile, row in zip(sample[:2000], sample_frame.iter_rows(named=True), strict=False):
        for res in evaluate(catalogue, profile, DAY, rounds):
            assert row[f"{res.round.key}.status"] == res.status

    doc = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "reference_date": DAY.isoformat(),
        "rounds": len(rounds),
        "profiles_bulk": N_BULK,
        "profiles_single_sample": len(sample),
        "bulk_profiles_per_second": round(bulk_rate),
        "bulk_status_only_profiles_per_second": round(N_BULK / min(bulk_status_only)),
        "single_profiles_per_second": round(single_rate),
        "ratio_bulk_to_single": round(bulk_rate / single_rate, 1),
        "median_questions_until_decided": questions["median"] if questions else None,
        "questions_until_decided": questions,
        "machine": {
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "polars": pl.__version__,
            "platform": platform.platform(),
        },
    }
    out = ROOT / "bench" / "results" / "eligibility.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(doc, indent=2) + "\n")
    print(
        f"bulk:   {doc['bulk_profiles_per_second']:>12,} profiles/s "
        f"(status only: {doc['bulk_status_only_profiles_per_second']:,}/s)"
    )
    print(f"single: {doc['single_profiles_per_second']:>12,} profiles/s")
    print(f"ratio:  {doc['ratio_bulk_to_single']:>12}x")
    if questions is not None:
        for day, fig in questions["complete_synthetic_people"].items():
            print(
                f"median question pages, people who know every fact, {day}: {fig['median']} "
                f"(target <= 5)"
            )
        print(
            f"median question pages, sparse test personas: {questions['median']} "
            f"(for comparison; distribution {questions['distribution']})"
        )
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

"""Benchmark: the volunteers' matching engine. Run with `make bench`.

- ranked proposals for one appointment among 10,000 volunteers (ceiling 50 ms);
- a batch of 1,000 appointments in one week solved together (ceiling 1 s), and its total cost
  against greedy one-by-one.

Synthetic pools (seeded): ten languages, volunteers around Gießen/Marburg, weekly slots,
qualifications, a few bookings. Writes bench/results/volunteers.json; numbers as ratios of the
ceilings. A benchmark, not a test: nothing here passes or fails.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import random
import statistics
import time
from pathlib import Path

import scipy

from wegweiser.volunteers import matching as m

ROOT = Path(__file__).resolve().parent.parent
N_POOL = int(os.environ.get("BENCH_VOLUNTEERS", 10_000))
N_BATCH = int(os.environ.get("BENCH_BATCH", 1_000))
N_BATCH_POOL = int(os.environ.get("BENCH_BATCH_VOLUNTEERS", 2_000))
LANGS = ["ar", "prs", "fa", "ps", "uk", "ru", "tr", "ku", "ti", "so"]
WEEK = dt.date(2027, 1, 4)
RANK_CEILING_S, BATCH_CEILING_S = 0.050, 1.0


def volunteers(n: int, rng: random.Random) -> list[m.Candidate]:
    out = []
    for i in range(n):
        langs = rng.sample(LANGS, rng.choice([1, 1, 2, 3]))
        weekly = []
        for day in rng.sample(range(7), rng.randint(2, 5)):
            f = rng.choice([8, 9, 13, 14]) * 60
            weekly.append((day, f, f + rng.choice([180, 240, 300])))
        out.append(
            m.Candidate(
                id=f"v{i}",
                languages={lang: (rng.randint(3, 6), rng.random() < 0.9) for lang in langs},
                lat=50.4 + rng.random() * 0.5,
                lon=8.4 + rng.random() * 0.6,
                radius_km=rng.choice([10, 20, 30, 50]),
                modes=frozenset(rng.sample(["on_site", "phone", "video"], rng.randint(1, 3))),
                gender=rng.choice(["female", "male"]),
                weekly=tuple(weekly),
                qualifications={
                    "basic_course": (dt.date(2024, 3, 1), None),
                    "confidentiality": (dt.date(2024, 3, 1), dt.date(2028, 1, 1)),
                },
                excluded_settings=frozenset(
                    rng.sample(["court", "psychotherapy"], rng.randint(0, 1))
                ),
                hours_this_month=rng.choice([0, 0, 1.5, 3, 6]),
                max_hours_month=rng.choice([10, 15, 20]),
                past_participants=frozenset({f"p{rng.randint(0, 500)}"}),
            )
        )
    return out


def appointments(n: int, rng: random.Random) -> list[m.Need]:
    out = []
    for i in range(n):
        day = WEEK + dt.timedelta(days=rng.randint(0, 4))
        start = dt.datetime.combine(day, dt.time(rng.choice([9, 10, 11, 14, 15])))
        out.append(
            m.Need(
                id=f"n{i}",
                language=rng.choice(LANGS),
                start=start,
                end=start + dt.timedelta(minutes=rng.choice([60, 90])),
                mode=rng.choice(["on_site", "on_site", "phone", "video"]),
                min_level=4,
                setting=rng.choice(["doctor", "school", "counselling", "court"]),
                lat=50.4 + rng.random() * 0.5,
                lon=8.4 + rng.random() * 0.6,
                qualifications=frozenset({"basic_course", "confidentiality"}),
                participant=f"p{rng.randint(0, 500)}",
                gender_preference=rng.choice(["", "", "female"]),
            )
        )
    return out


def timed(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def cpu_timed(fn, repeat: int) -> float:
    """The median CPU time of this process (less disturbed by other processes than wall time
    on a shared machine)."""
    times = []
    for _ in range(repeat):
        t = time.process_time()
        fn()
        times.append(time.process_time() - t)
    return statistics.median(times)


def main() -> None:
    load_before = os.getloadavg()
    rng = random.Random(13)
    pool = volunteers(N_POOL, rng)
    t = time.perf_counter()
    index = m.Index(pool)
    index_s = time.perf_counter() - t
    singles = appointments(50, rng)
    rank_times = [timed(lambda n=n: m.rank(n, index), 3)[0] for n in singles]
    rank_s = statistics.median(rank_times)
    rank_max = max(rank_times)
    found = statistics.median(len(m.rank(n, index)) for n in singles)

    batch_pool = volunteers(N_BATCH_POOL, random.Random(14))
    week = appointments(N_BATCH, random.Random(15))
    batch_s, solved = timed(lambda: m.batch(week, batch_pool), 3)
    batch_cpu = cpu_timed(lambda: m.batch(week, batch_pool), 3)
    greedy_s, greedy = timed(lambda: m.greedy(week, batch_pool), 3)
    batch_cost = m.total_cost(solved, week, batch_pool)
    greedy_cost = m.total_cost(greedy, week, batch_pool)
    doc = {
        "rank": {
            "volunteers": N_POOL,
            "median_seconds": round(rank_s, 5),
            "max_seconds": round(rank_max, 5),
            "ceiling_seconds": RANK_CEILING_S,
            "ratio_to_ceiling": round(rank_s / RANK_CEILING_S, 3),
            "index_build_seconds_once_per_pool": round(index_s, 3),
            "median_proposals_shown": found,
        },
        "batch": {
            "appointments": N_BATCH,
            "volunteers": N_BATCH_POOL,
            "median_seconds": round(batch_s, 3),
            "ceiling_seconds": BATCH_CEILING_S,
            "ratio_to_ceiling": round(batch_s / BATCH_CEILING_S, 3),
            "median_cpu_seconds": round(batch_cpu, 3),
            "cpu_ratio_to_ceiling": round(batch_cpu / BATCH_CEILING_S, 3),
            "assigned": len(solved),
            "total_cost": batch_cost,
            "greedy_seconds": round(greedy_s, 3),
            "greedy_assigned": len(greedy),
            "greedy_total_cost": greedy_cost,
            "cost_batch_to_greedy": round(batch_cost / greedy_cost, 4),
            "unassigned_points": 1000,
        },
        "machine": {
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "scipy": scipy.__version__,
            "platform": platform.platform(),
        },
    }
    out = ROOT / "bench" / "results" / "volunteers.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(doc, indent=2) + "\n")
    print(
        f"rank among {N_POOL:,}: {rank_s * 1000:.1f} ms median, {rank_max * 1000:.1f} ms max "
        f"(ceiling 50 ms: {doc['rank']['ratio_to_ceiling']})"
    )
    print(
        f"batch of {N_BATCH:,} among {N_BATCH_POOL:,}: {batch_s:.3f} s "
        f"(ceiling 1 s: {doc['batch']['ratio_to_ceiling']}; CPU {batch_cpu:.3f} s), "
        f"{len(solved)} assigned, cost "
        f"{batch_cost:,}; greedy {greedy_s:.3f} s, {len(greedy)} assigned, cost {greedy_cost:,} "
        f"(batch/greedy {doc['batch']['cost_batch_to_greedy']})"
    )
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

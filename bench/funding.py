"""Benchmark: coverage per Kreis (all 400 Kreise × every theme, language and programme) at
100,000 published offers on PostgreSQL. Run with `make bench`.

Builds (or reuses) the PostgreSQL database ``wegweiser_bench_funding``: migrated, the catalogue
and the regions loaded, then N synthetic offers (``BENCH_OFFERS``, default 100,000) of 2,000
synthetic organisations spread over all 400 Kreise (weighted by population), each with one to
three themes, zero to three languages and a funding round. Measures, each ``BENCH_RUNS`` times
(default 10, after one warm-up):

- ``end_to_end``: :func:`wegweiser.funding.views_coverage.compute`, what the public page and the
  CSV export run: the one query of the offers, the polars frame and the coverage, and the
  interpreting requests per Kreis and language with the languages asked for but not offered;
- ``pure``: :func:`wegweiser.funding.coverage.coverage` on a frame already built.

Writes bench/results/funding.json with the median and max and the ratio to the ceiling of 1 s
(the run itself does not fail). ``BENCH_PG_URL`` (``postgres://postgres@127.0.0.1:5432/``);
``--rebuild`` drops and rebuilds the database.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from codestate import code_state  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "funding.json"
N_OFFERS = int(os.environ.get("BENCH_OFFERS", 100_000))
N_RUNS = int(os.environ.get("BENCH_RUNS", 10))
PG_SERVER = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/").rstrip("/")
PG_DB = "wegweiser_bench_funding"
CEILING_S = 1.0
SEED = 20261202
LANGUAGES = ["en", "ar", "uk", "ru", "fa", "tr", "ku", "ti", "so", "fr", "pl", "ro"]


def _psql(sql: str) -> str:
    done = subprocess.run(
        ["psql", f"{PG_SERVER}/postgres", "-tAc", sql], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def _prepare_database(rebuild: bool) -> None:
    exists = _psql(f"SELECT 1 FROM pg_database WHERE datname = '{PG_DB}'") == "1"
    if exists and rebuild:
        _psql(f"DROP DATABASE {PG_DB}")
        exists = False
    if not exists:
        _psql(f"CREATE DATABASE {PG_DB}")


def _setup_django() -> None:
    os.environ["DATABASE_URL"] = f"{PG_SERVER}/{PG_DB}"
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wegweiser.config.settings")
    import django

    django.setup()


def _fill() -> int:
    """Migrate and add the synthetic offers (once); returns the number of published offers."""
    from django.core.management import call_command

    from wegweiser.directory.models import Offer
    from wegweiser.directory.vocabulary import THEMES
    from wegweiser.funding.coverage import population
    from wegweiser.organisations import services
    from wegweiser.organisations.models import Organisation
    from wegweiser.programmes.models import FundingRound

    call_command("migrate", verbosity=0, interactive=False)
    have = Offer.objects.filter(status=Offer.PUBLISHED).count()
    if have >= N_OFFERS:
        return have
    call_command("load_catalogue", verbosity=0)
    services.regions_sync()
    rng = random.Random(SEED)
    pop = population()
    kreise = pop["ags"].to_list()
    weights = pop["population"].to_list()
    rounds = list(FundingRound.objects.values_list("pk", flat=True))
    themes = list(THEMES)
    orgs = Organisation.objects.bulk_create(
        Organisation(name=f"Bench-Träger {i} (Demo)", kind="verein", is_synthetic=True)
        for i in range(2000)
    )
    home = {org.pk: rng.choices(kreise, weights)[0] for org in orgs}
    batch = []
    for i in range(N_OFFERS - have):
        org = rng.choice(orgs)
        batch.append(
            Offer(
                organisation=org,
                name={"de": f"Angebot {i}"},
                themes=rng.sample(themes, rng.randint(1, 3)),
                languages=rng.sample(LANGUAGES, rng.randint(0, 3)),
                status=Offer.PUBLISHED,
                region_id=home[org.pk] if rng.random() < 0.8 else rng.choices(kreise, weights)[0],
                funding_round_id=rng.choice(rounds),
            )
        )
        if len(batch) == 5000:
            Offer.objects.bulk_create(batch)
            batch = []
    Offer.objects.bulk_create(batch)
    return Offer.objects.filter(status=Offer.PUBLISHED).count()


def _timed(call, runs: int) -> dict[str, float]:
    call()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    median = statistics.median(times)
    return {
        "median_s": round(median, 4),
        "max_s": round(max(times), 4),
        "ratio_to_ceiling": round(median / CEILING_S, 3),
        "within_ceiling": median <= CEILING_S,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    _prepare_database(args.rebuild)
    _setup_django()
    offers = _fill()

    from wegweiser.funding import coverage, views_coverage

    computed = views_coverage.compute()
    result, labels = computed.result, computed.labels
    frame = views_coverage.offer_frame()
    values = {d: list(v) for d, v in labels.items()}
    measured = {
        "end_to_end": _timed(views_coverage.compute, N_RUNS),
        "pure": _timed(lambda: coverage.coverage(frame, coverage.population(), values), N_RUNS),
    }
    theme_cells = result.cells.filter(result.cells["dimension"] == "theme")
    report = {
        "benchmark": "funding coverage per Kreis",
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": "postgresql",
        "offers": offers,
        "kreise": result.kreise.height,
        "themes": len(labels["theme"]),
        "languages": len(labels["language"]),
        "programmes": len(labels["programme"]),
        "cells": result.cells.height,
        "theme_cells": theme_cells.height,
        "ceiling_s": CEILING_S,
        "runs": N_RUNS,
        "measured": measured,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        **code_state(),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    for name, m in measured.items():
        print(
            f"coverage {name}: median {m['median_s'] * 1000:.0f} ms, max {m['max_s'] * 1000:.0f} "
            f"ms ({m['ratio_to_ceiling']:.2f} of the 1 s ceiling) — {offers} offers, "
            f"{result.kreise.height} Kreise × {len(labels['theme'])} themes"
        )


if __name__ == "__main__":
    main()

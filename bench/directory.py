"""Benchmark: directory search and map GeoJSON on 100,000 synthetic offers. Run with `make bench`.

Builds (or reuses) two databases with the synthetic Hessen directory of ``wegweiser demo
--offers N``: an SQLite file under ``bench/.cache/`` and the PostgreSQL database
``wegweiser_bench``. Each is measured in a subprocess of this script (``--worker``), because
Django's settings can be configured only once per process:

- search: text + radius + one or two filters, parsed by ``OfferSearchForm(...).to_query()``
  (as the page and the API do), then ``search_offers`` and the page of hits materialised;
- map: ``offer_points(query, limit=10000)`` for a query with at least 10,000 matches, turned
  into a GeoJSON FeatureCollection and serialised with ``json.dumps``.

Writes bench/results/directory.json and prints a summary. The p95 targets of the search
(PostgreSQL 30 ms, SQLite 100 ms) are reported with a pass/fail flag; the run itself does not fail.

Environment: ``BENCH_OFFERS`` (default 100000), ``BENCH_SEARCH_RUNS`` (200),
``BENCH_GEOJSON_RUNS`` (20), ``BENCH_PG_URL`` (``postgres://postgres@127.0.0.1:5432/``),
``BENCH_GIT_COMMIT`` (the commit to record when measuring an export without ``.git``).
Options: ``--rebuild`` ignores the cache, ``--only sqlite|postgresql`` measures one database,
``--profile`` writes a cProfile of the search loop to ``bench/.cache/``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import random
import sqlite3
import statistics
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from codestate import code_state

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache"
RESULTS = ROOT / "bench" / "results" / "directory.json"

N_OFFERS = int(os.environ.get("BENCH_OFFERS", 100_000))
N_SEARCH = int(os.environ.get("BENCH_SEARCH_RUNS", 200))
N_SEARCH_WARMUP = 20
N_GEOJSON = int(os.environ.get("BENCH_GEOJSON_RUNS", 20))
N_GEOJSON_WARMUP = 3
GEOJSON_LIMIT = 10_000
SEED = 20260815

PG_SERVER = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/").rstrip("/")
PG_DB = "wegweiser_bench"
TARGET_P95_MS = {"postgresql": 30.0, "sqlite": 100.0}

# Realistic searches: what people type, Hessian postcodes, the radius choices of the form.
TEXTS = ["Anerkennung", "Deutsch lernen", "Beratung Arbeit", "Lotsen", "Jugend"]
POSTCODES = [
    "60311",  # Frankfurt am Main
    "65185",  # Wiesbaden
    "34117",  # Kassel
    "64283",  # Darmstadt
    "35390",  # Gießen
    "36037",  # Fulda
    "63065",  # Offenbach
    "35037",  # Marburg
    "63450",  # Hanau
    "65549",  # Limburg
    "61169",  # Friedberg
    "64646",  # Heppenheim
]
RADII = [10, 15, 20, 25, 30, 40, 50]
THEMES = ["recognition", "employment", "german-language", "counselling", "youth", "mentoring"]
LANGUAGES = ["en", "ar", "uk", "ru", "fa", "tr"]
MODES = ["in_person", "online", "phone"]
# The map: all of Hessen for one theme (sorted by name), and 50 km around Frankfurt (by distance).
GEOJSON_QUERIES = {
    "hessen_theme": [("theme", "counselling")],
    "frankfurt_50km": [("postcode", "60311"), ("radius", "50")],
}
API_HELPERS = ("feature_collection", "geojson_feature_collection", "points_geojson", "to_geojson")


def databases() -> dict[str, str]:
    return {
        "sqlite": f"sqlite:///{CACHE / f'directory-{N_OFFERS}.sqlite3'}",
        "postgresql": f"{PG_SERVER}/{PG_DB}",
    }


def search_params(n: int) -> list[list[tuple[str, str]]]:
    """A fixed list of ``n`` searches (form parameters), the same on every run."""
    rng = random.Random(SEED)  # noqa: S311 (benchmark input, not secrets)
    out = []
    for _ in range(n):
        params = [
            ("q", rng.choice(TEXTS)),
            ("postcode", rng.choice(POSTCODES)),
            ("radius", str(rng.choice(RADII))),
        ]
        kinds = rng.sample(["theme", "language", "mode"], rng.choice([1, 1, 2]))
        for kind in kinds:
            pool = {"theme": THEMES, "language": LANGUAGES, "mode": MODES}[kind]
            params.append((kind, rng.choice(pool)))
        out.append(params)
    return out


# --- the worker: one database per process ----------------------------------------------------


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wegweiser.config.settings")
    import django

    django.setup()


def _form_query(params: list[tuple[str, str]]):
    from django.http import QueryDict

    from wegweiser.directory.forms import OfferSearchForm

    form = OfferSearchForm(QueryDict(urlencode(params)))
    if not form.is_valid():
        raise SystemExit(f"invalid benchmark query {params}: {form.errors.as_json()}")
    return form.to_query()


def _summary(times_s: list[float]) -> dict[str, float]:
    ms = sorted(t * 1000 for t in times_s)
    cuts = statistics.quantiles(ms, n=100, method="inclusive") if len(ms) > 1 else ms * 99
    return {
        "runs": len(ms),
        "p50_ms": round(cuts[49], 2),
        "p95_ms": round(cuts[94], 2),
        "max_ms": round(ms[-1], 2),
        "mean_ms": round(statistics.fmean(ms), 2),
    }


def _materialise(page) -> int:
    """Touch what the result list (``directory/search_page.py``) and the API list show."""
    n = 0
    for hit in page.hits:
        offer = hit.offer
        _ = (offer.title, offer.organisation.name, offer.region_id, hit.distance_km, hit.score)
        _ = (offer.is_outdated, offer.theme_labels)
        if offer.funding_round is not None:
            _ = offer.funding_round.programme.name
        n += len([p.location.city for p in offer.placements.all()])
    return n


def _feature_collection_local(points: list[dict[str, Any]]) -> dict[str, Any]:
    """The shape of the map endpoint: Point features with id, name, url and region."""
    from wegweiser.core.i18n import pick

    features = []
    for p in points:
        offer_id = str(p["id"])
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [p["lon"], p["lat"]]},
                "properties": {
                    "id": offer_id,
                    "name": pick(p["name"], "de"),
                    "url": f"/de/angebote/{offer_id}/",
                    "region": p["region_id"],
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _feature_collection_builder():
    """A pure helper of wegweiser.directory.api when there is one, else the local copy."""
    try:
        from wegweiser.directory import api
    except ImportError:
        return _feature_collection_local, "bench (wegweiser.directory.api not present)"
    for name in API_HELPERS:
        helper = getattr(api, name, None)
        if callable(helper):
            return helper, f"wegweiser.directory.api.{name}"
    return _feature_collection_local, "bench (no pure helper in wegweiser.directory.api)"


def _gin_indexes() -> list[str]:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "SELECT indexname FROM pg_indexes "
            "WHERE tablename IN ('directory_offer', 'directory_offer_search') "
            "AND indexdef ILIKE '%%USING gin%%' ORDER BY indexname"
        )
        return [row[0] for row in cur.fetchall()]


def _explain(vendor: str) -> dict[str, Any]:
    """Query plans of the text filter (EXPLAIN ANALYZE on PostgreSQL)."""
    from wegweiser.directory.selectors import matching_rows

    cases = {
        "text_only": [("q", "Anerkennung")],
        "text_rare": [("q", "Lotsen")],
        "text_radius_filter": [
            ("q", "Anerkennung"),
            ("postcode", "60311"),
            ("radius", "25"),
            ("theme", "recognition"),
        ],
    }
    gin = _gin_indexes() if vendor == "postgresql" else []
    out: dict[str, Any] = {"gin_indexes": gin} if gin else {}
    for name, params in cases.items():
        qs, _scores = matching_rows(_form_query(params))
        fields = ["search_key", "lat", "lon"]
        if "rank" in qs.query.annotations:
            fields.append("rank")
        qs = qs.values_list(*fields)
        pg = vendor == "postgresql"
        plan = qs.explain(analyze=True, buffers=True) if pg else qs.explain()
        out[name] = {
            "params": dict(params),
            "columns": fields,
            "gin_indexes_used": [i for i in gin if i in plan],
            "plan": plan.splitlines(),
        }
    return out


def worker_check() -> dict[str, Any]:
    """Offer count and migration state of the configured database."""
    _setup_django()
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from wegweiser.directory.models import Offer

    try:
        executor = MigrationExecutor(connection)
        applied = set(executor.recorder.applied_migrations())
        on_disk = set(executor.loader.disk_migrations)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        offers = Offer.objects.count()
    except Exception as exc:  # noqa: BLE001 (an empty or foreign database: rebuild it)
        return {"ok": False, "reason": f"{type(exc).__name__}: {exc}".splitlines()[0]}
    return {
        "ok": True,
        "offers": offers,
        "migrations_current": not pending and applied == on_disk,
        "pending": [f"{m.app_label}.{m.name}" for m, _backwards in pending],
        "unknown_applied": sorted(f"{a}.{n}" for a, n in applied - on_disk),
    }


def worker_measure(profile: bool) -> dict[str, Any]:
    _setup_django()
    from django.db import connection

    from wegweiser.directory.models import Offer
    from wegweiser.directory.selectors import matching_rows, offer_points, search_offers

    vendor = connection.vendor
    doc: dict[str, Any] = {
        "vendor": vendor,
        "offers": Offer.objects.count(),
        "published_offers": Offer.objects.filter(status=Offer.PUBLISHED).count(),
    }
    with connection.cursor() as cur:
        if vendor == "postgresql":
            cur.execute("SHOW server_version")
            doc["server_version"] = cur.fetchone()[0]
        else:
            cur.execute("SELECT sqlite_version()")
            doc["server_version"] = cur.fetchone()[0]

    # --- search: text + radius + filters --------------------------------------------------
    plan = search_params(N_SEARCH_WARMUP + N_SEARCH)
    warmup, timed = plan[:N_SEARCH_WARMUP], plan[N_SEARCH_WARMUP:]
    for params in warmup:
        _materialise(search_offers(_form_query(params)))
    totals, form_times, search_times, counts = [], [], [], []
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    for params in timed:
        t0 = time.perf_counter()
        query = _form_query(params)
        t1 = time.perf_counter()
        page = search_offers(query)
        _materialise(page)
        t2 = time.perf_counter()
        totals.append(t2 - t0)
        form_times.append(t1 - t0)
        search_times.append(t2 - t1)
        counts.append(page.total)
    if profiler is not None:
        profiler.disable()
        out = CACHE / f"profile-search-{vendor}.pstats"
        profiler.dump_stats(out)
        doc["profile"] = str(out.relative_to(ROOT))
    slowest = sorted(zip(totals, counts, timed, strict=True), key=lambda r: -r[0])[:5]
    doc["search"] = {
        **_summary(totals),
        "form_mean_ms": round(statistics.fmean(form_times) * 1000, 2),
        "search_mean_ms": round(statistics.fmean(search_times) * 1000, 2),
        "results": {
            "median": statistics.median(counts),
            "mean": round(statistics.fmean(counts), 1),
            "min": min(counts),
            "max": max(counts),
            "zero_result_queries": sum(1 for c in counts if c == 0),
        },
        "slowest": [{"ms": round(t * 1000, 2), "results": c, "params": p} for t, c, p in slowest],
    }

    # --- the map: GeoJSON of 10,000 offers -------------------------------------------------
    build, builder_name = _feature_collection_builder()
    doc["geojson"] = {"builder": builder_name}
    for name, params in GEOJSON_QUERIES.items():
        query = _form_query(params)
        matches = matching_rows(query)[0].count()
        times, sizes, points_times = [], [], []
        for i in range(N_GEOJSON_WARMUP + N_GEOJSON):
            t0 = time.perf_counter()
            points = offer_points(_form_query(params), limit=GEOJSON_LIMIT)
            t1 = time.perf_counter()
            body = json.dumps(build(points))
            t2 = time.perf_counter()
            if i >= N_GEOJSON_WARMUP:
                times.append(t2 - t0)
                points_times.append(t1 - t0)
                sizes.append(len(body))
        doc["geojson"][name] = {
            "params": dict(params),
            "matches_in_bounding_filter": matches,
            "features": len(points),
            "bytes": sizes[-1],
            **_summary(times),
            "offer_points_mean_ms": round(statistics.fmean(points_times) * 1000, 2),
        }

    doc["explain"] = _explain(vendor)
    return doc


def run_worker(mode: str, out: Path, profile: bool) -> None:
    result = worker_check() if mode == "check" else worker_measure(profile)
    out.write_text(json.dumps(result, indent=2, default=str) + "\n")


# --- the driver ------------------------------------------------------------------------------


def _env(url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"DATABASE_URL": url, "DEBUG": "1", "PYTHONUNBUFFERED": "1"})
    env.setdefault("DJANGO_SETTINGS_MODULE", "wegweiser.config.settings")
    return env


def _measure_env(url: str) -> dict[str, str]:
    # Measured as deployed: DEBUG off (no query log in memory), a throwaway key.
    env = _env(url)
    env.update({"DEBUG": "0", "SECRET_KEY": "bench-only-not-secret", "LOG_LEVEL": "WARNING"})
    return env


def _wegweiser() -> list[str]:
    script = Path(sys.executable).parent / "wegweiser"
    return [str(script)] if script.exists() else [sys.executable, "-m", "wegweiser"]


def _stream(cmd: list[str], env: dict[str, str], label: str) -> None:
    """Run ``cmd``, echoing its output as progress; stop the benchmark if it fails."""
    proc = subprocess.Popen(  # noqa: S603 (our own console script)
        cmd,
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        print(f"    [{label}] {line.rstrip()}", flush=True)
    if proc.wait() != 0:
        raise SystemExit(f"{label}: `{' '.join(cmd[-3:])}` failed with code {proc.returncode}")


def _worker(mode: str, env: dict[str, str], profile: bool = False) -> dict[str, Any]:
    CACHE.mkdir(parents=True, exist_ok=True)
    out = CACHE / f"worker-{mode}-{os.getpid()}.json"
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", mode, "--out", str(out)]
    if profile:
        cmd.append("--profile")
    try:
        subprocess.run(cmd, env=env, cwd=ROOT, check=True)  # noqa: S603 (this script)
        return json.loads(out.read_text())
    finally:
        out.unlink(missing_ok=True)


def _pg_admin(sql: str | None = None, query: str | None = None):
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        if sql:
            conn.execute(sql)
        if query:
            return conn.execute(query).fetchone()
    return None


def _generator_fingerprint() -> str:
    """Changes when the demo generator or the schema changes, so a stale cache is rebuilt."""
    h = hashlib.sha256(f"offers={N_OFFERS}".encode())
    pkg = ROOT / "wegweiser"
    for path in [
        pkg / "directory" / "demo.py",
        pkg / "directory" / "services.py",
        pkg / "directory" / "search.py",
        *sorted(pkg.glob("*/migrations/0*.py")),
    ]:
        h.update(path.relative_to(ROOT).as_posix().encode())
        lines = path.read_text(encoding="utf-8").splitlines()
        # makemigrations rewrites the date in the header; that changes nothing built.
        h.update("\n".join(x for x in lines if not x.startswith("# Generated by Django")).encode())
    return h.hexdigest()[:16]


def _connect(name: str, url: str):
    if name == "sqlite":
        return sqlite3.connect(url.removeprefix("sqlite:///"))
    import psycopg

    return psycopg.connect(url, autocommit=True)


def _read_stamp(name: str, url: str) -> dict[str, str]:
    """What the bench noted in the database when it built it (nothing if it did not)."""
    try:
        with closing(_connect(name, url)) as conn:
            return dict(conn.execute("SELECT key, value FROM bench_meta").fetchall())
    except Exception:  # noqa: BLE001 (no such table: not built by this script)
        return {}


def _write_stamp(name: str, url: str, stamp: dict[str, str]) -> None:
    """Kept in the database itself, so that every checkout sharing it sees the same stamp."""
    with closing(_connect(name, url)) as conn:
        conn.execute("CREATE TABLE bench_meta (key varchar(40) PRIMARY KEY, value text)")
        mark = "?" if name == "sqlite" else "%s"
        for key, value in stamp.items():
            conn.execute(
                f"INSERT INTO bench_meta (key, value) VALUES ({mark}, {mark})", (key, value)
            )  # noqa: S608
        if name == "sqlite":
            conn.commit()


def ensure_database(name: str, url: str, rebuild: bool) -> dict[str, Any]:
    """Reuse the cached database when it is complete and current, else build it."""
    fingerprint = _generator_fingerprint()
    exists = (
        (CACHE / f"directory-{N_OFFERS}.sqlite3").exists()
        if name == "sqlite"
        else _pg_admin(query=f"SELECT 1 FROM pg_database WHERE datname = '{PG_DB}'") is not None  # noqa: S608
    )
    if exists and not rebuild:
        state = _worker("check", _env(url))
        known = _read_stamp(name, url)
        reasons = []
        if not state.get("ok"):
            reasons.append(state.get("reason", "unreadable"))
        else:
            if state["offers"] != N_OFFERS:
                reasons.append(f"{state['offers']} offers, not {N_OFFERS}")
            if not state["migrations_current"]:
                reasons.append(
                    f"migrations differ (pending {state['pending']}, "
                    f"unknown {state['unknown_applied']})"
                )
            if known.get("fingerprint") != fingerprint:
                reasons.append("demo generator or schema changed since it was built")
        if not reasons:
            print(
                f"  {name}: reusing cached database with {state['offers']:,} offers and current "
                f"migrations (built {known.get('built', '?')}; --rebuild to start afresh)",
                flush=True,
            )
            return {"reused": True, "built": known.get("built"), "build_seconds": None}
        print(f"  {name}: rebuilding the cached database: {'; '.join(reasons)}", flush=True)

    print(f"  {name}: building a database with {N_OFFERS:,} synthetic offers …", flush=True)
    started = time.perf_counter()
    if name == "sqlite":
        CACHE.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{CACHE / f'directory-{N_OFFERS}.sqlite3'}{suffix}").unlink(missing_ok=True)
    else:
        _pg_admin(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
        _pg_admin(f"CREATE DATABASE {PG_DB}")
    env = _env(url)
    _stream([*_wegweiser(), "migrate", "--no-input", "-v", "0"], env, name)
    _stream([*_wegweiser(), "demo", "--offers", str(N_OFFERS)], env, name)
    if name == "postgresql":
        # What autovacuum would have done by the time anybody searches.
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
    seconds = round(time.perf_counter() - started, 1)
    built = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    _write_stamp(name, url, {"fingerprint": fingerprint, "built": built})
    print(f"  {name}: built in {seconds} s", flush=True)
    return {"reused": False, "built": built, "build_seconds": seconds}


def _verdict(vendor: str, figures: dict[str, Any]) -> dict[str, Any]:
    target = TARGET_P95_MS[vendor]
    p95 = figures["search"]["p95_ms"]
    return {"search_p95_target_ms": target, "search_p95_ms": p95, "pass": p95 <= target}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", choices=["check", "measure"], help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--profile", action="store_true", help="cProfile the search loop")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached databases")
    parser.add_argument("--only", choices=["sqlite", "postgresql"], help="one database only")
    parser.add_argument("--results", type=Path, default=RESULTS, help="where to write the JSON")
    args = parser.parse_args()
    if args.worker:
        run_worker(args.worker, args.out, args.profile)
        return

    print(
        f"directory benchmark: {N_OFFERS:,} offers, {N_SEARCH} searches "
        f"(+{N_SEARCH_WARMUP} warm-up), GeoJSON of {GEOJSON_LIMIT:,} × {N_GEOJSON}, "
        f"{os.cpu_count()} cores",
        flush=True,
    )
    selected = {k: v for k, v in databases().items() if args.only in (None, k)}
    builds = {name: ensure_database(name, url, args.rebuild) for name, url in selected.items()}

    load_before = os.getloadavg()
    figures: dict[str, Any] = {}
    for name, url in selected.items():
        print(f"  {name}: measuring …", flush=True)
        figures[name] = _worker("measure", _measure_env(url), args.profile)
        figures[name]["database"] = {"url": url.replace(str(ROOT) + "/", ""), **builds[name]}
        figures[name]["target"] = _verdict(name, figures[name])

    doc = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "offers_requested": N_OFFERS,
        "search_runs": N_SEARCH,
        "search_warmup": N_SEARCH_WARMUP,
        "geojson_runs": N_GEOJSON,
        "geojson_limit": GEOJSON_LIMIT,
        "seed": SEED,
        "machine": {
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version,
            "postgresql": figures.get("postgresql", {}).get("server_version"),
            "platform": platform.platform(),
            "load_average_1min_before_after": [
                round(load_before[0], 2),
                round(os.getloadavg()[0], 2),
            ],
        },
        "code": code_state(),
        "targets_p95_ms": TARGET_P95_MS,
        "databases": figures,
    }
    results = args.results.resolve()
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(json.dumps(doc, indent=2, ensure_ascii=False, default=str) + "\n")

    for name, f in figures.items():
        s, t = f["search"], f["target"]
        print(f"{name} ({f['server_version']}, {f['offers']:,} offers):")
        print(
            f"  search  p50 {s['p50_ms']:7.1f}  p95 {s['p95_ms']:7.1f}  max {s['max_ms']:7.1f}  "
            f"mean {s['mean_ms']:7.1f} ms  (form {s['form_mean_ms']:.1f} ms; "
            f"results median {s['results']['median']}, max {s['results']['max']})  "
            f"target p95 ≤ {t['search_p95_target_ms']:.0f} ms: {'PASS' if t['pass'] else 'FAIL'}"
        )
        for key in GEOJSON_QUERIES:
            g = f["geojson"][key]
            print(
                f"  geojson {key}: {g['features']:,} features, {g['bytes'] / 1e6:.1f} MB  "
                f"p50 {g['p50_ms']:7.1f}  p95 {g['p95_ms']:7.1f} ms "
                f"(offer_points {g['offer_points_mean_ms']:.1f} ms)"
            )
        if name == "postgresql":
            used = {
                k: v["gin_indexes_used"] or "no GIN index"
                for k, v in f["explain"].items()
                if isinstance(v, dict) and "plan" in v
            }
            print(f"  EXPLAIN ANALYZE, GIN index used by the text filter: {used}")
    if doc["code"]["uncommitted_changes_in_wegweiser"]:
        print("note: measured with uncommitted changes in wegweiser/ (see code in the JSON)")
    shown = results.relative_to(ROOT) if results.is_relative_to(ROOT) else results
    print(f"written to {shown}")


if __name__ == "__main__":
    main()

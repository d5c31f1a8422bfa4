"""ESF Plus reporting at scale: all indicators for 1,000,000 participations on PostgreSQL, and the
peak memory of the XLSX export of them.

    .venv/bin/python bench/reporting.py            # N = 1,000,000 (BENCH_REPORTING_N)

The database ``wegweiser_bench_reporting`` on ``BENCH_PG_URL`` (default
``postgres://postgres@127.0.0.1:5432/``) is migrated and filled once with invented rows, written
by COPY from polars frames: N participants, their cases (enrolled in 40 projects of one WIR
round, about 60 % left), entry questionnaires, exit questionnaires for those who left, and the
six-month survey for half of them; ``--rebuild`` fills it again.

Measured (median of ``BENCH_REPORTING_RUNS`` runs, default 3), in one programme-wide scope as a
programme administrator sees it:

- ``load_s``: ``selectors.case_frame`` (the one scoped query, its rows built as packed
  fixed-width bytes by PostgreSQL's parallel workers and sent as one byte string into polars,
  ``reporting/packed.py``); ``load_python_cpu_s`` the CPU time of this process in it;
  ``load_csv_s`` the same scope read the way before (``selectors.frame_from_copy``, CSV),
  measured alternately in the same runs, and ``load_ratio_packed_to_csv`` (on a host loaded by
  others the ratio says more than the seconds);
- ``indicators_s``: ``indicators.indicator_table`` overall and by Kreis (participations, flags,
  both tables) and ``suppression.suppress_tables`` of both;
- ``total_s`` = load + indicators, against the ceiling of 5 s (reported as a ratio, the run does
  not fail);
- the XLSX export of all N participant rows (``exports.write_xlsx`` in constant-memory mode, rows
  streamed from the frame): peak memory by ``tracemalloc`` (Python allocations) for N/10 and N
  rows — bounded means the two peaks are about the same — and the file size.

Results: ``bench/results/reporting.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import platform
import statistics
import sys
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results" / "reporting.json"
PG_SERVER = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/").rstrip("/")
PG_DB = "wegweiser_bench_reporting"
N = int(os.environ.get("BENCH_REPORTING_N", "1000000"))
RUNS = int(os.environ.get("BENCH_REPORTING_RUNS", "3"))
CEILING_S = 5.0
PROJECTS = 40
KREISE = ["06411", "06412", "06413", "06414", "06431", "06432", "06433", "06434", "06435", "06440"]
SEED = 14


def _setup() -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [PG_DB]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{PG_DB}"')
    os.environ["DATABASE_URL"] = f"{PG_SERVER}/{PG_DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wegweiser.config.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _copy(table: str, frame: pl.DataFrame) -> None:
    """Write ``frame`` into ``table`` by COPY (CSV; empty = NULL)."""
    from django.db import connection

    buffer = io.BytesIO()
    frame.write_csv(buffer, include_header=False, null_value="")
    columns = ", ".join(f'"{c}"' for c in frame.columns)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(
            f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv, NULL '')"
        ) as copy,
    ):
        copy.write(buffer.getvalue())


def _uuids(n: int, prefix: int) -> pl.Series:
    return pl.Series([str(uuid.UUID(int=(prefix << 96) + i)) for i in range(n)])


def fill(n: int) -> None:
    """The invented world: one carrier per project, N participations."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction

    from wegweiser.organisations.models import Organisation
    from wegweiser.programmes.models import FundingRound, Project

    call_command("load_catalogue", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE cases_followup, cases_esfexitdata, cases_esfentrydata, cases_case, "
            "cases_participant CASCADE"
        )
    rnd = FundingRound.objects.get(programme__key="wir", key="wir-2022")
    user, _ = get_user_model().objects.get_or_create(username="bench-reporting")
    orgs, projects = [], []
    for i in range(PROJECTS):
        org, _ = Organisation.objects.get_or_create(
            name=f"Bench-Träger {i:02d}", defaults={"kind": "verein"}
        )
        project, _ = Project.objects.get_or_create(
            name=f"Bench-Projekt {i:02d}",
            defaults={"funding_round": rnd, "carrier": org, "start": rnd.start, "end": rnd.end},
        )
        orgs.append(str(org.pk))
        projects.append(str(project.pk))
    scope_org, _ = Organisation.objects.get_or_create(
        name="Bench-Programmverwaltung", defaults={"kind": "verein"}
    )
    from wegweiser.accounts.models import Membership, Role
    from wegweiser.programmes.models import ProjectPartner

    Membership.objects.get_or_create(user=user, organisation=scope_org, role=Role.PROGRAMME_ADMIN)
    ProjectPartner.objects.get_or_create(
        project_id=projects[0], organisation=scope_org, defaults={"role": "partner"}
    )

    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    start = dt.date(2023, 1, 1)

    def h(salt: int) -> pl.Expr:
        return pl.col("i").hash(seed=salt)

    def pick(values, salt) -> pl.Expr:
        return pl.lit(pl.Series(values)).gather((h(salt) % len(values)).cast(pl.Int64))

    base = pl.DataFrame({"i": pl.int_range(0, n, eager=True)}).with_columns(
        entry=pl.lit(start) + pl.duration(days=(h(1) % 900).cast(pl.Int64)),
        left=(h(3) % 10) < 6,
        project=(pl.col("i") % PROJECTS).cast(pl.Int64),
    )
    base = base.with_columns(
        exit=pl.when(pl.col("left")).then(
            pl.col("entry") + pl.duration(days=(h(4) % 300).cast(pl.Int64) + 30)
        ),
        participant_id=_uuids(n, 1),
        case_id=_uuids(n, 2),
        organisation_id=pl.lit(pl.Series(orgs)).gather(pl.col("project")),
        project_id=pl.lit(pl.Series(projects)).gather(pl.col("project")),
        gender=pick(["female", "male", "female", "male", "diverse"], 5),
        status=pick(["unemployed", "unemployed", "inactive", "employed"], 7),
        kreis=pick(KREISE, 6),
    )
    participants = base.select(
        id="participant_id",
        organisation_id="organisation_id",
        pseudonym=pl.lit("B") + pl.col("i").cast(pl.String),
        given_name=pl.lit(""),
        family_name=pl.lit(""),
        gender="gender",
        phone=pl.lit(""),
        email=pl.lit(""),
        languages=pl.lit("[]"),
        citizenships=pl.lit('["SY"]'),
        kreis="kreis",
        household_relation=pl.lit(""),
        created_at=pl.lit(now),
        updated_at=pl.lit(now),
        version=pl.lit(1),
    )
    cases = base.select(
        id="case_id",
        participant_id="participant_id",
        organisation_id="organisation_id",
        project_id="project_id",
        funding_round_id=pl.lit(rnd.pk),
        status=pl.when(pl.col("left")).then(pl.lit("closed")).otherwise(pl.lit("active")),
        entry_date="entry",
        exit_date="exit",
        dropout_reason=pl.lit(""),
        dropout_note=pl.lit(""),
        created_at=pl.lit(now),
        updated_at=pl.lit(now),
        version=pl.lit(1),
    )
    entries = base.select(
        id=_uuids(n, 3),
        case_id="case_id",
        collected_on="entry",
        gender="gender",
        kreis="kreis",
        age_at_entry=(h(8) % 55 + 16).cast(pl.Int64),
        third_country_national=(h(9) % 10) < 8,
        employment_status="status",
        long_term_unemployed=pl.when(pl.col("status") == "unemployed").then((h(10) % 3) == 0),
        isced_level=(h(11) % 9).cast(pl.Int64),
        foreign_background=pick(["yes", "yes", "no", "no_answer"], 12),
        homeless_or_housing_exclusion=pick(["no"] * 9 + ["yes"], 13),
        rural_area=pick(["no", "no", "yes"], 14),
        disability=pick(["no", "no", "yes", "no_answer"], 15),
        minority=pick(["no", "no_answer"], 16),
        recorded_by_id=pl.lit(user.pk),
        updated_at=pl.lit(now),
        version=pl.lit(1),
    )
    leavers = base.filter(pl.col("left"))
    m = leavers.height
    employed = (h(21) % 2) == 0
    exits = leavers.select(
        id=_uuids(m, 4),
        case_id="case_id",
        collected_on="exit",
        job_searching=pl.lit("yes"),
        job_searching_on="exit",
        in_education=pl.lit("no"),
        qualification_gained=pl.lit("no_answer"),
        employed=pl.when(employed).then(pl.lit("yes")).otherwise(pl.lit("no")),
        employed_on=pl.when(employed).then(
            pl.col("exit") + pl.duration(days=(h(22) % 40).cast(pl.Int64))
        ),
        inactive=pl.lit("no"),
        recorded_by_id=pl.lit(user.pk),
        updated_at=pl.lit(now),
        version=pl.lit(1),
    )
    surveyed = leavers.filter(~employed)
    k = surveyed.height
    followups = surveyed.select(
        id=_uuids(k, 5),
        case_id="case_id",
        offset=pl.lit("6m"),
        situation=pl.lit("work"),
        start_date="exit",
        due_date=pl.col("exit") + pl.duration(days=182),
        is_esf_long_term=pl.lit(True),
        done_at=pl.lit(now),
        dropout_risk=pl.lit("low"),
        long_term_result=pick(["employed", "improved", "neither", "unknown"], 23),
        note=pl.lit(""),
    )
    with transaction.atomic():
        for table, frame in (
            ("cases_participant", participants),
            ("cases_case", cases),
            ("cases_esfentrydata", entries),
            ("cases_esfexitdata", exits),
            ("cases_followup", followups),
        ):
            t0 = time.perf_counter()
            _copy(table, frame)
            print(f"  {table}: {frame.height} rows in {time.perf_counter() - t0:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _scope():
    from django.contrib.auth import get_user_model

    from wegweiser.organisations.models import Organisation
    from wegweiser.reporting import selectors

    user = get_user_model().objects.get(username="bench-reporting")
    org = Organisation.objects.get(name="Bench-Programmverwaltung")
    scope = selectors.scope_for(user, org)
    assert scope is not None and scope.kind == selectors.PROGRAMME
    return scope


def measure(xlsx: bool = True) -> dict:
    from wegweiser.reporting import exports, indicators, selectors, suppression

    scope = _scope()
    loads, computes, csv_loads, loads_cpu = [], [], [], []
    frame = None
    qs = selectors._values(selectors.counted_cases(scope).order_by())
    for _ in range(RUNS):
        # the CSV read of the same scope (the path before the packed rows), for the ratio on a
        # loaded host: both measured in the same minute
        t0 = time.perf_counter()
        selectors.frame_from_copy(qs)
        csv_loads.append(time.perf_counter() - t0)
        c0 = time.process_time()
        t0 = time.perf_counter()
        frame = selectors.case_frame(scope)
        t1 = time.perf_counter()
        loads_cpu.append(time.process_time() - c0)
        flagged = indicators.flags(indicators.participations(frame))
        overall = indicators.table(flagged)
        by_kreis = indicators.table(flagged, ["kreis"])
        suppression.suppress_tables(overall, by_kreis, ["kreis"])
        t2 = time.perf_counter()
        loads.append(t1 - t0)
        computes.append(t2 - t1)
    load, compute = statistics.median(loads), statistics.median(computes)
    total = load + compute
    assert overall.filter(pl.col("code") == "EECO01")["total"][0] == frame.height
    timing = {
        "participations": frame.height,
        "runs": RUNS,
        "load_s": round(load, 3),
        "load_python_cpu_s": round(statistics.median(loads_cpu), 3),
        "load_csv_s": round(statistics.median(csv_loads), 3),
        "load_ratio_packed_to_csv": round(load / statistics.median(csv_loads), 3),
        "indicators_s": round(compute, 3),
        "total_s": round(total, 3),
        "ceiling_s": CEILING_S,
        "ratio_to_ceiling": round(total / CEILING_S, 3),
        "within_ceiling": total <= CEILING_S,
    }
    print(json.dumps(timing), flush=True)
    if not xlsx:
        return timing

    def xlsx_peak(rows: int) -> tuple[float, int, float]:
        part = frame.head(rows)
        records = part.select(
            pl.col("participant_id").alias("pseudonym"), *[c for c in part.columns]
        ).drop("participant_id")
        tracemalloc.start()
        t0 = time.perf_counter()
        with tempfile.TemporaryFile() as out:
            exports.write_xlsx(
                out,
                {"Indikatoren": exports.table_rows(overall)},
                participant_rows=exports.monitoring_rows(records.iter_rows(named=True)),
            )
            size = out.tell()
        elapsed = time.perf_counter() - t0
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return peak / 2**20, size, elapsed

    small_peak, small_size, small_s = xlsx_peak(max(frame.height // 10, 1))
    peak, size, xlsx_s = xlsx_peak(frame.height)
    return {
        **timing,
        "xlsx": {
            "rows": frame.height,
            "peak_mib": round(peak, 1),
            "seconds": round(xlsx_s, 1),
            "file_mib": round(size / 2**20, 1),
            "rows_tenth": max(frame.height // 10, 1),
            "peak_mib_tenth": round(small_peak, 1),
            "seconds_tenth": round(small_s, 1),
            "bounded": peak < 2 * small_peak + 16,
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument(
        "--no-xlsx", action="store_true", help="only the indicators (keeps the XLSX figures)"
    )
    args = parser.parse_args()
    _setup()
    from wegweiser.cases.models import Case

    if args.rebuild or Case.objects.count() != N:
        print(f"filling {N} participations ...")
        fill(N)
    load_before = os.getloadavg()[0]
    measured = measure(xlsx=not args.no_xlsx)
    if args.no_xlsx and RESULTS.exists():
        measured["xlsx"] = json.loads(RESULTS.read_text()).get("xlsx")
    result = {
        "benchmark": "reporting",
        "database": "postgresql",
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "date": dt.date.today().isoformat(),
        **measured,
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

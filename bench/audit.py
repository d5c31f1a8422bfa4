"""The audit log's hash chain at scale: ``wegweiser audit_verify`` over 1,000,000 entries on
PostgreSQL, and what the chain costs each write.

    .venv/bin/python bench/audit.py            # N = 1,000,000 (BENCH_AUDIT_N)

The database ``wegweiser_bench_audit`` on ``BENCH_PG_URL`` (default
``postgres://postgres@127.0.0.1:5432/``) is migrated and filled once with N invented, correctly
chained entries, written by COPY (hashes computed here with ``audit.chain.entry_hash``, the
function the writer uses); ``--rebuild`` fills it again.

Measured:

- ``verify_s``: the whole command ``audit_verify`` (keyset batches of 20,000, every hash
  recomputed), median of ``BENCH_AUDIT_RUNS`` runs (default 3), against a ceiling of 60 s (it
  runs once a day; reported as a ratio, the run does not fail); entries per second;
- ``append``: ``audit.services.audit`` one after another (each in its own transaction, as a
  request writes it) against a plain INSERT of the same row, also one transaction each, into a
  copy of the table without chain and trigger (the peer): milliseconds per entry and the ratio;
  and 4 threads appending at once (they take turns at the chain head): entries per second.

Results: ``bench/results/audit.json``.
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
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results" / "audit.json"
PG_SERVER = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/").rstrip("/")
PG_DB = "wegweiser_bench_audit"
N = int(os.environ.get("BENCH_AUDIT_N", "1000000"))
RUNS = int(os.environ.get("BENCH_AUDIT_RUNS", "3"))
APPENDS = int(os.environ.get("BENCH_AUDIT_APPENDS", "1000"))
CEILING_S = 60.0
THREADS = 4


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


def _fill(n: int) -> float:
    """N chained entries by COPY; returns the seconds it took."""
    from django.db import connection, transaction

    from wegweiser.audit import chain

    started = time.monotonic()
    actions = ["view", "update", "export", "transition", "consent_given"]
    at0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    prev = chain.GENESIS
    columns = (
        "id, seq, at, actor_id, organisation_id, action, object_type, object_id, "
        "participant_id, detail, prev_hash, hash"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE cases_auditentry, audit_chainhead")
        raw = cursor.cursor
        with raw.copy(f"COPY cases_auditentry ({columns}) FROM STDIN") as copy:
            for i in range(1, n + 1):
                fields = {
                    "seq": i,
                    "at": at0 + dt.timedelta(milliseconds=37 * i),
                    "actor_id": None,
                    "organisation_id": None,
                    "action": actions[i % len(actions)],
                    "object_type": "participant",
                    "object_id": str(i),
                    "participant_id": uuid.UUID(int=i) if i % 3 else None,
                    "detail": {"fields": ["email", "phone"]} if i % 7 == 0 else {},
                    "prev_hash": prev,
                }
                digest = chain.entry_hash(**fields)
                copy.write_row(
                    (
                        i,
                        i,
                        fields["at"],
                        None,
                        None,
                        fields["action"],
                        "participant",
                        fields["object_id"],
                        fields["participant_id"],
                        json.dumps(fields["detail"]),
                        prev,
                        digest,
                    )
                )
                prev = digest
        cursor.execute("INSERT INTO audit_chainhead (id, seq, hash) VALUES (1, %s, %s)", [n, prev])
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('cases_auditentry', 'id'), %s)", [max(n, 1)]
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE cases_auditentry")
    return time.monotonic() - started


def _verify() -> tuple[float, int]:
    from django.core.management import call_command

    out = io.StringIO()
    started = time.monotonic()
    call_command("audit_verify", stdout=out, stderr=out, verbosity=0)
    seconds = time.monotonic() - started
    checked = int(out.getvalue().split("intact: ")[1].split(" entries")[0].replace(",", ""))
    return seconds, checked


def _append(count: int) -> dict:
    from django.db import connection, connections, transaction

    from wegweiser.audit import clock
    from wegweiser.audit.services import audit

    def one(i):
        audit(actor=None, organisation=None, action="view", object_type="user", object_id=str(i))

    started = time.monotonic()
    for i in range(count):
        with transaction.atomic():
            one(i)
    chained_ms = (time.monotonic() - started) / count * 1000

    # the peer: the same row inserted plainly, each in its own transaction, into a copy of the
    # table (same columns and indexes) without chain head, hash or trigger; dropped afterwards
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_audit_plain")
        cursor.execute(
            "CREATE TABLE bench_audit_plain (LIKE cases_auditentry INCLUDING DEFAULTS "
            "INCLUDING IDENTITY INCLUDING INDEXES INCLUDING CONSTRAINTS)"
        )
    started = time.monotonic()
    for i in range(count):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO bench_audit_plain (seq, at, action, object_type, object_id, "
                "detail, prev_hash, hash) VALUES (%s, %s, 'view', 'user', %s, '{}', '', '')",
                [i + 1, clock.now(), str(i)],
            )
    plain_ms = (time.monotonic() - started) / count * 1000
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_audit_plain")

    per_thread = count // THREADS
    barrier = threading.Barrier(THREADS)

    def writer(t):
        try:
            barrier.wait()
            for i in range(per_thread):
                with transaction.atomic():
                    one(f"{t}-{i}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(t,)) for t in range(THREADS)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    concurrent_s = time.monotonic() - started
    return {
        "entries": count,
        "chained_ms_per_entry": round(chained_ms, 3),
        "plain_insert_ms_per_entry": round(plain_ms, 3),
        "ratio_to_plain_insert": round(chained_ms / plain_ms, 2),
        "threads": THREADS,
        "concurrent_entries_per_s": round(per_thread * THREADS / concurrent_s),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild", action="store_true", help="fill the database again")
    args = parser.parse_args()
    _setup()
    from wegweiser.audit.models import AuditEntry

    fill_s = None
    if args.rebuild or not AuditEntry.objects.filter(seq=N).exists():
        fill_s = _fill(N)
        print(f"filled {N:,} entries in {fill_s:.1f} s")
    timings = []
    for _ in range(RUNS):
        seconds, checked = _verify()
        timings.append(seconds)
        print(f"audit_verify: {checked:,} entries in {seconds:.1f} s")
    verify_s = statistics.median(timings)
    append = _append(APPENDS)
    print(f"append: {append}")
    result = {
        "benchmark": "audit",
        "database": "postgresql",
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "load_average": [round(x, 2) for x in os.getloadavg()[:2]],
        "date": dt.date.today().isoformat(),
        "entries": checked,
        "fill_s": round(fill_s, 1) if fill_s is not None else None,
        "runs": RUNS,
        "verify_s": round(verify_s, 2),
        "verify_runs_s": [round(t, 2) for t in timings],
        "entries_per_s": round(checked / verify_s),
        "ceiling_s": CEILING_S,
        "ratio_to_ceiling": round(verify_s / CEILING_S, 3),
        "within_ceiling": verify_s <= CEILING_S,
        "append": append,
    }
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

"""Where a public page's time goes: ``bench/public_load.py --profile NAME`` runs the target's
varied inputs (``bench/public_inputs.py``: the same paths and visitors' cookies as under load)
in one process through Django's WSGI handler under cProfile, on the bench database with the
bench settings, and writes the figures and the top entries to
``bench/results/profile-<NAME>.txt`` (the raw profile to ``bench/.cache/``).

Printed: milliseconds per request without the profiler (one process, no concurrency), queries
and database time per request, the queries by total time, the functions by cumulative and by
own time.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
CACHE = ROOT / "bench" / ".cache"


def read_rows(path: Path) -> list[tuple[str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        url, _, cookie = line.partition("\t")
        if url:
            rows.append((url, cookie))
    return rows


def caller():
    """A function that sends one ``(path, cookie)`` row through Django's WSGI handler in this
    process, as the load benchmark's clients send it (each from another address), and returns
    the response's size; a status other than 200 ends the run."""
    sys.path.insert(0, str(ROOT))
    from django.core.wsgi import get_wsgi_application

    app = get_wsgi_application()

    calls = [0]

    def call(row: tuple[str, str]) -> int:
        target, cookie = row
        calls[0] += 1  # each request from another address, as under load (public_report.lua)
        n = calls[0]
        path, _, query = target.partition("?")
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": urllib_unquote(path),
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "HTTP_HOST": "127.0.0.1",
            "HTTP_X_FORWARDED_FOR": f"10.{2 + n // 62500 % 200}.{n // 250 % 250}.{n % 250 + 1}",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr,
        }
        if cookie:
            environ["HTTP_COOKIE"] = cookie
        status = []
        body = app(environ, lambda s, h, exc_info=None: status.append(s))
        size = sum(len(chunk) for chunk in body)
        if hasattr(body, "close"):
            body.close()
        if not status[0].startswith("200"):
            raise SystemExit(f"{target}: {status[0]}")
        return size

    return call


def profile_rows(name: str, rows: list[tuple[str, str]], n: int) -> str:
    """Profile ``n`` requests cycling through ``rows``; the report as text (also written)."""
    call = caller()
    from django.db import connection

    db = {"n": 0, "s": 0.0}
    by_sql: dict[str, list[float]] = {}

    def count(execute, sql, params, many, context):
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            took = time.perf_counter() - t0
            db["n"] += 1
            db["s"] += took
            by_sql.setdefault(sql, []).append(took)

    for row in rows[: min(len(rows), 40)]:  # warm up: caches, connections, templates
        call(row)
    times = []
    profiler = cProfile.Profile()
    with connection.execute_wrapper(count):
        for i in range(n):
            t0 = time.perf_counter()
            profiler.enable()
            call(rows[i % len(rows)])
            profiler.disable()
            times.append(time.perf_counter() - t0)
    plain = []  # the same requests again without the profiler, for the true time
    for i in range(n):
        t0 = time.perf_counter()
        call(rows[i % len(rows)])
        plain.append(time.perf_counter() - t0)
    CACHE.mkdir(parents=True, exist_ok=True)
    profiler.dump_stats(CACHE / f"profile-public-{name}.pstats")
    out = io.StringIO()
    out.write(
        f"{name}: {len(rows)} distinct inputs, {n} requests; "
        f"{statistics.median(plain) * 1000:.2f} ms per request without profiler (median; mean "
        f"{statistics.mean(plain) * 1000:.2f} ms; one process, no concurrency), "
        f"{db['n'] / n:.1f} queries and {db['s'] / n * 1000:.2f} ms in the database per request "
        f"(with profiler: {statistics.median(times) * 1000:.2f} ms)\n"
    )
    out.write("queries per request, by total time (wall time in the driver, PostgreSQL too):\n")
    for sql, took in sorted(by_sql.items(), key=lambda kv: -sum(kv[1]))[:12]:
        out.write(f"  {len(took) / n:4.1f} × {sum(took) / len(took) * 1000:6.2f} ms  {sql[:160]}\n")
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(45)
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(30)
    text = out.getvalue().replace(str(ROOT) + "/", "")
    text = text.replace(os.path.dirname(os.__file__), "<stdlib>")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"profile-{name}.txt").write_text(text, encoding="utf-8")
    return text


def urllib_unquote(path: str) -> str:
    from urllib.parse import unquote

    return unquote(path)


def main(name: str, rows_file: str, n: int) -> None:
    text = profile_rows(name, read_rows(Path(rows_file)), n)
    print(text[:6000])
    print(f"written to bench/results/profile-{name}.txt")

"""The machinery of the public-page load benchmark (``bench/public_load.py``): the server's
environment, the load generator wrk, CPU accounting from ``/proc``, the bench database and the
gunicorn server."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
CACHE = BENCH / ".cache"
LUA = BENCH / "public_report.lua"
STATIC_ROOT = CACHE / "public-static"
PG_SERVER = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/").rstrip("/")
PG_DB = os.environ.get("BENCH_PUBLIC_DB", "wegweiser_bench_public")
WRK_TIMEOUT_S = 5
#: The bare view of the bench URLconf (``bench/public_urls.py``): the ceiling.
BARE_PATH = "/bench/bare/"


#: One throwaway key per run: the profiler reads the cookies the server signed.
SECRET_KEY = os.environ.setdefault(
    "BENCH_SECRET_KEY", "bench-only-not-secret-" + hashlib.sha256(os.urandom(16)).hexdigest()
)


def _settings_env() -> dict[str, str]:
    """The server's environment: production settings, DEBUG off, a throwaway key."""
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.public_site",
            "DATABASE_URL": f"{PG_SERVER}/{PG_DB}",
            "DEBUG": "0",
            "SECRET_KEY": SECRET_KEY,
            "LOG_LEVEL": "WARNING",
            # the load comes through one trusted proxy with a client address per request
            # (public_report.lua, public_inputs.Visitor), as behind deploy/'s nginx
            "WEGWEISER_TRUSTED_PROXY_COUNT": "1",
            "PYTHONUNBUFFERED": "1",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
        }
    )
    return env


def _build_env() -> dict[str, str]:
    env = _settings_env()
    env["DEBUG"] = "1"  # as `make demo` does: the demo command prints its logins
    return env


def _bin(name: str) -> str:
    script = Path(sys.executable).parent / name
    return str(script) if script.exists() else name


def _run(cmd: list[str], env: dict[str, str], label: str) -> None:
    """Run ``cmd``, echoing its output as progress; stop the benchmark if it fails."""
    proc = subprocess.Popen(  # noqa: S603
        cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        print(f"    [{label}] {line.rstrip()}", flush=True)
    if proc.wait() != 0:
        raise SystemExit(f"{label}: `{' '.join(cmd[:3])} …` failed with code {proc.returncode}")


# --- wrk -------------------------------------------------------------------------------------


def ensure_wrk() -> tuple[str | None, str]:
    """The path of wrk, installing Debian's package when missing; else None and why."""
    found = shutil.which("wrk")
    if found:
        return found, "found"
    if not shutil.which("apt-get"):
        return None, "wrk is not installed and there is no apt-get to install it"
    if os.geteuid() != 0:
        return None, "wrk is not installed; install it with `apt-get install wrk` (needs root)"
    print("  wrk not found: installing Debian's package `wrk` …", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (["apt-get", "install", "-y", "-qq", "wrk"], ["apt-get", "update", "-qq"]):
        subprocess.run(cmd, env=env, check=False, stdout=subprocess.DEVNULL)  # noqa: S603
        if shutil.which("wrk"):
            break
    else:
        cmd = ["apt-get", "install", "-y", "-qq", "wrk"]
        subprocess.run(cmd, env=env, check=False, stdout=subprocess.DEVNULL)  # noqa: S603
    found = shutil.which("wrk")
    return (found, "installed with apt-get") if found else (None, "`apt-get install wrk` failed")


def wrk_version(wrk: str) -> str:
    done = subprocess.run([wrk, "--version"], capture_output=True, text=True, check=False)  # noqa: S603
    return (done.stdout + done.stderr).splitlines()[0].strip() if done.stdout + done.stderr else "?"


def run_wrk(
    wrk: str, url: str, seconds: int, connections: int, rows: Path | None = None
) -> dict[str, Any]:
    """One wrk run (one thread: it needs a fraction of one core for 50 connections); with
    ``rows`` (an input file) each request takes the next path and cookie from it."""
    cmd = [
        wrk,
        "--threads",
        "1",
        "--connections",
        str(connections),
        "--duration",
        f"{seconds}s",
        "--timeout",
        f"{WRK_TIMEOUT_S}s",
        "--script",
        str(LUA),
        url,
        *(["--", str(rows)] if rows else []),
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # noqa: S603
    out, err = proc.communicate(timeout=seconds + 60)
    line = next((x for x in out.splitlines() if x.startswith("WRK_JSON ")), None)
    if proc.returncode != 0 or line is None:
        raise SystemExit(f"wrk failed on {url} (code {proc.returncode}): {err.strip() or out}")
    raw = json.loads(line.removeprefix("WRK_JSON "))
    lat = raw["latency_us"]
    errors = raw["errors"]
    seconds_run = raw["duration_us"] / 1e6
    return {
        "requests": raw["requests"],
        "seconds": round(seconds_run, 2),
        "requests_per_second": round(raw["requests"] / seconds_run, 1),
        "p50_ms": round(lat["p50"] / 1000, 2),
        "p90_ms": round(lat["p90"] / 1000, 2),
        "p95_ms": round(lat["p95"] / 1000, 2),
        "p99_ms": round(lat["p99"] / 1000, 2),
        "max_ms": round(lat["max"] / 1000, 2),
        "mean_ms": round(lat["mean"] / 1000, 2),
        "errors": sum(errors.values()),
        "errors_by_kind": {k: v for k, v in errors.items() if v},
        "bytes_per_response": round(raw["bytes"] / raw["requests"]) if raw["requests"] else 0,
    }


# --- CPU accounting from /proc ----------------------------------------------------------------

CLK_TCK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _proc_cpu_s(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime


def _children(pid: int) -> list[int]:
    try:
        return [int(x) for x in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _machine_jiffies() -> tuple[int, int]:
    """(busy, total) jiffies of all cores since boot."""
    try:
        values = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except (OSError, ValueError):
        return 0, 0
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return sum(values) - idle, sum(values)


def connection_split(server: Server) -> list[int] | None:
    """How the clients' connections are spread over the gunicorn workers (most first, a worker
    without any as 0), from ``ss``: a worker keeps the connections it accepted, so with
    keep-alive one worker may serve most clients and their requests wait longer (p95) while the
    throughput stays the same."""
    try:
        out = subprocess.run(  # noqa: S603
            ["ss", "-tnpH", "state", "established", f"( sport = :{server.port} )"],  # noqa: S607
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    counts = Counter(int(pid) for pid in re.findall(r"pid=(\d+)", out))
    workers = _children(server.proc.pid) if server.proc else []
    return sorted((counts.get(pid, 0) for pid in workers), reverse=True) or None


class CpuMeter:
    """CPU seconds of the gunicorn workers and of the PostgreSQL backends serving them."""

    def __init__(self, master_pid: int) -> None:
        self.master = master_pid

    def _pg_backends(self) -> list[int]:
        try:
            import psycopg

            with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
                rows = conn.execute(
                    "SELECT pid FROM pg_stat_activity WHERE datname = %s", (PG_DB,)
                ).fetchall()
            return [r[0] for r in rows]
        except Exception:  # noqa: BLE001 (accounting only)
            return []

    def snapshot(self) -> dict[str, Any]:
        workers = _children(self.master)
        backends = self._pg_backends()
        busy, total = _machine_jiffies()
        return {
            "app": {pid: _proc_cpu_s(pid) for pid in [self.master, *workers]},
            "db": {pid: _proc_cpu_s(pid) for pid in backends},
            "machine": (busy, total),
        }

    @staticmethod
    def delta(before: dict[str, Any], after: dict[str, Any], requests: int) -> dict[str, Any]:
        def used(kind: str) -> float:
            # Processes started during the run count from zero; ended ones are lost (rare).
            return sum(t - before[kind].get(pid, 0.0) for pid, t in after[kind].items())

        app, db = used("app"), used("db")
        busy = after["machine"][0] - before["machine"][0]
        total = after["machine"][1] - before["machine"][1]
        per = 1000 / requests if requests else 0.0
        return {
            "app_cpu_ms_per_request": round(app * per, 3),
            "db_cpu_ms_per_request": round(db * per, 3),
            "server_cpu_ms_per_request": round((app + db) * per, 3),
            "machine_busy_percent": round(100 * busy / total, 1) if total else None,
        }


# --- the database ----------------------------------------------------------------------------


def _pg_admin(sql: str | None = None, query: str | None = None, args: tuple = ()):
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        if sql:
            conn.execute(sql)
        if query:
            return conn.execute(query, args).fetchone()
    return None


def _fingerprint() -> str:
    """Changes when the demo data or the schema changes, so a stale database is rebuilt."""
    h = hashlib.sha256(b"public-load-v1")
    pkg = ROOT / "wegweiser"
    paths = [
        *sorted(pkg.glob("*/demo.py")),
        *sorted(pkg.glob("*/management/commands/demo.py")),
        *sorted(pkg.glob("*/migrations/0*.py")),
    ]
    for path in paths:
        h.update(path.relative_to(ROOT).as_posix().encode())
        lines = path.read_text(encoding="utf-8").splitlines()
        h.update("\n".join(x for x in lines if not x.startswith("# Generated by Django")).encode())
    return h.hexdigest()[:16]


def _db_state() -> dict[str, Any]:
    import psycopg

    try:
        with psycopg.connect(f"{PG_SERVER}/{PG_DB}", autocommit=True) as conn:
            meta = dict(conn.execute("SELECT key, value FROM bench_meta").fetchall())
            offers = conn.execute("SELECT count(*) FROM directory_offer").fetchone()[0]
    except Exception as exc:  # noqa: BLE001 (missing, empty or foreign: rebuild it)
        return {"ok": False, "reason": f"{type(exc).__name__}: {exc}".splitlines()[0]}
    return {"ok": True, "offers": offers, **meta}


def ensure_database(rebuild: bool) -> dict[str, Any]:
    """Reuse the bench database when it is complete and current, else build it."""
    fingerprint = _fingerprint()
    exists = _pg_admin(query="SELECT 1 FROM pg_database WHERE datname = %s", args=(PG_DB,))
    if exists and not rebuild:
        state = _db_state()
        reasons = []
        if not state["ok"]:
            reasons.append(state["reason"])
        elif state.get("fingerprint") != fingerprint:
            reasons.append("demo generator or migrations changed since it was built")
        elif not state["offers"]:
            reasons.append("no offers")
        else:
            check = subprocess.run(  # noqa: S603
                [_bin("wegweiser"), "migrate", "--check", "--no-input"],
                env=_build_env(),
                cwd=ROOT,
                capture_output=True,
                check=False,
            )
            if check.returncode != 0:
                reasons.append("unapplied migrations")
        if not reasons:
            print(
                f"  database {PG_DB}: reusing it ({state['offers']} offers, built "
                f"{state.get('built', '?')}; --rebuild to start afresh)",
                flush=True,
            )
            return {"name": PG_DB, "offers": state["offers"], "reused": True, **_stamp(state)}
        print(f"  database {PG_DB}: rebuilding it: {'; '.join(reasons)}", flush=True)

    print(f"  database {PG_DB}: building it (migrate + demo) …", flush=True)
    started = time.perf_counter()
    _pg_admin(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
    _pg_admin(f"CREATE DATABASE {PG_DB}")
    env = _build_env()
    _run([_bin("wegweiser"), "migrate", "--no-input", "-v", "0"], env, "migrate")
    _run([_bin("wegweiser"), "demo"], env, "demo")
    import psycopg

    built = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    with psycopg.connect(f"{PG_SERVER}/{PG_DB}", autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")  # what autovacuum would have done by then
        conn.execute("CREATE TABLE bench_meta (key varchar(40) PRIMARY KEY, value text)")
        for key, value in {"fingerprint": fingerprint, "built": built}.items():
            conn.execute("INSERT INTO bench_meta (key, value) VALUES (%s, %s)", (key, value))
        offers = conn.execute("SELECT count(*) FROM directory_offer").fetchone()[0]
    seconds = round(time.perf_counter() - started, 1)
    print(f"  database {PG_DB}: built in {seconds} s ({offers} offers)", flush=True)
    return {"name": PG_DB, "offers": offers, "reused": False, "built": built, "build_s": seconds}


def _stamp(state: dict[str, Any]) -> dict[str, Any]:
    return {"built": state.get("built")}


def collect_static() -> None:
    cmd = [_bin("wegweiser"), "collectstatic", "--no-input", "-v", "0"]
    _run(cmd, _settings_env(), "collectstatic")


def a_stylesheet() -> str | None:
    """A collected stylesheet's path under STATIC_URL (the biggest: the app's own CSS)."""
    sheets = sorted(STATIC_ROOT.rglob("*.css"), key=lambda p: -p.stat().st_size)
    mine = [p for p in sheets if "wegweiser" in p.name or p.parent.name in ("core", "css")]
    chosen = (mine or sheets or [None])[0]
    return chosen.relative_to(STATIC_ROOT).as_posix() if chosen else None


# --- the server ------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn with the production WSGI application and the bench settings."""

    def __init__(self, workers: int, threads: int, clients: int | None = None) -> None:
        self.workers, self.threads = workers, threads
        #: gthread: at most this many connections per worker, so that ``clients`` keep-alive
        #: connections are spread evenly (``per_worker``); None: gunicorn's default (1,000).
        #: (gunicorn keeps at most ``worker_connections - threads`` idle keep-alive connections:
        #: at least one more than the threads, or keep-alive would be off.)
        self.per_worker = (
            max(-(-clients // workers), threads + 1) if clients and threads > 1 else None
        )
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = CACHE / f"gunicorn-{os.getpid()}.log"
        self.proc: subprocess.Popen | None = None

    @property
    def config(self) -> dict[str, Any]:
        return {
            "server": "gunicorn",
            "worker_class": "gthread" if self.threads > 1 else "sync",
            "workers": self.workers,
            "threads": self.threads,
            "worker_connections": self.per_worker,
        }

    def __enter__(self) -> Server:
        CACHE.mkdir(parents=True, exist_ok=True)
        cmd = [
            _bin("gunicorn"),
            "wegweiser.config.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--worker-class",
            self.config["worker_class"],
            "--threads",
            str(self.threads),
            "--backlog",
            "2048",
            "--log-level",
            "warning",
            "--error-logfile",
            str(self.log),
        ]
        if self.per_worker:
            cmd += ["--worker-connections", str(self.per_worker)]
        self.proc = subprocess.Popen(cmd, env=_settings_env(), cwd=ROOT)  # noqa: S603
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"gunicorn exited with {self.proc.returncode}: see {self.log}")
            try:
                with urllib.request.urlopen(self.base + BARE_PATH, timeout=2):  # noqa: S310
                    pass
                # Every worker must be up, not just the first.
                if len(_children(self.proc.pid)) >= self.workers:
                    return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        self.__exit__(None, None, None)
        raise SystemExit(f"gunicorn did not answer within 60 s: see {self.log}")

    def __exit__(self, *exc) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()  # gunicorn: graceful shutdown of its workers
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.log.exists() and not self.log.read_text().strip():
            self.log.unlink()

"""Soak benchmark: 100 simulated people for 10 minutes against the production setup (issue 17).

Starts gunicorn with the production configuration (``deploy/gunicorn.conf.py``: gthread, CPU
count + 1 workers × 4 threads, workers restarted after about 2,000 requests), production settings
with DEBUG off (``bench.public_site``), static files through WhiteNoise, on a PostgreSQL database
of its own (``wegweiser_bench_soak``: ``migrate`` + ``wegweiser demo``, built by
``public_server.ensure_database`` and reused while current) to which ``bench/soak_seed.py`` adds
counsellor logins with open cases and due check-ins. Then locust, used as a library, lets three
kinds of simulated people work with think times (3–10 s between pages):

- **self-check visitors** walk the public self-check as a browser without JavaScript: the start
  page, each question (the form's token, an answer from one of 200 seeded synthetic answer sets,
  ``public_inputs.personas``; "I don't know" where the page refuses an answer) to the result
  page with the nearest offers, then start again as a new visitor;
- **directory visitors** search the directory with one of 400 seeded searches (text, postcode,
  radius, filters, region, further pages; ``public_inputs``) and open an offer found;
- **counsellors** log in once (CSRF token from the form, as a browser posts it) and then open
  their start page, one of their cases, write a contact note on a case, or record a due
  check-in from their start page.

Each simulated person has an address of its own in ``X-Forwarded-For`` with
``WEGWEISER_TRUSTED_PROXY_COUNT=1``, as behind the reverse proxy of ``deploy/``, so the limits
per address count people, not the load generator. Secure cookies (DEBUG off) are sent over
loopback, as browsers do for localhost; the proxy would terminate TLS.

Recorded: per page the requests, failures, p50/p95/p99 and max (after the warm-up); failures of
the whole run; the server's memory every 10 s (RSS summed over the gunicorn master and workers,
and PSS, which counts pages shared after fork once) and its change from the end of the warm-up to
the end; the CPU of gunicorn (reaped workers included) and of its PostgreSQL backends; the load
average. Pass: no failed request, memory at the end within 10 % of the start.

Options: ``--minutes`` (10), ``--users`` (100), ``--warmup`` seconds (60; at most a fifth of the
run), ``--rebuild``; ``--minutes 1`` to try it (its memory change says little: a 12 s warm-up
does not fill the caches, see docs/scaling.md); ``--no-worker-restarts`` runs gunicorn without
``max_requests``. Writes ``bench/results/soak.json``; the logins, made during the warm-up, are
under ``pages_during_warmup``.
Environment as ``public_load.py`` (``BENCH_PG_URL``; ``BENCH_SOAK_DB``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import re
import secrets
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path
from typing import Any

import gevent
import locust

os.environ.setdefault("BENCH_PUBLIC_DB", os.environ.get("BENCH_SOAK_DB", "wegweiser_bench_soak"))

import public_inputs as inputs  # noqa: E402
from codestate import code_state  # noqa: E402
from locust import HttpUser, between, task  # noqa: E402
from locust.env import Environment  # noqa: E402
from public_server import (  # noqa: E402
    CACHE,
    PG_DB,
    ROOT,
    _bin,
    _free_port,
    _settings_env,
    collect_static,
    ensure_database,
)
from soak_measure import ServerMeter, page_figures  # noqa: E402

from wegweiser.accounts.demo_totp import demo_code  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "soak.json"
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
THINK = (3, 10)
SAMPLE_S = 10
PROGRESS_S = 30
MEMORY_LIMIT_PERCENT = 10.0
#: share of the simulated people: self-check, directory, counsellors
WEIGHTS = (4, 4, 2)
CASES_PER_LOGIN = 8

TOKEN = re.compile(r'name="token" value="([^"]+)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
OFFER_LINK = re.compile(r'href="(/de/angebote/[0-9a-f-]{36}/)"')
CASE_LINK = re.compile(r'href="(/de/fall/faelle/[0-9a-f-]{36}/)"')
CHECKIN_LINK = re.compile(r'href="(/de/fall/faelle/[0-9a-f-]{36}/nachbetreuung/[0-9a-f-]{36}/)"')

#: filled in before the users start
SHARED: dict[str, Any] = {"password": "", "logins": [], "personas": [], "searches": []}
_serial = iter(range(1, 10**6))
_staff_serial = iter(range(10**6))
ERROR_ITEM = re.compile(r'class="error-summary".*?<li>(?:<a [^>]*>)?(.*?)</', re.S)


class Person(HttpUser):
    abstract = True
    wait_time = between(*THINK)

    def on_start(self) -> None:
        self.n = next(_serial)
        self.rng = random.Random(inputs.SEED + self.n)  # noqa: S311 (benchmark input)
        # the reverse proxy appends the client's address (198.18.0.0/15: benchmarking range)
        self.client.headers["X-Forwarded-For"] = f"198.18.{self.n // 250}.{self.n % 250 + 1}"
        self.client.headers["Accept-Language"] = "de"

    def _keep_cookies(self) -> None:
        """Send Secure cookies (DEBUG off) over loopback, as browsers do for localhost: the
        reverse proxy terminates TLS in production."""
        for cookie in self.client.cookies:
            cookie.secure = False

    def get(self, path: str, name: str, expect: int = 200, must: str | None = None):
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as resp:
            if resp.status_code != expect:
                resp.failure(f"{resp.status_code}, expected {expect}")
            elif must and must not in resp.text:
                resp.failure(f"{must!r} missing")
        self._keep_cookies()
        return resp

    def post(self, path: str, data: dict, name: str, expect=(302,)):
        headers = {"Origin": self.host, "Referer": self.host + path}
        with self.client.post(
            path, data=data, name=name, headers=headers, allow_redirects=False, catch_response=True
        ) as resp:
            if resp.status_code not in expect:
                why = ERROR_ITEM.search(resp.text or "")
                reason = f": {why.group(1).strip()[:100]}" if why else ""
                resp.failure(f"{resp.status_code}, expected {expect}{reason}")
        self._keep_cookies()
        return resp


def _location(resp) -> str:
    return urllib.parse.urlsplit(resp.headers.get("Location") or "").path


class SelfCheckVisitor(Person):
    """From the start page through every question to the result, then a new visitor."""

    weight = WEIGHTS[0]

    @task
    def dialogue(self) -> None:
        self.client.cookies.clear()
        persona = self.rng.choice(SHARED["personas"])
        self.get("/de/selbstcheck/", "selfcheck: start page")
        self.wait()
        resp = self.get("/de/selbstcheck/weiter/", "selfcheck: next (redirect)", expect=302)
        location = _location(resp)
        for _step in range(30):
            if not location or resp.status_code != 302:
                return
            if location.endswith("/ergebnis/"):
                break
            page = self.get(location, "selfcheck: question")
            token = TOKEN.search(page.text or "")
            if not token:
                return
            self.wait()
            slug = location.rstrip("/").rsplit("/", 1)[-1]
            data = {**(persona.get(slug) or {"dont_know": "1"}), "token": token.group(1)}
            resp = self.post(location, data, "selfcheck: answer (POST)", expect=(302, 400))
            if resp.status_code == 400:  # the answer does not fit an earlier one
                data = {"dont_know": "1", "token": token.group(1)}
                resp = self.post(location, data, "selfcheck: answer (POST)")
            location = _location(resp)
        else:
            return
        self.get(location, "selfcheck: result", must='id="angebote"')


class DirectoryVisitor(Person):
    """A search (text, postcode, radius, filters) and an offer from its results."""

    weight = WEIGHTS[1]

    @task
    def search(self) -> None:
        path = self.rng.choice(SHARED["searches"])
        name = "directory: search with text" if "q=" in path else "directory: search"
        page = self.get(path, name)
        offers = OFFER_LINK.findall(page.text or "")
        if offers:
            self.wait()
            self.get(self.rng.choice(offers), "directory: offer")


class Counsellor(Person):
    """A counsellor: start page, a case, a contact note, a due check-in."""

    weight = WEIGHTS[2]

    def on_start(self) -> None:
        super().on_start()
        logins = SHARED["logins"]
        self.username = logins[next(_staff_serial) % len(logins)]
        self.cases: list[str] = []
        self.checkins: list[str] = []
        page = self.get("/de/konto/login/", "staff: login page")
        csrf = CSRF.search(page.text or "")
        data = {
            "username": self.username,
            "password": SHARED["password"],
            "csrfmiddlewaretoken": csrf.group(1) if csrf else "",
        }
        self.post("/de/konto/login/", data, "staff: log in (POST)")
        # the second factor: a code of the demo app (the seed gave each login its key)
        page = self.get("/de/konto/zweiter-faktor/", "staff: second factor page")
        csrf = CSRF.search(page.text or "")
        data = {"code": demo_code(), "csrfmiddlewaretoken": csrf.group(1) if csrf else ""}
        self.post("/de/konto/zweiter-faktor/", data, "staff: second factor (POST)")
        self.start_page()

    @task(3)
    def start_page(self) -> None:
        page = self.get("/de/fall/", "staff: start page")
        self.cases = CASE_LINK.findall(page.text or "") or self.cases
        self.checkins = CHECKIN_LINK.findall(page.text or "")

    @task(3)
    def open_case(self) -> None:
        if self.cases:
            self.get(self.rng.choice(self.cases), "staff: case")

    @task(2)
    def note(self) -> None:
        if not self.cases:
            return
        case = self.rng.choice(self.cases)
        page = self.get(case, "staff: case")
        csrf = CSRF.search(page.text or "")
        self.wait()
        data = {
            "csrfmiddlewaretoken": csrf.group(1) if csrf else "",
            "contact-date": dt.date.today().isoformat(),
            "contact-duration_minutes": str(self.rng.choice([15, 30, 45, 60])),
            "contact-channel": self.rng.choice(["in_person", "phone"]),
            "contact-topics": self.rng.choice(["Ausbildung", "Sprachkurs, Bewerbung", "Wohnung"]),
            "contact-note": "Erfundene Notiz des Lasttests.",
        }
        self.post(case + "kontakte/", data, "staff: contact note (POST)")

    @task(1)
    def checkin(self) -> None:
        if not self.checkins:
            return self.note()
        path = self.checkins.pop(self.rng.randrange(len(self.checkins)))
        page = self.get(path, "staff: check-in form")
        csrf = CSRF.search(page.text or "")
        self.wait()
        data = {
            "csrfmiddlewaretoken": csrf.group(1) if csrf else "",
            "still_in_work_or_training": self.rng.choice(["yes", "no"]),
            "dropout_risk": self.rng.choice(["low", "medium", "high"]),
            "note": "Erfundener Termin des Lasttests.",
        }
        self.post(path, data, "staff: check-in (POST)")
        return None


# --- the server ------------------------------------------------------------------------------


def _server_env(port: int) -> dict[str, str]:
    env = _settings_env()
    env.update(
        {
            "WEGWEISER_BIND": f"127.0.0.1:{port}",
            "WEGWEISER_TRUSTED_PROXY_COUNT": "1",
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


def start_server(log: Path, restarts: bool = True) -> tuple[subprocess.Popen, str, int]:
    port = _free_port()
    env = _server_env(port)
    cmd = [_bin("gunicorn"), "-c", str(GUNICORN_CONF)]
    if not restarts:  # to see whether memory creeps without the restarts of the configuration
        cmd += ["--max-requests", "0"]
    out = log.open("w")
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603
    base = f"http://127.0.0.1:{port}"
    workers = int(env.get("WEGWEISER_WORKERS", os.cpu_count() + 1))
    import urllib.request

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited with {proc.returncode}: see {log}")
        try:
            with urllib.request.urlopen(base + "/de/selbstcheck/", timeout=5):  # noqa: S310
                pass
            if len(ServerMeter.children(proc.pid)) >= workers:
                return proc, base, workers
        except OSError:
            pass
        time.sleep(0.5)
    proc.terminate()
    raise SystemExit(f"gunicorn did not answer within 90 s: see {log}")


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=40)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def seed_staff(n: int, password: str) -> dict[str, Any]:
    env = {**_settings_env(), "SOAK_PASSWORD": password}
    cmd = [sys.executable, str(ROOT / "bench" / "soak_seed.py"), "--staff", str(n)]
    cmd += ["--cases", str(CASES_PER_LOGIN)]
    done = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, check=False)  # noqa: S603
    line = next((x for x in done.stdout.splitlines() if x.startswith("SOAK_SEED ")), None)
    if done.returncode != 0 or line is None:
        raise SystemExit(f"soak_seed failed: {done.stderr.strip()[-2000:]}")
    return json.loads(line.removeprefix("SOAK_SEED "))


# --- the run ---------------------------------------------------------------------------------


def run(args) -> dict[str, Any]:
    seconds = int(args.minutes * 60)
    warmup = min(args.warmup, seconds // 5)
    n_staff = max(1, round(args.users * WEIGHTS[2] / sum(WEIGHTS)))
    print(
        f"soak: {args.users} users ({'/'.join(map(str, WEIGHTS))} self-check/directory/staff) "
        f"for {args.minutes:g} min (warm-up {warmup} s), think time {THINK[0]}–{THINK[1]} s",
        flush=True,
    )
    database = ensure_database(args.rebuild)
    collect_static()
    password = secrets.token_urlsafe(16)
    seeded = seed_staff(n_staff, password)
    print(
        f"  staff: {len(seeded['logins'])} counsellor logins, {seeded['open_cases']} open cases, "
        f"{seeded['checkins_due']} check-ins due",
        flush=True,
    )
    SHARED.update(
        password=password,
        logins=seeded["logins"],
        personas=inputs.personas(200),
        searches=inputs.search_paths() + inputs.search_query_paths(),
    )
    log = CACHE / "soak-gunicorn.log"
    CACHE.mkdir(parents=True, exist_ok=True)
    proc, base, workers = start_server(log, restarts=not args.no_worker_restarts)
    print(f"  gunicorn -c deploy/gunicorn.conf.py: {workers} workers up at {base}", flush=True)
    meter = ServerMeter(proc.pid, PG_DB)
    env = Environment(user_classes=[SelfCheckVisitor, DirectoryVisitor, Counsellor], host=base)
    failures_all: list[int] = [0]
    errors_seen: dict[str, int] = {}

    def on_request(request_type, name, response_time, response_length, exception, **kw):
        if exception is not None:
            failures_all[0] += 1
            key = f"{request_type} {name}: {str(exception)[:120]}"
            errors_seen[key] = errors_seen.get(key, 0) + 1

    env.events.request.add_listener(on_request)
    runner = env.create_local_runner()
    try:
        meter.sample(0.0)
        started = time.monotonic()
        runner.start(args.users, spawn_rate=max(1, args.users / max(10, warmup / 2)))
        baseline = None
        cpu_start = None
        warmup_pages: dict[str, Any] = {}
        next_sample = started + SAMPLE_S
        next_progress = started + PROGRESS_S
        while (now := time.monotonic()) < started + seconds:
            gevent.sleep(min(next_sample, started + seconds) - now)
            now = time.monotonic()
            if now >= next_sample:
                sample = meter.sample(now - started)
                next_sample += SAMPLE_S
                if baseline is None and now - started >= warmup:
                    warmup_pages = page_figures(env.stats)  # the logins happen in it
                    env.stats.reset_all()
                    baseline = sample
                    cpu_start = meter.cpu_snapshot()
                    print(
                        f"  warm-up over: memory baseline {sample['rss_mib']:.0f} MiB RSS",
                        flush=True,
                    )
            if now >= next_progress:
                next_progress += PROGRESS_S
                total = env.stats.total
                p95 = total.get_response_time_percentile(0.95) or 0
                last = meter.samples[-1]
                print(
                    f"  {now - started:5.0f} s  users {runner.user_count:3d}  requests "
                    f"{total.num_requests:6d}  failures {failures_all[0]}  "
                    f"{total.current_rps:5.1f} req/s  p95 {p95:.0f} ms  "
                    f"server RSS {last['rss_mib']:.0f} MiB ({last['workers']} workers)  "
                    f"load {os.getloadavg()[0]:.1f}",
                    flush=True,
                )
        end_sample = meter.sample(time.monotonic() - started)
        cpu_end = meter.cpu_snapshot()
        runner.quit()
    finally:
        stop_server(proc)
    requests_after_warmup = env.stats.total.num_requests
    pages = {k: v for k, v in page_figures(env.stats).items() if v["requests"]}
    memory = meter.memory_summary(baseline or meter.samples[0], end_sample, MEMORY_LIMIT_PERCENT)
    cpu = meter.cpu_summary(cpu_start or cpu_end, cpu_end, requests_after_warmup)
    tracebacks = log.read_text(errors="replace").count("Traceback") if log.exists() else None
    statuses = {}
    if log.exists():
        for m in re.finditer(r'" (\d{3}) ', log.read_text(errors="replace")):
            statuses[m.group(1)] = statuses.get(m.group(1), 0) + 1
    return {
        "benchmark": "soak",
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "users": args.users,
        "minutes": args.minutes,
        "warmup_s": warmup,
        "think_time_s": list(THINK),
        "mix_weights": dict(zip(("selfcheck", "directory", "staff"), WEIGHTS, strict=True)),
        "server": {
            "gunicorn_config": "deploy/gunicorn.conf.py"
            + (" with --max-requests 0" if args.no_worker_restarts else ""),
            "workers": workers,
            "settings": "bench.public_site (production settings, DEBUG off, WhiteNoise)",
            "database": {"vendor": "postgresql", **database},
            "staff": {k: v for k, v in seeded.items() if k != "logins"}
            | {"logins": len(seeded["logins"])},
        },
        "failures_whole_run": failures_all[0],
        "failures_by_kind": errors_seen,
        "server_log": {"tracebacks": tracebacks, "status_codes": statuses},
        "requests_after_warmup": requests_after_warmup,
        "pages": pages,
        "pages_during_warmup": {k: v for k, v in warmup_pages.items() if v["requests"]},
        "memory": memory,
        "cpu": cpu,
        "load_average": meter.load_summary(),
        "pass": {
            "no_failures": failures_all[0] == 0 and not tracebacks,
            "memory_within_10_percent": memory["within_limit"],
        },
        "machine": {
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "locust": locust.__version__,
        },
        "code": code_state(),
        "samples": meter.samples,
    }


def summary(doc: dict[str, Any]) -> None:
    print(
        f"results: {doc['users']} users, {doc['minutes']:g} min, {doc['requests_after_warmup']} "
        f"requests after the {doc['warmup_s']} s warm-up, failures in the whole run: "
        f"{doc['failures_whole_run']} (server tracebacks: {doc['server_log']['tracebacks']})"
    )
    print(
        f"  {'page':<30} {'requests':>8} {'fail':>5} {'p50':>6} {'p95':>6} {'p99':>6} {'max':>6} ms"
    )
    for name, f in doc["pages"].items():
        print(
            f"  {name:<30} {f['requests']:8d} {f['failures']:5d} {f['p50_ms']:6.0f} "
            f"{f['p95_ms']:6.0f} {f['p99_ms']:6.0f} {f['max_ms']:6.0f}"
        )
    logins = doc["pages_during_warmup"].get("staff: log in (POST)")
    if logins:
        print(
            f"  (during the warm-up: {logins['requests']} logins, p95 {logins['p95_ms']:.0f} ms, "
            f"{logins['failures']} failed)"
        )
    m, c, la = doc["memory"], doc["cpu"], doc["load_average"]
    print(
        f"  server memory (gunicorn master + workers): RSS {m['start_rss_mib']:.0f} → "
        f"{m['end_rss_mib']:.0f} MiB ({m['rss_change_percent']:+.1f} %), PSS "
        f"{m['start_pss_mib']:.0f} → {m['end_pss_mib']:.0f} MiB "
        f"({m['pss_change_percent']:+.1f} %), "
        f"peak RSS {m['peak_rss_mib']:.0f} MiB, worker restarts {m['worker_restarts']}: "
        f"{'within' if m['within_limit'] else 'NOT within'} {MEMORY_LIMIT_PERCENT:.0f} %"
    )
    print(
        f"  CPU after warm-up: gunicorn {c['app_cpu_s']:.0f} s, PostgreSQL {c['db_cpu_s']:.0f} s "
        f"({c['server_cpu_ms_per_request']:.1f} ms per request), machine busy "
        f"{c['machine_busy_percent']} %; load average {la['min']}–{la['max']} (mean {la['mean']})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=60, help="seconds (≤ a fifth of the run)")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the bench database")
    parser.add_argument(
        "--no-worker-restarts",
        action="store_true",
        help="gunicorn without max_requests (does memory creep without the restarts?)",
    )
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args()
    doc = run(args)
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(json.dumps(doc, indent=2, ensure_ascii=False, default=str) + "\n")
    summary(doc)
    shown = args.results.relative_to(ROOT) if args.results.is_relative_to(ROOT) else args.results
    print(f"written to {shown}")


if __name__ == "__main__":
    main()

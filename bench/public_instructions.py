"""Instructions per request of each public page against the bare view, counted by valgrind:
``bench/public_load.py --instructions`` (``make bench-instructions``).

Why: the load benchmark's figures move with the host. On the shared machines here the same
code measured 15 % apart between two runs of one page, and single in-process timings by up
to 40 % (docs/public.md). ``valgrind --tool=callgrind`` counts the instructions the Python
process executes, which repeats for the same code and inputs whatever else the machine does
(docs/public.md, "Eleventh session"). It measures the Python side only: not gunicorn's HTTP
work, not PostgreSQL's; the load benchmark stays the acceptance measure.

How: each target's varied inputs (the same rows as under load, ``public_inputs``) run in one
process through Django's WSGI handler (``public_profile.caller``): after a warm-up over every
input (at least 50 requests), once with no further request and once with ``N`` more; the
difference divided by ``N`` is the instructions per request, without the start and the warm-up;
the heap of the start and the warm-up is collected and frozen before (``gc.freeze``), so that a
full collection more or less in one run does not move the difference. The two runs of a target
go side by side (one per core), with the same hash seed (``PYTHONHASHSEED=0``). Written to
``bench/results/public-instructions.json``: per target the instructions per request and the bare
view's as a share of it (the in-process counterpart of "≥ 20 % of the bare view").
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import gc
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WARM_UP = 50
#: requests counted per target (the runs take ~1–2 minutes each under valgrind)
REQUESTS = int(os.environ.get("BENCH_INSTRUCTION_REQUESTS", 200))
_COLLECTED = re.compile(r"Collected\s*:\s*(\d+)")


def worker(rows_file: str, n: int) -> None:
    """In the process valgrind runs: the warm-up, then ``n`` requests."""
    from public_profile import caller, read_rows

    rows = read_rows(Path(rows_file))
    call = caller()
    # every input once at least, as under load, where each comes round again and again: what
    # the pages keep per offer, search or page is kept when they are counted
    warm = max(WARM_UP, len(rows))
    for i in range(warm):
        call(rows[i % len(rows)])
    # the objects of the start and the warm-up out of the collector's way: one collection of
    # the whole heap more or less in one run than in the other moved a count by 10 %
    gc.collect()
    gc.freeze()
    for i in range(n):
        call(rows[(warm + i) % len(rows)])


def _count(valgrind: str, script: Path, rows_file: Path, n: int, env: dict) -> int:
    cmd = [valgrind, "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable]
    cmd += [str(script), "--instructions-worker", str(rows_file), "--instructions-requests", str(n)]
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)  # noqa: S603
    found = _COLLECTED.search(done.stderr)
    if done.returncode != 0 or found is None:
        tail = "\n".join(done.stderr.splitlines()[-15:])
        raise SystemExit(f"valgrind run of {rows_file.name} failed:\n{tail}")
    return int(found.group(1))


def measure(files: dict[str, Path], script: Path, env: dict) -> dict[str, dict]:
    """Instructions per request of each target (``files``: name -> its rows)."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        raise SystemExit("valgrind is not installed (Debian package valgrind)")
    figures: dict[str, dict] = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        for k, (name, rows_file) in enumerate(files.items(), start=1):
            print(f"  [{k}/{len(files)}] {name}: counting {REQUESTS} requests …", flush=True)
            base = pool.submit(_count, valgrind, script, rows_file, 0, env)
            more = pool.submit(_count, valgrind, script, rows_file, REQUESTS, env)
            per = (more.result() - base.result()) / REQUESTS
            figures[name] = {"instructions_per_request": round(per)}
            print(f"        {per / 1e6:6.2f} million instructions per request", flush=True)
    return figures


def run(files: dict[str, Path], ceiling: str, script: Path, env: dict, results: Path) -> None:
    """Count each target of ``files`` (the ceiling among them), write and print the figures."""
    from codestate import code_state

    figures = measure(files, script, env)
    bare = figures[ceiling]["instructions_per_request"]
    for fig in figures.values():
        fig["bare_view_share_percent"] = round(100 * bare / fig["instructions_per_request"], 1)
    doc = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "what": __doc__.split("\n\n")[0],
        "warm_up": "every input once, at least 50 requests",
        "requests_per_target": REQUESTS,
        "code": code_state(),
        "results": figures,
    }
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    print("instructions per request (valgrind, one process):")
    for name, fig in figures.items():
        print(
            f"  {name:14} {fig['instructions_per_request'] / 1e6:6.2f} million"
            f"  the bare view's: {fig['bare_view_share_percent']:5.1f} % of it"
        )
    print(f"written to {results}")

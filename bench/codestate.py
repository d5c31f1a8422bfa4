"""Which code a benchmark measured: written into every results file of ``bench/``."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def code_state() -> dict[str, Any]:
    """The commit measured (``BENCH_GIT_COMMIT`` or HEAD) and any uncommitted change to the
    package."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
        return done.stdout

    dirty = git("status", "--porcelain", "--", "wegweiser")
    return {
        "commit": os.environ.get("BENCH_GIT_COMMIT") or git("rev-parse", "HEAD").strip() or None,
        "uncommitted_changes_in_wegweiser": [line[3:] for line in dirty.splitlines() if line],
    }

"""The load benchmark's comparisons with earlier runs (``bench/public_load.py``): each page's
figures next to the run before issue 16's changes, and the gunicorn sweep an earlier run
measured (kept when this run does not sweep)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

#: The run on main's code before issue 16's changes, with the same varied inputs.
BEFORE = Path(__file__).resolve().parent / "results" / "public-before.json"


def before_after(before_path: Path, figures: dict[str, Any]) -> dict[str, Any] | None:
    """Per page: CPU per request, throughput, share of the bare view, p95 and errors of the run
    before (``BEFORE``) next to this run's."""
    try:
        before = json.loads(before_path.read_text())["results"]
    except (OSError, ValueError, KeyError):
        return None
    keys = ("server_cpu_ms_per_request", "requests_per_second", "p95_ms", "errors")
    out = {}
    for name, fig in figures.items():
        if name not in before:
            continue
        row = {}
        for key in keys:
            row[key] = {"before": before[name].get(key), "after": fig.get(key)}
        share = [before[name].get("target", {}), fig.get("target", {})]
        row["share_of_ceiling_percent"] = {
            "before": share[0].get("share_of_ceiling_percent"),
            "after": share[1].get("share_of_ceiling_percent"),
        }
        out[name] = row
    return {"before": before_path.name, "pages": out}


def previous_sweep(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text()).get("server_sweep")
    except (OSError, ValueError, AttributeError):
        return None

"""What the soak benchmark (``bench/soak.py``) reads from ``/proc``: the memory and CPU of the
gunicorn master and its workers and of the PostgreSQL backends serving the bench database, the
load average; and the per-page figures of locust's statistics."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

CLK_TCK = os.sysconf("SC_CLK_TCK")
MIB = 1024 * 1024


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def _kib(text: str, key: str) -> int:
    for line in text.splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def _stat(pid: int) -> list[str]:
    text = _read(f"/proc/{pid}/stat")
    return text.rsplit(")", 1)[1].split() if ")" in text else []


def _machine_jiffies() -> tuple[int, int]:
    values = [int(x) for x in _read("/proc/stat").splitlines()[0].split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return sum(values) - idle, sum(values)


class ServerMeter:
    """Samples of the server's memory; CPU of gunicorn and of its database backends."""

    def __init__(self, master: int, database: str) -> None:
        self.master = master
        self.database = database
        self.samples: list[dict[str, Any]] = []
        self.pids_seen: set[int] = set()
        self.db_cpu: dict[int, float] = {}  # last CPU seconds seen per backend

    @staticmethod
    def children(pid: int) -> list[int]:
        return [int(x) for x in _read(f"/proc/{pid}/task/{pid}/children").split()]

    def _backends(self) -> list[int]:
        """PostgreSQL backends connected to the bench database (by their process title)."""
        marker = f" {self.database} "
        found = []
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                title = _read(f"/proc/{entry.name}/cmdline").replace("\0", " ")
                if title.startswith("postgres:") and marker in title:
                    found.append(int(entry.name))
        return found

    def sample(self, t: float) -> dict[str, Any]:
        workers = self.children(self.master)
        self.pids_seen.update(workers)
        rss = pss = 0
        for pid in [self.master, *workers]:
            rss += _kib(_read(f"/proc/{pid}/status"), "VmRSS")
            pss += _kib(_read(f"/proc/{pid}/smaps_rollup"), "Pss")
        for pid in self._backends():
            fields = _stat(pid)
            if fields:
                self.db_cpu[pid] = (int(fields[11]) + int(fields[12])) / CLK_TCK
        row = {
            "t_s": round(t, 1),
            "rss_mib": round(rss / 1024, 1),
            "pss_mib": round(pss / 1024, 1),
            "workers": len(workers),
            "load_1min": round(os.getloadavg()[0], 2),
        }
        self.samples.append(row)
        return row

    def cpu_snapshot(self) -> dict[str, Any]:
        """gunicorn's CPU seconds: the master's own and its reaped workers' (cutime, cstime)
        plus the live workers'; the backends' as last sampled; the machine's jiffies."""
        fields = _stat(self.master)
        app = sum(int(x) for x in fields[11:15]) / CLK_TCK if fields else 0.0
        for pid in self.children(self.master):
            f = _stat(pid)
            app += (int(f[11]) + int(f[12])) / CLK_TCK if f else 0.0
        return {"app": app, "db": dict(self.db_cpu), "machine": _machine_jiffies()}

    @staticmethod
    def cpu_summary(before: dict[str, Any], after: dict[str, Any], requests: int) -> dict:
        app = after["app"] - before["app"]
        db = sum(t - before["db"].get(pid, 0.0) for pid, t in after["db"].items())
        busy = after["machine"][0] - before["machine"][0]
        total = after["machine"][1] - before["machine"][1]
        per = 1000 / requests if requests else 0.0
        return {
            "app_cpu_s": round(app, 1),
            "db_cpu_s": round(db, 1),
            "app_cpu_ms_per_request": round(app * per, 2),
            "db_cpu_ms_per_request": round(db * per, 2),
            "server_cpu_ms_per_request": round((app + db) * per, 2),
            "machine_busy_percent": round(100 * busy / total, 1) if total else None,
        }

    def memory_summary(self, start: dict, end: dict, limit_percent: float) -> dict[str, Any]:
        def change(key: str) -> float:
            return round(100 * (end[key] - start[key]) / start[key], 1) if start[key] else 0.0

        after = [s for s in self.samples if s["t_s"] >= start["t_s"]]
        return {
            "start_t_s": start["t_s"],
            "end_t_s": end["t_s"],
            "start_rss_mib": start["rss_mib"],
            "end_rss_mib": end["rss_mib"],
            "rss_change_percent": change("rss_mib"),
            "start_pss_mib": start["pss_mib"],
            "end_pss_mib": end["pss_mib"],
            "pss_change_percent": change("pss_mib"),
            "peak_rss_mib": max(s["rss_mib"] for s in after),
            "worker_restarts": max(0, len(self.pids_seen) - start["workers"]),
            "limit_percent": limit_percent,
            "within_limit": abs(change("rss_mib")) <= limit_percent,
        }

    def load_summary(self) -> dict[str, float]:
        loads = [s["load_1min"] for s in self.samples]
        return {
            "min": min(loads),
            "max": max(loads),
            "mean": round(sum(loads) / len(loads), 2),
        }


def page_figures(stats) -> dict[str, dict[str, Any]]:
    """Per page (locust's request name): requests, failures, p50/p95/p99 and max in ms."""
    out = {}
    for entry in sorted(stats.entries.values(), key=lambda e: e.name):
        out[entry.name] = {
            "method": entry.method,
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "p50_ms": entry.get_response_time_percentile(0.5) or 0,
            "p95_ms": entry.get_response_time_percentile(0.95) or 0,
            "p99_ms": entry.get_response_time_percentile(0.99) or 0,
            "max_ms": round(entry.max_response_time or 0, 1),
            "mean_ms": round(entry.avg_response_time or 0, 1),
        }
    return out

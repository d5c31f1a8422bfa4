"""Demo data of the funding administration (filled below)."""

from __future__ import annotations

from wegweiser.core.demo import DemoRun


def demo_step(run: DemoRun) -> None:
    return None

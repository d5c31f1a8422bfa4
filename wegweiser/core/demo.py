"""The steps of ``wegweiser demo`` (part of ``make run``): each app registers its own.

An app registers a :class:`Step` when it starts (``AppConfig.ready``); the command
(``core/management/commands/demo.py``) runs the steps by their ``order``: the programme catalogue
(10), the regions (20), the synthetic directory with the offer maintainer's login (30), the case
management's logins and invented cases (40). So the kernel imports no feature app, and a new app
adds its demo data by registering a step.
"""

from __future__ import annotations

from argparse import ArgumentParser
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NoReturn

from django.core.management import call_command
from django.core.management.base import OutputWrapper


@dataclass
class DemoRun:
    """One run of the command: its options and its output, for the steps."""

    options: dict[str, Any]
    stdout: OutputWrapper
    stderr: OutputWrapper
    steps: list[Step] = field(default_factory=list)

    def call(self, command: str) -> None:
        """Run another management command with this run's output."""
        call_command(command, stdout=self.stdout, stderr=self.stderr)

    def fail(self, message: str) -> NoReturn:
        """Stop the whole run with ``message`` on stderr and exit status 2."""
        self.stderr.write(message)
        raise SystemExit(2)

    def rebuild_refusal(self) -> str | None:
        """Why the demo organisations must not be rebuilt now (the first step that says so)."""
        for step in self.steps:
            if step.refuses_rebuild is not None and (reason := step.refuses_rebuild()):
                return reason
        return None


@dataclass(frozen=True)
class Step:
    #: the position in the run (steps run from the smallest)
    order: int
    #: a name of the step, unique
    name: str
    run: Callable[[DemoRun], None]
    #: adds the step's options to the command (``--offers`` ...)
    add_arguments: Callable[[ArgumentParser], None] | None = None
    #: while this step's data hold on to the demo organisations: why they must not be rebuilt
    refuses_rebuild: Callable[[], str | None] | None = None


_STEPS: dict[str, Step] = {}


def register(step: Step) -> None:
    """Add ``step`` (again under the same name: replace it)."""
    _STEPS[step.name] = step


def steps() -> list[Step]:
    return sorted(_STEPS.values(), key=lambda s: s.order)

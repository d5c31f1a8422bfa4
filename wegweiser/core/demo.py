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


#: The invented people behind the demo logins: pages name the person responsible ("zuständig:
#: Bettina Brandt (Demo)"), never a login name.
DEMO_PEOPLE = {
    "demo-beratung": ("Bettina", "Brandt"),
    "demo-teamleitung": ("Tarek", "Lindner"),
    "demo-netzwerk": ("Nora", "Weiß"),
    "demo-programm": ("Paul", "Richter"),
    "demo-datenschutz": ("Dana", "Schulz"),
    "demo-plattform": ("Pia", "Hofmann"),
    "demo-partner": ("Peter", "Arslan"),
    "demo-mittelgeber": ("Mia", "Günther"),
    "demo-pflege": ("Olga", "Pfeiffer"),
    "demo-antrag": ("Anton", "Krämer"),
    "demo-rp": ("Rita", "Pohl"),
    "demo-ehrenamt": ("Emma", "Koch"),
    "demo-dolmetscherin": ("Leyla", "Haddad"),
}


def demo_login(username: str):
    """The demo login ``username`` (created where missing) with its invented person's name;
    the caller sets the password and saves it."""
    from django.contrib.auth import get_user_model

    user, _created = get_user_model().objects.get_or_create(username=username)
    first, last = DEMO_PEOPLE.get(username, ("", ""))
    if first:
        user.first_name, user.last_name = first, f"{last} (Demo)"
    return user

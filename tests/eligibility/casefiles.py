"""Reading the domain test cases of tests/eligibility/cases/."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

CASES_DIR = Path(__file__).parent / "cases"


@dataclass(frozen=True)
class Case:
    file: str
    number: int
    story: str
    date: dt.date
    profile: dict[str, Any]
    expect: dict[str, str]
    reasons: dict[str, list[str]]
    #: the reasons the person herself is shown (``RoundResult.reasons_for_person``)
    shown: dict[str, list[str]]
    missing: dict[str, list[str]]
    active: list[str] | None

    @property
    def id(self) -> str:
        return f"{self.file}:{self.number}"


def load_cases() -> list[Case]:
    cases = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        default_date = data.get("date")
        for number, raw in enumerate(data["cases"], start=1):
            unknown = set(raw) - {
                "story",
                "date",
                "profile",
                "expect",
                "reasons",
                "shown",
                "missing",
                "active",
            }
            assert not unknown, f"{path.name} case {number}: unknown keys {unknown}"
            cases.append(
                Case(
                    file=path.name,
                    number=number,
                    story=" ".join(raw["story"].split()),
                    date=raw.get("date", default_date),
                    profile=raw["profile"],
                    expect=raw["expect"],
                    reasons=raw.get("reasons", {}),
                    shown=raw.get("shown", {}),
                    missing=raw.get("missing", {}),
                    active=raw.get("active"),
                )
            )
    return cases

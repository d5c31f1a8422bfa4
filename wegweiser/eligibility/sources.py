"""The references rules cite, and the names of the rounds a double-funding rule excludes.

Part of the catalogue (``catalogue.py``): a source is a guideline, an official page or a law a
person may read, or our own working material (seed texts, product decisions) that only
reviewers see. Pure Python, like the whole engine.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass

#: Source kinds that are our own working material (the seed texts, our product decisions): they
#: trace a rule for reviewers but are never shown to the public as a source.
INTERNAL_SOURCE_KINDS = frozenset({"seed", "decision"})
SOURCE_KINDS = frozenset({"document", "law", *INTERNAL_SOURCE_KINDS})


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    url: str = ""
    kind: str = "document"
    #: for a law: the abbreviation that names it in a rule's ``legal`` reference (``AufenthG``)
    abbreviation: str = ""

    @property
    def public(self) -> bool:
        """Whether the source may be shown to a person as a source (a law, a guideline, an
        official page), not only to reviewers."""
        return self.kind not in INTERNAL_SOURCE_KINDS


@dataclass(frozen=True)
class ExcludedRound:
    """A round whose current participation excludes another round (double funding), with the
    names that say so in plain words."""

    round_id: str
    programme_name: dict[str, str]
    round_name: dict[str, str]
    #: every round of its programme is excluded: the programme's name says it all
    whole_programme: bool = False


def excluded_text(
    excluded: tuple[ExcludedRound, ...],
    pick_text: Callable[[dict[str, str]], str],
    only: Collection[str] | None = None,
    comma: str = ", ",
    semicolon: str = "; ",
) -> str:
    """The names of excluded rounds in one language, for a reason text.

    ``pick_text`` turns a ``{"de": ..., "en": ...}`` text into the language wanted. Without
    ``only``: every excluded programme, by its name when all its rounds are excluded, else with
    the round names. With ``only`` (the ids of the conflicting participations): those rounds,
    each as "programme, round". ``comma`` and ``semicolon`` separate the names as the language
    writes them (the engine knows only German and English; Arabic writes "،" and "؛").
    """
    parts: list[str] = []
    if only is not None:
        for item in excluded:
            if item.round_id in only:
                label = f"{pick_text(item.programme_name)}{comma}{pick_text(item.round_name)}"
                if label not in parts:
                    parts.append(label)
        return semicolon.join(parts)
    by_programme: dict[str, list[ExcludedRound]] = {}
    for item in excluded:
        by_programme.setdefault(pick_text(item.programme_name), []).append(item)
    for name, items in by_programme.items():
        if all(i.whole_programme for i in items):
            parts.append(name)
        else:
            rounds = comma.join(dict.fromkeys(pick_text(i.round_name) for i in items))
            parts.append(f"{name} ({rounds})")
    return semicolon.join(parts)


def legal_references(
    legal: str, sources: Mapping[str, Source]
) -> tuple[tuple[str, Source | None], ...]:
    """A rule's ``legal`` text split at ";", each part with the law it names by abbreviation
    (``§ 55 AsylG`` -> the source ``asylg``), or ``None`` where it names none of ``sources``."""
    laws = sorted(
        (s for s in sources.values() if s.kind == "law" and s.abbreviation),
        key=lambda s: len(s.abbreviation),
        reverse=True,
    )
    refs = []
    for part in (p.strip() for p in legal.split(";")):
        if not part:
            continue
        law = next(
            (s for s in laws if re.search(rf"(?<!\w){re.escape(s.abbreviation)}(?!\w)", part)),
            None,
        )
        refs.append((part, law))
    return tuple(refs)

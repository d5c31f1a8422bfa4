"""Load and validate the programme catalogue and its rules from the data files.

One YAML file per programme in ``wegweiser/catalogue/`` (see ``docs/catalogue.md``), plus
``sources.yaml`` (the references rules cite) and ``funding-lines.yaml``. Loading validates
everything and names the file and rule of the first error, so a broken rule never reaches a
person.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from wegweiser.eligibility.conditions import (
    Compare,
    Condition,
    ConditionError,
    Not,
    parse_condition,
)
from wegweiser.eligibility.i18n import message
from wegweiser.eligibility.registry import FACTS, INPUT_KEYS
from wegweiser.eligibility.sources import (
    INTERNAL_SOURCE_KINDS,
    SOURCE_KINDS,
    ExcludedRound,
    Source,
    excluded_text,
    legal_references,
)

__all__ = [
    "DEFAULT_CATALOGUE_DIR",
    "INTERNAL_SOURCE_KINDS",
    "Catalogue",
    "CatalogueError",
    "ExcludedRound",
    "FundingLine",
    "Programme",
    "Round",
    "Rule",
    "Source",
    "excluded_text",
    "legal_references",
    "load_catalogue",
    "pick",
]

DEFAULT_CATALOGUE_DIR = Path(__file__).resolve().parent.parent / "catalogue"
ASSUMABLE_FIELDS = ("start", "end", "budget", "funder", "administering_authority")
PROGRAMME_KEYS = {
    "id",
    "name",
    "summary",
    "target_group",
    "funder",
    "administering_authority",
    "funding_line",
    "family",
    "website",
    "sources",
    "rules",
    "rounds",
}
ROUND_KEYS = {
    "id",
    "name",
    "start",
    "end",
    "assumed",
    "budget",
    "funder",
    "administering_authority",
    "funding_line",
    "sources",
    "rules",
    "excludes_participation_in",
    "note",
}
RULE_KEYS = {"text", "sources", "legal", "when"}


class CatalogueError(ValueError):
    """An invalid catalogue file; the message names file and rule."""


def _text(value: Any, where: str) -> dict[str, str]:
    """A translated text: a mapping with at least German and English."""
    if not isinstance(value, dict) or not value.get("de") or not value.get("en"):
        raise CatalogueError(f"{where}: needs a text with 'de' and 'en'")
    if not all(isinstance(v, str) for v in value.values()):
        raise CatalogueError(f"{where}: texts must be strings")
    return dict(value)


def pick(texts: dict[str, str] | None, lang: str) -> str:
    """The text in ``lang``, falling back to German."""
    if not texts:
        return ""
    return texts.get(lang) or texts["de"]


@dataclass(frozen=True)
class Rule:
    id: str
    text: dict[str, str]
    condition: Condition
    sources: tuple[Source, ...] = ()
    legal: str = ""
    #: for the double-funding rule: the round ids whose participation excludes this round
    excluded_rounds: tuple[str, ...] = ()
    #: the same rounds with their names (for the reason texts; never the ids)
    excluded: tuple[ExcludedRound, ...] = ()
    #: ``legal`` split at ";" into its references, each with the law it names (sources.yaml)
    legal_refs: tuple[tuple[str, Source], ...] = ()

    @cached_property
    def input_keys(self) -> tuple[str, ...]:
        """Profile keys this rule depends on, in question order."""
        keys = {k for f in self.condition.facts() for k in FACTS[f].inputs}
        return tuple(k for k in INPUT_KEYS if k in keys)

    def source_text(self) -> str:
        parts = [f"{s.title}" for s in self.sources]
        if self.legal:
            parts.append(self.legal)
        return "; ".join(parts)

    @property
    def public_sources(self) -> tuple[Source, ...]:
        """The sources a person may be shown (no seed texts, no product decisions)."""
        return tuple(s for s in self.sources if s.public)

    def reason_text(
        self, lang: str, facts: dict[str, Any] | None = None, outcome: bool | None = None
    ) -> str:
        if self.excluded_rounds and outcome is False and facts is not None:
            conflicts = {p for p in facts["participations"] if p in self.excluded_rounds}
            names = excluded_text(self.excluded, lambda t: pick(t, lang), only=conflicts)
            return message("double_funding", lang, conflicts=names)
        return pick(self.text, lang)


@dataclass(frozen=True)
class FundingLine:
    id: str
    name: dict[str, str]
    fund: str
    funder: str


@dataclass(frozen=True)
class Round:
    programme: str
    id: str
    name: dict[str, str]
    start: dt.date
    end: dt.date | None
    funder: str
    administering_authority: str
    funding_line: str
    assumed: tuple[str, ...] = ()
    budget_eur: float | None = None
    budget_note: dict[str, str] | None = None
    note: dict[str, str] | None = None
    sources: tuple[Source, ...] = ()
    rules: tuple[Rule, ...] = ()
    excludes: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """Unique across the catalogue (a round id can be shared by two IQ programmes)."""
        return f"{self.programme}/{self.id}"

    def is_active(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    @cached_property
    def input_keys(self) -> tuple[str, ...]:
        keys = {k for r in self.rules for k in r.input_keys}
        return tuple(k for k in INPUT_KEYS if k in keys)


@dataclass(frozen=True)
class Programme:
    id: str
    name: dict[str, str]
    summary: dict[str, str]
    target_group: dict[str, str]
    funder: str
    administering_authority: str
    funding_line: str
    family: dict[str, str] | None = None
    website: str = ""
    sources: tuple[Source, ...] = ()
    rounds: tuple[Round, ...] = ()
    file: str = ""

    def is_ended(self, day: dt.date) -> bool:
        return all(r.end is not None and r.end < day for r in self.rounds)


@dataclass
class Catalogue:
    programmes: tuple[Programme, ...]
    funding_lines: dict[str, FundingLine]
    sources: dict[str, Source]
    version: str = ""
    rounds: tuple[Round, ...] = field(init=False)

    def __post_init__(self) -> None:
        self.rounds = tuple(r for p in self.programmes for r in p.rounds)

    @cached_property
    def round_ids(self) -> frozenset[str]:
        return frozenset(r.id for r in self.rounds)

    def programme(self, programme_id: str) -> Programme:
        for p in self.programmes:
            if p.id == programme_id:
                return p
        raise KeyError(programme_id)

    def active_rounds(self, day: dt.date) -> tuple[Round, ...]:
        return tuple(r for r in self.rounds if r.is_active(day))

    def select_rounds(self, selectors: list[str]) -> tuple[Round, ...]:
        """Rounds named by id (``iq-2023``: both IQ programmes) or ``programme/round``."""
        chosen: list[Round] = []
        for sel in selectors:
            found = [r for r in self.rounds if sel in (r.id, r.key)]
            if not found:
                raise KeyError(sel)
            chosen.extend(r for r in found if r not in chosen)
        order = {r.key: i for i, r in enumerate(self.rounds)}
        return tuple(sorted(chosen, key=lambda r: order[r.key]))


def _load_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    except (yaml.YAMLError, ValueError) as exc:
        raise CatalogueError(f"{path.name}: not valid YAML: {exc}") from None


def _date(value: Any, where: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    raise CatalogueError(f"{where}: '{value}' is not a date (YYYY-MM-DD)")


def _sources(ids: Any, registry: dict[str, Source], where: str) -> tuple[Source, ...]:
    if ids is None:
        return ()
    if not isinstance(ids, list):
        raise CatalogueError(f"{where}: sources must be a list of source ids")
    out = []
    for sid in ids:
        if sid not in registry:
            raise CatalogueError(f"{where}: unknown source '{sid}' (see sources.yaml)")
        out.append(registry[sid])
    return tuple(out)


def load_catalogue(directory: Path | str | None = None) -> Catalogue:
    """Read and validate every file of the catalogue directory."""
    directory = Path(directory or DEFAULT_CATALOGUE_DIR)
    sources = _load_sources(directory / "sources.yaml")
    lines = _load_funding_lines(directory / "funding-lines.yaml")
    files = _programme_files(directory)
    raw = [(p, _load_yaml(p)) for p in files]
    # Round ids first: participations and double-funding patterns refer to them (and the
    # double-funding reasons name the rounds they exclude).
    all_round_ids: set[str] = set()
    named: list[tuple[str, Any, Any, Any]] = []
    for path, data in raw:
        if not isinstance(data, dict):
            raise CatalogueError(f"{path.name}: must be a mapping")
        ids = [
            rnd["id"]
            for rnd in data.get("rounds") or []
            if isinstance(rnd, dict) and isinstance(rnd.get("id"), str)
        ]
        all_round_ids.update(ids)
        for rnd in data.get("rounds") or []:
            if isinstance(rnd, dict) and isinstance(rnd.get("id"), str):
                named.append((rnd["id"], data.get("name"), rnd.get("name"), tuple(ids)))
    programmes = []
    seen: set[str] = set()
    for path, data in raw:
        prog = _load_programme(
            path.name, data, sources, lines, frozenset(all_round_ids), tuple(named)
        )
        if prog.id in seen:
            raise CatalogueError(f"{path.name}: programme id '{prog.id}' is used twice")
        if path.stem != prog.id:
            raise CatalogueError(f"{path.name}: file name must be the programme id '{prog.id}'")
        seen.add(prog.id)
        programmes.append(prog)
    version = _version(directory, files)
    return Catalogue(tuple(programmes), lines, sources, version)


META_FILES = ("index.yaml", "sources.yaml", "funding-lines.yaml")


def _programme_files(directory: Path) -> list[Path]:
    """The programme files in the order of ``index.yaml``; every file must be listed."""
    index = _load_yaml(directory / "index.yaml")
    ids = index.get("programmes") if isinstance(index, dict) else None
    if not isinstance(ids, list) or not ids:
        raise CatalogueError("index.yaml: needs a list 'programmes'")
    present = {p.stem for p in directory.glob("*.yaml") if p.name not in META_FILES}
    for pid in ids:
        if pid not in present:
            raise CatalogueError(f"index.yaml: no file {pid}.yaml for programme '{pid}'")
    unlisted = sorted(present - set(ids))
    if unlisted:
        raise CatalogueError(f"{unlisted[0]}.yaml: not listed in index.yaml")
    return [directory / f"{pid}.yaml" for pid in ids]


def _version(directory: Path, files: list[Path]) -> str:
    """A content hash of the catalogue: stored with every eligibility snapshot."""
    import hashlib

    digest = hashlib.sha256()
    for path in [*files, *(directory / name for name in META_FILES)]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _load_mapping(path: Path, what: str) -> dict:
    data = _load_yaml(path)
    if not isinstance(data, dict):
        raise CatalogueError(f"{path.name}: must map {what}")
    return data


def _load_sources(path: Path) -> dict[str, Source]:
    out = {}
    for sid, entry in _load_mapping(path, "source ids to sources").items():
        if not isinstance(entry, dict) or not entry.get("title"):
            raise CatalogueError(f"{path.name}, source '{sid}': needs a title")
        kind = entry.get("kind", "document")
        if kind not in SOURCE_KINDS:
            raise CatalogueError(
                f"{path.name}, source '{sid}': unknown kind '{kind}'"
                f" ({', '.join(sorted(SOURCE_KINDS))})"
            )
        abbreviation = entry.get("abbreviation", "")
        if kind == "law" and not abbreviation:
            raise CatalogueError(f"{path.name}, source '{sid}': a law needs its 'abbreviation'")
        out[sid] = Source(sid, entry["title"], entry.get("url", ""), kind, abbreviation)
    return out


def _load_funding_lines(path: Path) -> dict[str, FundingLine]:
    out = {}
    for lid, entry in _load_mapping(path, "funding-line ids to funding lines").items():
        where = f"{path.name}, funding line '{lid}'"
        if not isinstance(entry, dict):
            raise CatalogueError(f"{where}: must be a mapping")
        out[lid] = FundingLine(
            lid, _text(entry.get("name"), where), entry.get("fund", ""), entry.get("funder", "")
        )
    return out


def _legal_refs(legal: Any, sources: dict[str, Source], where: str):
    """A rule's ``legal`` reference split at ";"; each part must name a law of sources.yaml by
    its abbreviation, so that a page can link it (``§ 55 AsylG`` -> the Asylgesetz)."""
    if not legal:
        return ()
    if not isinstance(legal, str):
        raise CatalogueError(f"{where}: 'legal' must be a text")
    refs = legal_references(legal, sources)
    for part, law in refs:
        if law is None:
            raise CatalogueError(
                f"{where}: the legal reference '{part}' names no law of sources.yaml (kind: law)"
            )
    return refs


def _excluded_rounds(excludes: list[str], named, where: str) -> tuple[ExcludedRound, ...]:
    """The excluded round ids with their programme and round names (``named`` from the first
    pass over the files: round id, programme name, round name, the programme's round ids)."""
    out = []
    for round_id, programme_name, round_name, siblings in named:
        if round_id in excludes:
            out.append(
                ExcludedRound(
                    round_id,
                    _text(programme_name, f"{where}, excluded round '{round_id}': programme name"),
                    _text(round_name, f"{where}, excluded round '{round_id}': round name"),
                    whole_programme=all(s in excludes for s in siblings),
                )
            )
    return tuple(out)


def _load_programme(fname, data, sources, lines, all_round_ids, named=()) -> Programme:
    unknown = set(data) - PROGRAMME_KEYS
    if unknown:
        raise CatalogueError(f"{fname}: unknown keys {sorted(unknown)}")
    pid = data.get("id")
    if not isinstance(pid, str) or not pid:
        raise CatalogueError(f"{fname}: needs an 'id'")
    line = data.get("funding_line")
    if line not in lines:
        raise CatalogueError(f"{fname}: unknown funding line '{line}'")
    rule_defs = data.get("rules") or {}
    if not isinstance(rule_defs, dict):
        raise CatalogueError(f"{fname}: 'rules' must map rule names to rules")
    list_values = {"participations": all_round_ids}
    rules: dict[str, Rule] = {}
    for name, rdef in rule_defs.items():
        where = f"{fname}, rule '{name}'"
        if not isinstance(rdef, dict):
            raise CatalogueError(f"{where}: must be a mapping")
        unknown = set(rdef) - RULE_KEYS
        if unknown:
            raise CatalogueError(f"{where}: unknown keys {sorted(unknown)}")
        if not rdef.get("sources") and not rdef.get("legal"):
            raise CatalogueError(f"{where}: every rule needs a source")
        try:
            condition = parse_condition(rdef.get("when"), facts=FACTS, list_values=list_values)
        except ConditionError as exc:
            raise CatalogueError(f"{where}: {exc}") from None
        legal = rdef.get("legal") or ""
        rules[name] = Rule(
            id=f"{pid}.{name}",
            text=_text(rdef.get("text"), where),
            condition=condition,
            sources=_sources(rdef.get("sources"), sources, where),
            legal=legal,
            legal_refs=_legal_refs(legal, sources, where),
        )

    rounds = []
    raw_rounds = data.get("rounds")
    if not isinstance(raw_rounds, list) or not raw_rounds:
        raise CatalogueError(f"{fname}: needs at least one round")
    round_ids: set[str] = set()
    for rdata in raw_rounds:
        rid = rdata.get("id") if isinstance(rdata, dict) else None
        where = f"{fname}, round '{rid}'"
        if not isinstance(rid, str):
            raise CatalogueError(f"{fname}: every round needs an 'id'")
        if rid in round_ids:
            raise CatalogueError(f"{where}: round id used twice")
        round_ids.add(rid)
        unknown = set(rdata) - ROUND_KEYS
        if unknown:
            raise CatalogueError(f"{where}: unknown keys {sorted(unknown)}")
        start = _date(rdata.get("start"), f"{where}, start")
        end = rdata.get("end")
        end = None if end is None else _date(end, f"{where}, end")
        if end is not None and end < start:
            raise CatalogueError(f"{where}: ends before it starts")
        assumed = tuple(rdata.get("assumed") or ())
        for a in assumed:
            if a not in ASSUMABLE_FIELDS:
                raise CatalogueError(f"{where}: cannot mark '{a}' as assumed")
        round_rules = []
        for name in rdata.get("rules") or []:
            if name not in rules:
                raise CatalogueError(f"{where}: unknown rule '{name}'")
            round_rules.append(rules[name])
        if not round_rules:
            raise CatalogueError(f"{where}: needs at least one rule")
        excludes: list[str] = []
        for pattern in rdata.get("excludes_participation_in") or []:
            matched = sorted(r for r in all_round_ids if fnmatch.fnmatchcase(r, pattern))
            if not matched:
                raise CatalogueError(
                    f"{where}: 'excludes_participation_in' pattern '{pattern}' matches no round"
                )
            excludes.extend(m for m in matched if m not in excludes)
        if excludes:
            excluded = _excluded_rounds(excludes, named, where)
            round_rules.append(
                Rule(
                    id=f"{pid}.{rid}.no-double-funding",
                    text={
                        lang: message(
                            "double_funding_rule",
                            lang,
                            excluded=excluded_text(excluded, lambda t, lang=lang: pick(t, lang)),
                        )
                        for lang in ("de", "en")
                    },
                    condition=Not(Compare("participations", "contains_any", frozenset(excludes))),
                    sources=_sources(["seed-001", "eligibility-v1"], sources, where),
                    excluded_rounds=tuple(excludes),
                    excluded=excluded,
                )
            )
        budget = rdata.get("budget") or {}
        line_id = rdata.get("funding_line", line)
        if line_id not in lines:
            raise CatalogueError(f"{where}: unknown funding line '{line_id}'")
        rounds.append(
            Round(
                programme=pid,
                id=rid,
                name=_text(rdata.get("name"), f"{where}, name"),
                start=start,
                end=end,
                funder=rdata.get("funder") or data.get("funder") or "",
                administering_authority=rdata.get("administering_authority")
                or data.get("administering_authority")
                or "",
                funding_line=line_id,
                assumed=assumed,
                budget_eur=budget.get("amount_eur"),
                budget_note=_text(budget["note"], f"{where}, budget note")
                if budget.get("note")
                else None,
                note=_text(rdata["note"], f"{where}, note") if rdata.get("note") else None,
                sources=_sources(rdata.get("sources"), sources, where),
                rules=tuple(round_rules),
                excludes=tuple(excludes),
            )
        )
    return Programme(
        id=pid,
        name=_text(data.get("name"), f"{fname}, name"),
        summary=_text(data.get("summary"), f"{fname}, summary"),
        target_group=_text(data.get("target_group"), f"{fname}, target_group"),
        funder=data.get("funder") or "",
        administering_authority=data.get("administering_authority") or "",
        funding_line=line,
        family=_text(data["family"], f"{fname}, family") if data.get("family") else None,
        website=data.get("website") or "",
        sources=_sources(data.get("sources"), sources, fname),
        rounds=tuple(rounds),
        file=fname,
    )

"""Writes of the programme catalogue: synchronise the database with the data files."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from wegweiser.eligibility.catalogue import Catalogue, Round
from wegweiser.eligibility.catalogue import Programme as ProgrammeData
from wegweiser.programmes.models import FundingLine, FundingRound, Programme


@dataclass
class SyncSummary:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    version: str = ""

    def __str__(self) -> str:
        return (
            f"catalogue {self.version}: {len(self.created)} created, {len(self.updated)} "
            f"updated, {len(self.deleted)} deleted"
        )


def _sources(items) -> list[dict]:
    return [{"id": s.id, "title": s.title, "url": s.url} for s in items]


def _rules(rnd: Round) -> list[dict]:
    return [
        {
            "id": r.id,
            "text": r.text,
            "source": r.source_text(),
            "sources": _sources(r.sources),
            "legal": r.legal,
        }
        for r in rnd.rules
    ]


@transaction.atomic
def catalogue_sync(*, catalogue: Catalogue) -> SyncSummary:
    """Make the stored catalogue equal to ``catalogue``; all or nothing.

    Programmes and rounds no longer in the files are deleted; a round that other records still
    refer to cannot be deleted (PROTECT) and the whole sync is rolled back.
    """
    summary = SyncSummary(version=catalogue.version)
    lines = {}
    for line in catalogue.funding_lines.values():
        lines[line.id], _ = FundingLine.objects.update_or_create(
            key=line.id, defaults={"name": line.name, "fund": line.fund, "funder": line.funder}
        )
    FundingLine.objects.exclude(key__in=lines).delete()
    keep_programmes = []
    for position, prog in enumerate(catalogue.programmes):
        obj, created = Programme.objects.update_or_create(
            key=prog.id, defaults=_programme_fields(prog, position, lines)
        )
        (summary.created if created else summary.updated).append(prog.id)
        keep_programmes.append(prog.id)
        keep_rounds = []
        for rpos, rnd in enumerate(prog.rounds):
            FundingRound.objects.update_or_create(
                programme=obj,
                key=rnd.id,
                defaults=_round_fields(rnd, rpos, lines, catalogue.version),
            )
            keep_rounds.append(rnd.id)
        for gone in obj.rounds.exclude(key__in=keep_rounds):
            summary.deleted.append(str(gone))
            gone.delete()
    for gone in Programme.objects.exclude(key__in=keep_programmes):
        summary.deleted.append(gone.key)
        gone.delete()
    return summary


def _programme_fields(prog: ProgrammeData, position: int, lines) -> dict:
    return {
        "position": position,
        "name": prog.name,
        "family": prog.family,
        "summary": prog.summary,
        "target_group": prog.target_group,
        "funder": prog.funder,
        "administering_authority": prog.administering_authority,
        "funding_line": lines[prog.funding_line],
        "website": prog.website,
        "sources": _sources(prog.sources),
        "source_file": prog.file,
    }


def _round_fields(rnd: Round, position: int, lines, version: str) -> dict:
    return {
        "position": position,
        "name": rnd.name,
        "start": rnd.start,
        "end": rnd.end,
        "funder": rnd.funder,
        "administering_authority": rnd.administering_authority,
        "funding_line": lines[rnd.funding_line],
        "budget_eur": rnd.budget_eur,
        "budget_note": rnd.budget_note,
        "note": rnd.note,
        "assumed": list(rnd.assumed),
        "sources": _sources(rnd.sources),
        "rules": _rules(rnd),
        "excludes": list(rnd.excludes),
        "catalogue_version": version,
    }

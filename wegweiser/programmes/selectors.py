"""Reads of the programme catalogue."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet

from wegweiser.core.shared import shared
from wegweiser.eligibility.catalogue import Catalogue, load_catalogue
from wegweiser.programmes.models import FundingRound, Programme, Project


@lru_cache(maxsize=1)
def _catalogue(directory: str | None) -> Catalogue:
    return load_catalogue(directory)


def engine_catalogue() -> Catalogue:
    """The validated rules catalogue the eligibility engine evaluates (loaded once)."""
    return _catalogue(settings.CATALOGUE_DIR)


def programme_list() -> QuerySet[Programme]:
    rounds = FundingRound.objects.select_related("funding_line").order_by("position")
    return Programme.objects.select_related("funding_line").prefetch_related(
        Prefetch("rounds", queryset=rounds)
    )


def programme_get(*, key: str) -> Programme:
    """Raises ``Programme.DoesNotExist``."""
    return programme_list().get(key=key)


#: The programme whose projects, like AMIF-funded ones, keep Win-Win's third round from taking
#: refugees in their area (Förderaufruf Win-Win, 01.09.2025).
WIR_PROGRAMME = "wir"


def refugee_project_serves(regions: list[str], day: dt.date) -> bool:
    """Does a project of the federal WIR programme or an AMIF-funded project run on ``day`` in
    one of ``regions`` (AGS keys: the person's Kreis and, where she lives in one, her
    Sonderstatusstadt)? A project serving the whole Kreis counts for every town in it; one that
    serves only a Sonderstatusstadt counts only for that town."""
    if not regions:
        return False
    return not refugee_project_regions(day).isdisjoint(regions)


@shared("refugee-project-regions", Project, Project.regions.through, FundingRound, Programme)
def refugee_project_regions(day: dt.date) -> frozenset[str]:
    """The AGS keys of the regions served on ``day`` by a project of the federal WIR programme
    or an AMIF-funded project (the same for every visitor: kept, ``core.shared``)."""
    return frozenset(
        Project.objects.filter(start__lte=day)
        .filter(Q(end__isnull=True) | Q(end__gte=day))
        .filter(Q(funding_round__programme__key=WIR_PROGRAMME) | Q(amif_funded=True))
        .values_list("regions__ags", flat=True)
        .exclude(regions__ags=None)
    )

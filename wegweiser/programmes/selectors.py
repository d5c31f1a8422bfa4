"""Reads of the programme catalogue."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.db.models import Prefetch, QuerySet

from wegweiser.eligibility.catalogue import Catalogue, load_catalogue
from wegweiser.programmes.models import FundingRound, Programme


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

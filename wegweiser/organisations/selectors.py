"""Reads of the regions (public data: no person, no role needed)."""

from __future__ import annotations

from django.db.models import QuerySet

from wegweiser.organisations.models import Region

_REGION_CHOICES: dict[str | None, list[tuple[str, str]]] = {}


def regions(land: str | None = None) -> QuerySet[Region]:
    """The regions (of one Land, by its two-digit key) by official key."""
    qs = Region.objects.order_by("ags")
    return qs.filter(land_ags=land) if land else qs


def region_choices(land: str | None) -> list[tuple[str, str]]:
    """``(key, label)`` of the regions (of one Land), cached per process: the regions change only
    when ``load_regions`` runs, which clears the cache."""
    if land not in _REGION_CHOICES:
        rows = Region.objects.order_by("label").values_list("ags", "label")
        if land:
            rows = rows.filter(land_ags=land)
        choices = list(rows)
        if not choices:
            return []  # not loaded yet: do not remember
        _REGION_CHOICES[land] = choices
    return _REGION_CHOICES[land]


def clear_region_choices() -> None:
    _REGION_CHOICES.clear()

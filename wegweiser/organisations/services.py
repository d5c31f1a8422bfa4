"""Writes of the organisations app: the region table from the shipped geodata.

Organisations are created by the account administration (``accounts/services.py``), the
directory's imports and the admin.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from wegweiser.core import geo
from wegweiser.organisations.models import Region
from wegweiser.organisations.selectors import clear_region_choices


def regions_sync(progress: Callable[[str], None] | None = None) -> int:
    """Create or update the region table from the shipped geodata (idempotent)."""
    records = geo.region_records()
    with transaction.atomic():
        existing = set(Region.objects.values_list("ags", flat=True))
        for parents_first in (True, False):
            batch = []
            for r in records:
                if bool(r.parent_ags) == parents_first:
                    continue
                batch.append(
                    Region(
                        ags=r.ags,
                        name=r.name,
                        label=r.label,
                        kind=r.kind,
                        land_ags=r.land_ags,
                        land=r.land,
                        parent_id=r.parent_ags or None,
                        geometry=r.geometry,
                        lat=r.lat,
                        lon=r.lon,
                    )
                )
            new = [b for b in batch if b.ags not in existing]
            old = [b for b in batch if b.ags in existing]
            Region.objects.bulk_create(new, batch_size=200)
            Region.objects.bulk_update(
                old,
                ["name", "label", "kind", "land_ags", "land", "parent", "geometry", "lat", "lon"],
                batch_size=200,
            )
    clear_region_choices()
    if progress:
        progress(f"{len(records)} regions")
    return len(records)

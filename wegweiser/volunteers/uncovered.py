"""Languages asked for but not covered, per Kreis, for the dashboard's map and its table: the
Kreise of the coordinator's pools with their boundaries (``core.geo``, the same files the
directory's map is drawn from; no request leaves our server) and, per Kreis, the languages
asked for that no active volunteer of a pool there speaks, with the number of requests."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from wegweiser.core import geo
from wegweiser.core.labels import kreis_name
from wegweiser.core.languages import language_label


@dataclass
class KreisRow:
    ags: str
    label: str
    languages: list[tuple[str, int]] = field(default_factory=list)  # (label, requests)

    @property
    def requests(self) -> int:
        return sum(n for _label, n in self.languages)


def rows(uncovered: list[tuple[str, str, int]], kreise: set[str]) -> list[KreisRow]:
    """One row per Kreis of the pools (also those where every language is covered), the most
    uncovered requests first."""
    by_kreis: dict[str, list] = defaultdict(list)
    for kreis, language, n in uncovered:
        by_kreis[kreis].append((str(language_label(language)), n))
    out = []
    for ags in {*kreise, *by_kreis} - {""}:
        languages = sorted(by_kreis.get(ags, []), key=lambda x: (-x[1], x[0]))
        out.append(KreisRow(ags, kreis_name(ags) or ags, languages))
    out.sort(key=lambda r: (-r.requests, r.label))
    return out


def _geometries() -> dict[str, dict]:
    return {r.ags: r.geometry for r in geo.region_records() if r.geometry is not None}


def geojson(kreis_rows: list[KreisRow]) -> dict:
    """The rows as a GeoJSON FeatureCollection for ``directory/map.js`` (Kreise without a known
    boundary are left out of the map; the table still lists them)."""
    shapes = _geometries()
    features = [
        {
            "type": "Feature",
            "id": row.ags,
            "geometry": shapes[row.ags],
            "properties": {
                "label": row.label,
                "requests": row.requests,
                "languages": [f"{label} ({n})" for label, n in row.languages],
            },
        }
        for row in kreis_rows
        if row.ags in shapes
    ]
    return {"type": "FeatureCollection", "features": features}

"""Regions and postcodes from the shipped open geodata (``geodata/README.md`` names sources).

Pure functions over the files; no Django import. The region table in the database is filled from
:func:`region_records`; point-in-polygon and postcode lookups run on the in-memory copies, which
are loaded once per process.
"""

from __future__ import annotations

import csv
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import shape

GEODATA = Path(__file__).parent / "geodata"
HESSEN = "06"

KREISFREIE_STADT = "kreisfreie_stadt"
LANDKREIS = "landkreis"
SONDERSTATUSSTADT = "sonderstatusstadt"


@dataclass(frozen=True)
class RegionRecord:
    ags: str
    name: str
    label: str
    kind: str
    land_ags: str
    land: str
    parent_ags: str
    geometry: dict[str, Any] | None
    lat: float
    lon: float
    bbox: tuple[float, float, float, float] | None


@dataclass(frozen=True)
class Postcode:
    plz: str
    place: str
    lat: float
    lon: float
    kreis_ags: str


def _features(name: str) -> list[dict[str, Any]]:
    with (GEODATA / name).open(encoding="utf-8") as fh:
        return json.load(fh)["features"]


def _kind(props: dict[str, Any]) -> str:
    return KREISFREIE_STADT if props["type"] == "kreisfreie Stadt" else LANDKREIS


@lru_cache(maxsize=1)
def region_records() -> tuple[RegionRecord, ...]:
    """Every German Kreis (Hessen as from 2026-01-01) and the Hessian Sonderstatusstädte."""
    hessen = _features("hessen-kreise-2026-entwurf.geojson")
    others = [
        f for f in _features("deutschland-kreise.geojson") if f["properties"]["land_ags"] != HESSEN
    ]
    records = []
    for feature in hessen + others:
        p = feature["properties"]
        geom = shape(feature["geometry"])
        point = geom.representative_point()
        records.append(
            RegionRecord(
                ags=p["ags"],
                name=p["name"],
                label=p["label"],
                kind=_kind(p),
                land_ags=p["land_ags"],
                land=p["land"],
                parent_ags="",
                geometry=feature["geometry"],
                lat=round(point.y, 5),
                lon=round(point.x, 5),
                bbox=tuple(round(v, 5) for v in geom.bounds),
            )
        )
    labels = {r.ags: r.label for r in records}
    with (GEODATA / "hessen-sonderstatusstaedte.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["sonderstatus_2026"] != "ja":
                continue
            records.append(
                RegionRecord(
                    ags=row["ags"],
                    name=row["name"],
                    label=f"Stadt {row['name']} (Sonderstatusstadt, {labels[row['kreis_ags']]})",
                    kind=SONDERSTATUSSTADT,
                    land_ags=HESSEN,
                    land="Hessen",
                    parent_ags=row["kreis_ags"],
                    geometry=None,
                    lat=float(row["lat_ort"]),
                    lon=float(row["lon_ort"]),
                    bbox=None,
                )
            )
    return tuple(records)


@lru_cache(maxsize=1)
def _kreis_index() -> tuple[shapely.STRtree, tuple[str, ...]]:
    kreise = [r for r in region_records() if r.geometry is not None]
    geoms = [shape(r.geometry) for r in kreise]
    for g in geoms:
        shapely.prepare(g)
    return shapely.STRtree(geoms), tuple(r.ags for r in kreise)


def kreis_at(lat: float, lon: float) -> str | None:
    """The key of the Kreis that contains the point, or None outside Germany."""
    return kreise_at([(lat, lon)])[0]


def kreise_at(points: list[tuple[float, float]]) -> list[str | None]:
    """Vectorised :func:`kreis_at` (used by imports and the demo generator)."""
    tree, keys = _kreis_index()
    result: list[str | None] = [None] * len(points)
    if not points:
        return result
    geoms = shapely.points([(lon, lat) for lat, lon in points])
    point_idx, tree_idx = tree.query(geoms, predicate="intersects")
    for p, t in zip(point_idx.tolist(), tree_idx.tolist(), strict=True):
        # A point on a shared border touches two Kreise: the lower key wins, deterministically.
        if result[p] is None or keys[t] < result[p]:
            result[p] = keys[t]
    return result


@lru_cache(maxsize=1)
def postcodes() -> dict[str, Postcode]:
    with (GEODATA / "plz-deutschland.csv").open(encoding="utf-8") as fh:
        return {
            row["plz"]: Postcode(
                plz=row["plz"],
                place=row["ort"],
                lat=float(row["lat"]),
                lon=float(row["lon"]),
                kreis_ags=row["kreis_ags_2026"],
            )
            for row in csv.DictReader(fh)
        }


def postcode(plz: str) -> Postcode | None:
    return postcodes().get(plz.strip())


def _city_key(name: str) -> str:
    return name.split(" v.d.")[0].split(" am ")[0].split(" vor ")[0].strip().casefold()


@lru_cache(maxsize=1)
def _sonderstatus_by_place() -> dict[tuple[str, str], str]:
    return {
        (r.parent_ags, _city_key(r.name)): r.ags
        for r in region_records()
        if r.kind == SONDERSTATUSSTADT
    }


def sonderstatusstadt_for(city: str, kreis_ags: str | None) -> str | None:
    """The Sonderstatusstadt a place belongs to (by its name inside its Kreis), if any."""
    if not kreis_ags or not city:
        return None
    return _sonderstatus_by_place().get((kreis_ags, _city_key(city)))


EARTH_RADIUS_KM = 6371.0088


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(lat: float, lon: float, radius_km: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) that contains every point within ``radius_km``.

    A margin of 1e-9° (0.1 mm) absorbs rounding: a point exactly on the circle due north must
    not fall outside by one unit in the last place (found by hypothesis).
    """
    dlat = math.degrees(radius_km / EARTH_RADIUS_KM) + 1e-9
    # The widest longitude span is at the latitude farthest from the equator.
    dlon = dlat / max(math.cos(math.radians(min(89.9, abs(lat) + dlat))), 1e-6)
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon

"""The maps' own background: Germany's Länder, Hessen and its Kreise, rivers and lakes, and the
names of larger places, built from the open data in ``core/geodata/`` into one small GeoJSON file
(``static/directory/map-background.geojson``) that ``map.js`` draws when no tile server is set.

Pure functions over files (shapely, no Django). ``wegweiser build_map_background`` runs
:func:`build` and writes the file; with ``--natural-earth DIR`` it first renews the water
extract from Natural Earth's own files (:func:`extract_water`). Sources, sizes and the choices
made here are described in ``core/geodata/README.md`` and ``docs/directory.md``.

Simplification runs in a local metric frame (longitude scaled by cos 51°, both axes in metres),
so tolerances are metres. Hessen keeps finer lines than the rest of Germany: the maps look at
Hessen, Germany is only the frame around it.
"""

from __future__ import annotations

import csv
import json
import math
from collections import defaultdict
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import mapping, shape

from wegweiser.core import geo

GEODATA = geo.GEODATA
OUTPUT = Path(__file__).parent / "static" / "directory" / "map-background.geojson"
WATER_EXTRACT = "natural-earth-gewaesser.geojson"
HESSEN = "06"

#: Tolerances (metres) of the Visvalingam–Whyatt coverage simplification and of the water lines.
GERMANY_TOLERANCE_M = 1000
HESSEN_TOLERANCE_M = 150
WATER_TOLERANCE_M = 300
#: Decimal places of the coordinates written: 0.001° ≈ 70–110 m, 0.0001° ≈ 7–11 m.
GERMANY_DIGITS = 3
HESSEN_DIGITS = 4

#: Natural Earth files (1:10m, GeoJSON as converted by ogr2ogr) read by :func:`extract_water`.
NATURAL_EARTH_FILES = (
    "ne_10m_rivers_lake_centerlines.json",
    "ne_10m_rivers_europe.json",
    "ne_10m_lakes.json",
    "ne_10m_lakes_europe.json",
)
#: Water is kept within this distance of Germany (degrees, about 10 km).
WATER_MARGIN_DEG = 0.12

#: The seats of the Hessian Landkreise that are not themselves kreisfreie Städte or
#: Sonderstatusstädte: (Kreis key, place name in the GeoNames postcode file, label).
HESSEN_KREISSTAEDTE = (
    ("06431", "Heppenheim (Bergstraße)", "Heppenheim"),
    ("06433", "Groß-Gerau", "Groß-Gerau"),
    ("06435", "Gelnhausen", "Gelnhausen"),
    ("06436", "Hofheim am Taunus", "Hofheim am Taunus"),
    ("06437", "Erbach", "Erbach"),
    ("06438", "Dietzenbach", "Dietzenbach"),
    ("06439", "Bad Schwalbach", "Bad Schwalbach"),
    ("06440", "Friedberg", "Friedberg"),
    ("06533", "Limburg an der Lahn", "Limburg an der Lahn"),
    ("06535", "Lauterbach", "Lauterbach"),
    ("06632", "Bad Hersfeld", "Bad Hersfeld"),
    ("06634", "Homberg (Efze)", "Homberg (Efze)"),
    ("06635", "Korbach", "Korbach"),
    ("06636", "Eschwege", "Eschwege"),
)
#: Larger cities that are not kreisfreie Städte (so the Kreis population is not theirs):
#: (Kreis key, GeoNames place name, label, first zoom level).
OTHER_CITIES = (
    ("03241", "Hannover", "Hannover", 6),  # Landeshauptstadt in the Region Hannover
    ("10041", "Saarbrücken", "Saarbrücken", 6),  # Landeshauptstadt
    ("05334", "Aachen", "Aachen", 7),
    ("03159", "Göttingen", "Göttingen", 7),
    ("05970", "Siegen", "Siegen", 7),
    ("05774", "Paderborn", "Paderborn", 7),
)
#: Landeshauptstädte among the kreisfreie Städte (Kreis keys).
CAPITALS = frozenset(
    {"01002", "02000", "04011", "05111", "06414", "07315", "08111", "09162", "11000",
     "12054", "13004", "14612", "15003", "16051"}
)  # fmt: skip


def _features(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)["features"]


_COS = math.cos(math.radians(51.0))
_M_PER_DEG = 111_320.0


def _to_metres(geom):
    return shapely.transform(geom, lambda xy: xy * [_COS * _M_PER_DEG, _M_PER_DEG])


def _to_degrees(geom):
    return shapely.transform(geom, lambda xy: xy / [_COS * _M_PER_DEG, _M_PER_DEG])


def _coverage_simplify(geoms: list, tolerance_m: float) -> list:
    simplified = shapely.coverage_simplify([_to_metres(g) for g in geoms], tolerance_m)
    return [_to_degrees(g) for g in simplified]


def _rounded(geom, digits: int):
    return shapely.set_precision(geom, 10.0**-digits)


def _geojson(geom, digits: int) -> dict[str, Any]:
    """GeoJSON of a geometry with coordinates rounded to ``digits`` (RFC 7946 ring order)."""

    def rnd(value):
        if isinstance(value, float):
            return round(value, digits)
        return [rnd(v) for v in value]

    if geom.geom_type in ("Polygon", "MultiPolygon"):
        geom = shapely.orient_polygons(geom)
    data = mapping(geom)
    return {"type": data["type"], "coordinates": rnd(data["coordinates"])}


def _feature(props: dict[str, Any], geom, digits: int) -> dict[str, Any]:
    return {"type": "Feature", "properties": props, "geometry": _geojson(geom, digits)}


def germany_kreise(geodata: Path = GEODATA) -> list[dict[str, Any]]:
    """Every German Kreis, status 2024: one coverage (neighbouring Kreise share their borders)."""
    return _features(geodata / "deutschland-kreise.geojson")


def hessen_kreise(geodata: Path = GEODATA) -> list[dict[str, Any]]:
    """Hessen's Kreise as from 2026 (Hanau kreisfrei), finer than the Germany file; the same
    choice as :mod:`geo`."""
    return _features(geodata / "hessen-kreise-2026-entwurf.geojson")


def land_features(kreis_features: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The 16 Länder (union of their Kreise), coarsely simplified as one coverage."""
    parts: dict[str, list] = defaultdict(list)
    names: dict[str, str] = {}
    for f in kreis_features:
        p = f["properties"]
        parts[p["land_ags"]].append(shape(f["geometry"]))
        names[p["land_ags"]] = p["land"]
    keys = sorted(parts)
    laender = [shapely.coverage_union_all(parts[k]) for k in keys]
    simplified = _coverage_simplify(laender, GERMANY_TOLERANCE_M)
    return [
        _feature(
            {"layer": "land", "ags": k, "name": names[k]},
            _rounded(g, GERMANY_DIGITS),
            GERMANY_DIGITS,
        )
        for k, g in zip(keys, simplified, strict=True)
    ]


def hessen_features(kreis_features: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Hessen's outline and the borders between its Kreise, finer than the rest."""
    hessen = sorted(kreis_features, key=lambda f: f["properties"]["ags"])
    simplified = [
        _rounded(g, HESSEN_DIGITS)
        for g in _coverage_simplify([shape(f["geometry"]) for f in hessen], HESSEN_TOLERANCE_M)
    ]
    outline = shapely.coverage_union_all(simplified)
    borders = shapely.union_all([g.boundary for g in simplified]).difference(outline.boundary)
    borders = shapely.line_merge(borders)
    return [
        _feature({"layer": "hessen", "ags": HESSEN, "name": "Hessen"}, outline, HESSEN_DIGITS),
        _feature({"layer": "kreis", "count": len(hessen)}, borders, HESSEN_DIGITS),
    ]


def germany_outline(kreis_features: list[dict[str, Any]]):
    return shapely.coverage_union_all([shape(f["geometry"]) for f in kreis_features])


def extract_water(natural_earth_dir: Path, germany) -> dict[str, Any]:
    """Rivers and lakes of Natural Earth 1:10m that touch Germany (plus a margin), cut to it.

    Natural Earth is in the public domain. The extract keeps the source geometry (rounded to
    five decimals) and a few properties, so that the build needs only the extract.
    """
    area = germany.buffer(WATER_MARGIN_DEG)
    shapely.prepare(area)
    features = []
    for name in NATURAL_EARTH_FILES:
        for f in _features(natural_earth_dir / name):
            if not f.get("geometry"):
                continue
            geom = shape(f["geometry"])
            if not area.intersects(geom):
                continue
            part = geom.intersection(area)
            if part.is_empty:
                continue
            p = f["properties"]
            props = {
                "source": name.removesuffix(".json"),
                "featurecla": p.get("featurecla"),
                "name": p.get("name"),
                "name_alt": p.get("name_alt"),
                "scalerank": int(p["scalerank"]) if p.get("scalerank") is not None else None,
            }
            features.append(_feature(props, part, 5))
    features.sort(
        key=lambda f: (
            f["properties"]["source"],
            f["properties"]["name"] or "",
            str(f["geometry"]["coordinates"][:1]),
        )
    )
    return {"type": "FeatureCollection", "features": features}


def water_features(extract: dict[str, Any]) -> list[dict[str, Any]]:
    """Rivers as lines, lakes as areas; ``rank`` is Natural Earth's scale rank (lower: larger)."""
    out = []
    for f in extract["features"]:
        p = f["properties"]
        geom = _to_degrees(shapely.simplify(_to_metres(shape(f["geometry"])), WATER_TOLERANCE_M))
        geom = _rounded(geom, HESSEN_DIGITS)
        if geom.is_empty:
            continue
        kind = "lake" if geom.geom_type in ("Polygon", "MultiPolygon") else "river"
        name = p["name"]
        if name == "Ohm" and p.get("name_alt") == "Lahn":
            name = "Lahn"  # Natural Earth's line runs from the Ohm's source down the Lahn
        out.append(
            _feature(
                {"layer": "water", "kind": kind, "name": name, "rank": p["scalerank"]},
                geom,
                HESSEN_DIGITS,
            )
        )
    return out


def _population(geodata: Path) -> dict[str, int]:
    with (geodata / "kreise-bevoelkerung.csv").open(encoding="utf-8") as fh:
        return {r["ags"]: int(r["population_total"]) for r in csv.DictReader(fh)}


def _postcode_points(geodata: Path) -> list[dict[str, str]]:
    with (geodata / "plz-deutschland.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _mean(points: list[tuple[float, float]]) -> tuple[float, float]:
    if not points:
        raise ValueError("no postcode point for a place")
    return (
        sum(p[0] for p in points) / len(points),
        sum(p[1] for p in points) / len(points),
    )


def _min_zoom(population: int | None, capital: bool, hessen: bool) -> int:
    """The first zoom level at which a place's name is shown (larger places first)."""
    population = population or 0
    if population >= 500_000:
        return 5
    if capital or population >= 200_000 or hessen:
        return 6
    if population >= 100_000:
        return 7
    return 8


def place_features(geodata: Path = GEODATA) -> list[dict[str, Any]]:
    """Names of larger places, most important first (the map shows them in this order and
    leaves out a name that would overlap one already shown).

    - every kreisfreie Stadt, ranked by its population (the Kreis is the city), placed at the
      mean of its GeoNames postcode points (two small ones without: inside their polygon);
    - the Hessian Sonderstatusstädte (their town-centre points) and Kreisstädte;
    - a few larger cities that are not kreisfrei (Landeshauptstädte and neighbours of Hessen).
    """
    population = _population(geodata)
    rows = _postcode_points(geodata)
    by_kreis: dict[str, list[tuple[float, float]]] = defaultdict(list)
    by_place: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    for r in rows:
        point = (float(r["lon"]), float(r["lat"]))
        by_kreis[r["kreis_ags_2026"]].append(point)
        by_place[(r["kreis_ags_2026"], r["ort"])].append(point)
    kreis_features = [
        f for f in germany_kreise(geodata) if f["properties"]["land_ags"] != HESSEN
    ] + hessen_kreise(geodata)
    places = []
    for f in kreis_features:
        p = f["properties"]
        if p["type"] != "kreisfreie Stadt":
            continue
        hessen = p["land_ags"] == HESSEN
        pop = population.get(p["ags"])
        if by_kreis[p["ags"]]:
            point = _mean(by_kreis[p["ags"]])
        else:  # a small city whose postcodes all count for the Landkreis around it
            centre = shape(f["geometry"]).representative_point()
            point = (centre.x, centre.y)
        zoom = _min_zoom(pop, p["ags"] in CAPITALS, hessen)
        places.append((p["name"], point, pop, zoom, hessen))
    with (geodata / "hessen-sonderstatusstaedte.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["sonderstatus_2026"] == "ja":
                point = (float(r["lon_ort"]), float(r["lat_ort"]))
                places.append((r["name"], point, None, 7, True))
    for kreis, place, label in HESSEN_KREISSTAEDTE:
        places.append((label, _mean(by_place[(kreis, place)]), None, 8, True))
    for kreis, place, label, zoom in OTHER_CITIES:
        places.append((label, _mean(by_place[(kreis, place)]), None, zoom, False))
    # Order: first zoom level, then Hessen before its neighbours, then population, then name.
    places.sort(key=lambda t: (t[3], not t[4], -(t[2] or 0), t[0]))
    return [
        _feature(
            {"layer": "place", "name": name, "zoom": zoom},
            shapely.Point(round(point[0], HESSEN_DIGITS), round(point[1], HESSEN_DIGITS)),
            HESSEN_DIGITS,
        )
        for name, point, _pop, zoom, _hessen in places
    ]


def build(geodata: Path = GEODATA) -> dict[str, Any]:
    """The whole background as one GeoJSON FeatureCollection, in drawing order."""
    with (geodata / WATER_EXTRACT).open(encoding="utf-8") as fh:
        extract = json.load(fh)
    features = (
        land_features(germany_kreise(geodata))
        + hessen_features(hessen_kreise(geodata))
        + water_features(extract)
        + place_features(geodata)
    )
    return {"type": "FeatureCollection", "features": features}


def dumps(collection: dict[str, Any]) -> str:
    """Compact JSON, one feature a line (readable diffs, a few bytes more)."""
    head = '{"type":"FeatureCollection","features":[\n'
    body = ",\n".join(
        json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in collection["features"]
    )
    return head + body + "\n]}\n"

"""The maps' own background: the build from the shipped open data (basemap.py and the
``build_map_background`` command), the committed file it makes, and what the map pages hand to
map.js (maps.py, the template tag map_data)."""

from __future__ import annotations

import html
import json
import re
import shutil

import pytest
import shapely
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import translation
from shapely.geometry import shape

from wegweiser.directory import basemap, maps

HESSEN_BBOX = (7.7732, 49.3949, 10.2355, 51.6564)  # geodata README, VG1000


@pytest.fixture(scope="module")
def built():
    return basemap.build()


@pytest.fixture(scope="module")
def committed():
    return json.loads(basemap.OUTPUT.read_text(encoding="utf-8"))


def _layer(collection, name):
    return [f for f in collection["features"] if f["properties"]["layer"] == name]


def test_the_committed_file_is_what_the_build_makes(built, committed):
    """Rebuild with ``wegweiser build_map_background`` when this fails after a data change.

    The comparison allows a few metres, so that another GEOS version's rounding does not fail
    it; features, their order and properties must be the same."""
    assert [f["properties"] for f in committed["features"]] == [
        f["properties"] for f in built["features"]
    ]
    for old, new in zip(committed["features"], built["features"], strict=True):
        a, b = shape(old["geometry"]), shape(new["geometry"])
        assert a.geom_type == b.geom_type, old["properties"]
        assert shapely.hausdorff_distance(a, b) < 0.01, old["properties"]
        count_a, count_b = shapely.get_num_coordinates(a), shapely.get_num_coordinates(b)
        assert abs(count_a - count_b) <= max(3, count_b // 10), old["properties"]
    # The file is exactly what dumps() writes for it: no hand edits.
    assert basemap.OUTPUT.read_text(encoding="utf-8") == basemap.dumps(committed)


def test_the_background_is_small(committed):
    size = basemap.OUTPUT.stat().st_size
    assert size < 300 * 1024, size
    vertices = sum(shapely.get_num_coordinates(shape(f["geometry"])) for f in committed["features"])
    assert vertices < 16_000, vertices


def test_laender_hessen_and_its_kreise(built):
    laender = _layer(built, "land")
    assert len(laender) == 16
    assert {f["properties"]["name"] for f in laender} >= {"Hessen", "Bayern", "Berlin"}
    geoms = [shape(f["geometry"]) for f in laender]
    assert all(g.is_valid for g in geoms)
    # The coarse Länder still cover Germany without gaps or overlaps.
    assert shapely.coverage_is_valid(geoms)
    [hessen] = _layer(built, "hessen")
    outline = shape(hessen["geometry"])
    assert outline.is_valid
    for got, expected in zip(outline.bounds, HESSEN_BBOX, strict=True):
        assert got == pytest.approx(expected, abs=0.02)
    # 7.4 % more or less than Hessen's 21,116 km² would be a wrong Land or a broken outline.
    area_km2 = outline.area * 111.32 * 111.32 * 0.643
    assert 19_800 < area_km2 < 22_600, area_km2
    [kreis] = _layer(built, "kreis")
    assert kreis["properties"]["count"] == 27  # 21 Landkreise, 6 kreisfreie Städte (2026)
    borders = shape(kreis["geometry"])
    assert borders.length > 15  # degrees of inner borders
    # Inner borders lie inside Hessen and do not repeat its outline.
    assert outline.buffer(0.001).contains(borders)
    assert borders.intersection(outline.boundary).length < 0.01


def test_water(built):
    water = _layer(built, "water")
    names = {f["properties"]["name"] for f in water}
    assert {"Rhein", "Main", "Lahn", "Fulda", "Weser", "Neckar", "Mosel", "Bodensee"} <= names
    rivers = [f for f in water if f["properties"]["kind"] == "river"]
    lakes = [f for f in water if f["properties"]["kind"] == "lake"]
    assert rivers and lakes
    assert all(shape(f["geometry"]).geom_type.endswith("LineString") for f in rivers)
    assert all(shape(f["geometry"]).geom_type.endswith("Polygon") for f in lakes)
    main = shape(next(f["geometry"] for f in water if f["properties"]["name"] == "Main"))
    assert main.intersects(shapely.Point(8.68, 50.11).buffer(0.05))  # through Frankfurt


def test_places(built):
    places = _layer(built, "place")
    by_name = {f["properties"]["name"]: f for f in places}
    hessian = {
        "Frankfurt am Main", "Wiesbaden", "Kassel", "Darmstadt", "Offenbach am Main", "Hanau",
        "Gießen", "Marburg", "Fulda", "Wetzlar", "Bad Homburg v.d. Höhe", "Rüsselsheim am Main",
        "Heppenheim", "Eschwege", "Korbach", "Limburg an der Lahn", "Bad Hersfeld",
    }  # fmt: skip
    assert hessian <= set(by_name)
    assert {"Mainz", "Mannheim", "Würzburg", "Erfurt", "Göttingen", "Siegen", "Berlin"} <= set(
        by_name
    )
    assert len(by_name) == len(places)  # one label per place
    # Larger places first: the map places names in this order and skips overlapping ones.
    zooms = [f["properties"]["zoom"] for f in places]
    assert zooms == sorted(zooms)
    assert by_name["Frankfurt am Main"]["properties"]["zoom"] == 5
    assert by_name["Berlin"]["properties"]["zoom"] == 5
    assert by_name["Wiesbaden"]["properties"]["zoom"] == 6  # Landeshauptstadt
    assert by_name["Hanau"]["properties"]["zoom"] == 6  # Hessian kreisfreie Stadt
    assert by_name["Eschwege"]["properties"]["zoom"] == 8  # Kreisstadt
    frankfurt = shape(by_name["Frankfurt am Main"]["geometry"])
    assert frankfurt.distance(shapely.Point(8.68, 50.11)) < 0.05
    # Every Hessian place lies in Hessen.
    [hessen] = _layer(built, "hessen")
    outline = shape(hessen["geometry"])
    for name in hessian:
        assert outline.contains(shape(by_name[name]["geometry"])), name


@pytest.mark.parametrize(
    ("population", "capital", "hessen", "zoom"),
    [
        (3_700_000, True, False, 5),
        (756_021, False, True, 5),
        (288_850, True, True, 6),
        (40_000, True, False, 6),  # a small Landeshauptstadt still early
        (90_000, False, True, 6),  # Hessen's kreisfreie Städte early
        (150_000, False, False, 7),
        (60_000, False, False, 8),
        (None, False, False, 8),
    ],
)
def test_min_zoom(population, capital, hessen, zoom):
    assert basemap._min_zoom(population, capital, hessen) == zoom


def _natural_earth(folder, features_by_file):
    folder.mkdir()
    for name in basemap.NATURAL_EARTH_FILES:
        collection = {"type": "FeatureCollection", "features": features_by_file.get(name, [])}
        (folder / name).write_text(json.dumps(collection), encoding="utf-8")
    return folder


def _ne(geometry, **props):
    base = {"featurecla": "River", "scalerank": 8, "name": None, "name_alt": None, "x": 1}
    return {"type": "Feature", "properties": {**base, **props}, "geometry": geometry}


def test_extract_water_keeps_what_touches_germany_and_cuts_it(tmp_path):
    germany = shapely.box(6, 47.5, 15, 55)
    folder = _natural_earth(
        tmp_path / "ne",
        {
            "ne_10m_rivers_lake_centerlines.json": [
                # from France across Germany into Poland: cut at Germany plus the margin
                _ne({"type": "LineString", "coordinates": [[2, 50], [10, 50], [18, 50]]}, name="A"),
                _ne({"type": "LineString", "coordinates": [[-3, 40], [-2, 41]]}, name="Spain"),
                _ne(None, name="no geometry"),
            ],
            "ne_10m_rivers_europe.json": [
                _ne(
                    {"type": "LineString", "coordinates": [[8.6, 50.6], [8.0, 50.4]]},
                    name="Ohm",
                    name_alt="Lahn",
                    scalerank=12,
                ),
            ],
            "ne_10m_lakes.json": [
                _ne(
                    {
                        "type": "Polygon",
                        "coordinates": [
                            [[9, 47.6], [9.6, 47.6], [9.6, 47.8], [9, 47.8], [9, 47.6]]
                        ],
                    },
                    featurecla="Lake",
                    name="See",
                    scalerank=5,
                )
            ],
        },
    )
    extract = basemap.extract_water(folder, germany)
    names = [f["properties"]["name"] for f in extract["features"]]
    assert sorted(names) == ["A", "Ohm", "See"]
    a = next(f for f in extract["features"] if f["properties"]["name"] == "A")
    xs = [x for x, _y in a["geometry"]["coordinates"]]
    assert min(xs) == pytest.approx(6 - basemap.WATER_MARGIN_DEG, abs=0.01)
    assert max(xs) == pytest.approx(15 + basemap.WATER_MARGIN_DEG, abs=0.01)
    assert set(a["properties"]) == {"source", "featurecla", "name", "name_alt", "scalerank"}
    water = basemap.water_features(extract)
    kinds = {f["properties"]["name"]: f["properties"]["kind"] for f in water}
    # Natural Earth's "Ohm" runs on down the Lahn; the map calls it Lahn.
    assert kinds == {"A": "river", "Lahn": "river", "See": "lake"}
    assert {f["properties"]["layer"] for f in water} == {"water"}


def test_the_command_renews_the_extract_and_builds(tmp_path):
    geodata = tmp_path / "geodata"
    shutil.copytree(basemap.GEODATA, geodata)
    folder = _natural_earth(
        tmp_path / "ne",
        {
            "ne_10m_rivers_europe.json": [
                _ne({"type": "LineString", "coordinates": [[8.5, 50.0], [9.5, 50.2]]}, name="X")
            ]
        },
    )
    output = tmp_path / "background.geojson"
    call_command(
        "build_map_background", natural_earth=folder, geodata=geodata, output=output, stdout=None
    )
    extract = json.loads((geodata / basemap.WATER_EXTRACT).read_text(encoding="utf-8"))
    assert [f["properties"]["name"] for f in extract["features"]] == ["X"]
    result = json.loads(output.read_text(encoding="utf-8"))
    assert [f["properties"]["name"] for f in _layer(result, "water")] == ["X"]
    assert len(_layer(result, "land")) == 16
    # Without --natural-earth the extract is used as it is.
    call_command("build_map_background", geodata=geodata, output=output, stdout=None)
    assert json.loads(output.read_text(encoding="utf-8")) == result


def test_the_command_names_missing_natural_earth_files(tmp_path):
    (tmp_path / "ne").mkdir()
    with pytest.raises(CommandError, match="ne_10m_lakes.json"):
        call_command("build_map_background", natural_earth=tmp_path / "ne", stdout=None)


def test_map_settings_without_and_with_tiles():
    with translation.override("de"):
        own = maps.map_settings()
    assert own["tiles"] == ""
    assert own["background"].endswith("/directory/map-background.geojson")
    assert "Natural Earth" in own["background_attribution"]
    assert "BKG" in own["attribution"] and "GeoNames" in own["attribution"]
    assert own["label_sources"] == "Quellen"
    with override_settings(MAP_TILE_URL="https://tiles.example.org/{z}/{x}/{y}.png"):
        tiles = maps.map_settings()
    assert tiles["background"] == "" and tiles["background_attribution"] == ""
    assert "BKG" in tiles["attribution"]  # the Kreise and postcodes are still ours


def test_map_settings_are_kept_per_language_and_handed_out_as_copies():
    with translation.override("de"):
        first = maps.map_settings()
        first["label_sources"] = "changed by a page"
        again = maps.map_settings()
    assert again["label_sources"] == "Quellen"  # a page's change stays its own
    with translation.override("uk"):
        assert maps.map_settings()["label_sources"] != "Quellen"
    with override_settings(STATIC_URL="/elsewhere/static/"):
        assert maps.map_settings()["background"].startswith("/elsewhere/static/")


def test_sources_are_translated():
    with translation.override("ar"):
        ar = maps.map_settings()
    assert "الحدود الإدارية" in ar["attribution"]
    assert "Verwaltungsgrenzen" not in ar["attribution"]
    assert "الأنهار والبحيرات" in ar["background_attribution"]
    assert ar["label_sources_long"] == "مصادر الخريطة"


@pytest.mark.django_db
def test_the_search_page_hands_the_background_to_the_map(client):
    page = client.get("/de/angebote/").content.decode()
    found = dict(re.findall(r'data-([a-z-]+)="([^"]*)"', page.split('id="map"')[1].split(">")[0]))
    assert found["background"] == "/static/directory/map-background.geojson"
    # HTML-valued sources are escaped into the attribute and come back whole.
    attribution = html.unescape(found["attribution"])
    assert attribution.startswith(
        'Verwaltungsgrenzen: <bdi>&copy; <a href="https://www.bkg.bund.de">'
    )
    assert "Natural Earth" in html.unescape(found["background-attribution"])
    assert found["label-sources"] == "Quellen"

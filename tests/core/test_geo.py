"""Regions and postcodes from the shipped geodata (no database)."""

from __future__ import annotations

import math
from collections import Counter

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from wegweiser.core import geo


def test_hessen_has_33_units_as_from_2026():
    hessen = [r for r in geo.region_records() if r.land_ags == "06"]
    kinds = Counter(r.kind for r in hessen)
    assert kinds == {"landkreis": 21, "kreisfreie_stadt": 6, "sonderstatusstadt": 6}
    names = {r.name for r in hessen if r.kind == "kreisfreie_stadt"}
    assert names == {
        "Darmstadt",
        "Frankfurt am Main",
        "Offenbach am Main",
        "Wiesbaden",
        "Kassel",
        "Hanau",
    }
    # Hanau left the Sonderstatusstädte when it became kreisfrei.
    assert "Hanau" not in {r.name for r in hessen if r.kind == "sonderstatusstadt"}


def test_every_german_kreis_once():
    kreise = [r for r in geo.region_records() if r.geometry is not None]
    assert len(kreise) == 401  # 400 of status 2024 plus Hanau
    assert len({r.ags for r in kreise}) == 401
    assert len({r.land_ags for r in kreise}) == 16


@pytest.mark.parametrize(
    ("lat", "lon", "kreis"),
    [
        (50.1106, 8.6821, "06412"),  # Frankfurt, Römerberg
        (50.1328, 8.9169, "06415"),  # Hanau, Marktplatz: kreisfrei since 2026
        (50.2010, 9.1890, "06435"),  # Gelnhausen, Main-Kinzig-Kreis
        (51.3127, 9.4797, "06611"),  # Kassel, city
        (51.2500, 9.3000, "06633"),  # Landkreis Kassel
        (50.5841, 8.6784, "06531"),  # Gießen: a Sonderstatusstadt inside its Landkreis
        (48.1374, 11.5755, "09162"),  # München
        (52.5200, 13.4050, "11000"),  # Berlin
        (48.8566, 2.3522, None),  # Paris
    ],
)
def test_kreis_from_coordinates(lat, lon, kreis):
    assert geo.kreis_at(lat, lon) == kreis


@pytest.mark.parametrize(
    ("plz", "kreis", "place"),
    [
        ("60311", "06412", "Frankfurt am Main"),
        ("63450", "06415", "Hanau"),
        ("35390", "06531", "Gießen"),
        ("01067", "14612", "Dresden Innere Altstadt"),
    ],
)
def test_postcodes(plz, kreis, place):
    pc = geo.postcode(plz)
    assert (pc.kreis_ags, pc.place) == (kreis, place)
    assert geo.postcode("99999") is None
    assert geo.postcode("6031") is None


def test_postcode_points_lie_in_their_kreis_nearly_always():
    """The postcode table and the polygons agree (the point is a mean of places, so a few
    postcodes spanning a border may fall next door)."""
    pcs = list(geo.postcodes().values())
    found = geo.kreise_at([(p.lat, p.lon) for p in pcs])
    agree = sum(1 for p, k in zip(pcs, found, strict=True) if k == p.kreis_ags)
    assert agree / len(pcs) > 0.97


@pytest.mark.parametrize(
    ("city", "kreis", "expected"),
    [
        ("Gießen", "06531", "06531005"),
        ("Bad Homburg vor der Höhe", "06434", "06434001"),
        ("Rüsselsheim am Main", "06433", "06433012"),
        ("Marburg", "06534", "06534014"),
        ("Hanau", "06415", None),
        ("Gießen", "06412", None),
        ("Lich", "06531", None),
    ],
)
def test_sonderstatusstadt_by_place(city, kreis, expected):
    assert geo.sonderstatusstadt_for(city, kreis) == expected


coords = st.tuples(st.floats(47.0, 55.0), st.floats(5.5, 15.5))


@given(coords, coords)
def test_distance_is_a_metric(a, b):
    assert geo.distance_km(*a, *a) == pytest.approx(0, abs=1e-9)
    assert geo.distance_km(*a, *b) == pytest.approx(geo.distance_km(*b, *a))
    assert geo.distance_km(*a, *b) >= 0


@given(coords, st.floats(0, 360), st.floats(0, 1), st.floats(0.5, 300))
@example(centre=(53.89453125, 6.0), bearing=0.0, share=1.0, radius=136.0)  # one ulp outside
def test_bounding_box_contains_every_point_within_the_radius(centre, bearing, share, radius):
    """A point at ``share`` of the radius in any direction lies inside the box."""
    lat1, lon1 = map(math.radians, centre)
    d = share * radius / geo.EARTH_RADIUS_KM
    b = math.radians(bearing)
    lat2 = math.asin(math.sin(lat1) * math.cos(d) + math.cos(lat1) * math.sin(d) * math.cos(b))
    lon2 = lon1 + math.atan2(
        math.sin(b) * math.sin(d) * math.cos(lat1), math.cos(d) - math.sin(lat1) * math.sin(lat2)
    )
    point = (math.degrees(lat2), math.degrees(lon2))
    assume(geo.distance_km(*centre, *point) <= radius)
    min_lat, max_lat, min_lon, max_lon = geo.bounding_box(*centre, radius)
    assert min_lat <= point[0] <= max_lat
    assert min_lon <= point[1] <= max_lon


def test_frankfurt_to_kassel_is_about_145_km():
    assert geo.distance_km(50.1106, 8.6821, 51.3127, 9.4797) == pytest.approx(145.5, abs=2)

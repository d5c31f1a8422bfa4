"""The directory API: same filters and messages as the page, GeoJSON, regions, OpenAPI."""

from __future__ import annotations

import html
import re

import pytest

from wegweiser.directory.models import Offer

pytestmark = pytest.mark.django_db


def test_offers_are_searched_like_the_page(client, demo_directory):
    api = client.get("/api/v1/offers", {"q": "Anerkennung", "postcode": "60311"}).json()
    page = client.get("/de/angebote/", {"q": "Anerkennung", "postcode": "60311"})
    assert api["count"] == len(page.context["result"].hits) > 0
    assert [r["id"] for r in api["results"]] == [
        str(h.offer.id) for h in page.context["result"].hits
    ]
    first = api["results"][0]
    assert first["programme"] == "iq-anerkennung"
    assert first["funding_round"] == "iq-anerkennung/iq-2026"
    assert first["distance_km"] < 2
    assert first["locations"][0]["region"] == "06412"


def test_offer_detail_and_drafts(client, demo_directory):
    offer = Offer.objects.filter(status="published").first()
    doc = client.get(f"/api/v1/offers/{offer.id}").json()
    assert doc["id"] == str(offer.id)
    assert doc["opening_hours"] and {"weekday", "opens", "closes"} <= set(doc["opening_hours"][0])
    draft = Offer.objects.filter(status="draft").first()
    assert client.get(f"/api/v1/offers/{draft.id}").status_code == 404
    assert client.get("/api/v1/offers/00000000-0000-4000-8000-000000000000").status_code == 404


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"postcode": "99999"}, "postcode"),
        ({"postcode": "60311", "radius": "-3"}, "radius"),
        ({"theme": "astrology"}, "theme"),
        ({"page": "x"}, "page"),
        # beyond the documented maximum: was a 500 (an SQL offset out of range), found by
        # schemathesis
        ({"page": str(10**35)}, "page"),
    ],
)
def test_bad_filters_answer_422_with_the_field(
    client, regions_loaded, catalogue_loaded, params, field
):
    response = client.get("/api/v1/offers", params)
    assert response.status_code == 422
    body = response.json()
    assert body["message"] == "Die Suchangaben sind ungültig."
    assert body["detail"][0]["loc"] == ["query", field]
    english = client.get("/api/v1/offers", params, headers={"accept-language": "en"}).json()
    assert english["detail"][0]["loc"] == ["query", field]


def test_geojson_of_offers(client, demo_directory):
    response = client.get("/api/v1/offers.geojson", {"theme": "german-language"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    doc = response.json()
    assert doc["type"] == "FeatureCollection"
    published = Offer.objects.filter(status="published", themes__icontains="german-language")
    assert len(doc["features"]) == published.count()
    for f in doc["features"]:
        lon, lat = f["geometry"]["coordinates"]
        assert 7.7 < lon < 10.3 and 49.3 < lat < 51.7  # Hessen
        assert f["properties"]["url"] == f"/de/angebote/{f['id']}/"
    assert len(client.get("/api/v1/offers.geojson", {"limit": "3"}).json()["features"]) == 3
    assert client.get("/api/v1/offers.geojson", {"limit": "0"}).status_code == 422
    assert client.get("/api/v1/offers.geojson", {"limit": "many"}).status_code == 422


def test_regions_with_offer_counts(client, demo_directory):
    doc = client.get("/api/v1/regions").json()
    features = {f["id"]: f for f in doc["features"]}
    assert len(features) == 33
    assert features["06412"]["geometry"]["type"] in {"Polygon", "MultiPolygon"}
    assert features["06531005"]["geometry"]["type"] == "Point"
    assert features["06531005"]["properties"]["parent"] == "06531"
    kreise = [f for f in features.values() if f["properties"]["kind"] != "sonderstatusstadt"]
    assert (
        sum(f["properties"]["offer_count"] for f in kreise)
        == Offer.objects.filter(status="published").exclude(region=None).count()
    )
    filtered = client.get("/api/v1/regions", {"theme": "recognition", "geometry": "false"}).json()
    assert all(
        f["geometry"] is None or f["geometry"]["type"] == "Point" for f in filtered["features"]
    )
    assert (
        sum(
            f["properties"]["offer_count"]
            for f in filtered["features"]
            if f["properties"]["kind"] != "sonderstatusstadt"
        )
        == 8
    )
    germany = client.get("/api/v1/regions", {"land": "all", "geometry": "false"}).json()
    assert len(germany["features"]) == 407


def test_openapi_lists_the_directory(client):
    doc = client.get("/api/v1/openapi.json").json()
    for path in (
        "/api/v1/offers",
        "/api/v1/offers/{offer_id}",
        "/api/v1/offers.geojson",
        "/api/v1/regions",
    ):
        assert path in doc["paths"], sorted(doc["paths"])
    names = {p["name"] for p in doc["paths"]["/api/v1/offers"]["get"]["parameters"]}
    assert {
        "q",
        "postcode",
        "radius",
        "theme",
        "programme",
        "language",
        "mode",
        "region",
        "profile",
    } <= names


def test_a_postcode_in_arabic_or_persian_digits_searches_like_0_to_9(client, demo_directory):
    """The page hands the map its own query string: the API reads the digits as the page does."""
    plain = {"q": "Anerkennung", "postcode": "60311", "radius": "20"}
    expected = client.get("/api/v1/offers", plain).json()
    assert expected["count"] > 0
    for typed in ({"postcode": "٦٠٣١١", "radius": "٢٠"}, {"postcode": "۶۰۳۱۱", "radius": "۲۰"}):
        params = {**plain, **typed}
        api = client.get("/api/v1/offers", params)
        assert api.status_code == 200, api.content
        assert api.json()["results"] == expected["results"]
        page = client.get("/ar/angebote/", params)
        assert page.status_code == 200 and not page.context["form"].errors
        assert [str(h.offer.id) for h in page.context["result"].hits] == [
            r["id"] for r in expected["results"]
        ][: len(page.context["result"].hits)]
        # the map's address as the page writes it (data-geojson-url, escaped once)
        found = re.search(r'data-geojson-url="([^"]+)"', page.content.decode())
        geojson = client.get(html.unescape(found[1]))
        assert geojson.status_code == 200
        assert geojson.json()["features"], "the map finds what the list shows"

"""Languages asked for but not covered, per Kreis: the dashboard's table and the map's data
(the Kreis boundaries from our own files, in the page)."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from tests.volunteers.conftest import request_for
from wegweiser.volunteers import uncovered
from wegweiser.volunteers.models import Pool

pytestmark = pytest.mark.django_db


def test_rows_per_kreis_most_uncovered_first():
    rows = uncovered.rows(
        [("06531", "ti", 1), ("06531", "so", 3), ("06534", "ps", 2)], {"06531", "06611", ""}
    )
    assert [(r.label, r.requests) for r in rows] == [
        ("Landkreis Gießen", 4),
        ("Landkreis Marburg-Biedenkopf", 2),
        ("Kreisfreie Stadt Kassel", 0),
    ]
    assert [label for label, _n in rows[0].languages] == ["Somali", "Tigrinya"]
    data = uncovered.geojson(rows)
    assert [f["id"] for f in data["features"]] == ["06531", "06534", "06611"]
    assert data["features"][0]["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert data["features"][0]["properties"]["languages"] == ["Somali (3)", "Tigrinya (1)"]


def test_dashboard_shows_the_map_and_its_table(client, side_a, side_b):
    a = side_a
    request_for(a, language="ti")  # nobody in pool A speaks Tigrinya (all speak Arabic)
    request_for(a, language="ti")
    request_for(a)  # Arabic: covered
    Pool.objects.create(organisation=a.org, name="Pool Kassel", kreis="06611")
    request_for(side_b, language="so")  # another organisation's: not shown
    client.force_login(a.coordinator)
    page = client.get(reverse("volunteers:dashboard")).content.decode()
    table = page[page.index('id="uncovered-table"') :]
    table = table[: table.index("</table>")]
    assert re.search(
        r"<th scope=\"row\">Landkreis Gießen</th><td>Tigrinya \(2\)</td><td>2</td>", table
    )
    assert "Kreisfreie Stadt Kassel" in table and "Somali" not in page
    assert 'data-uncovered-id="uncovered-data"' in page and "directory/map.js" in page
    script = re.search(
        r'<script id="uncovered-data" type="application/json">(.*?)</script>', page, re.S
    )
    data = json.loads(script.group(1))
    by_id = {f["id"]: f["properties"] for f in data["features"]}
    assert by_id["06531"]["requests"] == 2 and by_id["06611"]["requests"] == 0
    assert 'data-tiles=""' in page  # no tile server: our own background, nothing external

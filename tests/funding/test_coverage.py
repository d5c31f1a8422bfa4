"""Coverage per Kreis: the pure function against counts done by hand (and a property test), the
public page (sortable table, no login) and the CSV export with the attribution."""

from __future__ import annotations

import csv
import io

import polars as pl
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from wegweiser.funding import coverage as cov

VALUES = {
    "theme": ["employment", "youth", "family"],
    "language": ["ar", "uk"],
    "programme": ["wir", "jmd"],
}


def _frame(rows):
    return cov.offers_frame(rows)


def test_counts_per_100k_gaps_and_single_providers():
    offers = _frame(
        [
            ("06412", "a", ["employment", "youth"], ["ar"], "wir"),
            ("06412", "b", ["employment"], [], None),
            ("06411", "a", ["youth"], ["uk"], "jmd"),
            ("99999", "c", ["family"], [], None),  # no such Kreis: not counted
        ]
    )
    result = cov.coverage(offers, cov.population(), VALUES)
    assert result.kreise.height == 400
    cells = result.cells
    assert cells.height == 400 * (3 + 2 + 2)

    def cell(dimension, key, ags):
        return cells.filter(
            (pl.col("dimension") == dimension) & (pl.col("key") == key) & (pl.col("ags") == ags)
        ).row(0, named=True)

    frankfurt = cell("theme", "employment", "06412")
    assert (frankfurt["offers"], frankfurt["providers"]) == (2, 2)
    assert frankfurt["per_100k"] == round(2 * 100_000 / 756_021, 2)
    assert cell("theme", "family", "06412")["offers"] == 0
    assert cell("language", "ar", "06412")["offers"] == 1
    assert cell("programme", "jmd", "06411")["providers"] == 1
    darmstadt = result.kreise.filter(pl.col("ags") == "06411").row(0, named=True)
    assert darmstadt["providers"] == 1
    assert darmstadt["themes_missing"] == ["employment", "family"]
    assert result.kreise["offers"].sum() == 3


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["06411", "06412", "06413", "01001"]),
            st.sampled_from(["a", "b", "c"]),
            st.lists(st.sampled_from(VALUES["theme"]), unique=True, max_size=3),
            st.lists(st.sampled_from(VALUES["language"]), unique=True, max_size=2),
            st.sampled_from(["wir", "jmd", None]),
        ),
        max_size=40,
    )
)
def test_every_cell_equals_a_count_by_hand(rows):
    result = cov.coverage(_frame(rows), cov.population(), VALUES)
    for dimension, column in (("theme", 2), ("language", 3)):
        for key in VALUES[dimension]:
            for ags in ("06411", "06412", "06413", "01001"):
                mine = [r for r in rows if r[0] == ags and key in r[column]]
                got = result.cells.filter(
                    (pl.col("dimension") == dimension)
                    & (pl.col("key") == key)
                    & (pl.col("ags") == ags)
                ).row(0, named=True)
                assert got["offers"] == len(mine)
                assert got["providers"] == len({r[1] for r in mine})


def test_public_page_and_csv(client, demo_directory):
    page = client.get(reverse("funding:coverage"), {"nach": "theme", "wert": "youth"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "12411-01-01-4" in text and 'id="coverage-table"' in text
    by_name = client.get(
        reverse("funding:coverage"), {"nach": "theme", "wert": "youth", "sortierung": "kreis"}
    )
    assert by_name.status_code == 200
    rows = by_name.context["rows"]
    assert len(rows) == 26  # the Hessian Kreise and kreisfreie Städte
    assert [r["name"] for r in rows] == sorted(r["name"] for r in rows)
    assert by_name.context["without"]  # JMD is not everywhere
    export = client.get(reverse("funding:coverage-csv"))
    assert export.status_code == 200
    lines = list(csv.reader(io.StringIO(export.content.decode())))
    assert "12411-01-01-4" in lines[0][0]
    assert lines[1][:4] == ["dimension", "key", "label", "ags"]
    assert len([r for r in lines[2:] if r[0] == "theme"]) == 400 * 12

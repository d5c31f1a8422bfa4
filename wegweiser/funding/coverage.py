"""Coverage of the network per Kreis: offers per 100,000 inhabitants by theme, language and
programme, Kreise with no offer of a theme, Kreise with a single provider.

:func:`coverage` is pure (polars in, polars out, no Django, no database): one lazy plan over the
offers, collected once (``collect_all``), so that every Kreis × every value of every dimension
costs one pass. :func:`population` reads the population per Kreis shipped in ``data/`` (with its
attribution, :data:`ATTRIBUTION`). The pages and ``bench/funding.py`` feed it from the database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import polars as pl

POPULATION_CSV = Path(__file__).resolve().parent / "data" / "kreise-bevoelkerung.csv"
#: What every table and map of the coverage shows (dl-de/by-2-0 asks for it).
ATTRIBUTION = (
    "Bevölkerung 31.12.2024: © Statistische Ämter des Bundes und der Länder, Regionaldatenbank "
    "Deutschland, Tabelle 12411-01-01-4, Datenlizenz Deutschland – Namensnennung – Version 2.0 "
    "(www.govdata.de/dl-de/by-2-0); eigene Aufbereitung"
)
#: The dimensions and the column of the offers that holds their values.
DIMENSIONS = {"theme": "themes", "language": "languages", "programme": "programme"}
OFFER_SCHEMA = {
    "region": pl.Utf8,
    "organisation": pl.Utf8,
    "themes": pl.List(pl.Utf8),
    "languages": pl.List(pl.Utf8),
    "programme": pl.Utf8,
}


@lru_cache(maxsize=1)
def population() -> pl.DataFrame:
    """``ags``, ``name``, ``population`` of the 400 Kreise (31.12.2024)."""
    return pl.read_csv(
        POPULATION_CSV,
        columns=["ags", "name", "population_total"],
        schema_overrides={"ags": pl.Utf8, "population_total": pl.Int64},
    ).rename({"population_total": "population"})


def offers_frame(rows: Sequence[tuple]) -> pl.DataFrame:
    """Offers as ``(region, organisation, themes, languages, programme)`` tuples → a frame."""
    return pl.DataFrame(rows, schema=OFFER_SCHEMA, orient="row")


@dataclass(frozen=True)
class Coverage:
    #: one row per Kreis × dimension × value: dimension, key, ags, name, population, offers,
    #: providers, per_100k (0 offers where none)
    cells: pl.DataFrame
    #: one row per Kreis: ags, name, population, offers, providers, per_100k, themes_missing
    kreise: pl.DataFrame


def coverage(
    offers: pl.DataFrame,
    population: pl.DataFrame,
    values: Mapping[str, Sequence[str]],
) -> Coverage:
    """The coverage of every Kreis of ``population`` for every value in ``values`` (per
    dimension: ``{"theme": [...], "language": [...], "programme": [...]}``).

    ``offers``: region (Kreis key), organisation, themes, languages (lists), programme. An offer
    outside the Kreise of ``population`` is not counted."""
    pop = population.lazy().select("ags", "name", "population")
    lazy = offers.lazy().select(list(OFFER_SCHEMA))
    cells = []
    for dimension, column in DIMENSIONS.items():
        keys = pl.LazyFrame({"key": list(values.get(dimension, []))}, schema={"key": pl.Utf8})
        exploded = lazy.explode(column) if column != "programme" else lazy
        counts = (
            exploded.drop_nulls(column)
            .group_by("region", column)
            .agg(offers=pl.len(), providers=pl.col("organisation").n_unique())
            .rename({column: "key", "region": "ags"})
        )
        cells.append(
            pop.join(keys, how="cross")
            .join(counts, on=["ags", "key"], how="left")
            .with_columns(
                dimension=pl.lit(dimension),
                offers=pl.col("offers").fill_null(0).cast(pl.Int64),
                providers=pl.col("providers").fill_null(0).cast(pl.Int64),
            )
        )
    grid = pl.concat(cells).with_columns(
        per_100k=(pl.col("offers") * 100_000 / pl.col("population")).round(2)
    )
    grid = grid.select(
        "dimension", "key", "ags", "name", "population", "offers", "providers", "per_100k"
    )
    totals = lazy.group_by("region").agg(
        offers=pl.len(), providers=pl.col("organisation").n_unique()
    )
    missing = (
        grid.filter((pl.col("dimension") == "theme") & (pl.col("offers") == 0))
        .group_by("ags")
        .agg(themes_missing=pl.col("key").sort())
    )
    kreise = (
        pop.join(totals.rename({"region": "ags"}), on="ags", how="left")
        .join(missing, on="ags", how="left")
        .with_columns(
            offers=pl.col("offers").fill_null(0).cast(pl.Int64),
            providers=pl.col("providers").fill_null(0).cast(pl.Int64),
            themes_missing=pl.col("themes_missing").fill_null([]),
        )
        .with_columns(per_100k=(pl.col("offers") * 100_000 / pl.col("population")).round(2))
        .sort("ags")
    )
    cells_df, kreise_df = pl.collect_all([grid.sort("dimension", "key", "ags"), kreise])
    return Coverage(cells=cells_df, kreise=kreise_df)


DEMAND_SCHEMA = {"ags": pl.Utf8, "language": pl.Utf8, "requests": pl.Int64}


def demand_frame(rows: Sequence[tuple]) -> pl.DataFrame:
    """Requests for a language per Kreis as ``(ags, language, requests)`` tuples → a frame."""
    return pl.DataFrame(rows, schema=DEMAND_SCHEMA, orient="row")


def language_gaps(offers: pl.DataFrame, demand: pl.DataFrame) -> pl.DataFrame:
    """The languages asked for in a Kreis (``demand``: ags, language, requests) that no
    published offer of that Kreis (``offers``, as for :func:`coverage`) is given in: ags,
    language, requests, sorted by Kreis, most requests first."""
    offered = (
        offers.lazy()
        .select(pl.col("region").alias("ags"), pl.col("languages").alias("language"))
        .explode("language")
        .drop_nulls()
        .unique()
    )
    asked = (
        demand.lazy()
        .select(list(DEMAND_SCHEMA))
        .group_by("ags", "language")
        .agg(pl.col("requests").sum())
        .filter(pl.col("requests") > 0)
    )
    return (
        asked.join(offered, on=["ags", "language"], how="anti")
        .sort(["ags", "requests", "language"], descending=[False, True, False])
        .collect()
    )

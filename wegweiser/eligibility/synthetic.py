"""Deterministic synthetic profiles for benchmarks (clearly not real people).

Vectorised with polars hashing, so a million rows take well under a second to make. About one
fact in six is left unknown, as in real intake data.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from wegweiser.eligibility.values import (
    GENDERS,
    GERMAN_LEVELS,
    JOBCENTRE_CONTACTS,
    TITLES_WITH_SECTION,
)

_CHOICES: dict[str, list] = {
    "gender": [*GENDERS, "male", None],
    "residence_title": [
        "aufenthaltserlaubnis",
        "aufenthaltserlaubnis",
        "aufenthaltsgestattung",
        "duldung",
        "free_movement",
        "german_citizen",
        "niederlassungserlaubnis",
        "blaue_karte",
        "none",
        None,
    ],
    "work_ban": ["none", "none", "temporary", None],
    "jobcentre_contact": [*JOBCENTRE_CONTACTS, None],
    "kreis": ["06412", "06411", "06435", "06611", "09162", "11000", None],
    "german_level": [*GERMAN_LEVELS, None],
    "migration_background": [True, True, False, None],
    "foreign_qualification": [True, False, None],
    "attending_integration_course": [True, False, None],
    "child_without_childcare": [True, False, None],
    "municipality_has_wir_or_amif_project": [True, False, None],
}
_SECTIONS = {
    "aufenthaltserlaubnis": ["25(2)", "24", "25(1)", "104c", "16a", "18g", None],
    "duldung": ["60a", "60b", "60c", None],
}
_CITIZENSHIPS = [["SY"], ["UA"], ["AF"], ["TR"], ["RO"], ["PL"], ["NO"], ["stateless"], None]


def _pick(n: int, seed: int, values: list) -> pl.Expr:
    index = pl.int_range(n, dtype=pl.UInt64).hash(seed) % len(values)
    return pl.lit(pl.Series(values, strict=False)).gather(index)


def synthetic_profiles(n: int, day: dt.date, seed: int = 42) -> pl.DataFrame:
    """``n`` valid profiles of people aged 0 to 69 on ``day``, in the bulk schema."""
    days = pl.int_range(n, dtype=pl.UInt64).hash(seed) % (70 * 365)
    frame = pl.select(
        pl.int_range(n).alias("id"),
        (pl.lit(day) - pl.duration(days=days.cast(pl.Int64))).alias("birth_date"),
        *(
            _pick(n, seed + i, values).alias(name)
            for i, (name, values) in enumerate(_CHOICES.items(), start=1)
        ),
        _pick(n, seed + 50, _CITIZENSHIPS).alias("citizenships"),
        _pick(n, seed + 60, _SECTIONS["aufenthaltserlaubnis"]).alias("_ae"),
        _pick(n, seed + 61, _SECTIONS["duldung"]).alias("_du"),
        _pick(n, seed + 70, [["wir-2022"], ["win-win-1"], [], [], [], []]).alias("participations"),
    )
    title = pl.col("residence_title")
    frame = (
        frame.with_columns(
            pl.when(title == "aufenthaltserlaubnis")
            .then(pl.col("_ae"))
            .when(title == "duldung")
            .then(pl.col("_du"))
            .alias("residence_section"),
            # keep the profiles consistent (see facts._check_consistency)
            pl.when(title == "german_citizen")
            .then(pl.lit(["DE"]))
            .when(title == "free_movement")
            .then(pl.lit(["RO"]))
            .otherwise(pl.col("citizenships"))
            .alias("citizenships"),
        )
        .with_columns(
            pl.when((title == "duldung") & (pl.col("residence_section") == "60b"))
            .then(pl.lit("absolute"))
            .otherwise(pl.col("work_ban"))
            .alias("work_ban"),
            # a foreign residence title is a migration background
            pl.when(
                title.is_not_null()
                & (title != "german_citizen")
                & pl.col("migration_background").not_()
            )
            .then(pl.lit(True))
            .otherwise(pl.col("migration_background"))
            .alias("migration_background"),
        )
        .drop("_ae", "_du")
    )
    return frame.with_columns(
        pl.lit(None, dtype=pl.Int32).alias("age"),
        pl.lit(None, dtype=pl.String).alias("municipality"),
        pl.lit(None, dtype=pl.String).alias("disability"),
    )


def complete_profiles(n: int, day: dt.date, seed: int = 42) -> pl.DataFrame:
    """The first ``n`` synthetic profiles with no unknown fact (the paragraph wherever the title
    has one): people who can answer every question of the self-check, postcode included."""
    frame = synthetic_profiles(60 * n, day, seed)
    unknown_by_design = ("age", "municipality", "disability", "residence_section")
    complete = frame.drop_nulls(subset=[c for c in frame.columns if c not in unknown_by_design])
    complete = complete.filter(
        ~pl.col("residence_title").is_in(TITLES_WITH_SECTION)
        | pl.col("residence_section").is_not_null()
    )
    assert complete.height >= n, complete.height
    return complete.head(n)

"""Vectorised evaluation of a table of profiles with polars.

The table has one profile per row and the columns of :data:`SCHEMA` (all optional; an ``id``
column is passed through). It gives the same statuses and missing facts as the single check
(``engine.evaluate``): the rules compile to polars expressions whose null is *unknown*, and
polars' ``&``, ``|`` and ``~`` follow the same three-valued (Kleene) logic.

Files: CSV (lists such as ``citizenships`` separated by ``;``, booleans ``true``/``false``) or
Parquet. A table is checked completely before anything is evaluated; any wrong cell stops the
batch with the row numbers and reasons (all or nothing).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from wegweiser.eligibility.catalogue import Catalogue, Round
from wegweiser.eligibility.engine import ELIGIBLE, NOT_ELIGIBLE, UNDETERMINED
from wegweiser.eligibility.facts import (
    ABSCHNITT_5_SECTIONS,
    AGS_RE,
    AUFENTHALTSERLAUBNIS_SECTIONS,
    COUNTRY_CODES,
    DULDUNG_SECTIONS,
    ENUM_KEYS,
    EU_MEMBER_STATES,
    FREE_MOVEMENT_STATES,
    KREIS_RE,
    MAX_AGE,
    RESIDENCE_TITLES,
    STATELESS,
    TITLES_WITH_POSSIBLE_ABSOLUTE_BAN,
    TITLES_WITH_SECTION,
)

SCHEMA: dict[str, pl.DataType] = {
    "birth_date": pl.Date(),
    "age": pl.Int32(),
    "gender": pl.String(),
    "citizenships": pl.List(pl.String()),
    "residence_title": pl.String(),
    "residence_section": pl.String(),
    "work_ban": pl.String(),
    "migration_background": pl.Boolean(),
    "jobcentre_contact": pl.String(),
    "kreis": pl.String(),
    "municipality": pl.String(),
    "foreign_qualification": pl.Boolean(),
    "german_level": pl.String(),
    "attending_integration_course": pl.Boolean(),
    "child_without_childcare": pl.Boolean(),
    "municipality_has_wir_or_amif_project": pl.Boolean(),
    "participations": pl.List(pl.String()),
    "disability": pl.String(),
}
LIST_COLUMNS = ("citizenships", "participations")
BOOL_COLUMNS = tuple(k for k, v in SCHEMA.items() if v == pl.Boolean())
ID_COLUMN = "id"
MAX_REPORTED_ERRORS = 20


@dataclass(frozen=True)
class CellError:
    row: int  # 1-based data row (the header is row 0 in a CSV)
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, {self.column}: {self.message}"


class BatchError(ValueError):
    def __init__(self, errors: list[CellError], total: int | None = None) -> None:
        self.errors = errors
        self.total = total if total is not None else len(errors)
        lines = [str(e) for e in errors[:MAX_REPORTED_ERRORS]]
        if self.total > len(lines):
            lines.append(f"... and {self.total - len(lines)} more")
        super().__init__("\n".join(lines))


# --- reading and checking ------------------------------------------------------------------


def read_profiles(path: Path | str) -> pl.DataFrame:
    """Read a CSV or Parquet file into a frame of :data:`SCHEMA` (raises :class:`BatchError`)."""
    path = Path(path)
    if path.suffix.lower() == ".parquet":
        raw = pl.read_parquet(path)
    elif path.suffix.lower() == ".csv":
        raw = pl.read_csv(path, infer_schema=False)
    else:
        raise BatchError([CellError(0, "file", "use a .csv or .parquet file")])
    return normalise(raw)


def normalise(raw: pl.DataFrame) -> pl.DataFrame:
    """Cast a raw frame (strings or typed columns) to :data:`SCHEMA`, reporting bad cells."""
    unknown = [c for c in raw.columns if c not in SCHEMA and c != ID_COLUMN]
    if unknown:
        raise BatchError([CellError(0, c, "unknown column") for c in unknown])
    errors: list[CellError] = []
    cols = []
    for name, dtype in SCHEMA.items():
        if name not in raw.columns:
            cols.append(pl.lit(None, dtype=dtype).alias(name))
            continue
        src = raw.get_column(name)
        if src.dtype == dtype:
            cols.append(pl.lit(src).alias(name))
            continue
        if src.dtype != pl.String:
            try:
                cols.append(pl.lit(src.cast(dtype)).alias(name))
            except pl.exceptions.PolarsError:
                errors.append(CellError(0, name, f"cannot read a {src.dtype} column as {dtype}"))
            continue
        text = src.str.strip_chars()
        text = pl.select(pl.when(text == "").then(None).otherwise(text)).to_series()
        if name in LIST_COLUMNS:
            converted = text.str.split(";").list.eval(pl.element().str.strip_chars())
        elif name in BOOL_COLUMNS:
            lowered = text.str.to_lowercase()
            converted = pl.select(
                pl.when(lowered == "true")
                .then(True)
                .when(lowered == "false")
                .then(False)
                .otherwise(None)
            ).to_series()
        elif dtype == pl.Date:
            converted = text.str.to_date("%Y-%m-%d", strict=False)
        elif dtype == pl.Int32:
            converted = text.cast(pl.Int32, strict=False)
        else:
            converted = text
        bad = (text.is_not_null() & converted.is_null()).arg_true()
        for i in bad.head(MAX_REPORTED_ERRORS):
            errors.append(CellError(i + 1, name, f"cannot read '{text[i]}' as {dtype}"))
        cols.append(pl.lit(converted).alias(name))
    if errors:
        raise BatchError(errors)
    frame = pl.select(cols).with_columns(
        # an absent participations list means "no participation known" (eligibility.md § 1)
        pl.col("participations").fill_null(pl.lit([], dtype=pl.List(pl.String())))
    )
    if ID_COLUMN in raw.columns:
        frame = frame.with_columns(raw.get_column(ID_COLUMN).alias(ID_COLUMN))
    return frame


def validate(frame: pl.DataFrame, day: dt.date, known_rounds: frozenset[str]) -> None:
    """Apply the single check's input rules to every row; raise :class:`BatchError`."""
    title, section = pl.col("residence_title"), pl.col("residence_section")
    cits, work_ban = pl.col("citizenships"), pl.col("work_ban")
    bd = pl.col("birth_date")
    checks: list[tuple[str, pl.Expr, str]] = [
        ("birth_date", bd > pl.lit(day), f"after the reference date {day.isoformat()}"),
        ("age", (pl.col("age") < 0) | (pl.col("age") > MAX_AGE), f"not an age (0 to {MAX_AGE})"),
        (
            "age",
            bd.is_not_null()
            & pl.col("age").is_not_null()
            & (_age_expr(day, use_age_column=False) != pl.col("age")),
            "does not match the birth date",
        ),
        (
            "residence_title",
            title.is_not_null() & ~title.is_in(RESIDENCE_TITLES),
            "not an allowed residence title",
        ),
        (
            "residence_section",
            section.is_not_null() & title.is_null(),
            "a section needs a residence title",
        ),
        (
            "residence_section",
            section.is_not_null() & ~title.is_in(TITLES_WITH_SECTION),
            "a section is only given for aufenthaltserlaubnis and duldung",
        ),
        (
            "residence_section",
            section.is_not_null()
            & (title == "aufenthaltserlaubnis")
            & ~section.is_in(sorted(AUFENTHALTSERLAUBNIS_SECTIONS)),
            "unknown section",
        ),
        (
            "residence_section",
            section.is_not_null() & (title == "duldung") & ~section.is_in(sorted(DULDUNG_SECTIONS)),
            "unknown section",
        ),
        ("citizenships", cits.is_not_null() & (cits.list.len() == 0), "empty list"),
        (
            "citizenships",
            cits.list.eval(~pl.element().is_in(sorted(COUNTRY_CODES | {STATELESS}))).list.any(),
            "unknown country code",
        ),
        (
            "citizenships",
            cits.list.contains(STATELESS) & (cits.list.len() > 1),
            "'stateless' cannot be combined with a citizenship",
        ),
        ("citizenships", cits.list.n_unique() != cits.list.len(), "duplicate values"),
        (
            "kreis",
            pl.col("kreis").is_not_null() & ~pl.col("kreis").str.contains(KREIS_RE.pattern),
            "not a five-digit Kreis key",
        ),
        (
            "municipality",
            pl.col("municipality").is_not_null()
            & ~pl.col("municipality").str.contains(AGS_RE.pattern),
            "not an eight-digit AGS",
        ),
        (
            "municipality",
            pl.col("municipality").is_not_null()
            & pl.col("kreis").is_not_null()
            & ~pl.col("municipality").str.starts_with(pl.col("kreis")),
            "not in the given Kreis",
        ),
        (
            "participations",
            pl.col("participations")
            .list.eval(~pl.element().is_in(sorted(known_rounds)))
            .list.any(),
            "unknown funding round",
        ),
        (
            "work_ban",
            (work_ban == "absolute")
            & title.is_not_null()
            & ~title.is_in(TITLES_WITH_POSSIBLE_ABSOLUTE_BAN),
            "an absolute work ban exists only with a Duldung or an Aufenthaltsgestattung",
        ),
        (
            "work_ban",
            (title == "duldung") & (section == "60b") & work_ban.is_in(["none", "temporary"]),
            "a § 60b Duldung means an absolute work ban",
        ),
        (
            "citizenships",
            (title == "german_citizen") & ~cits.list.contains("DE"),
            "the status german_citizen requires the citizenship DE",
        ),
        (
            "residence_title",
            (title != "german_citizen") & cits.list.contains("DE"),
            "German citizens have the status german_citizen",
        ),
        (
            "citizenships",
            (title == "free_movement")
            & ~cits.list.eval(pl.element().is_in(sorted(FREE_MOVEMENT_STATES))).list.any(),
            "free movement requires an EU/EEA or Swiss citizenship",
        ),
    ]
    for key, allowed in ENUM_KEYS.items():
        checks.append(
            (
                key,
                pl.col(key).is_not_null() & ~pl.col(key).is_in(allowed),
                f"not allowed; allowed values: {', '.join(allowed)}",
            )
        )
    flags = frame.select(
        [expr.fill_null(False).alias(str(i)) for i, (_, expr, _) in enumerate(checks)]
    )
    errors: list[CellError] = []
    total = 0
    for i, (column, _, message) in enumerate(checks):
        rows = flags.get_column(str(i)).arg_true()
        total += len(rows)
        errors.extend(CellError(r + 1, column, message) for r in rows.head(MAX_REPORTED_ERRORS))
    if errors:
        errors.sort(key=lambda e: (e.row, e.column))
        raise BatchError(errors[:MAX_REPORTED_ERRORS], total)


# --- evaluating ----------------------------------------------------------------------------


def _age_expr(day: dt.date, use_age_column: bool = True) -> pl.Expr:
    bd = pl.col("birth_date")
    month_day = bd.dt.month().cast(pl.Int32) * 100 + bd.dt.day().cast(pl.Int32)
    from_birth = (
        pl.lit(day.year, dtype=pl.Int32)
        - bd.dt.year().cast(pl.Int32)
        - (month_day > day.month * 100 + day.day).cast(pl.Int32)
    )
    if not use_age_column:
        return from_birth
    return pl.when(bd.is_not_null()).then(from_birth).otherwise(pl.col("age"))


def derived_expressions(day: dt.date) -> list[pl.Expr]:
    """The derived facts of ``facts.derive`` as polars expressions (null = unknown)."""
    title, section = pl.col("residence_title"), pl.col("residence_section")
    cits, work_ban = pl.col("citizenships"), pl.col("work_ban")
    unknown = pl.lit(None, dtype=pl.Boolean)
    humanitarian = (
        pl.when(title.is_null())
        .then(unknown)
        .when(title == "aufenthaltserlaubnis")
        .then(
            pl.when(section.is_null())
            .then(unknown)
            .otherwise(section.is_in(sorted(ABSCHNITT_5_SECTIONS)))
        )
        .otherwise(False)
    )
    refugee = (
        pl.when(title.is_null())
        .then(unknown)
        .when(title.is_in(["aufenthaltsgestattung", "duldung"]))
        .then(True)
        .when(title == "aufenthaltserlaubnis")
        .then(
            pl.when(section.is_null())
            .then(unknown)
            .otherwise(section.is_in(sorted(ABSCHNITT_5_SECTIONS | {"104c"})))
        )
        .otherwise(False)
    )
    eu_citizen = (
        pl.when(cits.is_not_null())
        .then(cits.list.eval(pl.element().is_in(sorted(EU_MEMBER_STATES))).list.any())
        .when(title == "german_citizen")
        .then(True)
        .otherwise(unknown)
    )
    absolute_ban = (
        pl.when((work_ban == "absolute") | ((title == "duldung") & (section == "60b")))
        .then(True)
        .when(title.is_not_null() & ~title.is_in(TITLES_WITH_POSSIBLE_ABSOLUTE_BAN))
        .then(False)
        .when(work_ban.is_not_null())
        .then(False)
        .otherwise(unknown)
    )
    return [
        _age_expr(day).alias("age"),
        humanitarian.alias("humanitarian_residence"),
        refugee.alias("refugee"),
        eu_citizen.alias("eu_citizen"),
        (~eu_citizen).alias("third_country_national"),
        absolute_ban.alias("absolute_work_ban"),
        pl.col("kreis").str.starts_with("06").alias("lives_in_hessen"),
        (title != "none").alias("lawful_stay_or_duldung"),
    ]


def _absent(key: str) -> pl.Expr:
    if key == "birth_date":
        return pl.col("birth_date").is_null() & pl.col("age").is_null()
    if key == "residence":
        return pl.col("residence_title").is_null()
    if key == "residence.section":
        return (
            pl.col("residence_title").is_in(TITLES_WITH_SECTION)
            & pl.col("residence_section").is_null()
        )
    if key == "participations":
        return pl.lit(False)
    return pl.col(key).is_null()


def status_column(rnd: Round) -> str:
    return f"{rnd.key}.status"


def missing_column(rnd: Round) -> str:
    return f"{rnd.key}.missing"


def evaluate_frame(
    catalogue: Catalogue,
    frame: pl.DataFrame,
    day: dt.date,
    rounds: Sequence[Round] | None = None,
    *,
    with_missing: bool = True,
) -> pl.DataFrame:
    """Status (and missing facts, ``;``-separated) per round for every row of ``frame``."""
    chosen = list(catalogue.active_rounds(day) if rounds is None else rounds)
    rules = {rule.id: rule for rnd in chosen for rule in rnd.rules}
    rule_cols = [rule.condition.to_polars().alias(f"rule\x00{rid}") for rid, rule in rules.items()]
    round_cols = []
    for rnd in chosen:
        value = pl.col(f"rule\x00{rnd.rules[0].id}")
        for rule in rnd.rules[1:]:
            value = value & pl.col(f"rule\x00{rule.id}")
        round_cols.append(value.alias(f"round\x00{rnd.key}"))
    out_cols: list[pl.Expr] = []
    if ID_COLUMN in frame.columns:
        out_cols.append(pl.col(ID_COLUMN))
    for rnd in chosen:
        value = pl.col(f"round\x00{rnd.key}")
        status = (
            pl.when(value)
            .then(pl.lit(ELIGIBLE))
            .when(~value)
            .then(pl.lit(NOT_ELIGIBLE))
            .otherwise(pl.lit(UNDETERMINED))
        )
        out_cols.append(status.alias(status_column(rnd)))
        if with_missing:
            parts = []
            for key in rnd.input_keys:
                unknown_rule = pl.any_horizontal(
                    [pl.col(f"rule\x00{r.id}").is_null() for r in rnd.rules if key in r.input_keys]
                )
                flag = value.is_null() & unknown_rule & _absent(key)
                parts.append(pl.when(flag).then(pl.lit(key)))
            missing = (
                pl.concat_str(parts, separator=";", ignore_nulls=True) if parts else pl.lit("")
            )
            out_cols.append(missing.alias(missing_column(rnd)))
    return (
        frame.lazy()
        .with_columns(derived_expressions(day))
        .with_columns(rule_cols)
        .with_columns(round_cols)
        .select(out_cols)
        .collect()
    )


def write_results(frame: pl.DataFrame, path: Path | str) -> None:
    path = Path(path)
    if path.suffix.lower() == ".parquet":
        frame.write_parquet(path)
    else:
        frame.write_csv(path)

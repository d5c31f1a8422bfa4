"""Vectorised evaluation of a table of profiles with polars.

The table has one profile per row and the columns of :data:`SCHEMA`, the registry's profile
facts (all optional; an ``id`` column is passed through). It gives the same statuses and missing
facts as the single check (``engine.evaluate``): the rules and the registry's derived facts
compile to polars expressions whose null is *unknown*, and polars' ``&``, ``|`` and ``~`` follow
the same three-valued (Kleene) logic.

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
from wegweiser.eligibility.registry import (
    ENUM_KEYS,
    FACTS_BY_INPUT_KEY,
    POLARS_SCHEMA,
    PROFILE_FACTS,
    REGISTRY,
    birth_date_age_expr,
)
from wegweiser.eligibility.values import (
    AGS_RE,
    AUFENTHALTSERLAUBNIS_SECTIONS,
    COUNTRY_CODES,
    DULDUNG_SECTIONS,
    FREE_MOVEMENT_STATES,
    KREIS_RE,
    MAX_AGE,
    RESIDENCE_TITLES,
    STATELESS,
    TITLES_WITH_POSSIBLE_ABSOLUTE_BAN,
    TITLES_WITH_SECTION,
)

SCHEMA: dict[str, pl.DataType] = POLARS_SCHEMA
LIST_COLUMNS = tuple(k for k, v in SCHEMA.items() if isinstance(v, pl.List))
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
        pl.col(f.name).fill_null(pl.lit(list(f.default), dtype=f.dtype))
        for f in PROFILE_FACTS
        if f.default is not None
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
            & (birth_date_age_expr(day) != pl.col("age")),
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
        (
            "migration_background",
            title.is_not_null()
            & (title != "german_citizen")
            & (pl.col("migration_background") == False),  # noqa: E712 (a polars expression)
            "a person with a foreign residence title has a migration background",
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


def derived_expressions(day: dt.date) -> list[list[pl.Expr]]:
    """The facts of ``facts.derive`` that are not input columns, as polars expressions (null =
    unknown): the age on ``day`` and the registry's derived facts, compiled from their conditions.

    In stages for ``with_columns``: a fact that tests a computed fact comes a stage later.
    """
    level: dict[str, int] = {}
    stages: list[list[pl.Expr]] = []
    for fact in REGISTRY:
        if fact.on_day is not None:
            expr, uses = fact.on_day[1](day), set()
        elif fact.definition is not None:
            expr, uses = fact.definition.to_polars(), fact.definition.facts()
        else:
            continue
        level[fact.name] = 1 + max((level[f] for f in uses if f in level), default=-1)
        while len(stages) <= level[fact.name]:
            stages.append([])
        stages[level[fact.name]].append(expr.alias(fact.name))
    return stages


def _absent(key: str) -> pl.Expr:
    """``Profile.absent`` on every row."""
    facts = FACTS_BY_INPUT_KEY[key]
    expr = pl.all_horizontal([pl.col(f.name).is_null() for f in facts])
    for fact in facts:
        if fact.asked_if is not None:
            expr = expr & fact.asked_if.to_polars()
    return expr


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
    lazy = frame.lazy()
    for stage in derived_expressions(day):
        lazy = lazy.with_columns(stage)
    return lazy.with_columns(rule_cols).with_columns(round_cols).select(out_cols).collect()


def write_results(frame: pl.DataFrame, path: Path | str) -> None:
    path = Path(path)
    if path.suffix.lower() == ".parquet":
        frame.write_parquet(path)
    else:
        frame.write_csv(path)

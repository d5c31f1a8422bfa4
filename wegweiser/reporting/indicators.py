"""The ESF Plus common indicators of Annex I, Regulation (EU) 2021/1057, as pure functions.

No database, no Django: the functions take and return polars frames. The one selector
(:func:`wegweiser.reporting.selectors.case_frame`) loads the cases of a scope into the frame
:data:`CASE_SCHEMA` describes; everything here is computed from it. The rules and their sources
are in ``facts.md`` section A (``docs/reporting.md`` lists each indicator with its source):

- one row per *participation*: a participant counts once per operation (project); a re-entry
  into the same project keeps the entry data of the first entry and the exit and results of the
  last one; another project is another participation (A.4, S19, S11);
- employment status at entry is exactly one of unemployed / inactive / employed, and
  EECO01 = EECO02 + EECO04 + EECO05 (A.5, S19);
- immediate results (EECR01–EECR04): the labour-market events up to 28 days after exit, the
  last one counting; EECR01 (job searching) and EECR04 (employment) exclude each other (A.4,
  S07); EECR03 (qualification) is an achievement, not a labour-market situation, and counts
  beside the last event;
- longer-term results (EECR05, EECR06) from the six-month follow-up (A.4); EECR06 only for
  participants employed at entry (S11c);
- breakdown by gender: women, men, non-binary (A.1).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

#: Days after exit in which labour-market events count for the immediate results (A.4, S07).
RESULT_WINDOW_DAYS = 28

#: Gender columns of every table (stored value → column).
GENDERS = {"female": "women", "male": "men", "diverse": "non_binary"}
COLUMNS = (*GENDERS.values(), "total")

#: The situations of the exit questionnaire that are labour-market events, each with its
#: priority when two begin on the same day (the higher wins: a job beats a job search).
LABOUR_MARKET_EVENTS = {"inactive": 0, "job_searching": 1, "in_education": 2, "employed": 3}
RESULT_OF_EVENT = {"job_searching": "EECR01", "in_education": "EECR02", "employed": "EECR04"}

#: Columns of the frame of cases (one row per enrolled case with an entry questionnaire).
CASE_SCHEMA: dict[str, pl.DataType] = {
    "case_id": pl.String,
    "participant_id": pl.String,
    "project_id": pl.String,
    "funding_round_id": pl.Int64,
    "programme": pl.String,
    "kreis": pl.String,
    "entry_date": pl.Date,
    "exit_date": pl.Date,
    "gender": pl.String,
    "age_at_entry": pl.Int64,
    "employment_status": pl.String,
    "long_term_unemployed": pl.Boolean,
    "isced_level": pl.Int64,
    "third_country_national": pl.Boolean,
    "foreign_background": pl.String,
    "homeless": pl.String,
    "rural": pl.String,
    "disability": pl.String,
    "minority": pl.String,
    **{
        col: typ
        for s in ("job_searching", "in_education", "qualification_gained", "employed", "inactive")
        for col, typ in ((s, pl.String), (f"{s}_on", pl.Date))
    },
    "long_term_result": pl.String,
}
ENTRY_COLUMNS = (
    "funding_round_id",
    "programme",
    "kreis",
    "entry_date",
    "gender",
    "age_at_entry",
    "employment_status",
    "long_term_unemployed",
    "isced_level",
    "third_country_national",
    "foreign_background",
    "homeless",
    "rural",
    "disability",
    "minority",
)
EXIT_COLUMNS = tuple(
    c for c in CASE_SCHEMA if c not in ENTRY_COLUMNS and c not in ("participant_id", "project_id")
)

#: Breakdowns a table can be grouped by (columns of the participation frame).
DIMENSIONS = ("project_id", "funding_round_id", "programme", "kreis")
#: What identifies a participation (A.4): the participant in one operation.
KEYS = ["participant_id", "project_id"]


def _yes(col: str) -> pl.Expr:
    return pl.col(col) == "yes"


def _no_answer(col: str) -> pl.Expr:
    return pl.col(col) == "no_answer"


@dataclass(frozen=True)
class Indicator:
    code: str
    kind: str  # "output": counted by entry date; "result": by exit date
    expr: pl.Expr


_STATUS = pl.col("employment_status")
_AGE = pl.col("age_at_entry")
_ISCED = pl.col("isced_level")
_LONG_TERM = pl.col("long_term_unemployed").fill_null(False)

#: The indicators in the order of Annex I, plus the "keine Angabe" rows of the Art. 9 data.
INDICATORS: tuple[Indicator, ...] = (
    Indicator("EECO01", "output", _STATUS.is_in(["unemployed", "inactive", "employed"])),
    Indicator("EECO02", "output", _STATUS == "unemployed"),
    Indicator("EECO03", "output", (_STATUS == "unemployed") & _LONG_TERM),
    Indicator("EECO04", "output", _STATUS == "inactive"),
    Indicator("EECO05", "output", _STATUS == "employed"),
    Indicator("EECO06", "output", _AGE < 18),
    Indicator("EECO07", "output", (_AGE >= 18) & (_AGE <= 29)),
    Indicator("EECO08", "output", _AGE >= 55),
    Indicator("EECO09", "output", _ISCED <= 2),
    Indicator("EECO10", "output", (_ISCED >= 3) & (_ISCED <= 4)),
    Indicator("EECO11", "output", _ISCED >= 5),
    Indicator("EECO12", "output", _yes("disability")),
    Indicator("EECO12-KA", "output", _no_answer("disability")),
    Indicator("EECO13", "output", pl.col("third_country_national")),
    Indicator("EECO14", "output", _yes("foreign_background")),
    Indicator("EECO15", "output", _yes("minority")),
    Indicator("EECO15-KA", "output", _no_answer("minority")),
    Indicator("EECO16", "output", _yes("homeless")),
    Indicator("EECO17", "output", _yes("rural")),
    Indicator("EECR01", "result", pl.col("last_event") == "job_searching"),
    Indicator("EECR02", "result", pl.col("last_event") == "in_education"),
    Indicator("EECR03", "result", pl.col("qualification_in_window")),
    Indicator("EECR04", "result", pl.col("last_event") == "employed"),
    Indicator("EECR05", "result", pl.col("long_term_result").is_in(["employed", "improved"])),
    Indicator(
        "EECR06",
        "result",
        (pl.col("long_term_result") == "improved") & (_STATUS == "employed"),
    ),
)
CODES = tuple(i.code for i in INDICATORS)
#: Rows that add up to another row in every column (for the secondary suppression): the three
#: employment statuses, and the three ISCED bands (a mandatory answer: everyone is in one band).
ADDITIVE_ROWS = (
    ("EECO01", ("EECO02", "EECO04", "EECO05")),
    ("EECO01", ("EECO09", "EECO10", "EECO11")),
)


def empty_cases() -> pl.DataFrame:
    return pl.DataFrame(schema=CASE_SCHEMA)


def participations(cases: pl.DataFrame) -> pl.DataFrame:
    """One row per participant and project (A.4 re-entry rule), without ``case_id``.

    Entry data are the first entry's; the exit date and the exit answers the last entry's (an
    open last entry: no exit yet). Only the re-entries are grouped; the others pass as they are.
    """
    repeated = cases.select(pl.struct(KEYS).is_duplicated()).to_series()
    single = cases.filter(~repeated).drop("case_id")
    if not repeated.any():
        return single
    merged = (
        cases.filter(repeated)
        .sort([*KEYS, "entry_date", "case_id"])
        .group_by(KEYS, maintain_order=True)
        .agg(
            *(pl.col(c).first() for c in ENTRY_COLUMNS),
            *(pl.col(c).last() for c in EXIT_COLUMNS if c != "case_id"),
        )
    )
    return pl.concat([single, merged.select(single.columns)], how="vertical")


def _event_keys() -> dict[str, pl.Expr]:
    """Per labour-market event, a sortable key (day, then priority) when it counts: answered
    yes, dated, and at the latest on the deadline (``_deadline``, 28 days after exit)."""
    keys = {}
    for event, priority in LABOUR_MARKET_EVENTS.items():
        day = pl.col(f"{event}_on")
        counts = _yes(event) & day.is_not_null() & (day <= pl.col("_deadline"))
        keys[event] = pl.when(counts).then(day.cast(pl.Int64) * 10 + priority)
    return keys


def flags(
    parts: pl.DataFrame,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    window_days: int = RESULT_WINDOW_DAYS,
) -> pl.DataFrame:
    """``parts`` with one boolean column per indicator code.

    Output indicators count participations that entered in [start, end], results those that left
    in it (either bound may be open). The last labour-market event up to ``window_days`` after
    exit is ``last_event`` (the latest day; on one day the higher priority).
    """
    keys = _event_keys()
    chosen = pl.lit(None, pl.String)
    for event in keys:
        latest = pl.col(f"_key_{event}") == pl.col("_latest")
        chosen = pl.when(latest).then(pl.lit(event)).otherwise(chosen)
    qualification = (
        _yes("qualification_gained")
        & pl.col("qualification_gained_on").is_not_null()
        & (pl.col("qualification_gained_on") <= pl.col("_deadline"))
    )
    return (
        parts.lazy()
        .with_columns(
            (pl.col("exit_date") + pl.duration(days=window_days)).alias("_deadline"),
            _within("entry_date", start, end).alias("_entered"),
            (_within("exit_date", start, end) & pl.col("exit_date").is_not_null()).alias("_left"),
        )
        .with_columns(
            *(key.alias(f"_key_{event}") for event, key in keys.items()),
            qualification.fill_null(False).alias("qualification_in_window"),
        )
        .with_columns(pl.max_horizontal(*(f"_key_{e}" for e in keys)).alias("_latest"))
        .with_columns(pl.when(pl.col("exit_date").is_not_null()).then(chosen).alias("last_event"))
        .with_columns(
            *(
                (
                    i.expr.fill_null(False) & pl.col("_entered" if i.kind == "output" else "_left")
                ).alias(i.code)
                for i in INDICATORS
            )
        )
        .drop("_deadline", "_entered", "_left", "_latest", *(f"_key_{e}" for e in keys))
        .collect()
    )


def _within(col: str, start: dt.date | None, end: dt.date | None) -> pl.Expr:
    cond = pl.lit(True)
    if start is not None:
        cond = cond & (pl.col(col) >= start)
    if end is not None:
        cond = cond & (pl.col(col) <= end)
    return cond.fill_null(False)


def table(flagged: pl.DataFrame, by: Sequence[str] = ()) -> pl.DataFrame:
    """The indicator table: ``by`` columns, ``code``, women, men, non_binary, total.

    One row per code (and group), in the order of :data:`CODES`; every count an integer.
    """
    by = list(by)
    if by and flagged.is_empty():
        schema = {**{b: flagged.schema[b] for b in by}, "code": pl.String}
        return pl.DataFrame(schema={**schema, **dict.fromkeys(COLUMNS, pl.Int64)})
    aggs = []
    for code in CODES:
        for column in GENDERS.values():
            aggs.append((pl.col(code) & pl.col(f"_{column}")).sum().alias(f"{code}|{column}"))
        aggs.append(pl.col(code).sum().alias(f"{code}|total"))
    masks = [(pl.col("gender") == value).alias(f"_{column}") for value, column in GENDERS.items()]
    narrow = flagged.lazy().select(*by, *CODES, *masks)
    if by:
        wide = narrow.group_by(by).agg(aggs).collect()
    else:
        wide = narrow.select(aggs).collect() if not flagged.is_empty() else _zero_row(aggs)
    long = wide.unpivot(index=by, variable_name="key", value_name="n").with_columns(
        pl.col("key").str.split_exact("|", 1).struct.rename_fields(["code", "column"])
    )
    long = long.unnest("key")
    result = long.pivot(on="column", index=[*by, "code"], values="n")
    order = pl.DataFrame({"code": CODES, "_order": range(len(CODES))})
    return (
        result.join(order, on="code")
        .sort([*by, "_order"])
        .drop("_order")
        .select([*by, "code", *(pl.col(c).fill_null(0).cast(pl.Int64) for c in COLUMNS)])
    )


def _zero_row(aggs) -> pl.DataFrame:
    return pl.DataFrame({a.meta.output_name(): [0] for a in aggs})


def indicator_table(
    cases: pl.DataFrame,
    *,
    by: Sequence[str] = (),
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> pl.DataFrame:
    """All indicators of ``cases`` (the selector's frame): participations, flags, table."""
    return table(flags(participations(cases), start=start, end=end), by)


def cases_counted(
    cases: pl.DataFrame,
    code: str,
    *,
    gender: str | None = None,
    where: dict | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> list[str]:
    """The case ids behind one cell of :func:`indicator_table` (the drill-down): every case of
    the participations counted there (a re-entry: all its cases)."""
    flagged = flags(participations(cases), start=start, end=end).filter(pl.col(code))
    if gender is not None:
        flagged = flagged.filter(pl.col("gender") == gender)
    for col, value in (where or {}).items():
        flagged = flagged.filter(pl.col(col) == value)
    counted = cases.join(flagged.select(KEYS), on=KEYS, how="semi")
    return sorted(counted["case_id"].to_list())


# --- dashboard series ----------------------------------------------------------------------------


def per_month(cases: pl.DataFrame) -> pl.DataFrame:
    """Entries and exits per month (``month`` as ``YYYY-MM``), participations counted once."""
    parts = participations(cases)
    entries = parts.group_by(pl.col("entry_date").dt.strftime("%Y-%m").alias("month")).agg(
        pl.len().alias("entries")
    )
    exits = (
        parts.filter(pl.col("exit_date").is_not_null())
        .group_by(pl.col("exit_date").dt.strftime("%Y-%m").alias("month"))
        .agg(pl.len().alias("exits"))
    )
    return (
        entries.join(exits, on="month", how="full", coalesce=True)
        .fill_null(0)
        .sort("month")
        .select("month", pl.col("entries").cast(pl.Int64), pl.col("exits").cast(pl.Int64))
    )


def outcomes(cases: pl.DataFrame) -> dict[str, int]:
    """Immediate and longer-term results of the participations that left (totals only)."""
    flagged = flags(participations(cases))
    left = flagged.filter(pl.col("exit_date").is_not_null())
    codes = [i.code for i in INDICATORS if i.kind == "result"]
    row = left.select([pl.col(c).sum() for c in codes]).row(0) if not left.is_empty() else []
    out = {"left": left.height, **dict(zip(codes, row or [0] * len(codes), strict=True))}
    return {k: int(v) for k, v in out.items()}

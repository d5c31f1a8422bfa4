"""The frame of cases read from PostgreSQL as packed binary rows (the fast path of
:func:`selectors.case_frame`, docs/reporting.md "Performance").

The scoped query is the one :func:`selectors.frame_from_copy` reads as CSV, wrapped in a select
that sends each case as one fixed-width row of 13 fields instead of 31 text fields: the three ids
as 16-byte UUIDs, the funding round, the Kreis as a number, the seven dates as days, and the
answers of the two questionnaires and the six-month result as small codes packed into one 64-bit
integer. ``COPY ... TO STDOUT (FORMAT binary)`` then writes no text at all, and the rows are read
with one ``numpy`` view and turned back into :data:`indicators.CASE_SCHEMA` with vectorised
operations: the frame is the same as the CSV path's (tested on random histories).

Every answer outside the known values (a text the code list does not name, an age over 253, a
Kreis key that is not five digits) is sent as the field's highest code; if any row has one, the
CSV path reads the scope instead, so the figures never depend on which path ran.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
import polars as pl
import pyarrow as pa
from django.db import connection, transaction

from wegweiser.reporting.indicators import CASE_SCHEMA

_YNA = ("yes", "no", "no_answer")


@dataclass(frozen=True)
class Code:
    """A column packed into ``bits`` of the 64-bit field: 0 is NULL, 1.. the values in order,
    the highest code (all bits set) anything else."""

    column: str
    bits: int
    values: tuple = ()
    #: integers 0 .. limit - 1 sent as value + 1 (``values`` empty)
    limit: int = 0
    boolean: bool = False

    @property
    def other(self) -> int:
        return (1 << self.bits) - 1

    def sql(self) -> str:
        col = f'q."{self.column}"'
        if self.boolean:
            return f"CASE WHEN {col} IS NULL THEN 0 WHEN {col} THEN 2 ELSE 1 END"
        if self.limit:
            return (
                f"CASE WHEN {col} IS NULL THEN 0 WHEN {col} >= 0 AND {col} < {self.limit} "
                f"THEN {col} + 1 ELSE {self.other} END"
            )
        whens = " ".join(f"WHEN '{v}' THEN {i}" for i, v in enumerate(self.values, 1))
        return f"CASE WHEN {col} IS NULL THEN 0 ELSE CASE {col} {whens} ELSE {self.other} END END"

    def decode(self, codes: np.ndarray) -> pl.Series:
        """The column from its codes (none of them ``other``): a look-up by position."""
        if self.boolean:
            values = [None, False, True]
        elif self.limit:
            values = [None, *range(self.limit)]
        else:
            values = [None, *self.values]
        lookup = pl.Series(self.column, values, dtype=CASE_SCHEMA[self.column])
        return lookup.gather(codes.astype(np.uint32))


CODES = (
    Code("gender", 3, ("female", "male", "diverse")),
    Code("employment_status", 3, ("unemployed", "inactive", "employed")),
    Code("long_term_unemployed", 2, boolean=True),
    Code("third_country_national", 2, boolean=True),
    Code("isced_level", 4, limit=14),
    Code("age_at_entry", 8, limit=254),
    *(Code(c, 3, _YNA) for c in ("foreign_background", "homeless", "rural")),
    *(Code(c, 3, _YNA) for c in ("disability", "minority")),
    *(
        Code(s, 3, _YNA)
        for s in ("job_searching", "in_education", "qualification_gained", "employed", "inactive")
    ),
    Code("long_term_result", 3, ("employed", "improved", "neither", "unknown")),
)
assert sum(c.bits for c in CODES) <= 63
DATES = tuple(c for c, t in CASE_SCHEMA.items() if t == pl.Date)
UUIDS = ("case_id", "participant_id", "project_id")
#: Kreis: NULL, empty, a key that is not five digits (the CSV path reads the scope then)
KREIS_NULL, KREIS_EMPTY, KREIS_OTHER = -2, -1, -3
_NIL = "00000000-0000-0000-0000-000000000000"
_PG_EPOCH = 10957  # days from 1970-01-01 to 2000-01-01 (PostgreSQL's binary dates)
_NO_DATE = np.iinfo(np.int32).min  # -infinity: the NULL of a date here

#: (name, SQL, numpy type of the value) in the order of the row
FIELDS = (
    *((u, f"COALESCE(q.\"{u}\", '{_NIL}'::uuid)", np.dtype((np.uint8, 16))) for u in UUIDS),
    ("funding_round_id", 'COALESCE(q."funding_round_id", -1)::int8', np.dtype(">i8")),
    (
        "kreis",
        f'CASE WHEN q."kreis" IS NULL THEN {KREIS_NULL} WHEN q."kreis" = \'\' THEN '
        f'{KREIS_EMPTY} WHEN q."kreis" ~ \'^[0-9]{{5}}$\' THEN q."kreis"::int4 '
        f"ELSE {KREIS_OTHER} END",
        np.dtype(">i4"),
    ),
    *((d, f"COALESCE(q.\"{d}\", '-infinity'::date)", np.dtype(">i4")) for d in DATES),
    ("codes", "", np.dtype(">i8")),
)


def _packed_sql() -> str:
    shifts, shift = [], 0
    for code in CODES:
        shifts.append(f"(({code.sql()})::int8 << {shift})")
        shift += code.bits
    return " | ".join(shifts)


def _row_dtype() -> np.dtype:
    parts = [("_n", ">i2")]
    for name, _sql, typ in FIELDS:
        parts += [(f"_len_{name}", ">i4"), (name, typ)]
    return np.dtype(parts)


ROW = _row_dtype()
_HEADER = b"PGCOPY\n\xff\r\n\x00"


def select_sql(inner: str) -> str:
    """The packed select over ``inner`` (the CSV path's query, its columns named as in
    CASE_SCHEMA)."""
    columns = [sql or _packed_sql() for _name, sql, _typ in FIELDS]
    # only our own constants and the query Django built (its parameters bound by psycopg)
    return f"SELECT {', '.join(columns)} FROM ({inner}) q"  # noqa: S608


def read(statement: str, work_mem: str) -> bytes:
    """The binary COPY of ``select_sql(statement)``."""
    buffer = io.BytesIO()
    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor
        raw.execute(f"SET LOCAL work_mem = '{work_mem}'")
        with raw.copy(f"COPY ({select_sql(statement)}) TO STDOUT WITH (FORMAT binary)") as copy:
            for block in copy:
                buffer.write(block)
    return buffer.getvalue()


def _rows(data: bytes) -> np.ndarray:
    if not data.startswith(_HEADER):
        raise ValueError("not a binary COPY")
    extension = int.from_bytes(data[15:19], "big")
    start = 19 + extension
    body = len(data) - start - 2  # the trailer: a field count of -1
    if body % ROW.itemsize or data[-2:] != b"\xff\xff":
        raise ValueError("unexpected row layout")
    rows = np.frombuffer(data, dtype=ROW, count=body // ROW.itemsize, offset=start)
    if len(rows) and (rows["_n"] != len(FIELDS)).any():
        raise ValueError("unexpected field count")
    # every field is sent non-null with a fixed width: a row of another layout would shift all
    # that follow it, so the first and the last row tell
    for name, _sql, typ in FIELDS:
        if len(rows) and {rows[f"_len_{name}"][0], rows[f"_len_{name}"][-1]} != {typ.itemsize}:
            raise ValueError(f"unexpected width of {name}")
    return rows


#: byte → its two hexadecimal digits (as one 16-bit word in memory order)
_HEX = np.frombuffer(b"".join(f"{i:02x}".encode() for i in range(256)), dtype=np.uint16)
#: (from, to) of the hexadecimal digits of a UUID's five groups in its 36 characters
_GROUPS = ((0, 8, 0), (8, 12, 9), (12, 16, 14), (16, 20, 19), (20, 32, 24))


def _uuid_strings(name: str, raw: np.ndarray) -> pl.Series:
    """16-byte UUIDs as PostgreSQL writes them (lower-case, with dashes); the nil UUID → null."""
    n = len(raw)
    digits = _HEX[raw].view(np.uint8)  # (n, 32)
    text = np.empty((n, 36), dtype=np.uint8)
    text[:, (8, 13, 18, 23)] = ord("-")
    for start, end, at in _GROUPS:
        text[:, at : at + end - start] = digits[:, start:end]
    offsets = np.arange(0, 36 * (n + 1), 36, dtype=np.int64)
    array = pa.Array.from_buffers(
        pa.large_string(), n, [None, pa.py_buffer(offsets), pa.py_buffer(text)]
    )
    series = pl.Series(name, pl.from_arrow(array), dtype=pl.String)
    if name != "case_id":
        series = series.replace(_NIL, None)
    return series


def frame(data: bytes, programmes: dict) -> pl.DataFrame | None:
    """The frame of :data:`CASE_SCHEMA` from ``read``'s bytes (``programmes``: funding round id →
    programme key); ``None`` when a row holds a value outside the codes."""
    rows = _rows(data)
    packed = rows["codes"].astype(np.int64)
    columns: dict[str, pl.Series] = {}
    shift = 0
    for code in CODES:
        codes = (packed >> shift) & code.other
        shift += code.bits
        if (codes == code.other).any():
            return None
        columns[code.column] = code.decode(codes)
    kreis = pl.Series("kreis", rows["kreis"].astype(np.int32))
    if (kreis == KREIS_OTHER).any():
        return None
    columns["kreis"] = pl.select(
        pl.when(kreis == KREIS_NULL)
        .then(None)
        .when(kreis == KREIS_EMPTY)
        .then(pl.lit(""))
        .otherwise(kreis.cast(pl.String).str.zfill(5))
    ).to_series()
    for name in DATES:
        days = pl.Series(name, rows[name].astype(np.int32))
        columns[name] = pl.select(
            pl.when(days == _NO_DATE).then(None).otherwise(days + _PG_EPOCH).cast(pl.Date)
        ).to_series()
    rounds = pl.Series("funding_round_id", rows["funding_round_id"].astype(np.int64))
    columns["funding_round_id"] = rounds.replace(-1, None)
    columns["programme"] = columns["funding_round_id"].replace_strict(
        programmes, default=None, return_dtype=pl.String
    )
    for name in UUIDS:
        columns[name] = _uuid_strings(name, np.ascontiguousarray(rows[name]))
    result = pl.DataFrame([columns[c].alias(c) for c in CASE_SCHEMA])
    # a case with two recorded six-month surveys comes twice (the only join that can repeat a
    # case): the first counts, as on the CSV path
    surveyed = np.flatnonzero(columns["long_term_result"].is_not_null().to_numpy())
    ids = np.ascontiguousarray(rows["case_id"][surveyed]).view(">u8").astype(np.uint64)
    ids = ids.reshape(-1, 2)
    key = pl.DataFrame({"a": ids[:, 0], "b": ids[:, 1]})
    first = key.select(pl.struct("a", "b").is_first_distinct()).to_series().to_numpy()
    if first.all():
        return result
    keep = np.ones(result.height, dtype=bool)
    keep[surveyed[~first]] = False
    return result.filter(pl.Series(keep))


#: the size of a binary COPY without rows (header and trailer)
EMPTY_SIZE = len(_HEADER) + 8 + 2

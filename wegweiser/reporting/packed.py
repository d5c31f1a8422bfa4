"""The frame of cases read from PostgreSQL as packed binary rows (the fast path of
:func:`selectors.case_frame`, docs/reporting.md "Performance").

The scoped query is the one :func:`selectors.frame_from_copy` reads as CSV, wrapped in a select
that turns each case into one fixed-width row of 96 bytes instead of 31 text fields: the three
ids as 16-byte UUIDs, the funding round, the Kreis as a number, the seven dates as days, and the
answers of the two questionnaires and the six-month result as small codes packed into one 64-bit
integer (the questionnaires' codes are kept by the database with their answers, as generated
columns: ``cases.esf_codes``; only the six-month result is coded in the query). The parallel
workers build the rows; the leader only appends them into one byte string (``string_agg``),
which reaches Python as one message instead of one per case. The rows are read with one
``numpy`` view and turned back into :data:`indicators.CASE_SCHEMA` with vectorised
operations: the frame is the same as the CSV path's (tested on random histories).

A byte string holds at most 1 GB, so a scope that may hold more than :data:`AGGREGATE_MAX_ROWS`
cases (by PostgreSQL's estimate of the case table, or with no estimate yet) is sent row by row by
``COPY ... TO STDOUT (FORMAT binary)`` instead: the same rows, slower.

Every answer outside the known values (a text the code list does not name, an age over 253, a
Kreis key that is not five digits) is sent as the field's highest code; if any row has one, the
CSV path reads the scope instead, so the figures never depend on which path ran.
"""

from __future__ import annotations

import io
from contextlib import contextmanager

import numpy as np
import polars as pl
import psycopg
import pyarrow as pa
from django.db import connection, transaction

from wegweiser.cases.esf_codes import (
    ENTRY_BITS,
    ENTRY_CODES,
    EXIT_BITS,
    EXIT_CODES,
    KREIS_EMPTY,
    KREIS_OTHER,
    Code,
)
from wegweiser.reporting.indicators import CASE_SCHEMA


def _decode(code: Code, codes: np.ndarray) -> pl.Series:
    """The column from its codes (none of them ``other``): a look-up by position."""
    if code.boolean:
        values = [None, False, True]
    elif code.limit:
        values = [None, *range(code.limit)]
    else:
        values = [None, *code.values]
    lookup = pl.Series(code.column, values, dtype=CASE_SCHEMA[code.column])
    return lookup.gather(codes.astype(np.uint32))


#: The six-month result of the recorded survey (a follow-up's field: coded in the query).
RESULT = Code("long_term_result", 3, ("employed", "improved", "neither", "unknown"))
#: The order of the codes in the row's 64-bit field: the entry questionnaire's, stored with it
#: (``report_codes``), the exit questionnaire's, stored with it, then the six-month result.
CODES = (*ENTRY_CODES, *EXIT_CODES, RESULT)
assert sum(c.bits for c in CODES) <= 63

DATES = tuple(c for c, t in CASE_SCHEMA.items() if t == pl.Date)
UUIDS = ("case_id", "participant_id", "project_id")
#: Kreis: NULL; esf_codes' KREIS_EMPTY is an empty key, KREIS_OTHER one that is not five digits
#: (the CSV path reads the scope then)
KREIS_NULL = -2
_NIL = "00000000-0000-0000-0000-000000000000"
_PG_EPOCH = 10957  # days from 1970-01-01 to 2000-01-01 (PostgreSQL's binary dates)
_NO_DATE = np.iinfo(np.int32).min  # -infinity: the NULL of a date here

#: The most cases sent as one byte string (96 bytes each: 768 MB of PostgreSQL's 1 GB).
AGGREGATE_MAX_ROWS = 8_000_000

#: (name, SQL of the field's bytes, numpy type) in the order of the row
FIELDS = (
    *(
        (u, f"uuid_send(COALESCE(q.\"{u}\", '{_NIL}'::uuid))", np.dtype((np.uint8, 16)))
        for u in UUIDS
    ),
    ("funding_round_id", 'int8send(COALESCE(q."funding_round_id", -1)::int8)', np.dtype(">i8")),
    # the number the database keeps with the entry questionnaire (esf_codes.kreis_number)
    ("kreis", f'int4send(COALESCE(q."entry_kreis", {KREIS_NULL}))', np.dtype(">i4")),
    *(
        (d, f"int4send(COALESCE(q.\"{d}\" - DATE '2000-01-01', {_NO_DATE}))", np.dtype(">i4"))
        for d in DATES
    ),
    ("codes", "", np.dtype(">i8")),
)


def _result_sql() -> str:
    col = f'q."{RESULT.column}"'
    whens = " ".join(f"WHEN '{v}' THEN {i}" for i, v in enumerate(RESULT.values, 1))
    return f"CASE WHEN {col} IS NULL THEN 0 ELSE CASE {col} {whens} ELSE {RESULT.other} END END"


def _packed_sql() -> str:
    """The 64-bit field: the questionnaires' stored codes (``inner`` selects them as
    ``entry_codes`` and ``exit_codes``; a case without an exit questionnaire has none) and the
    six-month result's code."""
    return (
        'int8send(COALESCE(q."entry_codes", 0) '
        f'| (COALESCE(q."exit_codes", 0) << {ENTRY_BITS}) '
        f"| (({_result_sql()})::int8 << {ENTRY_BITS + EXIT_BITS}))"
    )


ROW = np.dtype([(name, typ) for name, _sql, typ in FIELDS])
#: a row of the binary COPY: the field count, the length of the one field, the row
_COPY_ROW = np.dtype([("n", ">i2"), ("length", ">i4"), ("row", (np.void, ROW.itemsize))])
_HEADER = b"PGCOPY\n\xff\r\n\x00"


def rows_sql(inner: str) -> str:
    """One ``bytea`` of :data:`ROW`'s layout per row of ``inner`` (the CSV path's query, its
    columns named as in CASE_SCHEMA, with ``selectors.PACKED_EXTRA``). ``OFFSET 0`` keeps the
    select apart from the aggregate above it, so that the parallel workers build the rows, not
    the leader."""
    row = " || ".join(sql or _packed_sql() for _name, sql, _typ in FIELDS)
    # only our own constants and the query Django built (its parameters bound by psycopg)
    return f"SELECT {row} AS r FROM ({inner}) q OFFSET 0"  # noqa: S608


@contextmanager
def local_settings(raw, settings: dict[str, str]):
    """PostgreSQL ``settings`` (name → value, our own constants) for the queries inside, then
    back to the values they had (a request's transaction goes on with other queries; an error
    rolls the caller's savepoint back, and the settings with it)."""
    before = {}
    for name, value in settings.items():
        raw.execute("SELECT current_setting(%s), set_config(%s, %s, true)", [name, name, value])
        before[name] = raw.fetchone()[0]
    yield
    for name, value in before.items():
        raw.execute("SELECT set_config(%s, %s, true)", [name, value])


def read(
    statement: str, settings: dict[str, str], aggregate_max_rows: int = AGGREGATE_MAX_ROWS
) -> bytes:
    """The rows of ``statement`` (``rows_sql``), one after the other; empty: no rows.
    ``settings``: PostgreSQL settings for the query (:func:`local_settings`)."""
    with (
        transaction.atomic(),
        connection.cursor() as cursor,
        local_settings(cursor.cursor, settings),
    ):
        raw = cursor.cursor
        raw.execute("SELECT reltuples FROM pg_class WHERE oid = 'cases_case'::regclass")
        # -1: never analysed (after a restore, say): the size is unknown, so COPY
        if 0 <= raw.fetchone()[0] <= aggregate_max_rows:
            aggregate = f"SELECT string_agg(r, ''::bytea) FROM ({rows_sql(statement)}) s"  # noqa: S608
            # Django's cursors bind on the client, which gives text only; the byte string comes
            # in binary (not as hexadecimal text) through a plain cursor on the same connection
            with psycopg.Cursor(raw.connection) as binary:
                binary.execute(aggregate, binary=True)
                return binary.fetchone()[0] or b""
        buffer = io.BytesIO()
        with raw.copy(f"COPY ({rows_sql(statement)}) TO STDOUT WITH (FORMAT binary)") as copy:
            for block in copy:
                buffer.write(block)
    return _copied_rows(buffer.getvalue())


def _copied_rows(data: bytes) -> bytes:
    """The rows of a binary COPY of ``rows_sql``, without the COPY's headers."""
    if not data.startswith(_HEADER):
        raise ValueError("not a binary COPY")
    start = 19 + int.from_bytes(data[15:19], "big")
    body = len(data) - start - 2  # the trailer: a field count of -1
    if body % _COPY_ROW.itemsize or data[-2:] != b"\xff\xff":
        raise ValueError("unexpected row layout")
    rows = np.frombuffer(data, dtype=_COPY_ROW, count=body // _COPY_ROW.itemsize, offset=start)
    if ((rows["n"] != 1) | (rows["length"] != ROW.itemsize)).any():
        raise ValueError("unexpected row layout")
    return rows["row"].tobytes()


def _rows(data: bytes) -> np.ndarray:
    if len(data) % ROW.itemsize:
        raise ValueError("unexpected row layout")
    return np.frombuffer(data, dtype=ROW)


#: (from, to, at) of the hexadecimal digits of a UUID's five groups in its 36 characters
_GROUPS = ((0, 8, 0), (8, 12, 9), (12, 16, 14), (16, 20, 19), (20, 32, 24))


def _validity(valid: np.ndarray) -> pa.Buffer | None:
    """Arrow's validity bitmap of ``valid`` (booleans); ``None`` when all are valid."""
    return None if valid.all() else pa.py_buffer(np.packbits(valid, bitorder="little"))


def _uuid_strings(name: str, raw: np.ndarray) -> pl.Series:
    """16-byte UUIDs as PostgreSQL writes them (lower-case, with dashes); the nil UUID → null
    (except for ``case_id``, which is never null)."""
    n = len(raw)
    digits = np.frombuffer(raw.tobytes().hex().encode("ascii"), dtype=np.uint8).reshape(n, 32)
    text = np.empty((n, 36), dtype=np.uint8)
    text[:, (8, 13, 18, 23)] = ord("-")
    for start, end, at in _GROUPS:
        text[:, at : at + end - start] = digits[:, start:end]
    offsets = np.arange(0, 36 * (n + 1), 36, dtype=np.int64)
    valid = _validity(raw.any(axis=1)) if name != "case_id" else None
    array = pa.Array.from_buffers(
        pa.large_string(), n, [valid, pa.py_buffer(offsets), pa.py_buffer(text)]
    )
    return pl.Series(name, pl.from_arrow(array), dtype=pl.String)


def _dates(name: str, days: np.ndarray) -> pl.Series:
    """Days since 2000-01-01 (PostgreSQL's binary dates, ``_NO_DATE`` for NULL) as dates."""
    days = days.astype(np.int32)
    values = days + np.int32(_PG_EPOCH)
    array = pa.Array.from_buffers(
        pa.date32(), len(days), [_validity(days != _NO_DATE), pa.py_buffer(values)]
    )
    return pl.Series(name, pl.from_arrow(array), dtype=pl.Date)


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
        columns[code.column] = _decode(code, codes)
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
        columns[name] = _dates(name, rows[name])
    rounds = pl.Series("funding_round_id", rows["funding_round_id"].astype(np.int64))
    columns["funding_round_id"] = rounds.replace(-1, None)
    columns["programme"] = columns["funding_round_id"].replace_strict(
        programmes, default=None, return_dtype=pl.String
    )
    for name in UUIDS:
        columns[name] = _uuid_strings(name, np.ascontiguousarray(rows[name]))
    # a case with two recorded six-month surveys comes twice: ``selectors`` keeps one row
    return pl.DataFrame([columns[c].alias(c) for c in CASE_SCHEMA])

"""Exports: XLSX (one sheet per table, a definitions sheet), CSV, and the pseudonymised
participant-level file for the federal monitoring system (layout in docs/reporting.md).

The tables come already suppressed (:func:`wegweiser.reporting.suppression.suppress_tables`):
a hidden cell is written as ``•``. Labels are German, with the indicator codes, whatever the
language of the page. XlsxWriter runs in ``constant_memory`` mode: each row is written to a
temporary file as it comes, so the memory stays bounded however many rows (bench/reporting.py).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator

import polars as pl
import xlsxwriter
from django.utils import translation

from wegweiser.reporting.indicators import COLUMNS
from wegweiser.reporting.labels import (
    COLUMN_NAMES,
    DEFINITIONS,
    DIMENSION_NAMES,
    INDICATOR_NAMES,
)
from wegweiser.reporting.suppression import HIDDEN_MARK

#: The columns of the monitoring file, in order (docs/reporting.md, "Teilnehmendendatei").
MONITORING_COLUMNS = (
    "pseudonym",
    "project_id",
    "funding_round_id",
    "programme",
    "entry_date",
    "exit_date",
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
    "job_searching",
    "job_searching_on",
    "in_education",
    "in_education_on",
    "qualification_gained",
    "qualification_gained_on",
    "employed",
    "employed_on",
    "inactive",
    "inactive_on",
    "long_term_result",
    "kreis",
)


def _cell(value):
    return HIDDEN_MARK if value is None else value


def table_rows(table: pl.DataFrame, group_cols: Iterable[str] = ()) -> Iterator[list]:
    """Header and rows of an indicator table with German labels and codes."""
    group_cols = list(group_cols)
    with translation.override("de"):
        yield [
            *(str(DIMENSION_NAMES[g]) for g in group_cols),
            "Code",
            "Indikator",
            *(str(COLUMN_NAMES[c]) for c in COLUMNS),
        ]
        for row in table.iter_rows(named=True):
            yield [
                *(row[g] for g in group_cols),
                row["code"],
                str(INDICATOR_NAMES[row["code"]]),
                *(_cell(row[c]) for c in COLUMNS),
            ]


def definition_rows() -> Iterator[list]:
    with translation.override("de"):
        yield ["Code", "Indikator", "Zählweise"]
        for code, name in INDICATOR_NAMES.items():
            yield [code, str(name), str(DEFINITIONS.get(code, ""))]
        yield []
        yield [
            HIDDEN_MARK,
            "gesperrt",
            "Kleine Fallzahl (oder zum Schutz einer kleinen Fallzahl) nicht ausgewiesen",
        ]


def write_xlsx(
    target,
    sheets: dict[str, Iterable[list]],
    *,
    participant_rows: Iterable[list] | None = None,
) -> None:
    """One sheet per entry of ``sheets`` (name → rows, first row the header), the definitions,
    and optionally the participant-level rows as a last sheet; ``target`` is a path or a binary
    file."""
    workbook = xlsxwriter.Workbook(target, {"constant_memory": True, "in_memory": False})
    bold = workbook.add_format({"bold": True})
    date = workbook.add_format({"num_format": "yyyy-mm-dd"})

    def sheet(name: str, rows: Iterable[list]) -> None:
        ws = workbook.add_worksheet(name[:31])
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue  # an empty cell
                if isinstance(value, dt.date):
                    ws.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date)
                elif r == 0:
                    ws.write(r, c, value, bold)
                else:
                    ws.write(r, c, value)

    for name, rows in sheets.items():
        sheet(name, rows)
    sheet("Definitionen", definition_rows())
    if participant_rows is not None:
        sheet("Teilnehmende", participant_rows)
    workbook.close()


def csv_bytes(rows: Iterable[list]) -> bytes:
    """Semicolon-separated UTF-8 with a byte-order mark (opens in German spreadsheet programs)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def monitoring_rows(records: Iterable[dict]) -> Iterator[list]:
    """The monitoring file's rows: header, then one row per case (codes, ISO dates)."""
    yield list(MONITORING_COLUMNS)
    for record in records:
        yield [_plain(record.get(c)) for c in MONITORING_COLUMNS]


def _plain(value):
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.date):
        return value.isoformat()
    return value

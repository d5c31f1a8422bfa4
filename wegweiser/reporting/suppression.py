"""Small-cell suppression: no hidden count can be recovered from the totals (pure, no Django).

The method (``docs/reporting.md``):

1. **Primary suppression**: every cell with 0 < n < threshold (setting
   ``WEGWEISER_REPORT_MIN_CELL``, default 5) is hidden. Zeros are shown (a zero tells nothing
   about a person that the published total does not).
2. **Secondary suppression**: a table is a set of cells and of *equations* between them (a row's
   women + men + non-binary = total; unemployed + inactive + employed = EECO01 in each column;
   the groups of a breakdown add up to the overall table). A hidden cell is *recoverable* when
   its value follows from the visible cells by these equations, i.e. when its unit vector lies in
   the row space of the equations restricted to the hidden cells (exact arithmetic with
   fractions). While a hidden cell is recoverable, one more visible cell of an equation with a
   recoverable cell is hidden: of the cheapest candidates (inner cells before totals, non-zero
   before zero, small before large) the one that leaves the fewest recoverable cells. Each round
   hides one more cell, so the loop ends, with no recoverable hidden cell.

The tests check the result independently (for two-way tables: a hidden cell is recoverable iff
it is a bridge in the bipartite graph of the hidden cells) and with hypothesis.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

import polars as pl

from wegweiser.reporting.indicators import ADDITIVE_ROWS, COLUMNS, GENDERS

DEFAULT_THRESHOLD = 5
#: How many candidate cells the secondary suppression tries per step (cheapest first).
LOOKAHEAD = 12
#: What a hidden cell shows.
HIDDEN_MARK = "•"

Cell = Hashable


@dataclass(frozen=True)
class Equation:
    """``sum(parts) == total``."""

    total: Cell
    parts: tuple[Cell, ...]

    @property
    def cells(self) -> tuple[Cell, ...]:
        return (self.total, *self.parts)


def primary(values: Mapping[Cell, int], threshold: int = DEFAULT_THRESHOLD) -> set[Cell]:
    return {cell for cell, n in values.items() if 0 < n < threshold}


def _reduced_rows(hidden: Sequence[Cell], equations: Iterable[Equation]) -> list[dict]:
    """The equations restricted to ``hidden`` cells, in reduced row echelon form."""
    index = {cell: i for i, cell in enumerate(hidden)}
    rows = []
    for eq in equations:
        row: dict[int, Fraction] = {}
        for cell, coefficient in ((eq.total, -1), *((p, 1) for p in eq.parts)):
            if cell in index:
                row[index[cell]] = row.get(index[cell], Fraction(0)) + coefficient
        row = {k: v for k, v in row.items() if v}
        if row:
            rows.append(row)
    pivots: list[tuple[int, dict]] = []
    for row in rows:
        for col, prow in pivots:
            if col in row:
                row = _sub(row, prow, row[col])
        if not row:
            continue
        col = min(row)
        row = {k: v / row[col] for k, v in row.items()}
        pivots = [(c, _sub(r, row, r[col]) if col in r else r) for c, r in pivots]
        pivots.append((col, row))
    return [r for _c, r in pivots]


def _sub(row: dict, other: dict, factor: Fraction) -> dict:
    out = dict(row)
    for k, v in other.items():
        out[k] = out.get(k, Fraction(0)) - factor * v
        if not out[k]:
            del out[k]
    return out


def recoverable(hidden: Iterable[Cell], equations: Sequence[Equation]) -> set[Cell]:
    """The hidden cells whose value follows from the visible ones through ``equations``."""
    order = sorted(set(hidden), key=repr)
    rows = _reduced_rows(order, equations)
    pivot_of = {min(r): r for r in rows}
    found = set()
    for i, cell in enumerate(order):
        vector = {i: Fraction(1)}
        while vector:
            col = min(vector)
            if col not in pivot_of:
                break
            vector = _sub(vector, pivot_of[col], vector[col])
        if not vector:
            found.add(cell)
    return found


def secondary(
    values: Mapping[Cell, int], equations: Sequence[Equation], hidden: set[Cell]
) -> set[Cell]:
    """``hidden`` grown until no hidden cell is recoverable."""
    hidden = set(hidden)
    totals = {eq.total for eq in equations}

    def cost(c):
        return (c in totals, values[c] == 0, values[c], repr(c))

    exposed = recoverable(hidden, equations)
    while exposed:
        candidates = {
            c for eq in equations if set(eq.cells) & exposed for c in eq.cells if c not in hidden
        }
        if not candidates:  # recovered through a chain: every equation with a hidden cell
            candidates = {
                c for eq in equations if set(eq.cells) & hidden for c in eq.cells if c not in hidden
            }
        if not candidates:
            return hidden
        # look one step ahead: the cell that leaves the fewest recoverable cells, then the cheapest
        shortlist = sorted(candidates, key=cost)[:LOOKAHEAD]
        scored = [(len(recoverable(hidden | {c}, equations)), cost(c), c) for c in shortlist]
        _n, _cost, chosen = min(scored, key=lambda t: (t[0], t[1]))
        hidden.add(chosen)
        exposed = recoverable(hidden, equations)
    return hidden


def suppress(
    values: Mapping[Cell, int],
    equations: Sequence[Equation],
    threshold: int = DEFAULT_THRESHOLD,
) -> set[Cell]:
    """The cells to hide: primary, then secondary suppression."""
    return secondary(values, equations, primary(values, threshold))


# --- the indicator tables ------------------------------------------------------------------------


def table_equations(keys: Iterable[tuple], codes: Iterable[str]) -> list[Equation]:
    """The equations of indicator tables: per group key and code, the genders add up to the
    total; per group and column, :data:`ADDITIVE_ROWS`; with several groups, the groups add up to
    the overall table (group key ``()``)."""
    keys = list(keys)
    codes = list(codes)
    eqs = []
    for key in keys:
        for code in codes:
            eqs.append(
                Equation((key, code, "total"), tuple((key, code, g) for g in GENDERS.values()))
            )
        for total, members in ADDITIVE_ROWS:
            if total in codes and all(m in codes for m in members):
                for col in COLUMNS:
                    eqs.append(Equation((key, total, col), tuple((key, m, col) for m in members)))
    groups = [k for k in keys if k != ()]
    if () in keys and groups:
        for code in codes:
            for col in COLUMNS:
                eqs.append(Equation(((), code, col), tuple((g, code, col) for g in groups)))
    return eqs


def suppress_tables(
    overall: pl.DataFrame,
    grouped: pl.DataFrame | None = None,
    by: Sequence[str] = (),
    threshold: int = DEFAULT_THRESHOLD,
) -> tuple[pl.DataFrame, pl.DataFrame | None]:
    """Hide the small cells of an overall indicator table and its breakdown by ``by`` together
    (so that the groups cannot be subtracted from the whole). Hidden cells become null."""
    values: dict[Cell, int] = {}
    for row in overall.iter_rows(named=True):
        for col in COLUMNS:
            values[((), row["code"], col)] = row[col]
    keys: list[tuple] = [()]
    if grouped is not None:
        for row in grouped.iter_rows(named=True):
            key = tuple(row[b] for b in by)
            if key not in keys:
                keys.append(key)
            for col in COLUMNS:
                values[(key, row["code"], col)] = row[col]
    codes = overall["code"].to_list()
    hidden = suppress(values, table_equations(keys, codes), threshold)

    def masked(frame: pl.DataFrame, key_of) -> pl.DataFrame:
        rows = []
        for row in frame.iter_rows(named=True):
            key = key_of(row)
            rows.append(
                {
                    **row,
                    **{c: None if (key, row["code"], c) in hidden else row[c] for c in COLUMNS},
                }
            )
        return pl.DataFrame(rows, schema=frame.schema)

    out_grouped = None
    if grouped is not None:
        out_grouped = masked(grouped, lambda r: tuple(r[b] for b in by))
    return masked(overall, lambda r: ()), out_grouped


def suppress_series(
    values: Mapping[Cell, int], threshold: int = DEFAULT_THRESHOLD
) -> dict[Cell, int | None]:
    """A list of counts shown with its total (the sum): the small ones hidden, and one more so
    that the total cannot give a single hidden one away. ``None`` marks a hidden count."""
    cells = dict(values)
    cells["__total__"] = sum(values.values())
    hidden = suppress(cells, [Equation("__total__", tuple(values))], threshold)
    return {k: (None if k in hidden else v) for k, v in cells.items()}

"""Small-cell suppression: no hidden count can be recovered from the totals (pure, no Django).

The method (``docs/reporting.md``):

1. **Primary suppression**: every cell with 0 < n < threshold (setting
   ``WEGWEISER_REPORT_MIN_CELL``, default 5) is hidden. Zeros are shown (a zero tells nothing
   about a person that the published total does not).
2. **Secondary suppression**: a table is a set of cells and of *equations* between them (a row's
   women + men + non-binary = total; unemployed + inactive + employed = EECO01 in each column;
   the groups of a breakdown add up to the overall table). A hidden cell is *recoverable* when
   its value follows from the visible cells by these equations, i.e. when its unit vector lies in
   the row space of the equations restricted to the hidden cells (null space by singular value
   decomposition, per group of linked cells). First the fast rule: no equation may keep exactly
   one hidden cell (its cheapest visible cell is hidden too: inner cells before totals, non-zero
   before zero, small before large). Then, while a hidden cell is still recoverable (through a
   combination of equations), one more cell of an equation with a recoverable cell is hidden:
   of the cheapest candidates the one that leaves the fewest recoverable cells. Each step hides
   one more cell, so the loop ends, with no recoverable hidden cell.

In the indicator tables, before the secondary suppression: **zeros of a small group**. A group
is a column of a table (women, men, non-binary or all of one Kreis, project, round or of the
whole); it is small when its EECO01 is hidden (0 < n < threshold). A zero in a small group's
column tells something about each of its few people ("none of the two women in Darmstadt has a
school-leaving certificate of ISCED 0–2", so both have a degree), so it is hidden too, unless a
larger group holding it (the same row's total, or the whole table's column) is not small and
shows a zero there as well: then the zero says nothing that the larger group's zero does not.

The tests check the result independently (for two-way tables: a hidden cell is recoverable iff
it is a bridge in the bipartite graph of the hidden cells) and with hypothesis.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from wegweiser.reporting.indicators import ADDITIVE_ROWS, COLUMNS, GENDERS

DEFAULT_THRESHOLD = 5
#: How many candidate cells the secondary suppression tries per step (cheapest first).
LOOKAHEAD = 8
#: Below this a singular value or a null-space component counts as zero.
TOLERANCE = 1e-9
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


def _components(hidden: Sequence[Cell], equations: Iterable[Equation]):
    """The hidden cells grouped by the equations that link them, each group with its equations
    (restricted to hidden cells: rows of coefficients)."""
    parent = {c: c for c in hidden}

    def root(c):
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    rows = []
    for eq in equations:
        row: dict[Cell, int] = {}
        for cell, coefficient in ((eq.total, -1), *((p, 1) for p in eq.parts)):
            if cell in parent:
                row[cell] = row.get(cell, 0) + coefficient
        row = {k: v for k, v in row.items() if v}
        if not row:
            continue
        rows.append(row)
        first, *rest = row
        for other in rest:
            parent[root(other)] = root(first)
    groups: dict[Cell, tuple[list, list]] = {}
    for c in hidden:
        groups.setdefault(root(c), ([], []))[0].append(c)
    for row in rows:
        groups[root(next(iter(row)))][1].append(row)
    return groups.values()


def recoverable(hidden: Iterable[Cell], equations: Sequence[Equation]) -> set[Cell]:
    """The hidden cells whose value follows from the visible ones through ``equations``.

    A hidden cell is recoverable iff its unit vector lies in the row space of the equations
    restricted to the hidden cells, i.e. iff every vector of their null space is zero at it.
    Computed per group of linked cells with a singular value decomposition (the coefficients are
    small integers, so a tolerance of 1e-9 separates zero from non-zero safely).
    """
    found: set[Cell] = set()
    for cells, rows in _components(sorted(set(hidden), key=repr), equations):
        if not rows:
            continue
        index = {c: i for i, c in enumerate(cells)}
        matrix = np.zeros((len(rows), len(cells)))
        for r, row in enumerate(rows):
            for cell, coefficient in row.items():
                matrix[r, index[cell]] = coefficient
        _u, singular, vt = np.linalg.svd(matrix, full_matrices=True)
        rank = int((singular > TOLERANCE * max(singular.max(initial=0), 1)).sum())
        null = vt[rank:]
        weight = np.abs(null).max(axis=0) if len(null) else np.zeros(len(cells))
        found |= {c for c, w in zip(cells, weight, strict=True) if w < TOLERANCE}
    return found


def secondary(
    values: Mapping[Cell, int], equations: Sequence[Equation], hidden: set[Cell]
) -> set[Cell]:
    """``hidden`` grown until no hidden cell is recoverable."""
    hidden = set(hidden)
    totals = {eq.total for eq in equations}

    def cost(c):
        return (c in totals, values[c] == 0, values[c], repr(c))

    by_cell: dict[Cell, list[Equation]] = {}
    for eq in equations:
        for c in eq.cells:
            by_cell.setdefault(c, []).append(eq)
    while True:
        _lines(hidden, equations, by_cell, cost)
        exposed = recoverable(hidden, equations)
        if not exposed:
            return hidden
        candidates = {
            c for e in exposed for eq in by_cell.get(e, ()) for c in eq.cells if c not in hidden
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


def _lines(hidden: set, equations, by_cell, cost) -> None:
    """The fast rule first: no equation may have exactly one hidden cell (hide its cheapest
    visible cell), repeated until it holds everywhere."""
    todo = list(equations)
    while todo:
        eq = todo.pop()
        inside = [c for c in eq.cells if c in hidden]
        if len(inside) != 1:
            continue
        visible = [c for c in eq.cells if c not in hidden]
        if not visible:
            continue
        chosen = min(visible, key=cost)
        hidden.add(chosen)
        todo.extend(by_cell.get(chosen, ()))


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


def small_group_zeros(
    values: Mapping[Cell, int],
    keys: Sequence[tuple],
    codes: Sequence[str],
    threshold: int,
    hidden: set[Cell] = frozenset(),
) -> set[Cell]:
    """The zeros of small groups that no larger group's zero already tells (module docstring);
    a larger group's zero tells only where it is shown (not in ``hidden``)."""

    def small(key, col) -> bool:
        return 0 < values.get((key, "EECO01", col), 0) < threshold

    def told_by_larger(key, code, col) -> bool:
        larger = [(key, "total")] if col != "total" else []
        if key != ():
            larger += [((), col), ((), "total")]
        return any(
            not small(k, c) and values.get((k, code, c)) == 0 and (k, code, c) not in hidden
            for k, c in larger
        )

    return {
        (key, code, col)
        for key in keys
        for col in COLUMNS
        if small(key, col)
        for code in codes
        if values.get((key, code, col)) == 0 and not told_by_larger(key, code, col)
    }


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
    equations = table_equations(keys, codes)
    hidden = primary(values, threshold) | small_group_zeros(values, keys, codes, threshold)
    while True:  # the secondary suppression may hide the larger zero that told a small one
        hidden = secondary(values, equations, hidden)
        more = small_group_zeros(values, keys, codes, threshold, hidden) - hidden
        if not more:
            break
        hidden |= more

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

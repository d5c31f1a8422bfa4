"""Small-cell suppression: primary and secondary, and that no hidden cell can be solved for."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.reporting.test_indicators import frame
from wegweiser.reporting import indicators as ind
from wegweiser.reporting.suppression import (
    Equation,
    primary,
    recoverable,
    small_group_zeros,
    suppress,
    suppress_series,
    suppress_tables,
    table_equations,
)


def two_way(matrix: list[list[int]]) -> tuple[dict, list[Equation]]:
    """Cells (r, c) with row totals (r, "T"), column totals ("T", c) and the grand total."""
    values, eqs = {}, []
    rows, cols = len(matrix), len(matrix[0])
    for r in range(rows):
        for c in range(cols):
            values[(r, c)] = matrix[r][c]
        values[(r, "T")] = sum(matrix[r])
        eqs.append(Equation((r, "T"), tuple((r, c) for c in range(cols))))
    for c in range(cols):
        values[("T", c)] = sum(matrix[r][c] for r in range(rows))
        eqs.append(Equation(("T", c), tuple((r, c) for r in range(rows))))
    values[("T", "T")] = sum(map(sum, matrix))
    eqs.append(Equation(("T", "T"), tuple(("T", c) for c in range(cols))))
    eqs.append(Equation(("T", "T"), tuple((r, "T") for r in range(rows))))
    return values, eqs


def bridges(hidden: set) -> set:
    """Independent check for two-way tables: a hidden cell can be solved for iff it is a bridge of
    the bipartite graph (row nodes incl. the total row, column nodes incl. the total column)."""
    edges = [(("r", r), ("c", c)) for r, c in hidden]
    found = set()
    for i, (a, b) in enumerate(edges):
        rest = edges[:i] + edges[i + 1 :]
        adj: dict = {}
        for x, y in rest:
            adj.setdefault(x, set()).add(y)
            adj.setdefault(y, set()).add(x)
        seen, todo = {a}, [a]
        while todo:
            for n in adj.get(todo.pop(), ()):
                if n not in seen:
                    seen.add(n)
                    todo.append(n)
        if b not in seen:
            found.add((a[1], b[1]))
    return found


# --- table-driven ---------------------------------------------------------------------------------

CASES = {
    "nothing small: nothing hidden": ([[10, 20], [30, 40]], set()),
    "one small cell: its row and column partner and the fourth corner too": (
        [[3, 20], [30, 40]],
        {(0, 0), (0, 1), (1, 0), (1, 1)},
    ),
    "two small cells in one row: their columns' partners in the next row": (
        [[3, 2, 50], [10, 30, 40]],
        {(0, 0), (0, 1), (1, 0), (1, 1)},
    ),
    "zeros are shown and never need hiding": ([[0, 20], [30, 0]], set()),
}


@pytest.mark.parametrize("name", list(CASES))
def test_two_way_table(name):
    matrix, expected = CASES[name]
    values, eqs = two_way(matrix)
    hidden = suppress(values, eqs, threshold=5)
    assert hidden == expected
    assert not recoverable(hidden, eqs)


def test_primary_threshold_is_configurable():
    assert primary({"a": 5, "b": 4, "c": 0}, threshold=5) == {"b"}
    assert primary({"a": 5, "b": 4, "c": 0}, threshold=6) == {"a", "b"}


def test_series_hides_a_second_count():
    out = suppress_series({"jan": 12, "feb": 3, "mar": 9})
    assert out["feb"] is None and out["mar"] is None and out["jan"] == 12
    assert out["__total__"] == 24


def test_indicator_table_secondary_suppression():
    """One non-binary participant among 12: hidden with a second gender cell in each row, and
    EECO01 cannot be recovered from EECO02 + EECO04 + EECO05."""
    rows = [
        {"code": c, "women": w, "men": m, "non_binary": d, "total": w + m + d}
        for c, (w, m, d) in {
            "EECO01": (6, 5, 1),
            "EECO02": (6, 5, 1),
            "EECO04": (0, 0, 0),
            "EECO05": (0, 0, 0),
            "EECO09": (6, 5, 1),
            "EECO10": (0, 0, 0),
            "EECO11": (0, 0, 0),
        }.items()
    ]
    table = pl.DataFrame(rows)
    shown, _ = suppress_tables(table)
    by_code = {r["code"]: r for r in shown.iter_rows(named=True)}
    assert by_code["EECO01"]["non_binary"] is None
    assert by_code["EECO01"]["men"] is None  # the smallest other cell of the row
    assert by_code["EECO01"]["total"] == 12
    assert by_code["EECO04"]["total"] == 0  # zeros shown


def test_breakdown_cannot_be_subtracted_from_the_whole():
    """Kreis A has 2 women, Kreis B 10: hiding A's 2 alone would let whole − B give it away."""
    overall = pl.DataFrame(
        [{"code": "EECO14", "women": 12, "men": 10, "non_binary": 0, "total": 22}]
    )
    grouped = pl.DataFrame(
        [
            {"kreis": "A", "code": "EECO14", "women": 2, "men": 5, "non_binary": 0, "total": 7},
            {"kreis": "B", "code": "EECO14", "women": 10, "men": 5, "non_binary": 0, "total": 15},
        ]
    )
    whole, parts = suppress_tables(overall, grouped, ["kreis"])
    hidden_b = parts.filter(pl.col("kreis") == "B").row(0, named=True)
    assert parts.filter(pl.col("kreis") == "A").row(0, named=True)["women"] is None
    assert hidden_b["women"] is None or whole.row(0, named=True)["women"] is None


def test_zeros_beside_a_small_group_are_hidden():
    """Two women in Darmstadt, both with a degree: their zeros in ISCED 0–2 and 3–4 beside the
    hidden EECO01 would tell it. Those zeros are hidden; a zero that a larger group shows as well
    (nobody in Darmstadt is inactive) is not hidden for this reason; no hidden cell can be solved
    for."""
    da = {  # code: (women, men, non-binary)
        "EECO01": (2, 8, 0),
        "EECO02": (2, 8, 0),
        "EECO04": (0, 0, 0),
        "EECO05": (0, 0, 0),
        "EECO09": (0, 4, 0),
        "EECO10": (0, 4, 0),
        "EECO11": (2, 0, 0),
    }
    ks = {code: (7, 6, 0) for code in da} | {
        "EECO04": (0, 0, 0),
        "EECO05": (0, 0, 0),
        "EECO09": (3, 3, 0),
        "EECO10": (4, 3, 0),
        "EECO11": (0, 0, 0),
    }

    def rows(kreis, table):
        return [
            {"kreis": kreis, "code": c, "women": w, "men": m, "non_binary": d, "total": w + m + d}
            for c, (w, m, d) in table.items()
        ]

    grouped = pl.DataFrame(rows("Darmstadt", da) + rows("Kassel", ks))
    overall = grouped.group_by("code", maintain_order=True).agg(
        pl.col("women", "men", "non_binary", "total").sum()
    )
    whole, parts = suppress_tables(overall, grouped, ["kreis"])
    darmstadt = {
        r["code"]: r for r in parts.filter(pl.col("kreis") == "Darmstadt").iter_rows(named=True)
    }
    # before, ISCED 3–4 showed 0 beside the hidden EECO01: both women had a degree
    assert darmstadt["EECO09"]["women"] is None and darmstadt["EECO10"]["women"] is None
    values = {
        ((kreis,), r["code"], col): r[col]
        for kreis in ("Darmstadt", "Kassel")
        for r in grouped.filter(pl.col("kreis") == kreis).iter_rows(named=True)
        for col in ind.COLUMNS
    } | {((), r["code"], col): r[col] for r in overall.iter_rows(named=True) for col in ind.COLUMNS}
    zeros = small_group_zeros(values, [(), ("Darmstadt",), ("Kassel",)], list(da), 5)
    women = {code for (key, code, col) in zeros if key == ("Darmstadt",) and col == "women"}
    # "nobody in Darmstadt is inactive or employed" is shown for its ten: no news about the two
    assert women == {"EECO09", "EECO10"}
    hidden = {
        (key, r["code"], col)
        for key, frame_ in (((), whole), (("Darmstadt",), None), (("Kassel",), None))
        for r in (
            frame_.iter_rows(named=True)
            if frame_ is not None
            else parts.filter(pl.col("kreis") == key[0]).iter_rows(named=True)
        )
        for col in ind.COLUMNS
        if r[col] is None
    }
    keys = [(), ("Darmstadt",), ("Kassel",)]
    assert not recoverable(hidden, table_equations(keys, overall["code"].to_list()))


# --- properties -----------------------------------------------------------------------------------

matrices = st.integers(2, 4).flatmap(
    lambda rows: st.integers(2, 4).flatmap(
        lambda cols: st.lists(
            st.lists(st.integers(0, 12), min_size=cols, max_size=cols),
            min_size=rows,
            max_size=rows,
        )
    )
)


@settings(max_examples=150, deadline=None)
@given(matrices, st.integers(1, 8))
def test_no_hidden_cell_is_solvable_from_row_or_column_totals(matrix, threshold):
    values, eqs = two_way(matrix)
    hidden = suppress(values, eqs, threshold)
    assert primary(values, threshold) <= hidden
    assert not bridges(hidden), "a hidden cell follows from the visible totals"
    assert not recoverable(hidden, eqs)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(list(ind.GENDERS)),
            st.sampled_from(["unemployed", "inactive", "employed"]),
            st.integers(0, 8),
        ),
        max_size=30,
    )
)
def test_indicator_tables_never_reveal_a_hidden_cell(people):
    """On real indicator tables: solve each hidden cell from the shown ones by the equations
    (rows: genders add up; EECO01 = statuses = ISCED bands) — none can be."""
    cases = frame(*({"gender": g, "employment_status": s, "isced_level": i} for g, s, i in people))
    table = ind.indicator_table(cases)
    shown, _ = suppress_tables(table)
    hidden, values = set(), {}
    for row, orig in zip(shown.iter_rows(named=True), table.iter_rows(named=True), strict=True):
        for col in ind.COLUMNS:
            values[((), row["code"], col)] = orig[col]
            if row[col] is None:
                hidden.add(((), row["code"], col))
            elif 0 < row[col] < 5:
                pytest.fail(f"small cell shown: {row['code']} {col}")
    assert not recoverable(hidden, table_equations([()], table["code"].to_list()))


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(list(ind.GENDERS)),
            st.sampled_from(["unemployed", "inactive", "employed"]),
            st.integers(0, 8),
            st.sampled_from(["06411", "06412", "06413"]),
        ),
        max_size=40,
    )
)
def test_breakdown_and_whole_together_never_reveal_a_hidden_cell(people):
    """By Kreis and overall, suppressed together: no hidden cell of either can be solved for
    from what both show (the groups add up to the whole)."""
    cases = frame(
        *(
            {"gender": g, "employment_status": s, "isced_level": i, "kreis": k}
            for g, s, i, k in people
        )
    )
    overall = ind.indicator_table(cases)
    grouped = ind.indicator_table(cases, by=["kreis"])
    shown_overall, shown_grouped = suppress_tables(overall, grouped, ["kreis"])
    hidden, keys, values, shown = set(), [()], {}, {}
    tables = (
        (lambda r: (), shown_overall, overall),
        (lambda r: (r["kreis"],), shown_grouped, grouped),
    )
    for key_of, table, original in tables:
        for row, orig in zip(
            table.iter_rows(named=True), original.iter_rows(named=True), strict=True
        ):
            key = key_of(row)
            if key not in keys:
                keys.append(key)
            for col in ind.COLUMNS:
                values[(key, row["code"], col)] = orig[col]
                shown[(key, row["code"], col)] = row[col]
                if row[col] is None:
                    hidden.add((key, row["code"], col))
                else:
                    assert not 0 < row[col] < 5
    assert not recoverable(hidden, table_equations(keys, overall["code"].to_list()))
    # a zero shown in a small group's column is one that a larger, not small group shows too
    for (key, code, col), value in shown.items():
        if value == 0 and 0 < values[(key, "EECO01", col)] < 5:
            larger = ([(key, "total")] if col != "total" else []) + (
                [((), col), ((), "total")] if key != () else []
            )
            assert any(
                values[(k, "EECO01", c)] >= 5 and shown[(k, code, c)] == 0 for k, c in larger
            ), (key, code, col)

"""The ESF Plus indicators from small case histories, against hand-computed tables (facts.md A).

Each history is a list of cases (one dict each, the defaults below for what it does not say);
the expected table names only the cells that are not zero: (code, column) → count.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wegweiser.reporting import indicators as ind

D = dt.date
EXIT = D(2025, 6, 2)
BASE = {
    "project_id": "p1",
    "funding_round_id": 1,
    "programme": "wir",
    "kreis": "06412",
    "entry_date": D(2025, 1, 6),
    "exit_date": None,
    "gender": "female",
    "age_at_entry": 35,
    "employment_status": "inactive",
    "long_term_unemployed": None,
    "isced_level": 3,
    "third_country_national": False,
    "foreign_background": "no",
    "homeless": "no",
    "rural": "no",
    "disability": "no",
    "minority": "no",
}


def frame(*cases: dict) -> pl.DataFrame:
    rows = []
    for i, case in enumerate(cases):
        row = dict.fromkeys(ind.CASE_SCHEMA)
        row.update(BASE, case_id=f"c{i}", participant_id=f"p{i}")
        row.update(case)
        rows.append(row)
    return pl.DataFrame(rows, schema=ind.CASE_SCHEMA)


def left(**situations) -> dict:
    """A case that left on EXIT with the given situations: name=days after exit (or None: a
    'yes' without counting)."""
    out = {"exit_date": EXIT}
    for name in ("job_searching", "in_education", "qualification_gained", "employed", "inactive"):
        out[name] = "no"
    for name, days in situations.items():
        if days == "no_answer":
            out[name] = "no_answer"
        else:
            out[name], out[f"{name}_on"] = "yes", EXIT + dt.timedelta(days=days)
    return out


def cells(table: pl.DataFrame) -> dict[tuple[str, str], int]:
    out = {}
    for row in table.iter_rows(named=True):
        for col in ind.COLUMNS:
            if row[col]:
                out[(row["code"], col)] = row[col]
    return out


def expect(*entries) -> dict:
    """(code, gender column, n): the gender cell and the total."""
    out: dict = {}
    for code, col, n in entries:
        out[(code, col)] = out.get((code, col), 0) + n
        out[(code, "total")] = out.get((code, "total"), 0) + n
    return out


BASE_OUTPUT = [("EECO01", "women", 1), ("EECO04", "women", 1), ("EECO10", "women", 1)]

HISTORIES = {
    "one inactive woman, ISCED 3, still in": (
        [{}],
        expect(*BASE_OUTPUT),
    ),
    "28-day rule: a job on day 28 counts (EECR04), on day 29 not (job search stays, EECR01)": (
        [
            left(job_searching=0, employed=28),
            {**left(job_searching=0, employed=29), "gender": "male"},
        ],
        expect(
            *BASE_OUTPUT,
            ("EECO01", "men", 1),
            ("EECO04", "men", 1),
            ("EECO10", "men", 1),
            ("EECR04", "women", 1),
            ("EECR01", "men", 1),
        ),
    ),
    "last event wins: job search on day 20 after a job at exit (EECR01 only)": (
        [left(employed=0, job_searching=20)],
        expect(*BASE_OUTPUT, ("EECR01", "women", 1)),
    ),
    "EECR01 and EECR04 exclusive: search at exit, job on day 20 (S07 example)": (
        [left(job_searching=0, employed=20)],
        expect(*BASE_OUTPUT, ("EECR04", "women", 1)),
    ),
    "same day: the job beats the search; qualification counts beside it": (
        [left(job_searching=5, employed=5, qualification_gained=3)],
        expect(*BASE_OUTPUT, ("EECR04", "women", 1), ("EECR03", "women", 1)),
    ),
    "qualification after 28 days does not count; education is the last event": (
        [left(in_education=2, qualification_gained=40)],
        expect(*BASE_OUTPUT, ("EECR02", "women", 1)),
    ),
    "keine Angabe: counted in its own row, never as yes or no": (
        [
            {"disability": "no_answer", "minority": "yes"},
            {"disability": "yes", "minority": "no_answer", "gender": "diverse"},
            {**left(job_searching="no_answer", employed="no_answer"), "gender": "diverse"},
        ],
        expect(
            *BASE_OUTPUT,
            ("EECO01", "non_binary", 2),
            ("EECO04", "non_binary", 2),
            ("EECO10", "non_binary", 2),
            ("EECO12-KA", "women", 1),
            ("EECO15", "women", 1),
            ("EECO12", "non_binary", 1),
            ("EECO15-KA", "non_binary", 1),
        ),
    ),
    "non-binary unemployed long-term, 17 years, ISCED 1, third country, all yes": (
        [
            {
                "gender": "diverse",
                "age_at_entry": 17,
                "employment_status": "unemployed",
                "long_term_unemployed": True,
                "isced_level": 1,
                "third_country_national": True,
                "foreign_background": "yes",
                "homeless": "yes",
                "rural": "yes",
            }
        ],
        expect(
            *[
                (c, "non_binary", 1)
                for c in (
                    "EECO01",
                    "EECO02",
                    "EECO03",
                    "EECO06",
                    "EECO09",
                    "EECO13",
                    "EECO14",
                    "EECO16",
                    "EECO17",
                )
            ]
        ),
    ),
    "age bands: 18 and 29 young, 30 none, 55 older; ISCED 5 tertiary; employed": (
        [
            {"age_at_entry": 18, "employment_status": "employed"},
            {"age_at_entry": 29, "employment_status": "employed"},
            {"age_at_entry": 30, "employment_status": "employed", "isced_level": 5},
            {"age_at_entry": 55, "employment_status": "employed", "isced_level": 4},
        ],
        expect(
            ("EECO01", "women", 4),
            ("EECO05", "women", 4),
            ("EECO07", "women", 2),
            ("EECO08", "women", 1),
            ("EECO10", "women", 3),
            ("EECO11", "women", 1),
        ),
    ),
    "re-entry into the same project: counted once, entry data of the first, results of the last": (
        [
            {**left(job_searching=0), "participant_id": "p", "age_at_entry": 29},
            {
                **left(employed=10),
                "participant_id": "p",
                "entry_date": D(2025, 3, 1),
                "age_at_entry": 30,
                "employment_status": "unemployed",
            },
        ],
        expect(
            *BASE_OUTPUT,
            ("EECO07", "women", 1),
            ("EECR04", "women", 1),
        ),
    ),
    "another project: a new participant": (
        [
            {"participant_id": "p"},
            {"participant_id": "p", "project_id": "p2"},
        ],
        expect(*[(c, "women", 2) for c in ("EECO01", "EECO04", "EECO10")]),
    ),
    "six months: employed counts EECR05, improved also EECR06 only if employed at entry": (
        [
            {**left(), "long_term_result": "employed"},
            {**left(), "long_term_result": "improved", "employment_status": "employed"},
            {**left(), "long_term_result": "improved"},
            {**left(), "long_term_result": "unknown"},
        ],
        expect(
            ("EECO01", "women", 4),
            ("EECO04", "women", 3),
            ("EECO05", "women", 1),
            ("EECO10", "women", 4),
            ("EECR05", "women", 3),
            ("EECR06", "women", 1),
        ),
    ),
}


@pytest.mark.parametrize("name", list(HISTORIES))
def test_history(name):
    cases, expected = HISTORIES[name]
    assert cells(ind.indicator_table(frame(*cases))) == expected


def test_period_counts_entries_and_exits_by_their_own_dates():
    cases = frame(left(employed=1), {"entry_date": D(2024, 12, 1)})
    table = ind.indicator_table(cases, start=D(2025, 1, 1), end=D(2025, 12, 31))
    got = cells(table)
    assert got[("EECO01", "total")] == 1 and got[("EECR04", "total")] == 1
    later = cells(ind.indicator_table(cases, start=D(2025, 6, 3)))
    assert later == {}


def test_breakdown_by_kreis_adds_up_to_the_whole():
    cases = frame({}, {"kreis": "06411"}, {"kreis": "06411", "gender": "male"})
    grouped = ind.indicator_table(cases, by=["kreis"])
    whole = ind.indicator_table(cases)
    summed = grouped.group_by("code").agg(pl.col("total").sum())
    assert dict(summed.iter_rows()) == dict(whole.select("code", "total").iter_rows())


def test_drill_down_lists_the_cases_of_a_cell():
    cases = frame(left(employed=3), {**left(employed=3), "gender": "male"}, left(job_searching=0))
    assert ind.cases_counted(cases, "EECR04") == ["c0", "c1"]
    assert ind.cases_counted(cases, "EECR04", gender="male") == ["c1"]
    re_entry = frame({"participant_id": "p"}, {"participant_id": "p", "entry_date": D(2025, 2, 1)})
    assert ind.cases_counted(re_entry, "EECO01") == ["c0", "c1"]


def test_empty_frame_gives_a_zero_table():
    table = ind.indicator_table(ind.empty_cases())
    assert table.height == len(ind.CODES) and table["total"].sum() == 0


def test_months_and_outcomes():
    cases = frame(left(employed=2), {"entry_date": D(2025, 2, 3)})
    assert ind.per_month(cases).rows() == [("2025-01", 1, 0), ("2025-02", 1, 0), ("2025-06", 0, 1)]
    assert ind.outcomes(cases)["EECR04"] == 1 and ind.outcomes(cases)["left"] == 1


# --- properties -----------------------------------------------------------------------------------

participant = st.fixed_dictionaries(
    {
        "gender": st.sampled_from(list(ind.GENDERS)),
        "employment_status": st.sampled_from(["unemployed", "inactive", "employed"]),
        "age_at_entry": st.integers(15, 70),
        "isced_level": st.integers(0, 8),
        "participant_id": st.sampled_from(["a", "b", "c", "d", "e", "f"]),
        "project_id": st.sampled_from(["p1", "p2", "p3"]),
        "entry_date": st.dates(D(2024, 1, 1), D(2025, 12, 31)),
        "exit_date": st.none() | st.just(D(2026, 1, 1)),
        "job_searching": st.sampled_from(["yes", "no", "no_answer"]),
        "job_searching_on": st.just(D(2026, 1, 1)),
        "employed": st.sampled_from(["yes", "no", "no_answer"]),
        "employed_on": st.dates(D(2026, 1, 1), D(2026, 3, 1)),
    }
)


@settings(max_examples=60, deadline=None)
@given(st.lists(participant, max_size=25))
def test_eeco01_is_the_sum_of_the_three_statuses(people):
    table = ind.indicator_table(frame(*people))
    rows = {r["code"]: r for r in table.iter_rows(named=True)}
    for col in ind.COLUMNS:
        assert rows["EECO01"][col] == sum(rows[c][col] for c in ("EECO02", "EECO04", "EECO05"))
        assert rows["EECO01"][col] == sum(rows[c][col] for c in ("EECO09", "EECO10", "EECO11"))
    for row in rows.values():
        assert row["total"] == row["women"] + row["men"] + row["non_binary"]
    parts = ind.participations(frame(*people))
    assert rows["EECO01"]["total"] == parts.height


@settings(max_examples=60, deadline=None)
@given(st.lists(participant, max_size=25))
def test_nobody_counts_in_eecr01_and_eecr04(people):
    flagged = ind.flags(ind.participations(frame(*people)))
    assert not flagged.filter(pl.col("EECR01") & pl.col("EECR04")).height


def test_breakdown_of_nothing_is_an_empty_table():
    table = ind.indicator_table(ind.empty_cases(), by=["kreis"])
    assert table.is_empty() and table.columns == ["kreis", "code", *ind.COLUMNS]

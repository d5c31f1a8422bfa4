"""The packed binary read of the case frame (PostgreSQL) gives the frame and the tables of the CSV
read, on random histories: re-entries, open and closed participations, every answer including
*keine Angabe* and missing dates, Kreise with and without a key, six-month results; values the
codes do not know send the scope through the CSV read."""

from __future__ import annotations

import datetime as dt
import random

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from tests.cases.conftest import (  # noqa: F401 (fixtures used here)
    counsellor,
    new_participant,
    org_a,
    wir_project,
    wir_round,
)
from wegweiser.cases.models import Case, EsfEntryData, EsfExitData, FollowUp
from wegweiser.programmes.models import Project
from wegweiser.reporting import indicators, packed, selectors

pytestmark = pytest.mark.postgresql

SITUATIONS = ("job_searching", "in_education", "qualification_gained", "employed", "inactive")
YNA = ("yes", "no", "no_answer")


def _history(rng: random.Random, org, by, projects, rnd, n: int) -> None:
    start = dt.date(2024, 1, 1)
    people = [new_participant(org, by, given_name=f"P{i}") for i in range(max(n // 2, 1))]
    for _ in range(n):
        entry = start + dt.timedelta(days=rng.randrange(600))
        left = rng.random() < 0.6
        exit_date = entry + dt.timedelta(days=rng.randrange(1, 300)) if left else None
        case = Case.objects.create(
            participant=rng.choice(people),  # the same person again: a re-entry
            organisation=org,
            project=rng.choice(projects),
            funding_round=rnd,
            status="closed" if left else "active",
            entry_date=entry,
            exit_date=exit_date,
        )
        status = rng.choice(("unemployed", "inactive", "employed"))
        EsfEntryData.objects.create(
            case=case,
            collected_on=entry,
            gender=rng.choice(("female", "male", "diverse")),
            age_at_entry=rng.randrange(15, 70),
            third_country_national=rng.random() < 0.7,
            kreis=rng.choice(("06411", "06412", "06440", "")),
            employment_status=status,
            long_term_unemployed=rng.choice((True, False)) if status == "unemployed" else None,
            isced_level=rng.randrange(9),
            foreign_background=rng.choice(YNA),
            homeless_or_housing_exclusion=rng.choice(YNA),
            rural_area=rng.choice(YNA),
            disability=rng.choice(YNA),
            minority=rng.choice(YNA),
            recorded_by=by,
        )
        if not left or rng.random() < 0.15:
            continue  # still in, or left without an exit questionnaire
        answers = {}
        for s in SITUATIONS:
            answers[s] = rng.choice(YNA)
            if answers[s] == "yes" and rng.random() < 0.9:
                answers[f"{s}_on"] = exit_date + dt.timedelta(days=rng.randrange(40))
        EsfExitData.objects.create(case=case, collected_on=exit_date, recorded_by=by, **answers)
        if rng.random() < 0.5:
            survey = {
                "offset": "6m",
                "situation": "work",
                "start_date": exit_date,
                "due_date": exit_date + dt.timedelta(days=182),
                "is_esf_long_term": True,
                "done_at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC) if rng.random() < 0.8 else None,
                "long_term_result": rng.choice(("employed", "improved", "neither", "unknown", "")),
            }
            FollowUp.objects.create(case=case, **survey)
            if rng.random() < 0.2:  # reopened, closed and surveyed again: the later one counts
                survey["due_date"] += dt.timedelta(days=rng.choice((0, 90)))
                survey["long_term_result"] = rng.choice(("employed", "improved", "neither"))
                survey["done_at"] = dt.datetime(2026, 2, 1, tzinfo=dt.UTC)
                FollowUp.objects.create(case=case, **survey)


def _both(scope) -> tuple[pl.DataFrame, pl.DataFrame]:
    qs = selectors._values(selectors.counted_cases(scope).order_by())
    with selectors.connection.cursor() as cursor:
        # an estimate of the table's size, as autovacuum makes it: the one byte string, not COPY
        cursor.execute("ANALYZE cases_case")
    return selectors.frame_from_packed(qs), selectors.frame_from_copy(qs)


@pytest.mark.parametrize("seed", range(6))
def test_packed_read_equals_the_csv_read(seed, org_a, counsellor, wir_project, wir_round):  # noqa: F811
    rng = random.Random(seed)
    second = Project.objects.create(
        name="WIR Netzwerk A II", funding_round=wir_round, carrier=org_a, start=wir_project.start
    )
    _history(rng, org_a, counsellor, [wir_project, second], wir_round, n=rng.randrange(1, 60))
    scope = selectors.Scope(selectors.TEAM, org_a, personal=True)
    fast, csv = _both(scope)
    assert fast.height == csv.height > 0
    assert_frame_equal(fast.sort("case_id"), csv.sort("case_id"))
    for by in ((), ["kreis"], ["project_id"]):
        assert_frame_equal(
            indicators.indicator_table(fast, by=by), indicators.indicator_table(csv, by=by)
        )


def test_a_large_scope_comes_by_copy(monkeypatch, org_a, counsellor, wir_project, wir_round):  # noqa: F811
    """Above AGGREGATE_MAX_ROWS (by the estimate of the case table) the rows come by COPY, not as
    one byte string: the same bytes, so the same frame."""
    _history(random.Random(3), org_a, counsellor, [wir_project], wir_round, n=30)
    scope = selectors.Scope(selectors.TEAM, org_a, personal=True)
    qs = selectors._values(selectors.counted_cases(scope).order_by())
    with selectors.connection.cursor() as cursor:
        statement = selectors._statement(cursor.cursor, qs.annotate(**selectors.PACKED_EXTRA))
        # the estimate of a table never analysed is -1: make it the count, as ANALYZE would
        cursor.execute("ANALYZE cases_case")
    copies = []  # the COPY path's calls (the real function runs)
    real = packed._copied_rows
    monkeypatch.setattr(packed, "_copied_rows", lambda data: copies.append(1) or real(data))
    one_string = packed.read(statement, selectors.REPORT_SETTINGS)
    assert copies == []
    row_by_row = packed.read(
        statement, selectors.REPORT_SETTINGS, aggregate_max_rows=Case.objects.count() - 1
    )
    assert copies == [1]
    assert len(one_string) == packed.ROW.itemsize * qs.count() > 0
    assert sorted(_split(one_string)) == sorted(_split(row_by_row))
    assert_frame_equal(
        packed.frame(one_string, {}).sort("case_id"), packed.frame(row_by_row, {}).sort("case_id")
    )


def _split(data: bytes) -> list[bytes]:
    size = packed.ROW.itemsize
    return [data[i : i + size] for i in range(0, len(data), size)]


@pytest.mark.parametrize(
    ("model", "change", "column", "value"),
    [
        (EsfEntryData, {"kreis": "6411"}, "kreis", "6411"),  # coded in the query
        (EsfEntryData, {"gender": "x"}, "gender", "x"),  # in the stored codes
        (EsfExitData, {"employed": "maybe"}, "employed", "maybe"),
    ],
)
def test_an_unknown_value_reads_the_scope_as_csv(
    model,
    change,
    column,
    value,
    org_a,  # noqa: F811
    counsellor,  # noqa: F811
    wir_project,  # noqa: F811
    wir_round,  # noqa: F811
):
    _history(random.Random(1), org_a, counsellor, [wir_project], wir_round, n=8)
    model.objects.filter(pk=model.objects.order_by("pk").first().pk).update(**change)
    scope = selectors.Scope(selectors.TEAM, org_a, personal=True)
    qs = selectors._values(selectors.counted_cases(scope).order_by())
    with selectors.connection.cursor() as cursor:
        statement = selectors._statement(cursor.cursor, qs.annotate(**selectors.PACKED_EXTRA))
    assert packed.frame(packed.read(statement, selectors.REPORT_SETTINGS), {}) is None
    fast, csv = _both(scope)
    assert value in fast[column].to_list()
    assert_frame_equal(fast.sort("case_id"), csv.sort("case_id"))


def test_the_settings_hold_for_the_report_query_only(org_a, counsellor, wir_project, wir_round):  # noqa: F811
    """The report's query gets its parallel workers and memory; the rest of the request's
    transaction goes on with the connection's settings (no parallel workers for the web)."""
    _history(random.Random(2), org_a, counsellor, [wir_project], wir_round, n=6)
    scope = selectors.Scope(selectors.TEAM, org_a, personal=True)
    names = list(selectors.REPORT_SETTINGS)

    def current() -> list[str]:
        with selectors.connection.cursor() as cursor:
            return [cursor.execute(f"SHOW {name}").fetchone()[0] for name in names]

    before = current()
    assert before != list(selectors.REPORT_SETTINGS.values())
    assert before[names.index("max_parallel_workers_per_gather")] == "0"
    assert not selectors.case_frame(scope).is_empty()
    assert current() == before
    selectors.frame_from_copy(selectors._values(selectors.counted_cases(scope).order_by()))
    assert current() == before
    # a value set earlier in the transaction is kept, not replaced by the connection's
    with selectors.connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '8MB'")
    selectors.case_frame(scope)
    assert current()[names.index("work_mem")] == "8MB"


def test_an_empty_scope(org_a):  # noqa: F811
    scope = selectors.Scope(selectors.TEAM, org_a, personal=True)
    fast, csv = _both(scope)
    assert fast.is_empty() and csv.is_empty()
    assert fast.schema == csv.schema == indicators.CASE_SCHEMA

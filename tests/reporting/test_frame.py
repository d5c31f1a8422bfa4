"""The case frame holds one row per case. A case reopened and closed again after its six-month
survey was recorded has two recorded surveys; the survey of its latest exit counts, on every read
path and whatever order the database sends the rows in."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.cases.conftest import (  # noqa: F401 (fixtures used here)
    counsellor,
    make_user,
    new_participant,
    org_a,
    wir_project,
    wir_round,
)
from wegweiser.accounts.models import Role
from wegweiser.cases.models import Case, EsfEntryData, EsfExitData, FollowUp
from wegweiser.reporting import selectors

EXIT = dt.date(2025, 3, 31)
RECORDED = dt.datetime(2025, 10, 15, tzinfo=dt.UTC)


def _case(org, by, project, rnd) -> Case:
    case = Case.objects.create(
        participant=new_participant(org, by),
        organisation=org,
        project=project,
        funding_round=rnd,
        status="closed",
        entry_date=dt.date(2024, 5, 2),
        exit_date=EXIT,
    )
    EsfEntryData.objects.create(
        case=case,
        collected_on=case.entry_date,
        gender="female",
        age_at_entry=30,
        third_country_national=True,
        kreis="06411",
        employment_status="unemployed",
        long_term_unemployed=False,
        isced_level=3,
        recorded_by=by,
    )
    EsfExitData.objects.create(case=case, collected_on=EXIT, recorded_by=by, employed="yes")
    return case


def _survey(case, result: str, due: dt.date, done: dt.datetime | None = RECORDED) -> FollowUp:
    return FollowUp.objects.create(
        case=case,
        offset="6m",
        situation="work",
        start_date=EXIT,
        due_date=due,
        is_esf_long_term=True,
        done_at=done,
        long_term_result=result,
    )


def _reads(scope) -> list:
    reads = [selectors.case_frame(scope)]
    if selectors.connection.vendor == "postgresql":
        qs = selectors._values(selectors.counted_cases(scope).order_by())
        reads.append(selectors.frame_from_copy(qs))
    return reads


LATER = RECORDED + dt.timedelta(days=1)
SEPT, APRIL = dt.date(2025, 9, 30), dt.date(2026, 4, 30)
# (first survey, second survey, the result that counts); a survey: result, due date, recorded
CHOICES = {
    # the later due date counts, though its survey was recorded first
    "later due date": (("employed", SEPT, LATER), ("neither", APRIL, RECORDED), "neither"),
    "same due date": (("improved", SEPT, RECORDED), ("unknown", SEPT, LATER), "unknown"),
    "same due date and day": (("improved", SEPT, RECORDED), ("neither", SEPT, RECORDED), None),
}


@pytest.mark.parametrize("first_created_later", [False, True])
@pytest.mark.parametrize("choice", list(CHOICES))
def test_the_survey_of_the_latest_exit_counts(
    choice,
    first_created_later,
    org_a,  # noqa: F811
    counsellor,  # noqa: F811
    wir_project,  # noqa: F811
    wir_round,  # noqa: F811
):
    case = _case(org_a, counsellor, wir_project, wir_round)
    first, second, expected = CHOICES[choice]
    made = [first, second]
    if first_created_later:  # the order of the rows must not matter
        made.reverse()
    surveys = [_survey(case, result, due, done) for result, due, done in made]
    if expected is None:  # then the higher id
        expected = max(surveys, key=lambda s: s.pk.hex).long_term_result
    _survey(case, "employed", dt.date(2026, 9, 30), done=None)  # open: not a result
    scope = selectors.Scope(selectors.TEAM, org_a, personal=True)
    for frame in _reads(scope):
        assert frame.height == 1
        assert frame.row(0, named=True)["long_term_result"] == expected
        assert frame.row(0, named=True)["case_id"] == str(case.pk)


def test_the_monitoring_file_has_one_row_per_case_with_the_latest_survey(
    org_a,  # noqa: F811
    counsellor,  # noqa: F811
    wir_project,  # noqa: F811
    wir_round,  # noqa: F811
    make_user,  # noqa: F811
):
    twice = _case(org_a, counsellor, wir_project, wir_round)
    for result, due, done in (("employed", SEPT, LATER), ("neither", APRIL, RECORDED)):
        _survey(twice, result, due, done)
    once = _case(org_a, counsellor, wir_project, wir_round)
    _survey(once, "improved", SEPT)
    lead = make_user(org_a, Role.TEAM_LEAD)
    rows = selectors.monitoring_rows(lead, org_a)
    results = {str(row["case_id"]): row["long_term_result"] for row in rows}
    assert len(rows) == 2 and results == {str(twice.pk): "neither", str(once.pk): "improved"}


def test_a_case_with_one_survey_and_one_without(org_a, counsellor, wir_project, wir_round):  # noqa: F811
    surveyed = _case(org_a, counsellor, wir_project, wir_round)
    _survey(surveyed, "improved", dt.date(2025, 9, 30))
    plain = _case(org_a, counsellor, wir_project, wir_round)
    scope = selectors.Scope(selectors.TEAM, org_a, personal=True)
    for frame in _reads(scope):
        results = dict(frame.select("case_id", "long_term_result").iter_rows())
        assert results == {str(surveyed.pk): "improved", str(plain.pk): None}


def test_many_cases_with_two_surveys_are_looked_up_in_chunks(
    monkeypatch,
    org_a,  # noqa: F811
    counsellor,  # noqa: F811
    wir_project,  # noqa: F811
    wir_round,  # noqa: F811
):
    monkeypatch.setattr(selectors, "SURVEY_CHUNK", 2)
    expected = {}
    for result in ("employed", "improved", "neither", "unknown", "improved"):
        case = _case(org_a, counsellor, wir_project, wir_round)
        _survey(case, "neither" if result != "neither" else "employed", dt.date(2025, 9, 30))
        _survey(case, result, dt.date(2026, 3, 31))
        expected[str(case.pk)] = result
    scope = selectors.Scope(selectors.TEAM, org_a, personal=True)
    for frame in _reads(scope):
        assert dict(frame.select("case_id", "long_term_result").iter_rows()) == expected

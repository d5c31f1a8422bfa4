"""Follow-up check-ins after a job or training start and the start-page selectors."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone

from tests.cases.conftest import ENTRY, new_participant
from wegweiser.cases import selectors, services
from wegweiser.cases.errors import ConcurrentEdit, InvalidData, NotAllowed
from wegweiser.cases.forms import FollowUpRecordForm
from wegweiser.cases.models import FollowUp
from wegweiser.cases.retention import add_offset

START = dt.date(2025, 8, 29)


@pytest.fixture
def followup_case(active_case, counsellor):
    services.case_start_followup(active_case, by=counsellor, start_date=START, situation="work")
    return active_case


def test_default_schedule(followup_case):
    rows = list(FollowUp.objects.filter(case=followup_case).order_by("due_date"))
    assert [(f.offset, f.due_date) for f in rows] == [
        ("4w", dt.date(2025, 9, 26)),
        ("3m", dt.date(2025, 11, 29)),
        ("6m", dt.date(2026, 2, 28)),
    ]
    # WIR is ESF Plus: the six-month check-in records the longer-term result.
    assert [f.is_esf_long_term for f in rows] == [False, False, True]
    assert all(f.situation == "work" and f.start_date == START for f in rows)


@override_settings(WEGWEISER_FOLLOWUP_OFFSETS={"wir": ["2w", "6m", "12m"]})
def test_programme_specific_schedule(active_case, counsellor):
    services.case_start_followup(active_case, by=counsellor, start_date=START, situation="training")
    offsets = list(
        FollowUp.objects.filter(case=active_case)
        .order_by("due_date")
        .values_list("offset", flat=True)
    )
    assert offsets == ["2w", "6m", "12m"]


@pytest.mark.parametrize(
    ("start", "offset", "due"),
    [
        (dt.date(2025, 1, 31), "1m", dt.date(2025, 2, 28)),
        (dt.date(2024, 1, 31), "1m", dt.date(2024, 2, 29)),
        (dt.date(2025, 10, 15), "3m", dt.date(2026, 1, 15)),
        (dt.date(2025, 1, 1), "4w", dt.date(2025, 1, 29)),
        (dt.date(2025, 1, 1), "10d", dt.date(2025, 1, 11)),
    ],
)
def test_offsets(start, offset, due):
    assert add_offset(start, offset) == due


def test_bad_offset():
    with pytest.raises(ValueError):
        add_offset(dt.date(2025, 1, 1), "3y")


def test_due_today_and_overdue(followup_case, counsellor, org_a, lead):
    today = dt.date(2025, 11, 29)
    assert [f.offset for f in selectors.followups_overdue(counsellor, org_a, today)] == ["4w"]
    assert [f.offset for f in selectors.followups_due_today(counsellor, org_a, today)] == ["3m"]
    # Someone else's cases are not on this start page.
    assert not selectors.followups_overdue(lead, org_a, today).exists()
    four_weeks = FollowUp.objects.get(case=followup_case, offset="4w")
    services.followup_record(
        four_weeks, by=counsellor, still_in_work_or_training=True, dropout_risk="low"
    )
    assert not selectors.followups_overdue(counsellor, org_a, today).exists()


def test_closure_keeps_open_check_ins_and_dates_the_esf_survey_from_exit(
    followup_case, counsellor, org_a
):
    exit_date = dt.date(2025, 10, 1)
    services.case_close(followup_case, by=counsellor, exit_date=exit_date)
    six = FollowUp.objects.get(case=followup_case, is_esf_long_term=True)
    # facts.md A.4: the longer-term result refers to six months after exit
    assert six.due_date == dt.date(2026, 4, 1) and six.done_at is None
    overdue = selectors.followups_overdue(counsellor, org_a, dt.date(2026, 6, 1))
    assert [f.offset for f in overdue] == ["4w", "3m", "6m"]
    assert [f.offset for f in selectors.followups_due_today(counsellor, org_a, six.due_date)] == [
        "6m"
    ]


def test_drop_out_after_enrolment_schedules_the_esf_survey(active_case, counsellor, org_a):
    exit_date = dt.date(2025, 7, 15)
    services.case_drop_out(active_case, by=counsellor, reason="moved", exit_date=exit_date)
    (survey,) = FollowUp.objects.filter(case=active_case)
    assert survey.is_esf_long_term and survey.due_date == dt.date(2026, 1, 15)
    assert list(selectors.followups_overdue(counsellor, org_a, dt.date(2026, 2, 1))) == [survey]


def test_drop_out_of_a_non_esf_case_schedules_nothing(case, counsellor):
    services.case_start_clearing(case, by=counsellor)
    services.case_drop_out(case, by=counsellor, reason="moved")
    assert not FollowUp.objects.filter(case=case).exists()


def test_a_check_in_cannot_be_recorded_before_it_is_due(followup_case, counsellor):
    today = timezone.localdate()
    four = FollowUp.objects.get(case=followup_case, offset="4w")
    early = services.FOLLOWUP_EARLY_DAYS
    FollowUp.objects.filter(pk=four.pk).update(due_date=today + dt.timedelta(days=early + 1))
    four.refresh_from_db()
    with pytest.raises(InvalidData, match="erst am"):
        services.followup_record(
            four, by=counsellor, still_in_work_or_training=True, dropout_risk="low"
        )
    assert FollowUp.objects.get(pk=four.pk).done_at is None
    # within the tolerance before the due date it can
    FollowUp.objects.filter(pk=four.pk).update(due_date=today + dt.timedelta(days=early))
    four.refresh_from_db()
    services.followup_record(
        four, by=counsellor, still_in_work_or_training=True, dropout_risk="low"
    )
    assert FollowUp.objects.get(pk=four.pk).done_at is not None


def test_the_esf_result_cannot_be_recorded_before_six_months(followup_case, counsellor):
    six = FollowUp.objects.get(case=followup_case, offset="6m")
    FollowUp.objects.filter(pk=six.pk).update(due_date=timezone.localdate() + dt.timedelta(days=90))
    six.refresh_from_db()
    with pytest.raises(InvalidData):
        services.followup_record(
            six,
            by=counsellor,
            still_in_work_or_training=True,
            dropout_risk="low",
            long_term_result="employed",
        )


def test_six_month_check_in_records_the_esf_result(followup_case, counsellor):
    six = FollowUp.objects.get(case=followup_case, offset="6m")
    with pytest.raises(InvalidData):
        services.followup_record(
            six, by=counsellor, still_in_work_or_training=True, dropout_risk="low"
        )
    services.followup_record(
        six,
        by=counsellor,
        still_in_work_or_training=True,
        dropout_risk="medium",
        long_term_result=FollowUp.LongTermResult.EMPLOYED,
        note="unbefristet übernommen",
    )
    six.refresh_from_db()
    assert (six.long_term_result, six.dropout_risk, six.done_by) == (
        "employed",
        "medium",
        counsellor,
    )
    with pytest.raises(ConcurrentEdit):
        services.followup_record(
            six,
            by=counsellor,
            still_in_work_or_training=False,
            long_term_result="neither",
        )


def test_esf_result_only_at_six_months(followup_case, counsellor):
    four = FollowUp.objects.get(case=followup_case, offset="4w")
    with pytest.raises(InvalidData):
        services.followup_record(
            four,
            by=counsellor,
            still_in_work_or_training=True,
            dropout_risk="low",
            long_term_result="employed",
        )
    with pytest.raises(InvalidData):
        services.followup_record(
            four, by=counsellor, still_in_work_or_training=True, dropout_risk=""
        )


def test_the_risk_of_dropping_out_is_asked_only_while_in_work(followup_case, counsellor):
    """Once the person is no longer in work or training there is nothing left to drop out of:
    the check-in is recorded without a risk, and a risk given with "no" is refused."""
    four = FollowUp.objects.get(case=followup_case, offset="4w")
    with pytest.raises(InvalidData):
        services.followup_record(
            four, by=counsellor, still_in_work_or_training=False, dropout_risk="high"
        )
    four.refresh_from_db()
    assert four.done_at is None
    services.followup_record(four, by=counsellor, still_in_work_or_training=False)
    four.refresh_from_db()
    assert (four.still_in_work_or_training, four.dropout_risk) == (False, "")


@pytest.mark.parametrize(
    "data, valid, risk",
    [
        ({"still_in_work_or_training": "no"}, True, ""),
        ({"still_in_work_or_training": "no", "dropout_risk": "high"}, True, ""),  # dropped
        ({"still_in_work_or_training": "yes", "dropout_risk": "medium"}, True, "medium"),
        ({"still_in_work_or_training": "yes"}, False, None),
        ({"dropout_risk": "low"}, False, None),
    ],
)
def test_the_follow_up_form_asks_the_risk_only_while_in_work(data, valid, risk):
    form = FollowUpRecordForm(data)
    assert form.is_valid() == valid, form.errors
    if valid:
        assert form.cleaned_data["dropout_risk"] == risk
    elif "dropout_risk" not in data:
        assert "Bitte schätzen Sie das Abbruchrisiko ein." in form.errors["dropout_risk"]


def test_other_organisation_cannot_record(followup_case, counsellor_b):
    four = FollowUp.objects.get(case=followup_case, offset="4w")
    with pytest.raises(NotAllowed):
        services.followup_record(
            four, by=counsellor_b, still_in_work_or_training=True, dropout_risk="low"
        )


def test_non_esf_programme_has_no_esf_check_in(counsellor, org_a, jmd_round):
    from wegweiser.programmes.models import Project

    participant = new_participant(org_a, counsellor, date_of_birth=dt.date(2003, 1, 1))
    project = Project.objects.create(
        name="JMD A", funding_round=jmd_round, carrier=org_a, start=dt.date(2020, 1, 1)
    )
    case = services.case_open(participant, by=counsellor)
    services.case_start_clearing(case, by=counsellor)
    services.enrol(
        case,
        by=counsellor,
        project=project,
        funding_round=jmd_round,
        entry_date=ENTRY,
        facts={"migration_background": True},
    )
    services.case_start_followup(case, by=counsellor, start_date=START, situation="work")
    assert not FollowUp.objects.filter(case=case, is_esf_long_term=True).exists()


def test_my_cases(case, counsellor, lead, org_a, participant):
    other = services.case_open(participant, by=lead)
    assert list(selectors.my_cases(counsellor, org_a)) == [case]
    assert list(selectors.my_cases(lead, org_a)) == [other]
    services.case_start_clearing(case, by=counsellor)
    services.case_drop_out(case, by=counsellor, reason="no_contact")
    assert list(selectors.my_cases(counsellor, org_a)) == []

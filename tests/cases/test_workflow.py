"""The case workflow: the transitions table, one service per transition, optimistic locking."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cases.conftest import ENTRY, case_in_status, new_participant
from wegweiser.audit.models import AuditAction, AuditEntry
from wegweiser.cases import services
from wegweiser.cases.errors import ConcurrentEdit, StaleCase, TransitionNotAllowed
from wegweiser.cases.models import CASE_TRANSITIONS, Case, CaseStatus, DropoutReason, FollowUp

EXPECTED_TABLE = {
    "first_contact": {"clearing", "dropped_out"},
    "clearing": {"active", "dropped_out"},
    "active": {"followup", "closed", "dropped_out"},
    "followup": {"closed", "dropped_out"},
    "closed": set(),
    "dropped_out": set(),
}


def test_the_table_is_the_issue_workflow():
    assert {k: set(v) for k, v in CASE_TRANSITIONS.items()} == EXPECTED_TABLE
    assert set(CASE_TRANSITIONS) == set(CaseStatus.values)


def move(case, to, by, project):
    """Call the one service function that leads to ``to``."""
    if to == CaseStatus.CLEARING:
        return services.case_start_clearing(case, by=by)
    if to == CaseStatus.ACTIVE:
        services.enrol(
            case, by=by, project=project, funding_round=project.funding_round, entry_date=ENTRY
        )
        return case
    if to == CaseStatus.FOLLOWUP:
        return services.case_start_followup(
            case, by=by, start_date=ENTRY + dt.timedelta(days=30), situation="work"
        )
    if to == CaseStatus.CLOSED:
        return services.case_close(case, by=by, exit_date=ENTRY + dt.timedelta(days=300))
    if to == CaseStatus.DROPPED_OUT:
        return services.case_drop_out(case, by=by, reason=DropoutReason.MOVED)
    raise TransitionNotAllowed()  # no service leads back to first contact


PAIRS = list(itertools.product(CaseStatus.values, CaseStatus.values))


@pytest.mark.parametrize(("origin", "target"), PAIRS, ids=[f"{a}->{b}" for a, b in PAIRS])
def test_every_pair(origin, target, participant, counsellor, wir_project):
    case = case_in_status(participant, origin, project=wir_project, counsellor=counsellor)
    entries = AuditEntry.objects.count()
    if target in EXPECTED_TABLE[origin]:
        move(case, target, counsellor, wir_project)
        case.refresh_from_db()
        assert case.status == target
        assert case.version == 2
        last = AuditEntry.objects.filter(action=AuditAction.TRANSITION).latest("id")
        assert last.detail["from"] == origin and last.detail["to"] == target
        assert last.participant_id == participant.pk
    else:
        with pytest.raises(TransitionNotAllowed):
            move(case, target, counsellor, wir_project)
        case.refresh_from_db()
        assert case.status == origin
        assert case.version == 1
        assert AuditEntry.objects.count() == entries


def test_full_path_sets_dates_and_schedules_followups(case, counsellor, wir_project, wir_round):
    services.case_start_clearing(case, by=counsellor)
    snapshot = services.enrol(
        case, by=counsellor, project=wir_project, funding_round=wir_round, entry_date=ENTRY
    )
    assert snapshot.status == "eligible" and case.entry_date == ENTRY
    services.case_start_followup(
        case, by=counsellor, start_date=dt.date(2025, 9, 1), situation="training"
    )
    assert case.work_start_date == dt.date(2025, 9, 1)
    assert FollowUp.objects.filter(case=case).count() == 3
    services.case_close(case, by=counsellor, exit_date=dt.date(2026, 3, 1))
    case.refresh_from_db()
    assert (case.status, case.exit_date, case.version) == ("closed", dt.date(2026, 3, 1), 5)


def test_dropout_needs_a_reason_and_a_note_for_other(active_case, counsellor):
    from wegweiser.cases.errors import InvalidData

    with pytest.raises(InvalidData):
        services.case_drop_out(active_case, by=counsellor, reason="bored")
    with pytest.raises(InvalidData):
        services.case_drop_out(active_case, by=counsellor, reason=DropoutReason.OTHER)
    services.case_drop_out(
        active_case,
        by=counsellor,
        reason=DropoutReason.OTHER,
        note="Familie zieht zurück",
        exit_date=dt.date(2025, 7, 1),
    )
    active_case.refresh_from_db()
    assert active_case.status == "dropped_out"
    assert active_case.exit_date == dt.date(2025, 7, 1)
    assert active_case.dropout_reason == "other"


# --- optimistic locking --------------------------------------------------------------------------


def test_second_save_with_old_version_is_refused(case, counsellor, lead):
    first = Case.objects.get(pk=case.pk)
    second = Case.objects.get(pk=case.pk)
    services.case_start_clearing(first, by=counsellor)
    entries = AuditEntry.objects.count()
    with pytest.raises(StaleCase) as error:
        services.case_assign(second, by=lead, counsellor=lead)
    assert "geändert" in str(error.value)
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.status, fresh.version, fresh.counsellor) == ("clearing", 2, counsellor)
    assert AuditEntry.objects.count() == entries


def test_stale_transition_is_refused_even_when_allowed(case, counsellor):
    stale = Case.objects.get(pk=case.pk)
    services.case_start_clearing(case, by=counsellor)
    services.case_drop_out(case, by=counsellor, reason=DropoutReason.NO_CONTACT)
    # The stale copy still says "first contact": the table allows clearing, the version does not.
    with pytest.raises(ConcurrentEdit):
        services.case_start_clearing(stale, by=counsellor)
    assert Case.objects.get(pk=case.pk).status == "dropped_out"


def test_explicit_version_from_the_form(case, counsellor, lead):
    services.case_assign(case, by=lead, counsellor=lead, version=1)
    with pytest.raises(ConcurrentEdit):
        services.case_assign(case, by=counsellor, counsellor=counsellor, version=1)
    assert Case.objects.get(pk=case.pk).counsellor == lead


def test_participant_update_uses_the_version(participant, counsellor):
    from wegweiser.cases.models import Participant

    other = Participant.objects.get(pk=participant.pk)
    services.participant_update(participant, by=counsellor, phone="0170 1")
    with pytest.raises(ConcurrentEdit):
        services.participant_update(other, by=counsellor, email="x@example.org")
    fresh = Participant.objects.get(pk=participant.pk)
    assert (fresh.phone, fresh.email, fresh.version) == ("0170 1", "amina@example.org", 2)


# --- property: random sequences stay inside the table --------------------------------------------


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(targets=st.lists(st.sampled_from(CaseStatus.values), min_size=1, max_size=8))
def test_random_sequences_never_leave_the_table(targets, org_a, counsellor, wir_project):
    case = services.case_open(new_participant(org_a, counsellor), by=counsellor)
    path = [case.status]
    for target in targets:
        before = case.status
        try:
            move(case, target, counsellor, wir_project)
        except TransitionNotAllowed:
            assert target not in CASE_TRANSITIONS[before]
            continue
        assert target in CASE_TRANSITIONS[before]
        path.append(case.status)
    stored = Case.objects.get(pk=case.pk)
    assert stored.status == path[-1]
    assert stored.version == len(path)
    for a, b in itertools.pairwise(path):
        assert b in CASE_TRANSITIONS[a]
    transitions = AuditEntry.objects.filter(object_id=str(case.pk), action="transition")
    assert transitions.count() == len(path) - 1


def test_first_contact_can_drop_out_without_exit_date(case, counsellor):
    services.case_drop_out(case, by=counsellor, reason=DropoutReason.NO_CONTACT)
    case.refresh_from_db()
    assert (case.status, case.entry_date, case.exit_date) == ("dropped_out", None, None)
    assert not FollowUp.objects.filter(case=case).exists()


def test_active_case_closes_without_a_job_start(active_case, counsellor):
    exit_date = ENTRY + dt.timedelta(days=120)
    services.case_close(active_case, by=counsellor, exit_date=exit_date)
    active_case.refresh_from_db()
    assert (active_case.status, active_case.exit_date) == ("closed", exit_date)
    assert active_case.work_start_date is None
    # an ESF record: the longer-term survey six months after exit (facts.md A.4)
    (survey,) = FollowUp.objects.filter(case=active_case)
    assert survey.is_esf_long_term and survey.due_date == dt.date(2026, 3, 30)

"""Enrolment: the eligibility check at entry, its snapshot, refusals, double funding, override."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.cases.conftest import ENTRY, new_participant
from wegweiser.audit.models import AuditAction, AuditEntry
from wegweiser.cases import services
from wegweiser.cases.errors import EnrolmentRefused, InvalidData, NotAllowed
from wegweiser.cases.models import Case, EligibilitySnapshot
from wegweiser.cases.services import enrolment
from wegweiser.programmes.selectors import engine_catalogue


def clearing_case(participant, by):
    case = services.case_open(participant, by=by)
    services.case_start_clearing(case, by=by)
    return case


def test_snapshot_records_why_the_person_was_admitted(
    participant, counsellor, wir_project, wir_round
):
    case = clearing_case(participant, counsellor)
    snapshot = services.enrol(
        case, by=counsellor, project=wir_project, funding_round=wir_round, entry_date=ENTRY
    )
    assert snapshot.status == "eligible" and snapshot.admitted
    assert snapshot.checked_on == ENTRY
    assert snapshot.catalogue_version == engine_catalogue().version
    assert (snapshot.programme_key, snapshot.round_key) == ("wir", "wir-2022")
    assert snapshot.profile["birth_date"] == "1995-05-05"
    assert snapshot.profile["residence"] == {"title": "aufenthaltserlaubnis", "section": "25(2)"}
    assert snapshot.profile["citizenships"] == ["SY"]
    assert {r["rule"] for r in snapshot.reasons["de"]} == {
        r["rule"] for r in snapshot.reasons["en"]
    }
    assert snapshot.reasons["de"][0]["text"] != snapshot.reasons["en"][0]["text"]
    assert not snapshot.override_reason and snapshot.overridden_by is None
    case.refresh_from_db()
    assert (case.status, case.project, case.funding_round, case.entry_date) == (
        "active",
        wir_project,
        wir_round,
        ENTRY,
    )


def test_residence_status_on_the_entry_day_is_used(participant, counsellor, wir_project, wir_round):
    # From 2025-01-01 the person holds a settlement permit: no longer a refugee for WIR.
    services.residence_status_record(
        participant,
        by=counsellor,
        title="niederlassungserlaubnis",
        valid_from=dt.date(2025, 1, 1),
    )
    case = clearing_case(participant, counsellor)
    with pytest.raises(EnrolmentRefused) as refused:
        services.enrol(
            case, by=counsellor, project=wir_project, funding_round=wir_round, entry_date=ENTRY
        )
    assert refused.value.status == "not_eligible"
    assert [r["rule"] for r in refused.value.reasons] == ["wir.refugee"]
    # Before the new status, on an earlier entry day, the § 25(2) permit counts.
    services.enrol(
        case,
        by=counsellor,
        project=wir_project,
        funding_round=wir_round,
        entry_date=dt.date(2024, 12, 1),
    )
    assert Case.objects.get(pk=case.pk).status == "active"


def test_refused_not_eligible_leaves_nothing(org_a, counsellor, wir_project, wir_round):
    person = new_participant(org_a, counsellor, date_of_birth=dt.date(2014, 1, 1))
    case = clearing_case(person, counsellor)
    entries = AuditEntry.objects.count()
    with pytest.raises(EnrolmentRefused) as refused:
        services.enrol(
            case, by=counsellor, project=wir_project, funding_round=wir_round, entry_date=ENTRY
        )
    assert refused.value.status == "not_eligible"
    assert refused.value.reasons[0]["rule"] == "wir.age-15"
    assert refused.value.reasons[0]["text"]
    case.refresh_from_db()
    assert (case.status, case.project, case.version) == ("clearing", None, 2)
    assert not EligibilitySnapshot.objects.exists()
    assert AuditEntry.objects.count() == entries


def test_refused_undetermined_names_missing_facts(counsellor, winwin_project, winwin_round, org_a):
    person = new_participant(org_a, counsellor)
    case = clearing_case(person, counsellor)
    with pytest.raises(EnrolmentRefused) as refused:
        services.enrol(
            case,
            by=counsellor,
            project=winwin_project,
            funding_round=winwin_round,
            entry_date=ENTRY,
        )
    assert refused.value.status == "undetermined"
    assert refused.value.missing == ["jobcentre_contact"]
    services.enrol(
        case,
        by=counsellor,
        project=winwin_project,
        funding_round=winwin_round,
        entry_date=ENTRY,
        facts={"jobcentre_contact": "not_reached"},
    )
    assert Case.objects.get(pk=case.pk).status == "active"


def test_facts_cannot_replace_the_record(participant, counsellor, wir_project, wir_round):
    case = clearing_case(participant, counsellor)
    with pytest.raises(InvalidData):
        services.enrol(
            case,
            by=counsellor,
            project=wir_project,
            funding_round=wir_round,
            entry_date=ENTRY,
            facts={"age": 20},
        )


def test_double_funding_conflict_is_refused(
    participant, counsellor, wir_project, wir_round, winwin_project, winwin_round
):
    first = clearing_case(participant, counsellor)
    services.enrol(
        first, by=counsellor, project=wir_project, funding_round=wir_round, entry_date=ENTRY
    )
    second = clearing_case(participant, counsellor)
    with pytest.raises(EnrolmentRefused) as refused:
        services.enrol(
            second,
            by=counsellor,
            project=winwin_project,
            funding_round=winwin_round,
            entry_date=ENTRY + dt.timedelta(days=5),
            facts={"jobcentre_contact": "not_reached"},
        )
    assert refused.value.status == "not_eligible"
    (reason,) = refused.value.reasons
    assert reason["rule"] == "win-win.win-win-1.no-double-funding"
    # the conflicting participation by its name, not its round id (issue 11)
    assert "WIR – Netzwerke integrieren Geflüchtete" in reason["text"]
    assert "1. Förderrunde (2022–2026)" in reason["text"]
    assert "wir-2022" not in reason["text"]


def test_ended_participation_is_no_conflict(
    participant, counsellor, wir_project, wir_round, winwin_project, winwin_round
):
    first = clearing_case(participant, counsellor)
    services.enrol(
        first, by=counsellor, project=wir_project, funding_round=wir_round, entry_date=ENTRY
    )
    services.case_drop_out(
        first, by=counsellor, reason="moved", exit_date=ENTRY + dt.timedelta(days=10)
    )
    second = clearing_case(participant, counsellor)
    snapshot = services.enrol(
        second,
        by=counsellor,
        project=winwin_project,
        funding_round=winwin_round,
        entry_date=ENTRY + dt.timedelta(days=20),
        facts={"jobcentre_contact": "not_reached"},
    )
    assert snapshot.status == "eligible"
    assert "participations" not in snapshot.profile


def test_declared_participation_elsewhere_counts(
    participant, counsellor, winwin_project, winwin_round
):
    case = clearing_case(participant, counsellor)
    with pytest.raises(EnrolmentRefused) as refused:
        services.enrol(
            case,
            by=counsellor,
            project=winwin_project,
            funding_round=winwin_round,
            entry_date=ENTRY,
            facts={"jobcentre_contact": "not_reached", "participations": ["wir-2022"]},
        )
    assert refused.value.reasons[0]["rule"].endswith("no-double-funding")


def test_same_project_twice_is_refused(participant, counsellor, wir_project, wir_round):
    services.enrol(
        clearing_case(participant, counsellor),
        by=counsellor,
        project=wir_project,
        funding_round=wir_round,
        entry_date=ENTRY,
    )
    with pytest.raises(EnrolmentRefused):
        services.enrol(
            clearing_case(participant, counsellor),
            by=counsellor,
            project=wir_project,
            funding_round=wir_round,
            entry_date=ENTRY,
        )


def test_round_must_be_the_projects_and_running(
    participant, counsellor, wir_project, winwin_round, wir_round
):
    case = clearing_case(participant, counsellor)
    with pytest.raises(InvalidData):
        services.enrol(
            case, by=counsellor, project=wir_project, funding_round=winwin_round, entry_date=ENTRY
        )
    with pytest.raises(EnrolmentRefused):
        services.enrol(
            case,
            by=counsellor,
            project=wir_project,
            funding_round=wir_round,
            entry_date=dt.date(2027, 1, 1),
        )


def test_project_of_another_organisation_is_refused(participant, counsellor, org_b, wir_round):
    from wegweiser.programmes.models import Project

    foreign = Project.objects.create(
        name="B", funding_round=wir_round, carrier=org_b, start=dt.date(2022, 10, 1)
    )
    with pytest.raises(InvalidData):
        services.enrol(
            clearing_case(participant, counsellor),
            by=counsellor,
            project=foreign,
            funding_round=wir_round,
            entry_date=ENTRY,
        )


# --- override ------------------------------------------------------------------------------------


@pytest.fixture
def too_young_case(org_a, counsellor):
    return clearing_case(
        new_participant(org_a, counsellor, date_of_birth=dt.date(2014, 1, 1)), counsellor
    )


def test_override_by_a_counsellor_is_refused(too_young_case, counsellor, wir_project, wir_round):
    with pytest.raises(EnrolmentRefused) as refused:
        services.enrol(
            too_young_case,
            by=counsellor,
            project=wir_project,
            funding_round=wir_round,
            override_reason="Familie wird gemeinsam begleitet",
            entry_date=ENTRY,
        )
    assert "Teamleitung" in str(refused.value)
    assert refused.value.reasons
    assert Case.objects.get(pk=too_young_case.pk).status == "clearing"
    assert not AuditEntry.objects.filter(action=AuditAction.OVERRIDE).exists()


def test_override_by_a_team_lead_enrols_and_is_logged(too_young_case, lead, wir_project, wir_round):
    snapshot = services.enrol(
        too_young_case,
        by=lead,
        project=wir_project,
        funding_round=wir_round,
        override_reason="  Familie wird gemeinsam begleitet ",
        entry_date=ENTRY,
    )
    assert snapshot.status == "not_eligible" and snapshot.admitted
    assert snapshot.override_reason == "Familie wird gemeinsam begleitet"
    assert snapshot.overridden_by == lead
    assert Case.objects.get(pk=too_young_case.pk).status == "active"
    entry = AuditEntry.objects.get(action=AuditAction.OVERRIDE)
    assert entry.actor == lead
    assert entry.organisation == too_young_case.organisation
    assert entry.participant_id == too_young_case.participant_id
    assert entry.detail == {
        "status": "not_eligible",
        "round": "wir/wir-2022",
        "rules": ["wir.age-15"],
    }


def test_team_lead_of_another_organisation_cannot_override(
    too_young_case, org_b, make_user, wir_project, wir_round
):
    from wegweiser.accounts.models import Role

    other_lead = make_user(org_b, Role.TEAM_LEAD)
    with pytest.raises(NotAllowed):
        services.enrol(
            too_young_case,
            by=other_lead,
            project=wir_project,
            funding_round=wir_round,
            override_reason="x",
            entry_date=ENTRY,
        )


def test_blank_override_reason_is_no_override(too_young_case, lead, wir_project, wir_round):
    with pytest.raises(EnrolmentRefused):
        services.enrol(
            too_young_case,
            by=lead,
            project=wir_project,
            funding_round=wir_round,
            override_reason="   ",
            entry_date=ENTRY,
        )


def test_override_is_not_recorded_when_eligible(participant, lead, wir_project, wir_round):
    case = clearing_case(participant, lead)
    snapshot = services.enrol(
        case,
        by=lead,
        project=wir_project,
        funding_round=wir_round,
        override_reason="unnötig",
        entry_date=ENTRY,
    )
    assert snapshot.override_reason == "" and snapshot.overridden_by is None
    assert not AuditEntry.objects.filter(action=AuditAction.OVERRIDE).exists()


def test_enrolment_needs_clearing(participant, counsellor, wir_project, wir_round):
    from wegweiser.cases.errors import TransitionNotAllowed

    case = services.case_open(participant, by=counsellor)
    with pytest.raises(TransitionNotAllowed):
        services.enrol(
            case, by=counsellor, project=wir_project, funding_round=wir_round, entry_date=ENTRY
        )


@pytest.mark.parametrize("ending", ["dropped_out", "closed"])
def test_same_project_again_after_an_exit_is_refused(
    participant, counsellor, wir_project, wir_round, ending
):
    """facts.md A.6: recorded only once per Vorhaben -- an earlier, ended entry counts too."""
    first = clearing_case(participant, counsellor)
    services.enrol(
        first, by=counsellor, project=wir_project, funding_round=wir_round, entry_date=ENTRY
    )
    later = ENTRY + dt.timedelta(days=10)
    if ending == "closed":
        services.case_start_followup(first, by=counsellor, start_date=later, situation="work")
        services.case_close(first, by=counsellor, exit_date=later)
    else:
        services.case_drop_out(first, by=counsellor, reason="moved", exit_date=later)
    second = clearing_case(participant, counsellor)
    with pytest.raises(EnrolmentRefused, match="bereits teil"):
        services.enrol(
            second,
            by=counsellor,
            project=wir_project,
            funding_round=wir_round,
            entry_date=later + dt.timedelta(days=30),
        )
    assert Case.objects.get(pk=second.pk).status == "clearing"


def test_enrolment_locks_the_participant_row(participant, counsellor, wir_project, wir_round):
    """Two enrolments of one person at once are serialised on the participant's row."""
    from unittest import mock

    from django.db.models import QuerySet

    from wegweiser.cases.models import Participant

    locked = []
    original = QuerySet.select_for_update

    def spy(self, *args, **kwargs):
        locked.append(self.model)
        return original(self, *args, **kwargs)

    case = clearing_case(participant, counsellor)
    with mock.patch.object(QuerySet, "select_for_update", spy):
        services.enrol(
            case, by=counsellor, project=wir_project, funding_round=wir_round, entry_date=ENTRY
        )
    assert Participant in locked


@pytest.mark.postgresql  # SQLite writes one transaction at a time: no race to show
@pytest.mark.django_db(transaction=True)
def test_two_enrolments_at_once_only_one_counts(
    transactional_db, participant, counsellor, wir_project, wir_round
):
    """PostgreSQL: two enrolments of one person in one project at the same moment.

    The eligibility check is slowed down so that both requests overlap; the row lock makes the
    second wait for the first and then see its case (refused). Without the lock both passed.
    """
    import threading
    import time
    from unittest import mock

    from django.db import connections

    cases = [clearing_case(participant, counsellor) for _ in range(2)]
    real = enrolment.engine_catalogue
    barrier = threading.Barrier(2)
    results = []

    def slow_catalogue():
        time.sleep(0.5)
        return real()

    def run(case):
        try:
            barrier.wait()
            services.enrol(
                case, by=counsellor, project=wir_project, funding_round=wir_round, entry_date=ENTRY
            )
            results.append("enrolled")
        except EnrolmentRefused:
            results.append("refused")
        finally:
            connections.close_all()

    with mock.patch.object(enrolment, "engine_catalogue", slow_catalogue):
        threads = [threading.Thread(target=run, args=(c,)) for c in cases]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert sorted(results) == ["enrolled", "refused"]
    assert Case.objects.filter(project=wir_project).count() == 1

"""Export, erasure or anonymisation (facts.md D.2), the append-only audit log, ESF entry data."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.cases.conftest import ENTRY
from wegweiser.audit.models import AppendOnlyError, AuditAction, AuditEntry
from wegweiser.cases import services
from wegweiser.cases.errors import InvalidData, NotAllowed
from wegweiser.cases.models import (
    Case,
    ContactEntry,
    EligibilitySnapshot,
    EsfEntryData,
    Participant,
    ProjectRecordKeeping,
    ResidenceStatus,
)
from wegweiser.cases.retention import esf_retention_until

ESF_ANSWERS = {
    "employment_status": "unemployed",
    "long_term_unemployed": True,
    "isced_level": 3,
    "foreign_background": "yes",
    "homeless_or_housing_exclusion": "no",
    "rural_area": "no",
    "disability": "no_answer",
    "minority": "no_answer",
}


@pytest.fixture
def full_case(active_case, counsellor, sharing_consent, offer_b):
    services.esf_entry_save(active_case, by=counsellor, collected_on=ENTRY, **ESF_ANSWERS)
    services.goal_create(active_case, by=counsellor, title="Ausbildungsplatz finden")
    services.contact_create(
        active_case,
        by=counsellor,
        date=ENTRY,
        duration_minutes=45,
        channel="in_person",
        topics=["Arbeit"],
        note="Erstgespräch mit Dolmetscherin",
    )
    services.task_create(
        active_case, by=counsellor, title="Zeugnisse übersetzen", assignee=counsellor
    )
    referral = services.referral_create(active_case, by=counsellor, offer=offer_b, message="Hallo")
    services.referral_send(referral, by=counsellor)
    return active_case


# --- ESF entry data ------------------------------------------------------------------------------


def test_esf_entry_copies_reporting_facts(full_case):
    esf = EsfEntryData.objects.get(case=full_case)
    assert (esf.gender, esf.age_at_entry, esf.third_country_national) == ("male", 30, True)
    assert esf.disability == "no_answer" and esf.minority == "no_answer"


def test_esf_entry_validation(active_case, counsellor):
    with pytest.raises(InvalidData):
        services.esf_entry_save(active_case, by=counsellor, **{**ESF_ANSWERS, "disability": ""})
    with pytest.raises(InvalidData):
        services.esf_entry_save(
            active_case, by=counsellor, **{**ESF_ANSWERS, "employment_status": "employed"}
        )
    with pytest.raises(InvalidData):
        services.esf_entry_save(active_case, by=counsellor, **{**ESF_ANSWERS, "isced_level": 9})
    with pytest.raises(InvalidData):
        services.esf_entry_save(active_case, by=counsellor, **ESF_ANSWERS, religion="x")


def test_esf_answers_never_reach_the_audit_log(full_case):
    text = json.dumps([e.detail for e in AuditEntry.objects.all()])
    assert "no_answer" not in text and "Haddad" not in text and "Amina" not in text


# --- export --------------------------------------------------------------------------------------


def test_export_holds_everything_and_is_logged(full_case, participant, counsellor):
    document = services.participant_export(participant, by=counsellor)
    json.dumps(document)  # serialisable
    assert document["person"]["family_name"] == "Haddad"
    assert document["person"]["date_of_birth"] == "1995-05-05"
    assert document["residence_statuses"][0]["section"] == "25(2)"
    assert {c["purpose"] for c in document["consents"]} == {"referral_sharing"}
    (case,) = document["cases"]
    assert case["status"] == "active" and case["entry_date"] == ENTRY.isoformat()
    assert case["eligibility_checks"][0]["status"] == "eligible"
    assert case["esf_entry"]["isced_level"] == 3
    assert case["contacts"][0]["note"] == "Erstgespräch mit Dolmetscherin"
    assert case["referrals"][0]["recipient"] == "Partner B"
    assert case["referrals"][0]["shared_fields"] == ["name", "phone"]
    assert document["access_log"]
    assert "actor" not in document["access_log"][0]
    entry = AuditEntry.objects.filter(action=AuditAction.EXPORT).get()
    assert (entry.actor, entry.participant_id) == (counsellor, participant.pk)


# --- erasure -------------------------------------------------------------------------------------


def test_erasure_needs_a_team_lead(participant, counsellor):
    with pytest.raises(NotAllowed):
        services.participant_erase(participant, by=counsellor)


def test_without_esf_records_the_person_is_deleted(participant, case, lead):
    pk = participant.pk
    assert services.participant_erase(participant, by=lead) == "deleted"
    assert not Participant.objects.filter(pk=pk).exists()
    assert not Case.objects.filter(participant_id=pk).exists()
    assert not ResidenceStatus.objects.filter(participant_id=pk).exists()
    entry = AuditEntry.objects.get(action=AuditAction.ERASE)
    assert entry.participant_id == pk and entry.object_id == str(pk)
    assert "Haddad" not in json.dumps(entry.detail)
    # The log of earlier reads survives the person.
    assert AuditEntry.objects.filter(participant_id=pk, action="create").exists()


def test_esf_record_in_retention_is_anonymised(full_case, participant, lead):
    assert esf_retention_until(full_case) == dt.date.max  # last payment not yet known
    assert services.participant_erase(participant, by=lead) == "anonymised"
    person = Participant.objects.get(pk=participant.pk)
    assert person.anonymised_at is not None
    assert (person.given_name, person.family_name, person.phone, person.email) == ("", "", "", "")
    assert person.date_of_birth is None and person.birth_year == 1995
    assert person.citizenships == [] and person.languages == []
    assert person.pseudonym == participant.pseudonym
    assert str(person) == person.pseudonym
    assert not ResidenceStatus.objects.filter(participant=person).exists()
    assert not ContactEntry.objects.filter(case=full_case).exists()
    # What ESF reporting and audit need stays.
    esf = EsfEntryData.objects.get(case=full_case)
    assert esf.age_at_entry == 30 and esf.isced_level == 3
    snapshot = EligibilitySnapshot.objects.get(case=full_case)
    assert "birth_date" not in snapshot.profile and snapshot.profile["age"] == 30
    assert snapshot.status == "eligible"
    case = Case.objects.get(pk=full_case.pk)
    assert case.entry_date == ENTRY and case.project_id is not None
    entry = AuditEntry.objects.get(action=AuditAction.ANONYMISE)
    assert entry.detail == {"kept_cases": [str(full_case.pk)]}
    assert "Haddad" not in json.dumps([e.detail for e in AuditEntry.objects.all()])
    # Anonymised people leave the lists and cannot be edited.
    from wegweiser.cases import selectors

    assert not selectors.participants_for(lead, participant.organisation).exists()
    with pytest.raises(InvalidData):
        services.participant_update(person, by=lead, given_name="Amina")


def test_after_the_retention_period_the_person_is_deleted(full_case, participant, lead):
    ProjectRecordKeeping.objects.create(
        project=full_case.project, last_payment_on=dt.date(2026, 3, 12)
    )
    assert esf_retention_until(full_case) == dt.date(2031, 12, 31)
    assert (
        services.participant_erase(participant, by=lead, today=dt.date(2031, 12, 31))
        == "anonymised"
    )


def test_deleted_after_the_retention_end(full_case, participant, lead):
    ProjectRecordKeeping.objects.create(
        project=full_case.project, last_payment_on=dt.date(2026, 3, 12)
    )
    assert services.participant_erase(participant, by=lead, today=dt.date(2032, 1, 1)) == "deleted"
    assert not Participant.objects.filter(pk=participant.pk).exists()


def test_never_enrolled_case_is_no_esf_record(participant, case, lead):
    assert esf_retention_until(case) is None


# --- the audit log is append-only ----------------------------------------------------------------


def test_audit_entries_cannot_be_changed_or_deleted(participant, counsellor, org_a):
    from wegweiser.cases import selectors

    selectors.participant_get(counsellor, org_a, participant.pk)
    entry = AuditEntry.objects.filter(action="view").get()
    entry.action = "export"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="export")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.bulk_update([entry], ["action"])
    assert AuditEntry.objects.get(pk=entry.pk).action == "view"


def test_actor_with_audit_entries_cannot_be_deleted(participant, counsellor):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        counsellor.delete()


@pytest.mark.postgresql  # the trigger exists on PostgreSQL only (cases migration 0002)
def test_the_database_refuses_changes_to_the_audit_log(participant, counsellor, org_a):
    from django.db import DatabaseError, connection, transaction

    from wegweiser.cases import selectors

    selectors.participant_get(counsellor, org_a, participant.pk)
    entry = AuditEntry.objects.filter(action="view").get()
    for sql in (
        "UPDATE cases_auditentry SET action = 'export' WHERE id = %s",
        "DELETE FROM cases_auditentry WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).action == "view"


# --- anonymisation keeps only the ESF records; the purge after the period -----------------------


def test_anonymisation_deletes_the_cases_not_needed_as_esf_records(
    full_case, participant, lead, counsellor, jmd_round, org_a
):
    from tests.cases.conftest import case_in_status
    from wegweiser.cases.models import CaseStatus
    from wegweiser.programmes.models import Project

    jmd = Project.objects.create(
        name="JMD A", funding_round=jmd_round, carrier=org_a, start=dt.date(2020, 1, 1)
    )
    non_esf = case_in_status(participant, CaseStatus.CLOSED, project=jmd, counsellor=counsellor)
    never_enrolled = services.case_open(participant, by=counsellor)
    assert services.participant_erase(participant, by=lead) == "anonymised"
    assert list(Case.objects.filter(participant=participant)) == [full_case]
    assert not Case.objects.filter(pk__in=[non_esf.pk, never_enrolled.pk]).exists()
    entry = AuditEntry.objects.get(action=AuditAction.ANONYMISE)
    assert entry.detail["kept_cases"] == [str(full_case.pk)]
    assert set(entry.detail["deleted_cases"]) == {str(non_esf.pk), str(never_enrolled.pk)}


def test_purge_deletes_anonymised_people_after_the_period(full_case, participant, lead):
    from io import StringIO

    from django.core.management import call_command

    ProjectRecordKeeping.objects.create(
        project=full_case.project, last_payment_on=dt.date(2026, 3, 12)
    )
    services.participant_erase(participant, by=lead, today=dt.date(2030, 1, 1))
    pseudonym = Participant.objects.get(pk=participant.pk).pseudonym
    out = StringIO()
    call_command("purge_expired_records", "--today", "2031-12-31", stdout=out)
    assert "0 anonymised participant(s) deleted" in out.getvalue()
    assert Participant.objects.filter(pk=participant.pk).exists()
    out = StringIO()
    call_command("purge_expired_records", "--today", "2032-01-01", "--dry-run", stdout=out)
    assert f"would delete {pseudonym}" in out.getvalue()
    assert Participant.objects.filter(pk=participant.pk).exists()
    out = StringIO()
    call_command("purge_expired_records", "--today", "2032-01-01", stdout=out)
    assert f"deleting {pseudonym}" in out.getvalue()
    assert "1 anonymised participant(s) deleted" in out.getvalue()
    assert not Participant.objects.filter(pk=participant.pk).exists()
    assert not Case.objects.filter(pk=full_case.pk).exists()
    entry = AuditEntry.objects.filter(action=AuditAction.ERASE).get()
    assert entry.actor is None and entry.participant_id == participant.pk
    assert entry.detail == {"deleted_cases": [str(full_case.pk)]}


def test_purge_leaves_people_who_are_not_anonymised(participant, case):
    assert services.purge_expired_records(today=dt.date(2100, 1, 1)) == []
    assert Participant.objects.filter(pk=participant.pk).exists()

"""Organisation scoping, roles and the audit log of every read."""

from __future__ import annotations

import uuid

import pytest

from wegweiser.accounts.models import Role
from wegweiser.audit.models import AuditAction, AuditEntry
from wegweiser.cases import selectors, services
from wegweiser.cases.errors import NotAllowed
from wegweiser.cases.models import Case, Participant

NO_PERSONAL_DATA = [
    Role.NETWORK_COORDINATOR,
    Role.PROGRAMME_ADMIN,
    Role.DATA_PROTECTION_OFFICER,
    Role.PLATFORM_ADMIN,
]


def test_another_organisations_participant_is_like_a_missing_one(
    participant, case, counsellor_b, org_b
):
    entries = AuditEntry.objects.count()
    with pytest.raises(Participant.DoesNotExist):
        selectors.participant_get(counsellor_b, org_b, participant.pk)
    with pytest.raises(Participant.DoesNotExist):
        selectors.participant_get(counsellor_b, org_b, uuid.uuid4())
    with pytest.raises(Case.DoesNotExist):
        selectors.case_get(counsellor_b, org_b, case.pk)
    assert not selectors.participants_for(counsellor_b, org_b).exists()
    assert not selectors.cases_for(counsellor_b, org_b).exists()
    assert AuditEntry.objects.count() == entries


def test_own_organisation_is_visible_and_each_read_logged(participant, case, counsellor, org_a):
    assert list(selectors.participants_for(counsellor, org_a)) == [participant]
    assert selectors.participant_get(counsellor, org_a, participant.pk) == participant
    assert selectors.participant_get(counsellor, org_a, participant.pk) == participant
    assert selectors.case_get(counsellor, org_a, case.pk) == case
    views = AuditEntry.objects.filter(action=AuditAction.VIEW).order_by("id")
    assert [(e.object_type, e.object_id) for e in views] == [
        ("participant", str(participant.pk)),
        ("participant", str(participant.pk)),
        ("case", str(case.pk)),
    ]
    assert all(e.actor == counsellor and e.organisation == org_a for e in views)
    assert all(e.participant_id == participant.pk for e in views)


def test_member_of_both_sees_each_only_in_its_context(participant, org_a, org_b, make_user):
    both = make_user(org_a, Role.COUNSELLOR)
    make_user(org_b, Role.COUNSELLOR)  # unrelated
    from wegweiser.accounts.models import Membership

    Membership.objects.create(user=both, organisation=org_b, role=Role.COUNSELLOR)
    assert selectors.participant_get(both, org_a, participant.pk) == participant
    with pytest.raises(Participant.DoesNotExist):
        selectors.participant_get(both, org_b, participant.pk)


@pytest.mark.parametrize("role", NO_PERSONAL_DATA)
def test_roles_without_personal_data(role, participant, case, org_a, make_user):
    user = make_user(org_a, role)
    assert not selectors.participants_for(user, org_a).exists()
    assert not selectors.cases_for(user, org_a).exists()
    with pytest.raises(Participant.DoesNotExist):
        selectors.participant_get(user, org_a, participant.pk)
    with pytest.raises(Case.DoesNotExist):
        selectors.case_get(user, org_a, case.pk)
    assert selectors.referrals_inbox(user, org_a) == []
    for call in (
        lambda: services.case_open(participant, by=user),
        lambda: services.case_start_clearing(case, by=user),
        lambda: services.participant_update(participant, by=user, phone="1"),
        lambda: services.participant_export(participant, by=user),
        lambda: services.participant_erase(participant, by=user),
    ):
        with pytest.raises(NotAllowed):
            call()
    case.refresh_from_db()
    assert case.status == "first_contact" and case.version == 1


def test_anonymous_user_sees_nothing(participant, org_a):
    from django.contrib.auth.models import AnonymousUser

    assert not selectors.participants_for(AnonymousUser(), org_a).exists()
    assert not selectors.participants_for(AnonymousUser(), None).exists()


def test_inactive_user_sees_nothing(participant, counsellor, org_a):
    counsellor.is_active = False
    counsellor.save()
    assert not selectors.participants_for(counsellor, org_a).exists()


def test_dpo_reads_the_audit_log_only_of_its_organisation(
    participant, counsellor, org_a, org_b, make_user
):
    dpo = make_user(org_a, Role.DATA_PROTECTION_OFFICER)
    dpo_b = make_user(org_b, Role.DATA_PROTECTION_OFFICER)
    selectors.participant_get(counsellor, org_a, participant.pk)
    log = selectors.audit_log_for(dpo, org_a)
    assert log.filter(action="view", participant_id=participant.pk).exists()
    assert not selectors.audit_log_for(dpo_b, org_b).exists()
    assert not selectors.audit_log_for(counsellor, org_a).exists()


def test_aggregates_for_coordinators_hold_no_person(case, org_a, make_user, counsellor):
    coordinator = make_user(org_a, Role.NETWORK_COORDINATOR)
    counts = selectors.case_counts(coordinator, org_a)
    assert counts["first_contact"] == 1 and counts["closed"] == 0
    assert set(counts) == {
        "first_contact",
        "clearing",
        "active",
        "followup",
        "closed",
        "dropped_out",
    }
    assert selectors.case_counts(counsellor, org_a) == {}


def test_services_refuse_objects_of_another_organisation(
    participant, case, counsellor_b, sharing_consent
):
    for call in (
        lambda: services.case_start_clearing(case, by=counsellor_b),
        lambda: services.consent_withdraw(sharing_consent, by=counsellor_b),
        lambda: services.goal_create(case, by=counsellor_b, title="x"),
        lambda: services.residence_status_record(
            participant, by=counsellor_b, title="duldung", valid_from=case.created_at.date()
        ),
    ):
        with pytest.raises(NotAllowed):
            call()


def test_audit_detail_refuses_names_and_special_categories():
    from wegweiser.audit.services import audit

    for detail in ({"family_name": "x"}, {"nested": [{"disability": "yes"}]}):
        with pytest.raises(ValueError):
            audit(actor=None, organisation=None, action="view", detail=detail)

"""Issue 11, "Partners": an accepted referral becomes a case of the receiving organisation in
one step, with the consented fields only; the inbox tells referrals apart."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from wegweiser.accounts.models import Role
from wegweiser.audit.models import AuditEntry
from wegweiser.cases import selectors, services
from wegweiser.cases.errors import ConsentMissing, InvalidData, NotAllowed, TransitionNotAllowed
from wegweiser.cases.models import (
    Case,
    CaseStatus,
    ConsentPurpose,
    Participant,
    Referral,
    ResidenceStatus,
    SharedField,
)


@pytest.fixture
def sent(case, counsellor, offer_b, sharing_consent):
    referral = services.referral_create(case, by=counsellor, offer=offer_b, message="Ruft an")
    return services.referral_send(referral, by=counsellor)


@pytest.fixture
def accepted(sent, counsellor_b):
    return services.referral_accept(sent, by=counsellor_b)


def test_an_accepted_referral_becomes_a_case_with_the_consented_fields_only(
    accepted, counsellor_b, org_b, participant
):
    case = services.referral_case_open(accepted, by=counsellor_b)
    assert (case.organisation, case.counsellor, case.status) == (
        org_b,
        counsellor_b,
        CaseStatus.FIRST_CONTACT,
    )
    person = case.participant
    assert person.organisation == org_b and person.pk != participant.pk
    assert person.pseudonym != participant.pseudonym
    # the consent covers name and phone: nothing else arrives
    assert (person.given_name, person.family_name, person.phone) == (
        "Amina",
        "Haddad",
        "0151 000000",
    )
    assert (person.email, person.date_of_birth, person.gender, person.kreis) == ("", None, "", "")
    assert person.languages == [] and person.citizenships == []
    assert not ResidenceStatus.objects.filter(participant=person).exists()
    assert not person.consents.exists()  # her consent to the receiver is recorded at the meeting
    assert Referral.objects.get(pk=accepted.pk).receiver_case == case
    entries = AuditEntry.objects.filter(participant_id=person.pk, actor=counsellor_b)
    assert {(e.object_type, e.action) for e in entries} == {
        ("participant", "create"),
        ("case", "create"),
    }
    assert all(e.detail["referral"] == str(accepted.pk) for e in entries)
    created = entries.get(object_type="participant")
    assert created.detail["fields"] == ["name", "phone"]


def test_the_residence_status_comes_along_when_the_consent_covers_it(
    sent, counsellor, counsellor_b, participant, org_b
):
    services.consent_record(
        participant,
        by=counsellor,
        purpose=ConsentPurpose.REFERRAL_SHARING,
        recipient=org_b,
        shared_fields=[
            SharedField.NAME,
            SharedField.DATE_OF_BIRTH,
            SharedField.LANGUAGES,
            SharedField.CITIZENSHIPS,
            SharedField.RESIDENCE_STATUS,
            SharedField.MESSAGE,
        ],
        given_on=dt.date(2025, 6, 2),
        text_version="2025-02",
        channel="written",
    )
    Referral.objects.filter(pk=sent.pk).update(
        consent=selectors.matching_consent(participant, "referral_sharing", org_b)
    )
    sent.refresh_from_db()
    case = services.referral_case_open(sent, by=counsellor_b, accept=True)
    person = case.participant
    assert person.date_of_birth == dt.date(1995, 5, 5)
    assert person.languages == ["ar", "de"] and person.citizenships == ["SY"]
    assert person.phone == ""  # not in this consent
    status = ResidenceStatus.objects.get(participant=person)
    assert (status.title, status.section, status.work_ban) == (
        "aufenthaltserlaubnis",
        "25(2)",
        "none",
    )
    assert status.valid_from <= timezone.localdate() and status.recorded_by == counsellor_b
    assert Referral.objects.get(pk=sent.pk).status == "accepted"


def test_a_case_is_opened_once(accepted, counsellor_b):
    services.referral_case_open(accepted, by=counsellor_b)
    with pytest.raises(InvalidData, match="schon ein Fall"):
        services.referral_case_open(accepted, by=counsellor_b)
    assert Case.objects.filter(organisation=accepted.receiving_organisation).count() == 1


def test_only_an_accepted_referral_unless_accepting_in_the_same_step(sent, counsellor_b):
    with pytest.raises(TransitionNotAllowed):
        services.referral_case_open(sent, by=counsellor_b)
    assert not Participant.objects.filter(organisation=sent.receiving_organisation).exists()
    services.referral_refuse(sent, by=counsellor_b, reason="no_capacity")
    with pytest.raises(TransitionNotAllowed):
        services.referral_case_open(sent, by=counsellor_b, accept=True)


def test_a_withdrawn_consent_stops_it(accepted, counsellor, counsellor_b, sharing_consent):
    services.consent_withdraw(sharing_consent, by=counsellor)
    with pytest.raises(ConsentMissing):
        services.referral_case_open(accepted, by=counsellor_b)
    assert not Participant.objects.filter(organisation=accepted.receiving_organisation).exists()


def test_only_caseworkers_of_the_receiving_organisation(accepted, counsellor, make_user, org_b):
    coordinator = make_user(org_b, Role.NETWORK_COORDINATOR)
    for user in (counsellor, coordinator):
        with pytest.raises(NotAllowed):
            services.referral_case_open(accepted, by=user)
    assert Referral.objects.get(pk=accepted.pk).receiver_case is None


# --- the pages -----------------------------------------------------------------------------------


def test_accept_and_open_in_one_step_on_the_received_page(client, sent, counsellor_b):
    client.force_login(counsellor_b)
    page = client.get(reverse("cases:received", kwargs={"referral_id": sent.pk})).content.decode()
    action = reverse("cases:received-open-case", kwargs={"referral_id": sent.pk})
    assert f'action="{action}"' in page and "Annehmen und Fall eröffnen" in page
    response = client.post(action)
    case = Case.objects.get(organisation=sent.receiving_organisation)
    assert response["Location"] == reverse("cases:case", kwargs={"case_id": case.pk})
    html = client.get(response["Location"]).content.decode()
    assert "Der Fall ist eröffnet" in html and "Aus einer Überweisung" in html
    assert "Amina Haddad" in html
    page = client.get(reverse("cases:received", kwargs={"referral_id": sent.pk})).content.decode()
    assert reverse("cases:case", kwargs={"case_id": case.pk}) in page
    assert "Annehmen und Fall eröffnen" not in page
    # again: refused with a message, nothing new
    response = client.post(action, follow=True)
    assert "schon ein Fall eröffnet" in response.content.decode()
    assert Case.objects.filter(organisation=sent.receiving_organisation).count() == 1


def test_an_accepted_referral_shows_the_open_case_button(client, accepted, counsellor_b):
    client.force_login(counsellor_b)
    page = client.get(reverse("cases:received", kwargs={"referral_id": accepted.pk}))
    html = page.content.decode()
    assert reverse("cases:received-open-case", kwargs={"referral_id": accepted.pk}) in html
    assert "Fall eröffnen" in html


def test_inbox_rows_tell_two_referrals_to_the_same_offer_apart(
    client, sent, counsellor, counsellor_b, org_a, offer_b, org_b
):
    from tests.cases.conftest import new_participant

    other = new_participant(org_a, counsellor, given_name="Rana")
    services.consent_record(
        other,
        by=counsellor,
        purpose=ConsentPurpose.REFERRAL_SHARING,
        recipient=org_b,
        shared_fields=[SharedField.PHONE],
        given_on=dt.date(2025, 6, 1),
        text_version="1",
        channel="written",
    )
    second = services.referral_create(
        services.case_open(other, by=counsellor), by=counsellor, offer=offer_b
    )
    services.referral_send(second, by=counsellor)
    assert sent.number != second.number
    client.force_login(counsellor_b)
    for path in ("/de/fall/eingang/", "/de/fall/"):
        html = client.get(path).content.decode()
        assert sent.number in html and second.number in html, path
        assert html.count("Sprachkurs B") >= 2
        assert timezone.localdate(sent.sent_at).strftime("%d.%m.%Y") in html
        assert sent.case.participant.pseudonym not in html and other.pseudonym not in html

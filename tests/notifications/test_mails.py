"""Issue 11: notifications by e-mail after the transaction commits, no personal data, in the
recipient's language, switchable per user."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from tests.public.conftest import send_contact
from wegweiser.accounts.models import Membership, Role
from wegweiser.cases import services as cases
from wegweiser.cases.models import ConsentPurpose, SharedField
from wegweiser.notifications.models import NotificationSettings
from wegweiser.public import services as public

NAME, PHONE, EMAIL = "Amal Haddad", "0151 2345678", "amal@example.org"


def _send_request(offer, **kwargs):
    return public.contact_request_create(
        offer=offer, name=NAME, phone=PHONE, email=EMAIL, language="ar", **kwargs
    )


def _no_person_in(message) -> None:
    text = message.subject + message.body
    for secret in (NAME, "Amal", "Haddad", PHONE, EMAIL, "2345678"):
        assert secret not in text, secret


def test_a_new_contact_request_mails_the_organisations_caseworkers_after_commit(
    reachable, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://wegweiser.example.org"
    User = get_user_model()
    org = reachable["org"]
    dpo = User.objects.create_user("dsb", email="dsb@nord.example")
    Membership.objects.create(user=dpo, organisation=org, role=Role.DATA_PROTECTION_OFFICER)
    gone = User.objects.create_user("weg", email="weg@nord.example", is_active=False)
    Membership.objects.create(user=gone, organisation=org, role=Role.COUNSELLOR)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        request = _send_request(reachable["offer"])
    assert mail.outbox == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert sorted(m.to[0] for m in mail.outbox) == ["beratung@nord.example", "leitung@nord.example"]
    message = mail.outbox[0]
    assert message.subject == f"Neue Kontaktanfrage {request.reference}"
    assert request.reference in message.body and "Beratung Nord" in message.body
    assert f"https://wegweiser.example.org/de/fall/faelle/{request.case_id}/" in message.body
    assert "https://wegweiser.example.org/de/konto/benachrichtigungen/" in message.body
    _no_person_in(message)


def test_without_a_site_address_the_mail_names_the_path(
    reachable, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = ""
    with django_capture_on_commit_callbacks(execute=True):
        request = _send_request(reachable["offer"])
    body = mail.outbox[0].body
    assert f"unter der Adresse /de/fall/faelle/{request.case_id}/" in body
    assert "http" not in body


def test_the_mail_speaks_the_recipients_language(reachable, django_capture_on_commit_callbacks):
    NotificationSettings.objects.create(user=reachable["counsellor"], language="ar")
    with django_capture_on_commit_callbacks(execute=True):
        request = _send_request(reachable["offer"])
    by_address = {m.to[0]: m for m in mail.outbox}
    arabic, german = by_address["beratung@nord.example"], by_address["leitung@nord.example"]
    assert german.subject.startswith("Neue Kontaktanfrage")
    assert request.reference in arabic.subject and "Kontaktanfrage" not in arabic.subject
    assert re.search(r"[\u0600-\u06FF]", arabic.subject + arabic.body)
    assert f"/ar/fall/faelle/{request.case_id}/" in arabic.body


def test_a_user_who_switched_mails_off_gets_none(reachable, django_capture_on_commit_callbacks):
    NotificationSettings.objects.create(user=reachable["counsellor"], email_enabled=False)
    with django_capture_on_commit_callbacks(execute=True):
        _send_request(reachable["offer"])
    assert [m.to[0] for m in mail.outbox] == ["leitung@nord.example"]


def test_a_refused_request_mails_nobody(reachable, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(public.ContactRefused):
        _send_request(reachable["offer"], shared={"gender": "unknown"})
    assert mail.outbox == []


def test_a_request_through_the_page_mails_too(
    client, reachable, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send_contact(client, reachable["offer"], "uk", name=NAME)
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        _no_person_in(message)


def test_a_failing_mail_server_does_not_undo_the_request(
    client, reachable, django_capture_on_commit_callbacks, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    with django_capture_on_commit_callbacks(execute=True):
        response = send_contact(client, reachable["offer"], name=NAME)
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    from wegweiser.public.models import ContactRequest

    assert ContactRequest.objects.count() == 1


# --- referrals -----------------------------------------------------------------------------------


@pytest.fixture
def referral_world(reachable):
    """Organisation A (with a case) refers to the reachable organisation's offer."""
    from wegweiser.organisations.models import Organisation

    User = get_user_model()
    org_a = Organisation.objects.create(name="Träger A", kind="wohlfahrtsverband")
    sender = User.objects.create_user("a-beratung", email="beratung@a.example")
    other = User.objects.create_user("a-kollegin", email="kollegin@a.example")
    for user in (sender, other):
        Membership.objects.create(user=user, organisation=org_a, role=Role.COUNSELLOR)
    person = cases.participant_create(
        by=sender, organisation=org_a, given_name="Amal", family_name="Haddad", phone=PHONE
    )
    cases.consent_record(
        person,
        by=sender,
        purpose=ConsentPurpose.REFERRAL_SHARING,
        recipient=reachable["org"],
        shared_fields=[SharedField.NAME, SharedField.PHONE],
        given_on=dt.date.today(),
        text_version="1",
        channel="written",
    )
    case = cases.case_open(person, by=sender)
    referral = cases.referral_create(case, by=sender, offer=reachable["offer"])
    return {**reachable, "org_a": org_a, "sender": sender, "case": case, "referral": referral}


def test_a_sent_referral_mails_the_receiving_organisation(
    referral_world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        cases.referral_send(referral_world["referral"], by=referral_world["sender"])
    assert sorted(m.to[0] for m in mail.outbox) == ["beratung@nord.example", "leitung@nord.example"]
    message = mail.outbox[0]
    assert message.subject == "Neue Überweisung an Beratung Nord"
    assert "Träger A" in message.body and "Beratung zur Arbeit" in message.body
    assert f"/de/fall/eingang/{referral_world['referral'].pk}/" in message.body
    _no_person_in(message)


@pytest.mark.parametrize("answer", ["accept", "refuse", "link"])
def test_an_answer_mails_the_sending_cases_counsellor(
    referral_world, django_capture_on_commit_callbacks, answer
):
    referral = referral_world["referral"]
    cases.referral_send(referral, by=referral_world["sender"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        if answer == "accept":
            cases.referral_accept(referral, by=referral_world["counsellor"])
        elif answer == "refuse":
            cases.referral_refuse(
                referral, by=referral_world["counsellor"], reason="other", note="Krank"
            )
        else:
            _link, token = cases.referral_link_create(referral, by=referral_world["sender"])
            cases.referral_answer_by_link(token, accept=True)
    assert [m.to[0] for m in mail.outbox] == ["beratung@a.example"]  # not her colleague
    message = mail.outbox[0]
    verb = "abgelehnt" if answer == "refuse" else "angenommen"
    assert message.subject == f"Überweisung {verb}: Beratung Nord"
    assert f"/de/fall/faelle/{referral_world['case'].pk}/" in message.body
    assert "Krank" not in message.body
    _no_person_in(message)


def test_an_answer_for_a_case_without_counsellor_goes_to_the_team_leads(
    referral_world, django_capture_on_commit_callbacks
):
    from wegweiser.cases.models import Case

    referral = referral_world["referral"]
    cases.referral_send(referral, by=referral_world["sender"])
    Case.objects.filter(pk=referral_world["case"].pk).update(counsellor=None)
    Membership.objects.filter(user=referral_world["sender"]).delete()  # she left
    lead = get_user_model().objects.create_user("a-leitung", email="leitung@a.example")
    Membership.objects.create(user=lead, organisation=referral_world["org_a"], role=Role.TEAM_LEAD)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cases.referral_accept(referral, by=referral_world["counsellor"])
    assert [m.to[0] for m in mail.outbox] == ["leitung@a.example"]

"""The settings page and the counts on the start page (issue 11)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from tests.public.conftest import send_contact
from wegweiser.accounts.models import Membership, Role
from wegweiser.audit.models import AuditEntry
from wegweiser.cases.models import Case, CaseStatus, FollowUp, Participant
from wegweiser.notifications.models import NotificationSettings

URL = "/de/konto/benachrichtigungen/"


@pytest.fixture
def signed_in(reachable):
    staff = Client()
    staff.force_login(reachable["counsellor"])
    return staff


def test_anonymous_visitors_are_sent_to_the_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and "/konto/login/" in response["Location"]


@pytest.mark.parametrize("role", list(Role))
def test_every_role_has_the_page(reachable, role):
    user = get_user_model().objects.create_user(f"r-{role}", password="x")
    Membership.objects.create(user=user, organisation=reachable["org"], role=role)
    staff = Client()
    staff.force_login(user)
    response = staff.get(URL)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "Benachrichtigungen per E-Mail" in response.content.decode()


def test_switching_mails_off_and_choosing_the_language(signed_in, reachable):
    response = signed_in.post(
        URL, {"language": "tr", "email": "beratung@nord.example", "email_enabled": ""}
    )
    assert response.status_code == 302
    prefs = NotificationSettings.objects.get(user=reachable["counsellor"])
    assert (prefs.email_enabled, prefs.language) == (False, "tr")
    assert "Ihre Einstellungen sind gespeichert" in signed_in.get(URL).content.decode()


def test_a_new_address_needs_the_password(signed_in, reachable):
    user = reachable["counsellor"]
    data = {"language": "de", "email": "neu@nord.example", "email_enabled": "on"}
    response = signed_in.post(URL, {**data, "password": "falsch"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'href="#id_password"' in html and 'aria-invalid="true"' in html
    user.refresh_from_db()
    assert user.email == "beratung@nord.example"
    assert not NotificationSettings.objects.exists()
    response = signed_in.post(URL, {**data, "password": "x"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == "neu@nord.example"
    entry = AuditEntry.objects.get(object_type="user", object_id=str(user.pk))
    assert entry.detail == {"fields": ["email"]} and entry.actor == user


def test_mails_without_an_address_are_refused(signed_in, reachable):
    response = signed_in.post(
        URL, {"language": "de", "email": "", "email_enabled": "on", "password": "x"}
    )
    assert response.status_code == 400
    assert "Ohne E-Mail-Adresse" in response.content.decode()


def test_the_start_page_counts_what_is_new(signed_in, client, reachable):
    send_contact(client, reachable["offer"], name="Amal")
    send_contact(client, reachable["offer"], name="Rana", phone="0151 7654321")
    person = Participant.objects.create(organisation=reachable["org"], given_name="Lina")
    case = Case.objects.create(
        participant=person,
        organisation=reachable["org"],
        counsellor=reachable["counsellor"],
        status=CaseStatus.FOLLOWUP,
    )
    FollowUp.objects.create(
        case=case,
        offset="4w",
        situation="work",
        start_date=timezone.localdate() - dt.timedelta(days=40),
        due_date=timezone.localdate() - dt.timedelta(days=12),
    )
    html = signed_in.get("/de/fall/").content.decode()
    notices = html.split('id="notices-heading"')[1].split("</section>")[0]
    assert "2 neue Kontaktanfragen" in notices
    assert "1 Nachbetreuungstermin fällig" in notices
    assert "0 Überweisungen an uns warten auf Antwort" in notices
    assert 'href="/de/konto/benachrichtigungen/"' in notices
    assert "Amal" not in notices and "Lina" not in notices


def test_roles_without_casework_see_no_counts(reachable):
    user = get_user_model().objects.create_user("netz", password="x")
    Membership.objects.create(
        user=user, organisation=reachable["org"], role=Role.NETWORK_COORDINATOR
    )
    staff = Client()
    staff.force_login(user)
    assert 'id="notices-heading"' not in staff.get("/de/fall/").content.decode()

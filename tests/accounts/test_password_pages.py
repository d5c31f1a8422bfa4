"""Login, logout, password change and password reset: our layout in every language, and the
reset mail through Django's mail framework (locmem outbox) with nothing but the link."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import translation

from wegweiser.accounts.models import Membership, Role
from wegweiser.organisations.models import Organisation

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _ in settings.LANGUAGES]
PASSWORD = "Ein-langes-Passwort-2026"
NEW_PASSWORD = "Noch-ein-langes-Passwort-77"
LINK = re.compile(r"https?://\S+/konto/passwort-neu/\S+/")


@pytest.fixture
def person():
    org = Organisation.objects.create(name="Beratung A", kind="beratungsstelle")
    user = get_user_model().objects.create_user(
        "anna.beispiel", email="anna@example.org", password=PASSWORD
    )
    Membership.objects.create(user=user, organisation=org, role=Role.COUNSELLOR)
    return user


def url(name: str, language: str, **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def assert_our_page(response, language: str) -> str:
    """Our layout (base.html) in ``language``, no Django admin template, no template syntax."""
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    assert 'class="site-header"' in html and "wegweiser/site.css" in html
    rtl = translation.get_language_info(language)["bidi"]
    assert f'dir="{"rtl" if rtl else "ltr"}"' in html
    for marker in ("Django", "admin/css", "{%", "{{", "{#", "#}"):
        assert marker not in html, marker
    return html


def reset_link(language: str = "de") -> str:
    (message,) = mail.outbox
    found = LINK.findall(message.body)
    assert len(found) == 1, message.body
    return found[0]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_account_page_in_our_layout(client, person, language):
    assert_our_page(client.get(url("login", language)), language)
    assert_our_page(client.get(url("password_reset", language)), language)
    assert_our_page(client.get(url("password_reset_done", language)), language)
    assert_our_page(client.get(url("password_reset_complete", language)), language)
    invalid = url("password_reset_confirm", language, uidb64="MQ", token="abc-def")
    assert_our_page(client.get(invalid), language)
    # a valid link: the token moves into the session, then the form
    with translation.override(language):
        client.post(url("password_reset", language), {"email": "anna@example.org"})
    response = client.get(reset_link(language), follow=True)
    html = assert_our_page(response, language)
    assert 'name="new_password1"' in html and 'autocomplete="new-password"' in html
    client.force_login(person)
    html = assert_our_page(client.get(url("password_change", language)), language)
    assert 'name="old_password"' in html
    assert_our_page(client.get(url("password_change_done", language)), language)
    assert_our_page(client.post(url("logout", language)), language)


def test_the_pages_speak_the_language_of_the_url(client, person):
    german = client.get(url("password_reset", "de")).content.decode()
    assert "Passwort vergessen" in german and "E-Mail-Adresse" in german
    english = client.get(url("password_reset", "en")).content.decode()
    assert "Passwort vergessen" not in english and "Forgot" in english
    logged_out = client.post(url("logout", "tr")).content.decode()
    assert "abgemeldet" not in logged_out


def test_the_login_page_links_the_reset(client):
    html = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("password_reset")}"' in html


def test_reset_mail_holds_only_the_link(client, person):
    response = client.post(reverse("password_reset"), {"email": "ANNA@example.org"})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    (message,) = mail.outbox
    assert message.to == ["anna@example.org"]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert "Passwort" in message.subject and "\n" not in message.subject
    body = message.body
    assert reset_link() in body
    for personal in ("anna.beispiel", "anna@example.org", "Beratung A", "Anna"):
        assert personal not in body and personal not in message.subject
    assert "24 Stunden" in body  # PASSWORD_RESET_TIMEOUT (WEGWEISER_PASSWORD_RESET_HOURS)


def test_the_mail_speaks_the_language_of_the_page(client, person):
    client.post(url("password_reset", "ar"), {"email": "anna@example.org"})
    (message,) = mail.outbox
    assert "/ar/konto/passwort-neu/" in message.body
    assert "Passwort" not in message.body and "Passwort" not in message.subject


@pytest.mark.parametrize("email", ["nobody@example.org", "not-an-address"])
def test_no_mail_for_unknown_addresses_and_the_same_answer(client, person, email):
    response = client.post(reverse("password_reset"), {"email": email})
    assert mail.outbox == []
    if "@" in email:  # the same answer as for a known address: nobody learns who has an account
        assert response.status_code == 302
        assert response["Location"] == reverse("password_reset_done")
    else:
        assert response.status_code == 200
        assert "field-error" in response.content.decode()


def test_no_mail_for_deactivated_accounts_or_open_invitations(client, person):
    person.is_active = False
    person.save()
    invited = get_user_model().objects.create_user("neu@example.org", email="neu@example.org")
    assert not invited.has_usable_password()
    for email in ("anna@example.org", "neu@example.org"):
        client.post(reverse("password_reset"), {"email": email})
    assert mail.outbox == []


def test_the_link_sets_a_new_password_once(client, person):
    client.post(reverse("password_reset"), {"email": "anna@example.org"})
    link = reset_link()
    form = client.get(link)
    assert form.status_code == 302  # the token leaves the URL for the session
    set_url = form["Location"]
    assert "set-password" in set_url
    mismatch = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": "anders"})
    assert mismatch.status_code == 200 and "field-error" in mismatch.content.decode()
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)
    # used up: the same link again is the "no longer valid" page without a form
    again = client.get(link, follow=True).content.decode()
    assert 'name="new_password1"' not in again
    assert reverse("password_reset") in again
    # and the new password logs in
    login = client.post(reverse("login"), {"username": "anna.beispiel", "password": NEW_PASSWORD})
    assert login.status_code == 302 and login["Location"] == reverse("accounts:home")


def test_a_link_of_a_since_deactivated_account_is_invalid(client, person):
    client.post(reverse("password_reset"), {"email": "anna@example.org"})
    link = reset_link()
    person.is_active = False
    person.save()
    html = client.get(link, follow=True).content.decode()
    assert 'name="new_password1"' not in html
    person.refresh_from_db()
    assert person.check_password(PASSWORD)


def test_password_change_needs_the_old_password(client, person):
    client.force_login(person)
    wrong = client.post(
        reverse("password_change"),
        {"old_password": "falsch", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert wrong.status_code == 200
    person.refresh_from_db()
    assert person.check_password(PASSWORD)
    right = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert right.status_code == 302 and right["Location"] == reverse("password_change_done")
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)


def test_password_rules_are_plain_help_text(client, person):
    client.force_login(person)
    html = client.get(reverse("password_change")).content.decode()
    help_text = re.search(r'<p class="help" id="id_new_password1_helptext">(.*?)</p>', html, re.S)
    assert help_text and "<ul>" not in help_text.group(1) and "8" in help_text.group(1)


def test_the_locked_out_page_links_the_reset():
    from django.template.loader import render_to_string

    html = render_to_string("registration/locked_out.html", {"failure_limit": 5})
    assert reverse("password_reset") in html


def test_account_pages_are_not_cached(client, person):
    for name in ("login", "password_reset", "password_reset_done", "password_reset_complete"):
        assert "no-store" in client.get(reverse(name)).get("Cache-Control", ""), name

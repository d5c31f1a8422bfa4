"""Failed logins are throttled (django-axes): five failures lock the username from that address."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.urls import reverse


@pytest.fixture
def user(db):
    return get_user_model().objects.create_user("beraterin", password="richtig-und-lang-1")


@override_settings(AXES_ENABLED=True)
def test_five_failures_lock_the_login_with_a_translated_message(client, user):
    login = reverse("login")
    for _ in range(4):
        response = client.post(login, {"username": "beraterin", "password": "falsch"})
        assert response.status_code == 200
        assert "Benutzername oder Passwort sind falsch." in response.content.decode()
    response = client.post(login, {"username": "beraterin", "password": "falsch"})
    assert response.status_code == 429
    assert "Anmeldung vorübergehend gesperrt" in response.content.decode()
    assert "15 Minuten" in response.content.decode()
    # Even the right password is refused during the lock-out.
    response = client.post(login, {"username": "beraterin", "password": "richtig-und-lang-1"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@override_settings(AXES_ENABLED=True)
def test_a_success_resets_the_count(client, user):
    login = reverse("login")
    for _ in range(4):
        client.post(login, {"username": "beraterin", "password": "falsch"})
    response = client.post(login, {"username": "beraterin", "password": "richtig-und-lang-1"})
    assert response.status_code == 302 and response["Location"] == reverse("cases:start")
    client.logout()
    for _ in range(4):
        assert client.post(login, {"username": "beraterin", "password": "x"}).status_code == 200


@override_settings(AXES_ENABLED=True)
def test_another_username_is_not_locked(client, user):
    login = reverse("login")
    for _ in range(5):
        client.post(login, {"username": "jemand", "password": "falsch"})
    response = client.post(login, {"username": "beraterin", "password": "richtig-und-lang-1"})
    assert response.status_code == 302

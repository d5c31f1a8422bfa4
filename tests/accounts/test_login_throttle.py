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
    assert response.status_code == 302 and response["Location"] == reverse("accounts:home")
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


# --- behind a proxy, and one address trying many usernames ---------------------------------------


@override_settings(AXES_ENABLED=True, WEGWEISER_LOGIN_ADDRESS_FAILURE_LIMIT=20)
def test_one_address_is_locked_after_twenty_failures_across_usernames(client, user):
    login = reverse("login")
    for n in range(20):
        response = client.post(login, {"username": f"jemand{n}", "password": "falsch"})
    assert response.status_code == 429
    response = client.post(login, {"username": "beraterin", "password": "richtig-und-lang-1"})
    assert response.status_code == 429


@override_settings(AXES_ENABLED=True, WEGWEISER_LOGIN_ADDRESS_FAILURE_LIMIT=20)
def test_a_few_failures_of_several_people_at_one_office_lock_nobody_else(client, user):
    login = reverse("login")
    for n in range(4):
        for _ in range(4):
            client.post(login, {"username": f"kollegin{n}", "password": "falsch"})
    response = client.post(login, {"username": "beraterin", "password": "richtig-und-lang-1"})
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.1"),  # no proxy: the header is ignored
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "198.51.100.7, 203.0.113.9", "203.0.113.9"),  # the left one is the client's claim
        (2, "198.51.100.7, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        (2, "203.0.113.9", "10.0.0.1"),  # fewer hops than proxies: not through our proxies
        (1, "kein-ip", "10.0.0.1"),
        (1, "", "10.0.0.1"),
    ],
)
def test_client_ip_trusts_only_the_configured_proxies(rf, settings, proxies, forwarded, expected):
    from wegweiser.accounts.axes import client_ip

    settings.WEGWEISER_TRUSTED_PROXY_COUNT = proxies
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


@override_settings(AXES_ENABLED=True, WEGWEISER_TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_each_client_address_counts_separately(client, user):
    login = reverse("login")
    for _ in range(5):
        client.post(
            login,
            {"username": "beraterin", "password": "falsch"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.9",
        )
    locked = client.post(
        login,
        {"username": "beraterin", "password": "richtig-und-lang-1"},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )
    assert locked.status_code == 429
    # another client behind the same proxy is not locked out
    other = client.post(
        login,
        {"username": "beraterin", "password": "richtig-und-lang-1"},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert other.status_code == 302

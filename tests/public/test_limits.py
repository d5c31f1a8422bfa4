"""Issue 11: flooding is refused. Limits per client address and per offer (settings), a
translated 429 page in the site's layout, and nothing written for a refused request."""

from __future__ import annotations

import threading

import pytest
from django.apps import apps
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, connections
from django.test import Client, RequestFactory

from tests.public.conftest import send_contact, token_of
from wegweiser.audit.models import AuditEntry
from wegweiser.cases.models import Case, Consent, Participant
from wegweiser.core.models import LimitCacheEntry
from wegweiser.public import limits, services
from wegweiser.public.models import ContactRequest

PERSONAL = (Participant, Case, Consent, ContactRequest, AuditEntry)


def counts() -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in apps.get_models() if m._meta.managed}


def test_200_requests_from_one_address_within_a_minute_make_at_most_the_limit(client, reachable):
    """The acceptance test: 200 different requests from one address to one offer."""
    limit = 5  # the default, WEGWEISER_CONTACT_LIMIT_PER_ADDRESS = "5/h"
    page = client.get(f"/de/selbstcheck/kontakt/{reachable['offer'].pk}/")
    token = token_of(page)
    statuses = []
    before_refused = None
    for i in range(200):
        if i == limit:
            before_refused = counts()
        response = client.post(
            f"/de/selbstcheck/kontakt/{reachable['offer'].pk}/",
            {"token": token, "name": f"Person {i}", "phone": f"0151 {i:07d}", "consent": "on"},
        )
        statuses.append(response.status_code)
    assert statuses[:limit] == [302] * limit
    assert statuses[limit:] == [429] * (200 - limit)
    assert Case.objects.count() == ContactRequest.objects.count() == limit
    # the 195 refused ones wrote nothing at all (no person, case, consent, request, audit entry,
    # and not even a count: they roll back with their transaction)
    assert counts() == before_refused


def test_the_refusal_is_a_translated_page_in_the_sites_layout(client, reachable, settings):
    settings.WEGWEISER_CONTACT_LIMIT_PER_ADDRESS = "1/h"
    send_contact(client, reachable["offer"], "ar", name="Eins")
    response = send_contact(client, reachable["offer"], "ar", name="Zwei", phone="0151 7654321")
    html = response.content.decode()
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    assert '<html lang="ar" dir="rtl">' in html
    assert 'class="site-header"' in html and "site-footer" in html  # the public layout
    assert "Gerade zu viele Anfragen" not in html  # in Arabic, not German
    assert 'role="alert"' in html
    assert ContactRequest.objects.count() == 1


def test_the_refusal_shows_how_to_reach_the_offer_directly(client, reachable, settings):
    settings.WEGWEISER_CONTACT_LIMIT_PER_ADDRESS = "1/h"
    reachable["offer"].phone = "069 333333"
    reachable["offer"].save()
    send_contact(client, reachable["offer"], name="Eins")
    html = send_contact(
        client, reachable["offer"], name="Zwei", phone="0151 1111111"
    ).content.decode()
    assert "Gerade zu viele Anfragen" in html and "069 333333" in html


def test_the_offer_has_its_own_limit_whatever_the_address(reachable, settings):
    settings.WEGWEISER_CONTACT_LIMIT_PER_OFFER = "3/h"
    made = 0
    for i in range(6):
        visitor = Client(REMOTE_ADDR=f"198.51.100.{i + 1}")
        response = send_contact(visitor, reachable["offer"], name=f"P {i}", phone=f"0151 {i}0000")
        made += response.status_code == 302
        assert response.status_code in (302, 429)
    assert made == ContactRequest.objects.count() == 3


def test_another_offer_is_not_blocked_by_a_full_one(reachable, settings):
    from wegweiser.directory.models import Offer

    settings.WEGWEISER_CONTACT_LIMIT_PER_OFFER = "1/h"
    other = Offer.objects.create(
        organisation=reachable["org"], name={"de": "Zweites Angebot"}, status=Offer.PUBLISHED
    )
    assert send_contact(Client(REMOTE_ADDR="198.51.100.1"), reachable["offer"]).status_code == 302
    blocked = send_contact(Client(REMOTE_ADDR="198.51.100.2"), reachable["offer"], name="B")
    assert blocked.status_code == 429
    assert send_contact(Client(REMOTE_ADDR="198.51.100.2"), other, name="B").status_code == 302


def test_a_duplicate_does_not_count(client, reachable, settings):
    settings.WEGWEISER_CONTACT_LIMIT_PER_ADDRESS = "2/h"
    for _ in range(5):
        assert send_contact(client, reachable["offer"], name="Amal").status_code == 302
    assert send_contact(client, reachable["offer"], name="Rana").status_code == 302
    assert send_contact(client, reachable["offer"], name="Lina").status_code == 429
    assert ContactRequest.objects.count() == 2


def test_invalid_forms_do_not_count(client, reachable, settings):
    settings.WEGWEISER_CONTACT_LIMIT_PER_ADDRESS = "1/h"
    for _ in range(3):
        assert send_contact(client, reachable["offer"], consent="").status_code == 400
    assert send_contact(client, reachable["offer"]).status_code == 302


# --- the client address ---------------------------------------------------------------------------


def test_behind_a_proxy_the_forwarded_address_counts(reachable, settings):
    settings.WEGWEISER_CONTACT_LIMIT_PER_ADDRESS = "1/h"
    settings.WEGWEISER_TRUSTED_PROXY_COUNT = 1
    for i in range(3):  # three clients behind the same proxy: each has its own count
        visitor = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"203.0.113.{i + 1}")
        assert send_contact(visitor, reachable["offer"], name=f"P{i}").status_code == 302
    # a client cannot escape by writing its own header: only the proxy's entry counts
    forged = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.1")
    assert send_contact(forged, reachable["offer"], name="P9").status_code == 429


def test_without_a_proxy_the_header_is_ignored(reachable, settings):
    settings.WEGWEISER_CONTACT_LIMIT_PER_ADDRESS = "1/h"
    settings.WEGWEISER_TRUSTED_PROXY_COUNT = 0
    first = Client(REMOTE_ADDR="192.0.2.9", HTTP_X_FORWARDED_FOR="203.0.113.1")
    second = Client(REMOTE_ADDR="192.0.2.9", HTTP_X_FORWARDED_FOR="203.0.113.2")
    assert send_contact(first, reachable["offer"], name="A").status_code == 302
    assert send_contact(second, reachable["offer"], name="B").status_code == 429


@pytest.mark.parametrize(
    ("remote", "key"),
    [
        ("192.0.2.10", "192.0.2.10"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::"),
        ("2001:db8:1:2:ffff::1", "2001:db8:1:2::"),
        ("", "unknown"),
    ],
)
def test_an_ipv6_client_counts_by_its_64_network(remote, key):
    request = RequestFactory().get("/", REMOTE_ADDR=remote)
    assert limits.client_key(request) == key


def test_no_address_is_stored(reachable, settings):
    address = "203.0.113.77"
    settings.WEGWEISER_CONTACT_LIMIT_PER_ADDRESS = "1/h"
    visitor = Client(REMOTE_ADDR=address)
    send_contact(visitor, reachable["offer"], name="A")
    send_contact(visitor, reachable["offer"], name="B")
    assert LimitCacheEntry.objects.exists()
    with connection.cursor() as cursor:
        for model in apps.get_models():
            if not model._meta.managed:
                continue
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608
            for row in cursor.fetchall():
                assert address not in repr(row), model._meta.label
    # and the counter's key is not the plain hash of the address (which could be searched)
    entry_keys = set(LimitCacheEntry.objects.values_list("cache_key", flat=True))
    assert not any(address in k for k in entry_keys)


def test_the_limit_settings_are_checked_at_start_up(monkeypatch):
    from wegweiser.config.settings import _rate

    monkeypatch.setenv("X_LIMIT", "5/h")
    assert _rate("X_LIMIT", "1/h") == "5/h"
    for bad in ("5", "five/h", "0/h", "5/w", "5 per hour"):
        monkeypatch.setenv("X_LIMIT", bad)
        with pytest.raises(ImproperlyConfigured):
            _rate("X_LIMIT", "1/h")


# --- the shared cache ----------------------------------------------------------------------------


def test_the_limits_cache_counts_in_the_database(db):
    cache = caches["limits"]
    assert cache.add("k", 1, 60)
    assert not cache.add("k", 1, 60)
    assert cache.incr("k") == 2 and cache.incr("k", 3) == 5
    assert cache.get("k") == 5
    assert LimitCacheEntry.objects.filter(cache_key__endswith="k").count() == 1
    with pytest.raises(ValueError):
        cache.incr("missing")


def _in_threads(count: int, work) -> None:
    """Run ``work(i)`` in ``count`` threads released together; each closes its connection."""
    barrier = threading.Barrier(count)

    def run(i: int) -> None:
        try:
            barrier.wait()
            work(i)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_increments_lose_no_count():
    cache = caches["limits"]
    cache.clear()
    cache.add("together", 0, 60)
    _in_threads(16, lambda i: cache.incr("together"))
    assert cache.get("together") == 16
    cache.clear()


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_cannot_pass_the_limit_together(settings):
    """Twelve requests at the same moment from one address to twelve offers (threads, each with
    its own database connection, like server processes): exactly the limit gets through."""
    from django.contrib.auth import get_user_model

    from wegweiser.accounts.models import Membership, Role
    from wegweiser.directory.models import Offer
    from wegweiser.organisations.models import Organisation

    settings.WEGWEISER_CONTACT_LIMIT_PER_ADDRESS = "4/h"
    org = Organisation.objects.create(name="Parallel", kind="beratungsstelle")
    offers = [
        Offer.objects.create(organisation=org, name={"de": f"P{i}"}, status=Offer.PUBLISHED)
        for i in range(12)
    ]
    user = get_user_model().objects.create_user("parallel")
    Membership.objects.create(user=user, organisation=org, role=Role.COUNSELLOR)
    caches["limits"].clear()
    outcomes: list[str] = []

    def one(i: int) -> None:
        try:
            services.contact_request_create(
                offer=offers[i], name=f"P{i}", phone=f"0151 {i:07d}", client="198.51.100.1"
            )
            outcomes.append("made")
        except services.LimitReached:
            outcomes.append("refused")

    _in_threads(12, one)
    assert sorted(outcomes) == ["made"] * 4 + ["refused"] * 8
    assert ContactRequest.objects.count() == 4
    caches["limits"].clear()


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_double_click_at_the_same_moment_is_one_request():
    from django.contrib.auth import get_user_model

    from wegweiser.accounts.models import Membership, Role
    from wegweiser.directory.models import Offer
    from wegweiser.organisations.models import Organisation

    org = Organisation.objects.create(name="Doppelklick", kind="beratungsstelle")
    offer = Offer.objects.create(organisation=org, name={"de": "D"}, status=Offer.PUBLISHED)
    user = get_user_model().objects.create_user("doppel")
    Membership.objects.create(user=user, organisation=org, role=Role.COUNSELLOR)
    caches["limits"].clear()
    references: list[str] = []

    def one(_i: int) -> None:
        request = services.contact_request_create(
            offer=offer, name="Amal", phone="0151 2345678", client="198.51.100.2"
        )
        references.append(request.reference)

    _in_threads(4, one)
    assert len(references) == 4 and len(set(references)) == 1
    assert ContactRequest.objects.count() == 1
    caches["limits"].clear()

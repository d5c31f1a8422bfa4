"""Flood protection of the contact request: limits per client address and per offer, and the
same request sent twice counted once.

The counting is django-ratelimit's (fixed windows in a cache, keys hashed with SHA-256) on the
``limits`` cache, a database table shared by every server process with an atomic increment
(``core/cache.py``). The services call :func:`check` inside the transaction that writes the
request, after locking the offer's row: a refused request rolls its own counts back and writes
nothing, and two requests for one offer are counted one after the other.

The client address follows ``WEGWEISER_TRUSTED_PROXY_COUNT`` (``accounts.axes.client_ip``); an
IPv6 address counts by its /64 network (one household or phone gets a whole /64). It is never
stored: the cache key is a hash of an HMAC of it with the secret key.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django_ratelimit.core import get_usage

from wegweiser.accounts.axes import client_ip

ADDRESS_GROUP = "wegweiser.public.contact.address"
OFFER_GROUP = "wegweiser.public.contact.offer"
DUPLICATE_PREFIX = "wegweiser.public.contact.sent:"


@dataclass(frozen=True)
class Exceeded:
    """A limit that refused a request: which one, and in how many seconds it opens again."""

    scope: str  # "address" or "offer"
    retry_after: int


def client_key(request) -> str:
    """The address a request is counted by (IPv6: its /64 network); ``unknown`` without one."""
    address = client_ip(request) or ""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "unknown"
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return str(ip)


def address_key(request) -> str:
    """What a client address is counted by in the cache: an HMAC of :func:`client_key`."""
    return _keyed(client_key(request))


def _count(group: str, value: str, rate: str) -> dict | None:
    return get_usage(
        None, group=group, key=lambda _group, _request: value, rate=rate, increment=True
    )


def check(*, client: str, offer_id) -> Exceeded | None:
    """Count one request from ``client`` to ``offer_id``; the limit it exceeds, if any.

    Counts the address first; a request the address limit refuses does not count for the offer.
    Call it inside the writing transaction: a refusal there is rolled back with the counts.
    """
    for scope, group, value, rate in (
        ("address", ADDRESS_GROUP, _keyed(client), settings.WEGWEISER_CONTACT_LIMIT_PER_ADDRESS),
        ("offer", OFFER_GROUP, str(offer_id), settings.WEGWEISER_CONTACT_LIMIT_PER_OFFER),
    ):
        usage = _count(group, value, rate)
        if usage is not None and usage["should_limit"]:
            return Exceeded(scope=scope, retry_after=max(usage["time_left"], 1))
    return None


def _keyed(text: str) -> str:
    """An HMAC of ``text`` with the secret key: without the key, no address can be found back
    from the cache (django-ratelimit's own SHA-256 of an IPv4 address could be searched)."""
    return hmac.new(settings.SECRET_KEY.encode(), text.encode(), hashlib.sha256).hexdigest()


def _normal(text: str) -> str:
    return " ".join(text.casefold().split())


def fingerprint(*, offer_id, name: str, phone: str, email: str) -> str:
    """A keyed hash (HMAC-SHA256 with the secret key) of what makes two requests the same."""
    digits = re.sub(r"\D", "", phone)
    return _keyed("\x1f".join((str(offer_id), _normal(name), digits, _normal(email))))


def recent_reference(fingerprint_: str) -> str | None:
    """The reference of the same request sent within the last minutes, if any."""
    return caches["limits"].get(DUPLICATE_PREFIX + fingerprint_)


def remember(fingerprint_: str, reference: str) -> None:
    minutes = settings.WEGWEISER_CONTACT_DUPLICATE_MINUTES
    caches["limits"].set(DUPLICATE_PREFIX + fingerprint_, reference, minutes * 60)

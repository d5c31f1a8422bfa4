"""django-axes behind a reverse proxy, and a limit per address across usernames.

``client_ip`` (``AXES_CLIENT_IP_CALLABLE``) takes the client's address from ``X-Forwarded-For``
only as far as our own proxies wrote it: with ``WEGWEISER_TRUSTED_PROXY_COUNT = n`` the client is
the *n*-th address from the right (each trusted proxy appends the address it received the request
from; anything further left was sent by the client and may be forged). With 0 (the default, no
proxy) the header is ignored and ``REMOTE_ADDR`` is used.

``AddressLimitHandler`` (``AXES_HANDLER``) counts failures per username and address (locked after
``AXES_FAILURE_LIMIT``, 5) and per address across all usernames (locked after
``WEGWEISER_LOGIN_ADDRESS_FAILURE_LIMIT``, 20): one address trying many usernames is stopped too.
"""

from __future__ import annotations

import ipaddress

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit, get_lockout_parameters
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest

DEFAULT_ADDRESS_FAILURE_LIMIT = 20


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, trusting ``X-Forwarded-For`` only for our own proxies."""
    remote = request.META.get("REMOTE_ADDR")
    proxies = int(getattr(settings, "WEGWEISER_TRUSTED_PROXY_COUNT", 0) or 0)
    if proxies <= 0:
        return remote
    hops = [h for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    if len(hops) < proxies:
        # the request did not pass through all our proxies: only the socket is trustworthy
        return remote
    return _valid(hops[-proxies]) or remote


def address_failure_limit() -> int:
    return int(
        getattr(settings, "WEGWEISER_LOGIN_ADDRESS_FAILURE_LIMIT", DEFAULT_ADDRESS_FAILURE_LIMIT)
    )


class AddressLimitHandler(AxesDatabaseHandler):
    """The database handler with a separate, higher limit for the address-only parameter."""

    def get_failures(self, request, credentials=None) -> int:
        limit = get_failure_limit(request, credentials)
        parameters = get_lockout_parameters(request, credentials)
        attempts_list = self.get_user_attempts(request, credentials)
        failures = 0
        for parameter, attempts in zip(parameters, attempts_list, strict=True):
            count = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            if parameter == "ip_address":
                # the address alone: locked (as if at the pair's limit) only at its own limit
                if count >= address_failure_limit():
                    failures = max(failures, limit)
            else:
                failures = max(failures, count)
        return failures

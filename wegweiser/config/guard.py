"""The guard in front of the public surfaces: the JSON API under ``/api/`` and the self-check.

:class:`ApiGuard` (every request under ``/api/``):

- counts requests per client address and answers 429 with ``Retry-After`` over
  ``WEGWEISER_API_LIMIT_PER_ADDRESS``;
- refuses a body larger than ``WEGWEISER_API_MAX_BODY_BYTES`` (413) before reading it, and JSON
  nested deeper than ``WEGWEISER_API_MAX_JSON_DEPTH`` (422) before parsing it;
- answers every error in JSON, ``{"message": ..., "detail": [...]}``: an unknown address (404), a
  method an address does not take (405, with ``Allow``), a server error (500), whatever the view
  or Django answered in HTML.

:class:`SelfCheckRateLimit` counts the self-check's requests per client address and answers an
HTML page with 429 and ``Retry-After`` over ``WEGWEISER_SELFCHECK_LIMIT_PER_ADDRESS``.

The counting is django-ratelimit's fixed windows, keyed like the contact request's limits by an
HMAC of the address (IPv6 by its /64), in each process's memory (:func:`retry_after`). Details
and the numbers: docs/api.md.
"""

from __future__ import annotations

import json
import logging
import time
from http import HTTPStatus

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_ratelimit.core import _get_window, _make_cache_key, _split_rate

from wegweiser.core.jsonlimits import depth
from wegweiser.public.limits import address_key

logger = logging.getLogger("wegweiser.api")

API_PREFIX = "/api/"
API_GROUP = "wegweiser.api.address"
SELFCHECK_GROUP = "wegweiser.selfcheck.address"
#: The self-check's pages (namespace ``public``); the information pages are not counted.
SELFCHECK_VIEWS = frozenset(
    {"start", "next", "question", "answers", "clear", "result", "contact", "sent"}
)
#: Exceptions Django turns into a 4xx answer itself (Http404 of ninja's API root, ...).
_DJANGO_ANSWERS = (Http404, PermissionDenied, BadRequest, SuspiciousOperation)
#: Headers of an answer kept when its body is replaced by a JSON error.
_DROPPED = {"content-type", "content-length", "content-language"}


def error_body(message: str, detail: list | None = None) -> dict:
    return {"message": message, "detail": detail or []}


def json_error(status: int, message: str, detail: list | None = None) -> JsonResponse:
    return JsonResponse(
        error_body(message, detail), status=status, json_dumps_params={"ensure_ascii": False}
    )


def retry_after(request: HttpRequest, group: str, rate: str) -> int | None:
    """Count this request for its client address; seconds to wait if it is over ``rate``.

    django-ratelimit's fixed windows (its rate notation, window edges and cache keys), counted
    in the process's own ``throttle`` cache instead of its one configured cache (the database
    table of the contact request's limits): nothing is written to the database for a page view
    of the self-check, whose promise is that nothing about the visitor is stored before a
    contact request, and no page view waits for a database write. Each server process counts
    on its own (docs/api.md).
    """
    limit, period = _split_rate(rate)
    value = address_key(request)
    window = _get_window(value, period)
    key = _make_cache_key(group, window, rate, value, None)
    cache = caches["throttle"]
    cache.add(key, 0, period + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: a new window
        cache.set(key, 1, period + 1)
        count = 1
    if count > limit:
        return max(window - int(time.time()), 1)
    return None


def too_many(seconds: int) -> JsonResponse:
    response = json_error(
        429,
        _("Zu viele Anfragen von Ihrer Adresse. Bitte in %(seconds)s Sekunden noch einmal.")
        % {"seconds": seconds},
    )
    response["Retry-After"] = str(seconds)
    return response


def _message(request: HttpRequest, response: HttpResponse) -> str:
    status = response.status_code
    if status == 404:
        return _("Diese Adresse gibt es in der API nicht; alle Adressen stehen in %(url)s.") % {
            "url": "/api/v1/openapi.json"
        }
    if status == 405:
        return _("Die Methode %(method)s geht hier nicht; erlaubt: %(allowed)s.") % {
            "method": request.method,
            "allowed": response.get("Allow", ""),
        }
    if status >= 500:
        return _("Ein Fehler auf dem Server. Bitte später noch einmal versuchen.")
    try:
        reason = HTTPStatus(status).phrase
    except ValueError:
        reason = ""
    return _("Die Anfrage wurde abgelehnt (%(status)s %(reason)s).") % {
        "status": status,
        "reason": reason,
    }


def _is_json(response: HttpResponse) -> bool:
    kind = response.get("Content-Type", "").split(";")[0].strip()
    return kind == "application/json" or kind.endswith("+json")


class ApiGuard:
    """Limits and JSON errors for everything under ``/api/`` (see the module's docstring).

    Goes after the locale middleware (the messages are in the client's language) and before
    everything that may answer in HTML.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        refused = self._refuse(request)
        if refused is not None:
            return refused
        return self._as_json(request, self.get_response(request))

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not request.path_info.startswith(API_PREFIX) or isinstance(exception, _DJANGO_ANSWERS):
            return None  # Django answers these (404, 403, 400); _as_json makes them JSON
        logger.exception("API error on %s %s", request.method, request.path_info)
        return json_error(500, _("Ein Fehler auf dem Server. Bitte später noch einmal versuchen."))

    def _refuse(self, request: HttpRequest) -> HttpResponse | None:
        seconds = retry_after(request, API_GROUP, settings.WEGWEISER_API_LIMIT_PER_ADDRESS)
        if seconds is not None:
            return too_many(seconds)
        limit = settings.WEGWEISER_API_MAX_BODY_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            return json_error(
                413,
                _("Die Anfrage ist zu groß: höchstens %(limit)s Bytes.") % {"limit": limit},
                [{"loc": ["body"], "msg": "too large", "type": "too_large"}],
            )
        if length:
            max_depth = settings.WEGWEISER_API_MAX_JSON_DEPTH
            if depth(request.body, stop_above=max_depth) > max_depth:
                message = _("Das JSON ist zu tief verschachtelt: höchstens %(limit)s Ebenen.") % {
                    "limit": max_depth
                }
                return json_error(
                    422, message, [{"loc": ["body"], "msg": message, "type": "too_deep"}]
                )
        return None

    def _as_json(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if response.status_code < 400:
            return response
        if _is_json(response):
            try:
                body = json.loads(response.content)
            except ValueError:
                body = None
            if isinstance(body, dict) and "message" in body:
                return response
        page = json_error(response.status_code, _message(request, response))
        for header, value in response.headers.items():
            if header.lower() not in _DROPPED:
                page[header] = value
        return page


class SelfCheckRateLimit:
    """A limit per client address on the self-check's pages (429 page with ``Retry-After``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or match.namespace != "public" or match.url_name not in SELFCHECK_VIEWS:
            return None
        rate = settings.WEGWEISER_SELFCHECK_LIMIT_PER_ADDRESS
        seconds = retry_after(request, SELFCHECK_GROUP, rate)
        if seconds is None:
            return None
        response = render(request, "429.html", status=429)
        response["Retry-After"] = str(seconds)
        return response

"""Where the self-check keeps the answers: only in the session, never in a database row.

For visitors who are not logged in, the session of the self-check pages is Django's
signed-cookie session under the ordinary session cookie name: the answers travel in that one
cookie (signed, HttpOnly, SameSite=Lax, deleted when the browser closes) and nothing is written
on the server until the person sends a contact request. Staff who are logged in keep their
database session (replacing it would log them out); their answers sit in it.

Forms carry a token kept in the same session instead of Django's CSRF cookie (that would be a
second cookie). A cross-site POST arrives without the session cookie (SameSite=Lax), so it has
no token to match.
"""

from __future__ import annotations

import secrets
from functools import wraps

from django.conf import settings
from django.contrib.sessions.backends import signed_cookies
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

KEY = "selbstcheck"


def answers_session(view):
    """Give an anonymous visitor a signed-cookie session; check the form token on POST.

    The views of the self-check write nothing to the database (the contact request's service
    opens its own transaction), so they run without the per-request transaction.
    """

    @transaction.non_atomic_requests
    @csrf_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            cookie = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
            request.session = signed_cookies.SessionStore(cookie)
        if request.method == "POST":
            expected = request.session.get(KEY, {}).get("token")
            if not expected or not secrets.compare_digest(expected, request.POST.get("token", "")):
                # No session (expired, browser closed) or a cross-site form: start again.
                return redirect(reverse("public:start") + "?sitzung=abgelaufen")
        return view(request, *args, **kwargs)

    return wrapper


def get_state(request, *, create: bool = False) -> dict:
    """The self-check's data in the session: answers, unknown keys, postcode, token."""
    state = request.session.get(KEY)
    if state is None:
        state = {"answers": {}, "unknown": [], "postcode": "", "token": ""}
        if not create:
            return state
    if create and not state.get("token"):
        state["token"] = secrets.token_urlsafe(24)
        save_state(request, state)
    return state


def save_state(request, state: dict) -> None:
    request.session[KEY] = state
    request.session.set_expiry(0)  # a browser-session cookie: gone when the browser closes
    request.session.modified = True


def clear_state(request) -> None:
    if not request.user.is_authenticated:
        request.session.flush()  # the whole (signed-cookie) session: the cookie is deleted
        return
    request.session.pop(KEY, None)
    request.session.pop("public_sent", None)
    request.session.modified = True

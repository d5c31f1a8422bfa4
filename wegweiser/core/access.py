"""Who may open a page: :func:`requires`, the one decorator of every view behind a login, and
:func:`public` for the pages anyone may open.

Every page needs a login unless it says otherwise: ``LoginRequiredMiddleware`` sends anonymous
visitors to the login page, and only views marked public (Django's ``login_not_required``, here
:func:`public` for whole URL lists) are open. A page forgotten stays closed.

Login first (else the login page), then the action for the roles the user holds in the current
organisation (``request.roles``, set once per request by the accounts app's middleware): 403
without it. The table of which role may do what is the accounts app's
(``accounts/permissions.py``); it registers its check here when it starts
(:func:`use_permission_table`), so that the kernel imports no app above it. Deny by default:
without a table, no roles or an unknown action, nothing is allowed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps

from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import PermissionDenied
from django.urls import URLPattern, URLResolver

_table: Callable[[Iterable[str], str], bool] | None = None


def use_permission_table(check: Callable[[Iterable[str], str], bool]) -> None:
    """Answer :func:`can` with ``check(roles, action)`` (``accounts.permissions.can``)."""
    global _table
    _table = check


def can(roles: Iterable[str], action: str) -> bool:
    """May someone with ``roles`` (in one organisation) perform ``action``?"""
    return bool(roles) and _table is not None and _table(roles, action)


def requires(action: str | None = None) -> Callable:
    """Login, then ``action`` for the roles in the current organisation (403 without).

    ``@requires()`` asks for the login only (pages for every signed-in user, or pages that ask
    for a role in *any* of the user's organisations themselves). The wrapped view carries
    ``required_action`` for the permission matrix.
    """

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if action is not None and not can(getattr(request, "roles", frozenset()), action):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.required_action = action
        return wrapped

    return decorator


def public(urlpatterns: list) -> list:
    """Mark every view of ``urlpatterns`` (nested lists too) as open without a login; returns
    the list. For URL lists that are public as a whole: the self-check, the programme pages,
    the JSON API."""
    for pattern in urlpatterns:
        if isinstance(pattern, URLResolver):
            public(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            pattern.callback = login_not_required(pattern.callback)
    return urlpatterns

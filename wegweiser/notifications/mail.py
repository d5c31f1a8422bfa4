"""Rendering and sending notification mails: one mail per recipient, in her language.

Subject and body are templates (``templates/notifications/mail/<kind>_subject.txt`` and
``<kind>.txt``) rendered with the recipient's language active, so the link carries her language
prefix too. The context holds no personal data of a participant: reference numbers, names of
organisations and offers, counts. Links are absolute when ``WEGWEISER_SITE_URL`` is set; without
it the mail gives the path to open after logging in.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from wegweiser.notifications.models import NotificationSettings

logger = logging.getLogger(__name__)

LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)


def wanted(users: Iterable) -> list[tuple]:
    """``(user, language)`` for the users who have an address and did not switch mails off."""
    users = [u for u in users if u.is_active and u.email]
    prefs = {
        p.user_id: p for p in NotificationSettings.objects.filter(user__in=[u.pk for u in users])
    }
    out = []
    for user in users:
        pref = prefs.get(user.pk)
        if pref is not None and not pref.email_enabled:
            continue
        language = pref.language if pref and pref.language in LANGUAGE_CODES else "de"
        out.append((user, language))
    return out


def _address(path: str) -> str:
    return f"{settings.SITE_URL}{path}" if settings.SITE_URL else path


def render(kind: str, language: str, *, context: dict, url: tuple[str, dict]) -> tuple[str, str]:
    """Subject and body of a ``kind`` mail in ``language``."""
    name, kwargs = url
    with translation.override(language):
        ctx = {
            **context,
            "link": _address(reverse(name, kwargs=kwargs)),
            "settings_link": _address(reverse("notifications:settings")),
            "absolute": bool(settings.SITE_URL),
        }
        subject = " ".join(render_to_string(f"notifications/mail/{kind}_subject.txt", ctx).split())
        body = render_to_string(f"notifications/mail/{kind}.txt", ctx)
    return subject, body


def send(kind: str, users: Iterable, *, context: dict, url: tuple[str, dict]) -> list:
    """Send a ``kind`` mail to each of ``users`` who wants it; returns the users mailed.

    A recipient whose mail fails is logged and left out (the others still get theirs).
    """
    sent = []
    recipients = wanted(users)
    if not recipients:
        return sent
    connection = get_connection()
    for user, language in recipients:
        subject, body = render(kind, language, context=context, url=url)
        message = EmailMessage(subject, body, to=[user.email], connection=connection)
        try:
            message.send()
        except Exception:  # a mail server that refuses one address must not stop the others
            logger.exception("notification %s to user %s not sent", kind, user.pk)
            continue
        sent.append(user)
    return sent

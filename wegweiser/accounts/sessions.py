"""The session engine: Django's database sessions, without a query for a key that cannot exist.

The public self-check keeps an anonymous visitor's answers in a signed-cookie session under the
same cookie name (``wegweiser.public.state``). Before the self-check view replaces the session,
``AuthenticationMiddleware`` asks the database session whether somebody is logged in, and Django
would look the signed cookie up in ``django_session`` on every request. Database session keys are
made of lowercase letters and digits only (``VALID_KEY_CHARS``); a signed cookie never is, so it
is refused here without a query. Sessions of staff who are logged in work as before.
"""

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import VALID_KEY_CHARS

_KEY_CHARS = frozenset(VALID_KEY_CHARS)


class SessionStore(db.SessionStore):
    def _validate_session_key(self, key):
        return super()._validate_session_key(key) and _KEY_CHARS.issuperset(key)

"""The session engine: Django's database sessions, living next to the self-check's cookie.

The public self-check keeps an anonymous visitor's answers in a signed-cookie session under the
same cookie name (``wegweiser.public.state``). On every other page the ordinary database session
sees that cookie, and Django would (1) look it up in ``django_session`` on every request and
(2) delete the cookie as an empty session, so a visitor who opened the privacy notice or the
directory in the middle of the self-check would lose the answers.

Database session keys are made of lowercase letters and digits only (``VALID_KEY_CHARS``); a
signed cookie never is. Such a key is refused here without a query, and the session counts as
not empty while nothing is stored in it, so the cookie is left alone. Storing something (a
login) or flushing replaces or deletes the cookie as usual. Staff sessions work as before.
"""

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import VALID_KEY_CHARS

_KEY_CHARS = frozenset(VALID_KEY_CHARS)


def is_database_key(key: str | None) -> bool:
    return bool(key) and _KEY_CHARS.issuperset(key)


class SessionStore(db.SessionStore):
    def __init__(self, session_key=None):
        # The cookie of another session engine (the self-check's signed cookie), not ours.
        self.foreign_cookie = bool(session_key) and not is_database_key(session_key)
        super().__init__(session_key)

    def _validate_session_key(self, key):
        return super()._validate_session_key(key) and is_database_key(key)

    def is_empty(self):
        if self.foreign_cookie and not self.modified:
            return False  # keep the other engine's cookie: nothing of ours to save or delete
        return super().is_empty()

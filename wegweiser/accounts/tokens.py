"""The invitation link: Django's password-reset token with its own salt and validity.

A token hashes the user's id, password hash, last login and e-mail address with ``SECRET_KEY``
(:class:`~django.contrib.auth.tokens.PasswordResetTokenGenerator`), so it is single-use: setting
the password changes the hash and every earlier link dies; sending the invitation again gives the
account a new unusable password, which ends the previous link too. It expires after
``WEGWEISER_INVITATION_DAYS`` (default 7). Nothing is stored. The salt differs from the password
reset's, so neither token opens the other page.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int

DEFAULT_INVITATION_DAYS = 7


def invitation_days() -> int:
    return int(getattr(settings, "WEGWEISER_INVITATION_DAYS", DEFAULT_INVITATION_DAYS))


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "wegweiser.accounts.tokens.InvitationTokenGenerator"

    def check_token(self, user, token) -> bool:
        """Django's check, with the invitation's validity instead of PASSWORD_RESET_TIMEOUT."""
        if not (user and token):
            return False
        try:
            ts_b36, _hash = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        return self._num_seconds(self._now()) - ts <= invitation_days() * 24 * 3600


invitation_token_generator = InvitationTokenGenerator()

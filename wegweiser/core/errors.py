"""The base of the errors a service raises when it refuses a write (nothing was written)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class ServiceError(Exception):
    """A refused operation; ``str(error)`` is shown to the user, in her language.

    ``message`` may hold ``%(name)s`` placeholders filled from the keyword ``params``; without a
    message the class's ``default_message`` is used. Each app derives its own family from it
    (``cases.errors.CaseError``, ``funding.errors.FundingError``)."""

    default_message = _("Der Vorgang ist nicht möglich.")

    def __init__(self, message=None, **params):
        self.message = message or self.default_message
        self.params = params
        super().__init__(str(self.message))

    def __str__(self) -> str:
        return str(self.message) % self.params if self.params else str(self.message)

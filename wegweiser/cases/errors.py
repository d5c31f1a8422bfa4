"""Errors of the case services. Every message is translatable (German first)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wegweiser.core.errors import ServiceError


class CaseError(ServiceError):
    """A refused operation of the case services; ``message`` is shown to the user."""


class NotAllowed(CaseError):
    """The actor's role in the organisation does not permit the operation."""

    default_message = _("Dafür fehlt Ihnen die Berechtigung in dieser Organisation.")


class ConcurrentEdit(CaseError):
    """Someone else saved the object since it was loaded (optimistic locking)."""

    default_message = _(
        "Jemand anderes hat diesen Datensatz inzwischen geändert. Bitte laden Sie die Seite neu "
        "und prüfen Sie die Änderungen, bevor Sie erneut speichern."
    )


#: The name the issue uses for a stale case.
StaleCase = ConcurrentEdit


class TransitionNotAllowed(CaseError):
    default_message = _("Dieser Statuswechsel ist nicht erlaubt.")


class EnrolmentRefused(CaseError):
    """The eligibility check did not admit the person; ``reasons`` are the engine's reasons."""

    default_message = _("Die Aufnahme ist nicht möglich: die Förderfähigkeit ist nicht gegeben.")

    def __init__(self, message=None, *, status: str = "", reasons=(), missing=(), **params):
        self.status = status
        self.reasons = list(reasons)
        self.missing = list(missing)
        super().__init__(message, **params)


class ConsentMissing(CaseError):
    default_message = _(
        "Es liegt keine gültige Einwilligung für diesen Zweck vor (oder sie wurde widerrufen)."
    )


class ReferralLinkInvalid(CaseError):
    """Unknown, used or expired link: one message for all three (no oracle)."""

    default_message = _("Dieser Link ist ungültig, abgelaufen oder wurde bereits benutzt.")


class InvalidData(CaseError):
    default_message = _("Die Angaben sind unvollständig oder widersprüchlich.")


class MissingData(InvalidData):
    """Answers or facts of the person are missing; ``missing`` names each one.

    ``missing`` is a list of ``(field, where)``: the field's name and ``"form"`` (on the form
    being sent) or ``"participant"`` (in the person's record, corrected on the edit form), so the
    page can link to each field.
    """

    def __init__(self, message=None, *, missing=(), **params):
        self.missing = list(missing)
        super().__init__(message, **params)

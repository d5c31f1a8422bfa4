"""Errors of the funding services. Every message is translatable (German first) and says what
to change."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wegweiser.core.errors import ServiceError


class FundingError(ServiceError):
    """A refused operation of the funding services; nothing was written."""


class NotAllowed(FundingError):
    default_message = _("Dafür fehlt Ihnen die Berechtigung in dieser Organisation.")


class TransitionNotAllowed(FundingError):
    default_message = _("Dieser Schritt ist im aktuellen Stand des Antrags nicht möglich.")


class InvalidInput(FundingError):
    default_message = _("Die Angaben sind unvollständig oder widersprüchlich.")


OVER_CAP = _(
    "Der Betrag von %(amount)s € liegt über dem Höchstbetrag des Aufrufs von %(cap)s € je Antrag."
)
LINES_NOT_TOTAL = _(
    "Die Ausgabenpositionen ergeben zusammen %(sum)s €, der Gesamtbetrag ist %(total)s €. "
    "Bitte gleichen Sie beides an."
)
PAYMENT_OVER_APPROVED = _(
    "Die Auszahlung von %(amount)s € ist höher als der noch offene Betrag von %(open)s € "
    "(bewilligt %(approved)s €, bereits ausgezahlt %(paid)s €)."
)
PERIOD_OUTSIDE_ROUND = _("Der Zeitraum liegt außerhalb der Förderrunde (%(start)s bis %(end)s).")
PERIOD_ORDER = _("Das Ende des Zeitraums liegt vor dem Beginn.")
AMOUNT_POSITIVE = _("Der Betrag muss größer als 0 € sein.")
NO_LINES = _("Bitte geben Sie mindestens eine Ausgabenposition an.")
NO_REGIONS = _("Bitte geben Sie mindestens ein Einsatzgebiet an.")
CALL_CLOSED = _(
    "Der Aufruf nimmt zurzeit keine Anträge an (Antragsfrist %(opens)s bis %(closes)s)."
)
REVIEW_INCOMPLETE = _(
    "Die Vollständigkeitsprüfung ist noch nicht abgeschlossen: bitte alle Punkte bestätigen."
)
APPROVED_OVER_REQUESTED = _(
    "Der bewilligte Betrag von %(amount)s € ist höher als der beantragte Betrag von %(total)s €."
)
REASON_REQUIRED = _("Bitte geben Sie den Grund der Ablehnung an.")
NARRATIVE_REQUIRED = _("Bitte schreiben Sie den Sachbericht.")
SCORE_RANGE = _("Die Punkte liegen zwischen 0 und 10.")

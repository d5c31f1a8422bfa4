"""Referrals of a case to another organisation's offer, and their answer links."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wegweiser.cases.models.cases import Case
from wegweiser.cases.models.consent import Consent
from wegweiser.cases.models.participants import PSEUDONYM_ALPHABET
from wegweiser.directory.models import Offer
from wegweiser.organisations.models import Organisation


class ReferralStatus(models.TextChoices):
    DRAFT = "draft", _("Entwurf")
    SENT = "sent", _("gesendet")
    ACCEPTED = "accepted", _("angenommen")
    REFUSED = "refused", _("abgelehnt")
    COMPLETED = "completed", _("abgeschlossen")
    WITHDRAWN = "withdrawn", _("zurückgezogen")
    EXPIRED = "expired", _("abgelaufen (unbeantwortet)")


REFERRAL_TRANSITIONS: dict[str, frozenset[str]] = {
    ReferralStatus.DRAFT: frozenset({ReferralStatus.SENT, ReferralStatus.WITHDRAWN}),
    ReferralStatus.SENT: frozenset(
        {
            ReferralStatus.ACCEPTED,
            ReferralStatus.REFUSED,
            ReferralStatus.WITHDRAWN,
            ReferralStatus.EXPIRED,
        }
    ),
    ReferralStatus.ACCEPTED: frozenset({ReferralStatus.COMPLETED, ReferralStatus.WITHDRAWN}),
    ReferralStatus.REFUSED: frozenset(),
    ReferralStatus.COMPLETED: frozenset(),
    ReferralStatus.WITHDRAWN: frozenset(),
    ReferralStatus.EXPIRED: frozenset(),
}


class RefusalReason(models.TextChoices):
    NO_CAPACITY = "no_capacity", _("keine freien Plätze")
    NOT_ELIGIBLE = "not_eligible", _("Voraussetzungen nicht erfüllt")
    WRONG_OFFER = "wrong_offer", _("passt nicht zum Angebot")
    NOT_REACHABLE = "not_reachable", _("Person nicht erreichbar")
    DECLINED_BY_PERSON = "declined_by_person", _("Person hat abgesagt")
    OTHER = "other", _("anderer Grund")


class ReferralOutcome(models.TextChoices):
    SUPPORT_GIVEN = "support_given", _("Unterstützung erhalten")
    PARTLY = "partly", _("teilweise")
    NOT_TAKEN_UP = "not_taken_up", _("nicht wahrgenommen")
    OTHER = "other", _("anderes Ergebnis")


class Referral(models.Model):
    """A referral of a case to an offer of another organisation."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    offer = models.ForeignKey(
        Offer, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("Angebot")
    )
    sending_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="referrals_sent"
    )
    receiving_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="referrals_received"
    )
    status = models.CharField(
        _("Status"), max_length=12, choices=ReferralStatus.choices, default=ReferralStatus.DRAFT
    )
    message = models.TextField(
        _("Nachricht an die Empfängerin"),
        blank=True,
        help_text=_("Ohne Gesundheits- oder andere besondere Angaben"),
    )
    consent = models.ForeignKey(
        Consent,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="referrals",
        help_text=_("Die Einwilligung, unter der die Überweisung gesendet wurde"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)
    sent_at = models.DateTimeField(_("gesendet am"), null=True, blank=True)
    answered_at = models.DateTimeField(_("beantwortet am"), null=True, blank=True)
    refusal_reason = models.CharField(
        _("Ablehnungsgrund"), max_length=20, choices=RefusalReason.choices, blank=True
    )
    refusal_note = models.TextField(_("Ablehnung: Erläuterung"), blank=True)
    outcome = models.CharField(
        _("Ergebnis"), max_length=20, choices=ReferralOutcome.choices, blank=True
    )
    outcome_note = models.TextField(_("Ergebnis: Erläuterung"), blank=True)
    closed_at = models.DateTimeField(_("beendet am"), null=True, blank=True)
    #: the case the receiving organisation opened from this referral
    #: (``services.referrals_received.referral_case_open``), so that it is opened once; the
    #: sender never sees it
    receiver_case = models.OneToOneField(
        Case,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="source_referral",
        verbose_name=_("Fall bei der Empfängerin"),
    )

    class Meta:
        verbose_name = _("Überweisung")
        verbose_name_plural = _("Überweisungen")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["receiving_organisation", "status"]),
            models.Index(fields=["sending_organisation", "status"]),
            models.Index(fields=["status", "sent_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.pk} ({self.get_status_display()})"

    @property
    def number(self) -> str:
        """``UW-XXXX-XXXX``: the referral's number, read from its random id (not from any data
        about the person). Sender and receiver both see it and can name it on the phone; the
        receiver never sees the sender's pseudonym of the person."""
        value, chars = self.pk.int, []
        for _position in range(8):
            value, index = divmod(value, len(PSEUDONYM_ALPHABET))
            chars.append(PSEUDONYM_ALPHABET[index])
        return f"UW-{''.join(chars[:4])}-{''.join(chars[4:])}"


class ReferralLink(models.Model):
    """A single-use link for a partner without an account; only the token's hash is stored."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("gültig bis"))
    used_at = models.DateTimeField(_("benutzt am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Antwort-Link")
        verbose_name_plural = _("Antwort-Links")

    def __str__(self) -> str:
        return f"{self.referral_id} ({self.expires_at:%Y-%m-%d})"

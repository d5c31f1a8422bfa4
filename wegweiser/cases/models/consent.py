"""Consent of a participant for one purpose, and what a sharing consent covers."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wegweiser.cases.models.participants import Participant
from wegweiser.organisations.models import Organisation


class ConsentPurpose(models.TextChoices):
    COUNSELLING = "counselling", _("Beratung und Begleitung")
    ESF_REPORTING = "esf_reporting", _("ESF-Plus-Berichterstattung")
    REFERRAL_SHARING = "referral_sharing", _("Weitergabe an eine benannte Organisation")
    FOLLOWUP_SURVEY = "followup_survey", _("Befragung nach sechs Monaten")


class ConsentChannel(models.TextChoices):
    WRITTEN = "written", _("schriftlich")
    ORAL = "oral", _("mündlich")
    DIGITAL = "digital", _("digital")


#: Fields of the participant a referral_sharing consent can cover (what the receiver sees).
class SharedField(models.TextChoices):
    NAME = "name", _("Name")
    DATE_OF_BIRTH = "date_of_birth", _("Geburtsdatum")
    PHONE = "phone", _("Telefon")
    EMAIL = "email", _("E-Mail")
    LANGUAGES = "languages", _("Sprachen")
    CITIZENSHIPS = "citizenships", _("Staatsangehörigkeiten")
    RESIDENCE_STATUS = "residence_status", _("Aufenthaltsstatus")
    #: the referral's free-text message (it may say anything about the person)
    MESSAGE = "message", _("Nachricht der Überweisung")


class Consent(models.Model):
    """Consent of a participant for one purpose (Art. 6(1)(a), 7 GDPR; facts.md D.1)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("Zweck"), max_length=20, choices=ConsentPurpose.choices)
    recipient = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Empfänger"),
        help_text=_("Nur bei Weitergabe: die benannte Organisation"),
    )
    shared_fields = models.JSONField(
        _("weitergegebene Angaben"),
        default=list,
        blank=True,
        help_text=_("Nur bei Weitergabe: welche Angaben die Empfängerin sehen darf"),
    )
    given_on = models.DateField(_("erteilt am"))
    text_version = models.CharField(_("Fassung des Einwilligungstextes"), max_length=40)
    channel = models.CharField(_("Form"), max_length=10, choices=ConsentChannel.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("erfasst am"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("widerrufen am"), null=True, blank=True)
    withdrawn_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Einwilligung")
        verbose_name_plural = _("Einwilligungen")
        ordering = ["participant", "purpose", "-given_on"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(purpose="referral_sharing", recipient__isnull=False)
                    | (~models.Q(purpose="referral_sharing") & models.Q(recipient__isnull=True))
                ),
                name="consent_recipient_only_for_sharing",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.given_on})"

    def is_valid_on(self, day: dt.date) -> bool:
        if self.given_on > day:
            return False
        return self.withdrawn_at is None or self.withdrawn_at.date() > day

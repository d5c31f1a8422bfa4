"""Follow-up: the check-ins after a job or training start."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wegweiser.cases.models.cases import Case


class DropoutRisk(models.TextChoices):
    LOW = "low", _("gering")
    MEDIUM = "medium", _("mittel")
    HIGH = "high", _("hoch")


class FollowUp(models.Model):
    """A check-in after a job or training start (4 weeks, 3 months, 6 months by default)."""

    class Situation(models.TextChoices):
        WORK = "work", _("Arbeit (auch selbstständig)")
        TRAINING = "training", _("Ausbildung oder Qualifizierung")

    class LongTermResult(models.TextChoices):
        """ESF Plus longer-term result six months after leaving (facts.md A.4)."""

        EMPLOYED = "employed", _("erwerbstätig, auch selbstständig (EECR05)")
        IMPROVED = "improved", _("verbesserte Arbeitsmarktsituation (EECR06)")
        NEITHER = "neither", _("weder noch")
        UNKNOWN = "unknown", _("nicht bekannt / keine Angabe")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="followups")
    offset = models.CharField(
        _("Abstand"), max_length=8, help_text=_("Abstand zum Beginn, z. B. 4w, 3m, 6m")
    )
    situation = models.CharField(_("Art"), max_length=10, choices=Situation.choices)
    start_date = models.DateField(_("Beginn Arbeit/Ausbildung"))
    due_date = models.DateField(_("fällig am"))
    is_esf_long_term = models.BooleanField(
        _("ESF-Plus-Ergebnis nach sechs Monaten"),
        default=False,
        help_text=_("Dieser Termin erhebt das längerfristige Ergebnis (facts.md A.4)"),
    )
    done_at = models.DateTimeField(_("erledigt am"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    still_in_work_or_training = models.BooleanField(
        _("noch in Arbeit/Ausbildung"), null=True, blank=True
    )
    dropout_risk = models.CharField(
        _("Abbruchrisiko"), max_length=10, choices=DropoutRisk.choices, blank=True
    )
    long_term_result = models.CharField(
        _("längerfristiges Ergebnis"),
        max_length=10,
        choices=LongTermResult.choices,
        blank=True,
        help_text=_("Nur beim Sechs-Monats-Termin (facts.md A.4: EECR05, EECR06)"),
    )
    note = models.TextField(_("Notiz"), blank=True)

    class Meta:
        verbose_name = _("Nachbetreuungstermin")
        verbose_name_plural = _("Nachbetreuungstermine")
        ordering = ["due_date", "case"]
        indexes = [models.Index(fields=["done_at", "due_date"])]

    def __str__(self) -> str:
        return f"{self.offset} ({self.due_date})"


class FollowUpReminder(models.Model):
    """A check-in the counsellor was told about by e-mail: each one is mailed once
    (``services.notify.due_followups_notify``). The table was the notifications app's."""

    followup = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    sent_on = models.DateField(_("gesendet am"))

    class Meta:
        db_table = "notifications_followupreminder"
        verbose_name = _("Erinnerung an einen Nachbetreuungstermin")
        verbose_name_plural = _("Erinnerungen an Nachbetreuungstermine")
        constraints = [
            models.UniqueConstraint(fields=["followup", "recipient"], name="followup_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.followup_id} ({self.sent_on})"

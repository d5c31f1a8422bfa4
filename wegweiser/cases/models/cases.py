"""Cases, the case workflow and the eligibility check at enrolment."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wegweiser.cases.models.participants import Participant
from wegweiser.organisations.models import Organisation
from wegweiser.programmes.models import FundingRound, Project


class CaseStatus(models.TextChoices):
    FIRST_CONTACT = "first_contact", _("Erstkontakt")
    CLEARING = "clearing", _("Clearing")
    ACTIVE = "active", _("aktive Begleitung")
    FOLLOWUP = "followup", _("in Arbeit/Ausbildung: Nachbetreuung")
    CLOSED = "closed", _("abgeschlossen")
    DROPPED_OUT = "dropped_out", _("abgebrochen")


#: The case workflow: from a status, the statuses a case may move to. Nothing else is allowed.
CASE_TRANSITIONS: dict[str, frozenset[str]] = {
    # a person who never comes back after the first contact: dropped out (reason "no_contact")
    CaseStatus.FIRST_CONTACT: frozenset({CaseStatus.CLEARING, CaseStatus.DROPPED_OUT}),
    CaseStatus.CLEARING: frozenset({CaseStatus.ACTIVE, CaseStatus.DROPPED_OUT}),
    # active -> closed: the regular exit without a job or training start
    CaseStatus.ACTIVE: frozenset({CaseStatus.FOLLOWUP, CaseStatus.CLOSED, CaseStatus.DROPPED_OUT}),
    CaseStatus.FOLLOWUP: frozenset({CaseStatus.CLOSED, CaseStatus.DROPPED_OUT}),
    CaseStatus.CLOSED: frozenset(),
    CaseStatus.DROPPED_OUT: frozenset(),
}
OPEN_STATUSES = frozenset(
    {CaseStatus.FIRST_CONTACT, CaseStatus.CLEARING, CaseStatus.ACTIVE, CaseStatus.FOLLOWUP}
)
#: Statuses in which the participation ("Teilnahme") in a funded project is running.
ENROLLED_STATUSES = frozenset({CaseStatus.ACTIVE, CaseStatus.FOLLOWUP})


class DropoutReason(models.TextChoices):
    NO_CONTACT = "no_contact", _("nicht mehr erreichbar")
    MOVED = "moved", _("umgezogen")
    HEALTH = "health", _("gesundheitliche Gründe")
    FAMILY = "family", _("familiäre Gründe")
    RESIDENCE = "residence", _("aufenthaltsrechtliche Gründe")
    OTHER_SUPPORT = "other_support", _("wechselt in eine andere Maßnahme")
    OWN_WISH = "own_wish", _("auf eigenen Wunsch")
    OTHER = "other", _("anderer Grund")


class Case(models.Model):
    """A participant's case at one organisation; the enrolment in a funded project."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="cases")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="cases")
    project = models.ForeignKey(
        Project,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("Projekt"),
        help_text=_("Das geförderte Projekt der Teilnahme; leer bis zur Aufnahme"),
    )
    funding_round = models.ForeignKey(
        FundingRound,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("Förderrunde"),
    )
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("zuständig"),
    )
    status = models.CharField(
        _("Status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.FIRST_CONTACT
    )
    entry_date = models.DateField(_("Eintritt"), null=True, blank=True)
    exit_date = models.DateField(_("Austritt"), null=True, blank=True)
    work_start_date = models.DateField(_("Beginn Arbeit/Ausbildung"), null=True, blank=True)
    dropout_reason = models.CharField(
        _("Abbruchgrund"), max_length=20, choices=DropoutReason.choices, blank=True
    )
    dropout_note = models.TextField(_("Abbruch: Erläuterung"), blank=True)
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert"), auto_now=True)
    version = models.PositiveIntegerField(_("Version"), default=1, editable=False)

    class Meta:
        verbose_name = _("Fall")
        verbose_name_plural = _("Fälle")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["counsellor", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(exit_date__isnull=True)
                | models.Q(entry_date__isnull=True)
                | models.Q(exit_date__gte=models.F("entry_date")),
                name="case_exit_after_entry",
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant.pseudonym} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class EligibilityStatus(models.TextChoices):
    ELIGIBLE = "eligible", _("förderfähig")
    NOT_ELIGIBLE = "not_eligible", _("nicht förderfähig")
    UNDETERMINED = "undetermined", _("nicht entschieden")


class EligibilitySnapshot(models.Model):
    """The eligibility check at enrolment: the record of why this person was admitted."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="eligibility_snapshots")
    checked_on = models.DateField(_("Stichtag"))
    catalogue_version = models.CharField(
        _("Regelversion"), max_length=64, help_text=_("Inhalts-Hash der Regeldateien")
    )
    programme_key = models.CharField(_("Programm"), max_length=64)
    round_key = models.CharField(_("Förderrunde"), max_length=64)
    status = models.CharField(_("Ergebnis"), max_length=20, choices=EligibilityStatus.choices)
    reasons = models.JSONField(
        _("Begründung"), default=dict, help_text=_("Gründe der Prüfung je Sprache (de, en)")
    )
    missing = models.JSONField(_("fehlende Angaben"), default=list)
    profile = models.JSONField(_("verwendete Angaben"), default=dict)
    admitted = models.BooleanField(_("aufgenommen"), default=False)
    override_reason = models.TextField(_("Begründung der Ausnahme"), blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Ausnahme durch"),
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("erstellt"), auto_now_add=True)

    class Meta:
        verbose_name = _("Förderprüfung bei Eintritt")
        verbose_name_plural = _("Förderprüfungen bei Eintritt")
        ordering = ["case", "-created_at"]

    def __str__(self) -> str:
        return f"{self.programme_key}/{self.round_key}: {self.status}"

"""The programme catalogue as stored in the database.

The source of truth are the data files in ``wegweiser/catalogue/`` (reviewed like code); the
command ``wegweiser load_catalogue`` copies them here so that other apps can refer to rounds
(a funded project belongs to exactly one round) and the admin can show them. Edit the files,
not these rows.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wegweiser.core.i18n import pick


class FundingLine(models.Model):
    key = models.SlugField(_("Kennung"), max_length=64, unique=True)
    name = models.JSONField(_("Name"), help_text=_("Übersetzungen nach Sprachcode"))
    fund = models.CharField(_("Mittel"), max_length=300, blank=True)
    funder = models.CharField(_("Mittelgeber"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("Förderlinie")
        verbose_name_plural = _("Förderlinien")
        ordering = ["key"]

    def __str__(self) -> str:
        return pick(self.name)


class Programme(models.Model):
    key = models.SlugField(_("Kennung"), max_length=64, unique=True)
    position = models.PositiveIntegerField(_("Reihenfolge"), default=0)
    name = models.JSONField(_("Name"))
    family = models.JSONField(_("Programmfamilie"), null=True, blank=True)
    summary = models.JSONField(_("Beschreibung"))
    target_group = models.JSONField(_("Zielgruppe"))
    funder = models.CharField(_("Mittelgeber"), max_length=300)
    administering_authority = models.CharField(_("Bewilligungsbehörde"), max_length=300)
    funding_line = models.ForeignKey(
        FundingLine,
        on_delete=models.PROTECT,
        related_name="programmes",
        verbose_name=_("Förderlinie"),
    )
    website = models.URLField(_("Website"), blank=True)
    sources = models.JSONField(_("Quellen"), default=list)
    source_file = models.CharField(_("Datendatei"), max_length=200)

    class Meta:
        verbose_name = _("Programm")
        verbose_name_plural = _("Programme")
        ordering = ["position", "key"]

    def __str__(self) -> str:
        return pick(self.name)

    def is_ended(self, day: dt.date | None = None) -> bool:
        day = day or timezone.localdate()
        rounds = list(self.rounds.all())
        return bool(rounds) and all(r.end is not None and r.end < day for r in rounds)


class FundingRound(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="rounds", verbose_name=_("Programm")
    )
    key = models.SlugField(_("Kennung"), max_length=64)
    position = models.PositiveIntegerField(_("Reihenfolge"), default=0)
    name = models.JSONField(_("Name"))
    start = models.DateField(_("Beginn"))
    end = models.DateField(_("Ende"), null=True, blank=True)
    funder = models.CharField(_("Mittelgeber"), max_length=300)
    administering_authority = models.CharField(_("Bewilligungsbehörde"), max_length=300)
    funding_line = models.ForeignKey(
        FundingLine, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("Förderlinie")
    )
    budget_eur = models.DecimalField(
        _("Budget (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    budget_note = models.JSONField(_("Budget-Hinweis"), null=True, blank=True)
    note = models.JSONField(_("Hinweis"), null=True, blank=True)
    assumed = models.JSONField(
        _("angenommene Angaben"),
        default=list,
        blank=True,
        help_text=_(
            "Felder, deren Wert eine Annahme ist, bis die Programmverwaltung ihn bestätigt"
        ),
    )
    sources = models.JSONField(_("Quellen"), default=list)
    rules = models.JSONField(
        _("Regeln"),
        default=list,
        help_text=_("Regeln in einfacher Sprache mit Quelle (aus der Datendatei)"),
    )
    excludes = models.JSONField(_("schließt Teilnahme aus an"), default=list, blank=True)
    catalogue_version = models.CharField(_("Katalogversion"), max_length=32)

    class Meta:
        verbose_name = _("Förderrunde")
        verbose_name_plural = _("Förderrunden")
        ordering = ["programme__position", "position"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "key"], name="unique_round_per_programme"),
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="round_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme.key}/{self.key}"

    def state(self, day: dt.date | None = None) -> str:
        day = day or timezone.localdate()
        if day < self.start:
            return "upcoming"
        if self.end is not None and self.end < day:
            return "ended"
        return "active"

    def is_assumed(self, field: str) -> bool:
        return field in self.assumed

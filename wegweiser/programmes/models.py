"""The programme catalogue as stored in the database, and the projects funded in its rounds.

The source of truth of programmes, funding lines and rounds are the data files in
``wegweiser/catalogue/`` (reviewed like code); the command ``wegweiser load_catalogue`` copies
them here so that other apps can refer to rounds and the admin can show them. Edit the files,
not these rows.

A funded :class:`Project` (HSDS *program*) belongs to exactly one round, with a carrier and its
partners in a Verbund. Projects are not in the files: they are kept in the admin, come with an
HSDS import, and are what a case is enrolled in. They moved here from the directory (issue 12)
without moving data: the tables keep their names (``directory_project`` ...; see
``migrations/0002_project.py``).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wegweiser.core.i18n import pick
from wegweiser.organisations.models import Organisation, Region


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


# --- funded projects -----------------------------------------------------------------------------

#: A partner's role in a project's Verbund (stable keys: stored, in the HSDS exchange).
PARTNER_ROLES = {
    "lead": _("Verbundkoordination"),
    "partner": _("Teilprojekt"),
    "jobcenter": _("Jobcenter-Partner"),
    "strategic": _("Strategischer Partner"),
}


class Project(models.Model):
    """A funded project (HSDS program): one funding round, one carrier, partners in a Verbund."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("Name"), max_length=250)
    description = models.JSONField(_("Beschreibung"), default=dict, blank=True)
    funding_round = models.ForeignKey(
        FundingRound,
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name=_("Förderrunde"),
    )
    carrier = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="projects", verbose_name=_("Träger")
    )
    partners = models.ManyToManyField(
        Organisation, through="ProjectPartner", related_name="partner_projects", blank=True
    )
    start = models.DateField(_("Beginn"))
    end = models.DateField(_("Ende"), null=True, blank=True)
    regions = models.ManyToManyField(
        Region,
        related_name="projects",
        verbose_name=_("Einsatzgebiet"),
        db_table="directory_project_regions",
    )
    budget_eur = models.DecimalField(
        _("Fördersumme (EUR)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    #: Co-funded by the EU's Asylum, Migration and Integration Fund (Regulation (EU) 2021/1147):
    #: where such a project (or a project of the federal WIR programme) serves a Kreis, Win-Win's
    #: third round does not take refugees there (the self-check derives this, see
    #: ``programmes.selectors.refugee_project_serves``).
    amif_funded = models.BooleanField(
        _("AMIF-gefördert"),
        default=False,
        help_text=_(
            "Aus dem Asyl-, Migrations- und Integrationsfonds der EU (AMIF) gefördert "
            "(Verordnung (EU) 2021/1147)."
        ),
    )

    class Meta:
        db_table = "directory_project"
        verbose_name = _("Gefördertes Projekt")
        verbose_name_plural = _("Geförderte Projekte")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        """The project's public page (in the directory)."""
        return reverse("directory:project", args=[self.pk])


class ProjectPartner(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT)
    role = models.CharField(_("Rolle"), max_length=20, choices=list(PARTNER_ROLES.items()))

    class Meta:
        db_table = "directory_projectpartner"
        verbose_name = _("Verbundpartner")
        verbose_name_plural = _("Verbundpartner")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "organisation"], name="unique_project_partner"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"

"""Organisations (with their branches) and regions: the kernel every app builds on.

Moved here from the directory (issue 12) without moving data: the tables keep their names
(``directory_organisation``, ``directory_region``; see ``migrations/0001_initial.py``). Field
meanings follow Open Referral HSDS 3.0 *organization* (``docs/hsds.md``); texts a person reads are
stored per language, German first.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wegweiser.core.i18n import pick
from wegweiser.organisations.vocabulary import ORGANISATION_KINDS


class Region(models.Model):
    """A Kreis / kreisfreie Stadt (with its boundary) or a Hessian Sonderstatusstadt."""

    KIND_CHOICES = [
        ("landkreis", _("Landkreis")),
        ("kreisfreie_stadt", _("Kreisfreie Stadt")),
        ("sonderstatusstadt", _("Sonderstatusstadt")),
    ]

    ags = models.CharField(_("Amtlicher Schlüssel"), max_length=8, primary_key=True)
    name = models.CharField(_("Name"), max_length=120)
    label = models.CharField(_("Bezeichnung"), max_length=200)
    kind = models.CharField(_("Art"), max_length=20, choices=KIND_CHOICES)
    land_ags = models.CharField(_("Land"), max_length=2, db_index=True)
    land = models.CharField(_("Landesname"), max_length=60)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="cities"
    )
    geometry = models.JSONField(_("Grenze (GeoJSON)"), null=True, blank=True)
    lat = models.FloatField()
    lon = models.FloatField()

    class Meta:
        db_table = "directory_region"
        verbose_name = _("Region")
        verbose_name_plural = _("Regionen")
        ordering = ["land_ags", "label"]

    def __str__(self) -> str:
        return self.label


class Organisation(models.Model):
    """A Träger, authority, company or association (HSDS organization); may have branches."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("Name"), max_length=250)
    alternate_name = models.CharField(_("Kurzname"), max_length=120, blank=True)
    kind = models.CharField(_("Art"), max_length=30, choices=list(ORGANISATION_KINDS.items()))
    description = models.JSONField(_("Beschreibung"), default=dict, blank=True)
    email = models.EmailField(_("E-Mail"), blank=True)
    phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    website = models.URLField(_("Website"), blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="branches",
        verbose_name=_("Hauptorganisation"),
    )
    is_synthetic = models.BooleanField(
        _("Demodaten"), default=False, help_text=_("Erfundener Eintrag der Demo-Daten")
    )

    class Meta:
        db_table = "directory_organisation"
        verbose_name = _("Organisation")
        verbose_name_plural = _("Organisationen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        """The organisation's public page (in the directory)."""
        return reverse("directory:organisation", args=[self.pk])

    def description_text(self) -> str:
        return pick(self.description)

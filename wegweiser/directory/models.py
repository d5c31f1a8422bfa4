"""Directory of places and offers (of the organisations in ``wegweiser.organisations``, funded
through the projects in ``wegweiser.programmes``).

Field meanings follow Open Referral HSDS 3.0 (organization, program, location, service,
service_at_location, schedule, language, service_area): see ``docs/directory.md`` for the mapping.
Texts a person reads are stored per language (``{"de": ..., "en": ...}``), German first.

Offers carry a few derived columns (``search_document``, ``facets``, ``lat``/``lon``,
``region``) that the search reads; :func:`wegweiser.directory.services.offer_refresh_index`
keeps them in step and every write goes through the services.
"""

from __future__ import annotations

import datetime as dt
import uuid
from functools import lru_cache

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from wegweiser.core.i18n import pick
from wegweiser.directory import vocabulary
from wegweiser.organisations.models import Organisation, Region
from wegweiser.programmes.models import FundingRound, Project

#: An offer whose last verification is older than this is shown as "possibly outdated".
VERIFICATION_INTERVAL = dt.timedelta(days=365)


class Location(models.Model):
    """A physical place (HSDS location with one postal address and its accessibility)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="locations"
    )
    name = models.CharField(_("Name"), max_length=250, blank=True)
    street = models.CharField(_("Straße und Hausnummer"), max_length=200)
    postcode = models.CharField(_("Postleitzahl"), max_length=5)
    city = models.CharField(_("Ort"), max_length=120)
    lat = models.FloatField(_("Breitengrad"))
    lon = models.FloatField(_("Längengrad"))
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        related_name="locations",
        verbose_name=_("Kreis"),
        help_text=_("Aus den Koordinaten bestimmt"),
    )
    city_region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="city_locations",
        verbose_name=_("Sonderstatusstadt"),
    )
    accessibility = models.JSONField(_("Barrierefreiheit"), default=list, blank=True)
    accessibility_note = models.TextField(_("Hinweise zur Barrierefreiheit"), blank=True)
    transportation = models.CharField(_("Anfahrt"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("Ort")
        verbose_name_plural = _("Orte")
        ordering = ["city", "street"]

    def __str__(self) -> str:
        return f"{self.street}, {self.postcode} {self.city}"


@lru_cache(maxsize=16384)
def _offer_url(pk: uuid.UUID, language: str | None, prefix: str) -> str:
    """An offer page's address: ``reverse`` resolves it each time (40 µs), and result lists
    link ten to twenty offers; it depends only on these three (the URLconf does not change
    while the process runs)."""
    return reverse("directory:offer", args=[pk])


class Offer(models.Model):
    """What a person can get (HSDS service), at one or more places."""

    DRAFT, PUBLISHED, INACTIVE = "draft", "published", "inactive"
    STATUS_CHOICES = [
        (DRAFT, _("Entwurf")),
        (PUBLISHED, _("Veröffentlicht")),
        (INACTIVE, _("Eingestellt")),
    ]

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="offers", verbose_name=_("Anbieter")
    )
    project = models.ForeignKey(
        Project,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="offers",
        verbose_name=_("Projekt"),
    )
    funding_round = models.ForeignKey(
        FundingRound,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="offers",
        verbose_name=_("Förderrunde"),
    )
    name = models.JSONField(_("Name"))
    description = models.JSONField(_("Beschreibung"), default=dict, blank=True)
    themes = models.JSONField(_("Themen"), default=list)
    languages = models.JSONField(_("Sprachen"), default=list)
    modes = models.JSONField(_("Form"), default=list)
    is_free = models.BooleanField(_("kostenlos"), default=True)
    cost_note = models.CharField(_("Kosten"), max_length=300, blank=True)
    contact_name = models.CharField(_("Ansprechperson"), max_length=120, blank=True)
    email = models.EmailField(_("E-Mail"), blank=True)
    phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    website = models.URLField(_("Website"), blank=True)
    appointment_only = models.BooleanField(_("nur mit Termin"), default=False)
    hours_note = models.CharField(_("Hinweis zu Öffnungszeiten"), max_length=300, blank=True)
    locations = models.ManyToManyField(
        Location, through="OfferLocation", related_name="offers", blank=True
    )
    status = models.CharField(_("Status"), max_length=10, choices=STATUS_CHOICES, default=DRAFT)
    last_verified = models.DateField(_("Zuletzt geprüft"), null=True, blank=True)
    updated_at = models.DateTimeField(_("Geändert"), auto_now=True)

    # Derived columns for search (see module docstring).
    search_document = models.TextField(editable=False, default="")
    #: A 63-bit integer derived from ``id`` (see ``search.search_key``): the rowid of the SQLite
    #: text index and a compact key for reading many matches.
    search_key = models.BigIntegerField(editable=False, unique=True, null=True)
    sort_name = models.CharField(editable=False, max_length=250, default="", db_index=True)
    facets = models.CharField(editable=False, max_length=1000, default="", db_index=False)
    lat = models.FloatField(null=True, editable=False)
    lon = models.FloatField(null=True, editable=False)
    region = models.ForeignKey(
        Region, on_delete=models.SET_NULL, null=True, editable=False, related_name="+"
    )
    city_region = models.ForeignKey(
        Region, on_delete=models.SET_NULL, null=True, editable=False, related_name="+"
    )

    class Meta:
        verbose_name = _("Angebot")
        verbose_name_plural = _("Angebote")
        ordering = ["sort_name"]
        indexes = [
            # Covers the search's filters, so that SQLite reads candidates from the index alone.
            models.Index(
                fields=[
                    "status",
                    "lat",
                    "lon",
                    "search_key",
                    "facets",
                    "region",
                    "city_region",
                    "funding_round",
                ],
                name="offer_search_cover",
            ),
            models.Index(fields=["status", "region"], name="offer_status_region"),
        ]

    def __str__(self) -> str:
        return pick(self.name)

    def get_absolute_url(self) -> str:
        return _offer_url(self.pk, get_language(), get_script_prefix())

    @property
    def title(self) -> str:
        return pick(self.name)

    @property
    def text(self) -> str:
        return pick(self.description)

    def is_outdated(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.last_verified is None or today - self.last_verified > VERIFICATION_INTERVAL

    def theme_labels(self) -> list[str]:
        return [str(vocabulary.THEMES[t]) for t in self.themes if t in vocabulary.THEMES]

    def mode_labels(self) -> list[str]:
        return [str(vocabulary.MODES[m]) for m in self.modes if m in vocabulary.MODES]


class OfferLocation(models.Model):
    """HSDS service_at_location; the first place (position 0) is the one used for distance."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="placements")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="placements")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "location"], name="unique_offer_location")
        ]

    def __str__(self) -> str:
        return f"{self.offer} @ {self.location}"


class OpeningHours(models.Model):
    """A weekly opening time (HSDS schedule with ``freq=WEEKLY``, ``byday``, opens/closes)."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(
        _("Wochentag"), choices=list(vocabulary.WEEKDAYS.items())
    )
    opens = models.TimeField(_("von"))
    closes = models.TimeField(_("bis"))

    class Meta:
        verbose_name = _("Öffnungszeit")
        verbose_name_plural = _("Öffnungszeiten")
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes__gt=models.F("opens")), name="opening_hours_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class OfferSearchRow(models.Model):
    """PostgreSQL only: the search columns of each offer in a narrow table of their own.

    A trigger on ``directory_offer`` keeps it in step with every write (including bulk updates
    and the admin); nothing in Python writes it. ``stems`` holds the German stems of the
    search document (without positions); ``vector`` (generated) holds them with their
    prefixes of 2–8 characters and the facets, indexed (GIN), so a prefix query with filters
    is one exact index read. A broad search reads these narrow rows instead of the wide offer
    table (see ``search.create_search_table`` and ``search.vector_column``).
    """

    search_key = models.BigIntegerField(primary_key=True)
    status = models.CharField(max_length=10)
    lat = models.FloatField(null=True)
    lon = models.FloatField(null=True)
    facets = models.CharField(max_length=1000)
    # Copies of the offer's nullable keys (NULL, not "", as there).
    region_id = models.CharField(max_length=8, null=True)  # noqa: DJ001
    city_region_id = models.CharField(max_length=8, null=True)  # noqa: DJ001
    funding_round_id = models.BigIntegerField(null=True)
    sort_name = models.CharField(max_length=250)
    stems = SearchVectorField()
    # stems with their prefixes and the facets: generated by PostgreSQL (migration 0005)
    vector = SearchVectorField(editable=False)

    class Meta:
        managed = False
        db_table = "directory_offer_search"

    def __str__(self) -> str:
        return str(self.search_key)

"""People: participants, their households and residence-status history."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wegweiser.eligibility.facts import RESIDENCE_TITLES, WORK_BANS
from wegweiser.organisations.models import Organisation

#: Characters of pseudonyms: no 0/O, 1/I/L (read aloud and typed from paper).
PSEUDONYM_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_pseudonym() -> str:
    """A random report number such as ``TN-7K3M-Q9XA``; never derived from personal data."""
    chars = "".join(secrets.choice(PSEUDONYM_ALPHABET) for _ in range(8))
    return f"TN-{chars[:4]}-{chars[4:]}"


class Gender(models.TextChoices):
    """ESF Plus breakdown (facts.md A.1); the values of the eligibility engine."""

    FEMALE = "female", _("weiblich")
    MALE = "male", _("männlich")
    DIVERSE = "diverse", _("divers / nicht-binär")


class Household(models.Model):
    """Family members counselled together (the holistic approach of seed 000)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="households"
    )
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)

    class Meta:
        verbose_name = _("Haushalt")
        verbose_name_plural = _("Haushalte")

    def __str__(self) -> str:
        label = _("Haushalt")  # not inside the f-string: xgettext skips those
        return f"{label} {str(self.pk)[:8]}"


class HouseholdRelation(models.TextChoices):
    MAIN_PERSON = "main_person", _("Hauptperson")
    PARTNER = "partner", _("Ehe-/Lebenspartner/in")
    CHILD = "child", _("Kind")
    PARENT = "parent", _("Elternteil")
    SIBLING = "sibling", _("Geschwister")
    OTHER_RELATIVE = "other_relative", _("andere Verwandte")
    OTHER = "other", _("andere Person im Haushalt")


class Participant(models.Model):
    """A person counselled by one organisation. Another organisation never sees this row."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="participants",
        verbose_name=_("Organisation"),
    )
    pseudonym = models.CharField(
        _("Pseudonym"),
        max_length=16,
        unique=True,
        default=new_pseudonym,
        editable=False,
        help_text=_("Zufällige Nummer für Berichte; nicht aus persönlichen Daten abgeleitet"),
    )
    given_name = models.CharField(_("Vorname"), max_length=150, blank=True)
    family_name = models.CharField(_("Nachname"), max_length=150, blank=True)
    date_of_birth = models.DateField(_("Geburtsdatum"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        _("Geburtsjahr"),
        null=True,
        blank=True,
        help_text=_("Bleibt nach der Anonymisierung statt des Geburtsdatums"),
    )
    gender = models.CharField(_("Geschlecht"), max_length=10, choices=Gender.choices, blank=True)
    phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    email = models.EmailField(_("E-Mail"), blank=True)
    languages = models.JSONField(_("Sprachen"), default=list, blank=True)
    citizenships = models.JSONField(
        _("Staatsangehörigkeiten"),
        default=list,
        blank=True,
        help_text=_("ISO-3166-Codes oder „stateless“"),
    )
    kreis = models.CharField(
        _("Kreis (Wohnort)"), max_length=5, blank=True, help_text=_("Amtlicher Kreisschlüssel")
    )
    household = models.ForeignKey(
        Household,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("Haushalt"),
    )
    household_relation = models.CharField(
        _("Beziehung zur Hauptperson"),
        max_length=20,
        choices=HouseholdRelation.choices,
        blank=True,
    )
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert"), auto_now=True)
    anonymised_at = models.DateTimeField(_("anonymisiert am"), null=True, blank=True)
    version = models.PositiveIntegerField(_("Version"), default=1, editable=False)

    class Meta:
        verbose_name = _("Teilnehmende Person")
        verbose_name_plural = _("Teilnehmende Personen")
        ordering = ["family_name", "given_name", "created_at"]
        indexes = [models.Index(fields=["organisation", "family_name", "given_name"])]

    def __str__(self) -> str:
        if self.anonymised_at:
            return self.pseudonym
        return f"{self.given_name} {self.family_name}".strip() or self.pseudonym


class ResidenceStatus(models.Model):
    """One entry of the residence-status history; the current one is the one valid on a day."""

    class WorkBan(models.TextChoices):
        NONE = "none", _("kein Arbeitsverbot")
        TEMPORARY = "temporary", _("befristetes Arbeitsverbot")
        ABSOLUTE = "absolute", _("absolutes Arbeitsverbot")

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="residence_statuses"
    )
    title = models.CharField(
        _("Aufenthaltsstatus"),
        max_length=30,
        choices=[(t, t) for t in RESIDENCE_TITLES],
        help_text=_("Code des Merkmals „residence.title“ der Förderprüfung"),
    )
    section = models.CharField(
        _("Rechtsgrundlage"), max_length=10, blank=True, help_text=_("z. B. 25(2) oder 60a")
    )
    valid_from = models.DateField(_("gültig ab"))
    valid_to = models.DateField(_("gültig bis"), null=True, blank=True)
    work_ban = models.CharField(
        _("Arbeitsverbot"), max_length=10, choices=WorkBan.choices, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("erfasst am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Aufenthaltsstatus")
        verbose_name_plural = _("Aufenthaltsstatus (Verlauf)")
        ordering = ["participant", "-valid_from", "-recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="residence_valid_to_after_from",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.section}".strip()


assert set(ResidenceStatus.WorkBan.values) == set(WORK_BANS)

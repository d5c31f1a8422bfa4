"""Volunteer pools (Integrationslotsen, lay interpreters), their volunteers, requests, bookings,
hours and tandems. See docs/volunteers.md.

A pool belongs to one organisation; everything below a pool is scoped to that organisation
(another organisation's volunteers answer 404). A request is made by a requesting organisation
(a counsellor's, from a case or not) to a pool; both sides see the request, the pool's side
sees its volunteers.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from wegweiser.cases.models import Case
from wegweiser.organisations.models import Organisation


class Mode(models.TextChoices):
    ON_SITE = "on_site", _("vor Ort")
    PHONE = "phone", _("Telefon")
    VIDEO = "video", _("Video")


class Topic(models.TextChoices):
    AUTHORITY = "authority", _("Behörde")
    SCHOOL = "school", _("Schule und Kita")
    HEALTH = "health", _("Gesundheit")
    HOUSING = "housing", _("Wohnen")
    WORK = "work", _("Arbeit und Ausbildung")
    EVERYDAY = "everyday", _("Alltag")


class Setting(models.TextChoices):
    COUNSELLING = "counselling", _("Beratungsgespräch")
    DOCTOR = "doctor", _("Arztpraxis")
    HOSPITAL = "hospital", _("Krankenhaus")
    COURT = "court", _("Gericht")
    POLICE = "police", _("Polizei")
    PSYCHOTHERAPY = "psychotherapy", _("Psychotherapie")
    PARENTS = "parents", _("Elterngespräch")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Montag")
    TUESDAY = 1, _("Dienstag")
    WEDNESDAY = 2, _("Mittwoch")
    THURSDAY = 3, _("Donnerstag")
    FRIDAY = 4, _("Freitag")
    SATURDAY = 5, _("Samstag")
    SUNDAY = 6, _("Sonntag")


class Level(models.IntegerChoices):
    A2 = 2, _("Grundkenntnisse (A2)")
    B1 = 3, _("gut (B1)")
    B2 = 4, _("sehr gut (B2)")
    C1 = 5, _("fließend (C1)")
    NATIVE = 6, _("Muttersprache")


class QualificationKind(models.TextChoices):
    BASIC_COURSE = "basic_course", _("Grundkurs Kompetenzzentrum Vielfalt")
    INTERPRETING = "interpreting", _("Grundlagen des Dolmetschens")
    CONFIDENTIALITY = "confidentiality", _("Verschwiegenheitserklärung")
    POLICE_CERTIFICATE = "police_certificate", _("Erweitertes Führungszeugnis")


class Gender(models.TextChoices):
    FEMALE = "female", _("weiblich")
    MALE = "male", _("männlich")
    DIVERSE = "diverse", _("divers")


class Pool(models.Model):
    """A Lotsen project or the interpreter pool of a Kreis, run by one organisation."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="volunteer_pools"
    )
    name = models.CharField(_("Name"), max_length=200)
    kreis = models.CharField(_("Kreis"), max_length=12, blank=True)
    interpreting = models.BooleanField(_("Dolmetschpool"), default=True)
    police_certificate_required = models.BooleanField(
        _("Führungszeugnis erforderlich"), default=False
    )
    lead_days = models.PositiveSmallIntegerField(
        _("Vorlauf in Werktagen"), default=5, help_text=_("Kürzer gilt als dringend.")
    )
    late_cancel_hours = models.PositiveSmallIntegerField(
        _("Späte Absage: Stunden vor dem Termin"), default=36
    )
    allowance_eur = models.DecimalField(
        _("Ehrenamtspauschale im Jahr (€)"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("840.00"),
        help_text=_("§ 3 Nr. 26a EStG"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Ehrenamtspool")
        verbose_name_plural = _("Ehrenamtspools")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Volunteer(models.Model):
    """A Lotse or a lay interpreter. A data subject: scoped, reads audited, export, erasure."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    pool = models.ForeignKey(Pool, on_delete=models.PROTECT, related_name="volunteers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="volunteer_profiles",
        verbose_name=_("Zugang"),
    )
    first_name = models.CharField(_("Vorname"), max_length=100)
    last_name = models.CharField(_("Nachname"), max_length=100)
    email = models.EmailField(_("E-Mail"), blank=True)
    phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    postcode = models.CharField(_("Postleitzahl"), max_length=5)
    radius_km = models.PositiveSmallIntegerField(_("Fahrweg bis (km)"), default=15)
    modes = models.JSONField(_("Einsatzarten"), default=list)
    gender = models.CharField(_("Geschlecht"), max_length=10, choices=Gender.choices, blank=True)
    topics = models.JSONField(_("Themen"), default=list)
    excluded_settings = models.JSONField(_("Übernimmt nicht"), default=list)
    max_hours_month = models.PositiveSmallIntegerField(_("Höchstens Stunden im Monat"), default=10)
    max_tandems = models.PositiveSmallIntegerField(_("Höchstens Tandems"), default=1)
    consent_on = models.DateField(_("Einwilligung am"), null=True, blank=True)
    #: participant ids (strings) the volunteer must not be sent to (family, neighbours ...)
    conflicts = models.JSONField(_("Befangenheit"), default=list, blank=True)
    active = models.BooleanField(_("aktiv"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Ehrenamtliche Person")
        verbose_name_plural = _("Ehrenamtliche")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class VolunteerLanguage(models.Model):
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("Sprache"), max_length=3)
    level = models.PositiveSmallIntegerField(_("Niveau"), choices=Level.choices)
    interprets = models.BooleanField(_("dolmetscht von und ins Deutsche"), default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["volunteer", "language"], name="volunteer_language")
        ]

    def __str__(self) -> str:
        return f"{self.volunteer_id} {self.language}"


class Availability(models.Model):
    """A weekly slot: weekday (0 Monday) and time of day."""

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="slots")
    weekday = models.PositiveSmallIntegerField(_("Wochentag"), choices=Weekday.choices)
    start = models.TimeField(_("von"))
    end = models.TimeField(_("bis"))

    class Meta:
        ordering = ["weekday", "start"]

    def __str__(self) -> str:
        return f"{self.weekday} {self.start}-{self.end}"


class Absence(models.Model):
    """An exception to the weekly slots: not available from ... to (inclusive)."""

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="absences")
    first_day = models.DateField(_("abwesend vom"))
    last_day = models.DateField(_("bis einschließlich"))

    def __str__(self) -> str:
        return f"{self.first_day}–{self.last_day}"


class Qualification(models.Model):
    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, related_name="qualifications"
    )
    kind = models.CharField(_("Art"), max_length=30, choices=QualificationKind.choices)
    completed_on = models.DateField(_("am"))
    expires_on = models.DateField(_("gültig bis"), null=True, blank=True)

    class Meta:
        ordering = ["kind", "-completed_on"]

    def __str__(self) -> str:
        return f"{self.kind} {self.completed_on}"


class Rate(models.Model):
    """What an organisation reimburses, from a date on."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="volunteer_rates"
    )
    valid_from = models.DateField(_("gültig ab"))
    eur_per_hour = models.DecimalField(_("€ je Stunde"), max_digits=6, decimal_places=2)
    eur_per_km = models.DecimalField(_("€ je km"), max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["organisation", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "valid_from"], name="one_rate_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.valid_from}: {self.eur_per_hour} €/h, {self.eur_per_km} €/km"


class BookingStatus(models.TextChoices):
    REQUESTED = "requested", _("angefragt")
    PROPOSED = "proposed", _("vorgeschlagen")
    OFFERED = "offered", _("angeboten")
    ACCEPTED = "accepted", _("zugesagt")
    DECLINED = "declined", _("abgelehnt")
    CONFIRMED = "confirmed", _("bestätigt")
    DONE = "done", _("erledigt")
    CANCELLED = "cancelled", _("abgesagt")
    NO_SHOW = "no_show", _("nicht erschienen")


class InterpretingRequest(models.Model):
    """An interpreting appointment asked of a pool; its booking carries the lifecycle."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    pool = models.ForeignKey(Pool, on_delete=models.PROTECT, related_name="requests")
    requesting_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="interpreting_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    institution = models.CharField(_("Anfragende Stelle"), max_length=200)
    starts_at = models.DateTimeField(_("Beginn"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("Dauer (Minuten)"), validators=[MinValueValidator(15), MaxValueValidator(480)]
    )
    mode = models.CharField(_("Art"), max_length=10, choices=Mode.choices, default=Mode.ON_SITE)
    address = models.CharField(_("Ort (Adresse, Telefon oder Videolink)"), max_length=300)
    postcode = models.CharField(_("Postleitzahl des Termins"), max_length=5, blank=True)
    language = models.CharField(_("Sprache"), max_length=3)
    topic = models.CharField(_("Thema"), max_length=20, choices=Topic.choices)
    setting = models.CharField(_("Rahmen"), max_length=20, choices=Setting.choices)
    gender_preference = models.CharField(
        _("Gewünschtes Geschlecht"), max_length=10, choices=Gender.choices, blank=True
    )
    urgent = models.BooleanField(_("dringend"), default=False)
    #: a request made by the coordinator without a case: the person as she knows her
    person_label = models.CharField(
        _("Person (Pseudonym oder Vorname)"), max_length=100, blank=True
    )
    person_contact = models.CharField(_("Kontakt der Person"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return f"{self.language} {self.starts_at:%Y-%m-%d %H:%M}"


class Booking(models.Model):
    """The lifecycle of one interpreting request (see :class:`BookingStatus`)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    request = models.OneToOneField(
        InterpretingRequest, on_delete=models.CASCADE, related_name="booking"
    )
    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.PROTECT, null=True, blank=True, related_name="bookings"
    )
    status = models.CharField(
        max_length=12, choices=BookingStatus.choices, default=BookingStatus.REQUESTED
    )
    #: volunteers who declined this request (ids as strings): not proposed again
    declined_by = models.JSONField(default=list, blank=True)
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    offered_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    late_cancellation = models.BooleanField(_("späte Absage"), default=False)
    reminded_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["request__starts_at"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.status}"


class Assignment(models.Model):
    """Hours, kilometres and costs of one booking or one tandem contact."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="assignments")
    booking = models.OneToOneField(
        Booking, on_delete=models.CASCADE, null=True, blank=True, related_name="assignment"
    )
    tandem = models.ForeignKey(
        "Tandem", on_delete=models.CASCADE, null=True, blank=True, related_name="assignments"
    )
    on = models.DateField(_("Datum"))
    hours = models.DecimalField(_("Stunden"), max_digits=5, decimal_places=2)
    km = models.DecimalField(_("Kilometer"), max_digits=6, decimal_places=1, default=0)
    #: tickets, parking and the like, on top of hours and kilometres (in ``costs``)
    expenses = models.DecimalField(
        _("Auslagen (€)"), max_digits=7, decimal_places=2, default=Decimal("0.00")
    )
    costs = models.DecimalField(_("Kosten (€)"), max_digits=8, decimal_places=2)
    #: entered by the volunteer herself (until the coordinator corrects it)
    self_entered = models.BooleanField(_("selbst eingetragen"), default=False)

    class Meta:
        ordering = ["-on"]

    def __str__(self) -> str:
        return f"{self.on} {self.hours} h"


class TandemStatus(models.TextChoices):
    REQUESTED = "requested", _("angefragt")
    ACTIVE = "active", _("läuft")
    ENDED = "ended", _("beendet")


class TandemOutcome(models.TextChoices):
    GOAL_REACHED = "goal_reached", _("Ziel erreicht")
    INDEPENDENT = "independent", _("kommt allein zurecht")
    MOVED = "moved", _("weggezogen")
    STOPPED = "stopped", _("abgebrochen")


class Tandem(models.Model):
    """A Lotse for a person or family over months: request, start, contacts, end."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    pool = models.ForeignKey(Pool, on_delete=models.PROTECT, related_name="tandems")
    requesting_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="tandem_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    language = models.CharField(_("Sprache"), max_length=3)
    topic = models.CharField(_("Thema"), max_length=20, choices=Topic.choices)
    postcode = models.CharField(_("Postleitzahl"), max_length=5, blank=True)
    gender_preference = models.CharField(
        _("Gewünschtes Geschlecht"), max_length=10, choices=Gender.choices, blank=True
    )
    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.PROTECT, null=True, blank=True, related_name="tandems"
    )
    status = models.CharField(
        max_length=10, choices=TandemStatus.choices, default=TandemStatus.REQUESTED
    )
    started_on = models.DateField(_("Beginn"), null=True, blank=True)
    ended_on = models.DateField(_("Ende"), null=True, blank=True)
    outcome = models.CharField(
        _("Ergebnis"), max_length=20, choices=TandemOutcome.choices, blank=True
    )
    #: a request made by the coordinator without a case: the person as she knows her
    person_label = models.CharField(
        _("Person (Pseudonym oder Vorname)"), max_length=100, blank=True
    )
    person_contact = models.CharField(_("Kontakt der Person"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.language} {self.status}"


class MeetingKind(models.TextChoices):
    CONTACT = "contact", _("Treffen im Tandem")
    SUPERVISION = "supervision", _("Supervision")
    REFLECTION = "reflection", _("Reflexionstreffen")


class TandemMeeting(models.Model):
    tandem = models.ForeignKey(Tandem, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(_("Art"), max_length=12, choices=MeetingKind.choices)
    on = models.DateField(_("Datum"))
    minutes = models.PositiveSmallIntegerField(_("Dauer (Minuten)"), default=60)

    class Meta:
        ordering = ["-on"]

    def __str__(self) -> str:
        return f"{self.kind} {self.on}"

"""Case management: participants, consent, cases, case plans, referrals, follow-ups, audit.

The most sensitive data of the platform. Every model holding personal data has an
``organisation`` or reaches one in a single hop (``participant.organisation``,
``case.organisation``). Reads go through :mod:`wegweiser.cases.selectors` (organisation-scoped,
audit-logged), writes through :mod:`wegweiser.cases.services`. See ``docs/cases.md``.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wegweiser.directory.models import Offer
from wegweiser.eligibility.facts import RESIDENCE_TITLES, WORK_BANS
from wegweiser.organisations.models import Organisation
from wegweiser.programmes.models import FundingRound, Project

# --- people --------------------------------------------------------------------------------------

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
        return f"{_('Haushalt')} {str(self.pk)[:8]}"


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


# --- consent -------------------------------------------------------------------------------------


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


# --- cases ---------------------------------------------------------------------------------------


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


class YesNoNoAnswer(models.TextChoices):
    YES = "yes", _("ja")
    NO = "no", _("nein")
    NO_ANSWER = "no_answer", _("keine Angabe")


class EsfEntryData(models.Model):
    """The ESF Plus entry questionnaire ("Eintrittsfragebogen"), one per case.

    Answers refer to the day of entry (facts.md A.6). Reporting facts derived from the participant
    (gender, age, third-country national) are copied at collection, so they survive the
    anonymisation of the person (facts.md D.2).
    """

    #: The answers every questionnaire needs (``long_term_unemployed`` only when unemployed).
    REQUIRED_ANSWERS = (
        "employment_status",
        "isced_level",
        "foreign_background",
        "homeless_or_housing_exclusion",
        "rural_area",
        "disability",
        "minority",
    )

    class EmploymentStatus(models.TextChoices):
        UNEMPLOYED = "unemployed", _("arbeitslos (auch langzeitarbeitslos)")
        INACTIVE = "inactive", _("nicht erwerbstätig")
        EMPLOYED = "employed", _("erwerbstätig (auch selbstständig)")

    class Isced(models.IntegerChoices):
        ISCED_0 = 0, _("ISCED 0 – kein Abschluss, frühkindliche Bildung")
        ISCED_1 = 1, _("ISCED 1 – Primarbereich")
        ISCED_2 = 2, _("ISCED 2 – Sekundarbereich I")
        ISCED_3 = 3, _("ISCED 3 – Sekundarbereich II")
        ISCED_4 = 4, _("ISCED 4 – postsekundär, nicht tertiär")
        ISCED_5 = 5, _("ISCED 5 – kurzes tertiäres Bildungsprogramm")
        ISCED_6 = 6, _("ISCED 6 – Bachelor oder gleichwertig")
        ISCED_7 = 7, _("ISCED 7 – Master oder gleichwertig")
        ISCED_8 = 8, _("ISCED 8 – Promotion")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="esf_entry")
    collected_on = models.DateField(_("erhoben am"))
    # Copied from the participant at collection (facts.md A.1, A.2, A.5).
    gender = models.CharField(
        _("Geschlecht"),
        max_length=10,
        choices=Gender.choices,
        help_text=_("ESF+-VO Anhang I: nach Geschlecht aufgeschlüsselt (facts.md A.1)"),
    )
    age_at_entry = models.PositiveSmallIntegerField(
        _("Alter bei Eintritt"),
        help_text=_("Für die Altersgruppen < 18, 18–29, ≥ 55 (EECO06–EECO08, facts.md A.5)"),
    )
    third_country_national = models.BooleanField(
        _("Drittstaatsangehörige/r"),
        help_text=_("EECO13: keine Unionsbürgerschaft, auch staatenlos (facts.md A.5)"),
    )
    # The questionnaire.
    employment_status = models.CharField(
        _("Erwerbsstatus bei Eintritt"),
        max_length=12,
        choices=EmploymentStatus.choices,
        help_text=_(
            "Genau einer von arbeitslos, nicht erwerbstätig, erwerbstätig "
            "(EECO02, EECO04, EECO05; facts.md A.2, A.5)"
        ),
    )
    long_term_unemployed = models.BooleanField(
        _("langzeitarbeitslos"),
        null=True,
        blank=True,
        help_text=_("EECO03; nur bei „arbeitslos“ (facts.md A.2, A.5)"),
    )
    isced_level = models.PositiveSmallIntegerField(
        _("höchster Bildungsabschluss (ISCED)"),
        choices=Isced.choices,
        help_text=_("ISCED 0–2, 3–4, 5–8: EECO09–EECO11 (facts.md A.2, A.5)"),
    )
    foreign_background = models.CharField(
        _("ausländische Herkunft"),
        max_length=10,
        choices=YesNoNoAnswer.choices,
        help_text=_("EECO14, nationale Definition (facts.md A.2, A.5)"),
    )
    homeless_or_housing_exclusion = models.CharField(
        _("obdachlos oder von Ausgrenzung auf dem Wohnungsmarkt betroffen"),
        max_length=10,
        choices=YesNoNoAnswer.choices,
        help_text=_("EECO16 (facts.md A.2, A.5)"),
    )
    rural_area = models.CharField(
        _("wohnt in ländlichem Gebiet"),
        max_length=10,
        choices=YesNoNoAnswer.choices,
        help_text=_("EECO17, nach DEGURBA (facts.md A.2, A.5)"),
    )
    disability = models.CharField(
        _("Behinderung"),
        max_length=10,
        choices=YesNoNoAnswer.choices,
        help_text=_(
            "EECO12, besondere Kategorie nach Art. 9 DSGVO: „keine Angabe“ ist erlaubt und "
            "etwas anderes als „nein“ (facts.md A.2, A.6)"
        ),
    )
    minority = models.CharField(
        _("Angehörige/r einer Minderheit"),
        max_length=10,
        choices=YesNoNoAnswer.choices,
        help_text=_(
            "EECO15, besondere Kategorie nach Art. 9 DSGVO: „keine Angabe“ ist erlaubt und "
            "etwas anderes als „nein“ (facts.md A.2, A.6)"
        ),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("geändert"), auto_now=True)
    #: optimistic locking: a save compares and swaps the version the user saw
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("ESF-Plus-Eintrittsdaten")
        verbose_name_plural = _("ESF-Plus-Eintrittsdaten")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(employment_status="unemployed")
                | models.Q(long_term_unemployed__isnull=True),
                name="esf_long_term_only_if_unemployed",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}"


# --- case plan -----------------------------------------------------------------------------------


class Goal(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("offen")
        IN_PROGRESS = "in_progress", _("in Arbeit")
        ACHIEVED = "achieved", _("erreicht")
        DROPPED = "dropped", _("aufgegeben")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(_("Ziel"), max_length=200)
    target_date = models.DateField(_("Zieldatum"), null=True, blank=True)
    status = models.CharField(_("Status"), max_length=12, choices=Status.choices, default="open")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert"), auto_now=True)

    class Meta:
        verbose_name = _("Ziel")
        verbose_name_plural = _("Ziele")
        ordering = ["case", "target_date", "created_at"]

    def __str__(self) -> str:
        return self.title


class ContactEntry(models.Model):
    class Channel(models.TextChoices):
        IN_PERSON = "in_person", _("persönlich")
        PHONE = "phone", _("Telefon")
        VIDEO = "video", _("Video")
        ONLINE = "online", _("online (schriftlich)")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contacts")
    date = models.DateField(_("Datum"))
    duration_minutes = models.PositiveIntegerField(_("Dauer (Minuten)"))
    channel = models.CharField(_("Form"), max_length=10, choices=Channel.choices)
    topics = models.JSONField(_("Themen"), default=list, blank=True)
    note = models.TextField(_("Notiz"), blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)

    class Meta:
        verbose_name = _("Kontakt")
        verbose_name_plural = _("Kontakte")
        ordering = ["case", "-date", "-created_at"]

    def __str__(self) -> str:
        return f"{self.date} ({self.get_channel_display()})"


class Task(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("Aufgabe"), max_length=200)
    due_date = models.DateField(_("fällig am"), null=True, blank=True)
    done_at = models.DateTimeField(_("erledigt am"), null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="case_tasks",
        verbose_name=_("zuständig"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)

    class Meta:
        verbose_name = _("Aufgabe")
        verbose_name_plural = _("Aufgaben")
        ordering = ["case", "due_date", "created_at"]

    def __str__(self) -> str:
        return self.title


# --- referrals -----------------------------------------------------------------------------------


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
    #: the case the receiving organisation opened from this referral (``cases.intake``), so that
    #: it is opened once; the sender never sees it
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


# --- follow-up -----------------------------------------------------------------------------------


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


# --- record keeping ------------------------------------------------------------------------------


class ProjectRecordKeeping(models.Model):
    """The ESF record-keeping period of a funded project (facts.md D.2, Art. 82 CPR).

    The period runs five years from 31 December of the year of the managing authority's last
    payment, which is known only when it happens: until it is recorded, the records are kept.
    """

    project = models.OneToOneField(
        Project, on_delete=models.CASCADE, primary_key=True, related_name="record_keeping"
    )
    last_payment_on = models.DateField(
        _("letzte Zahlung der Verwaltungsbehörde"),
        null=True,
        blank=True,
        help_text=_("Aufbewahrung bis 31.12. des fünften Folgejahres (Art. 82 VO 2021/1060)"),
    )
    held_until = models.DateField(
        _("Aufbewahrung verlängert bis"),
        null=True,
        blank=True,
        help_text=_("Unterbrechung durch Verfahren oder auf Verlangen der Kommission"),
    )

    class Meta:
        verbose_name = _("Aufbewahrungsfrist")
        verbose_name_plural = _("Aufbewahrungsfristen")

    def __str__(self) -> str:
        return str(self.project)

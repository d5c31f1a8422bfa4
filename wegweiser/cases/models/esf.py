"""ESF Plus: the entry questionnaire of a case and the record-keeping period of a project."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wegweiser.cases import esf_codes
from wegweiser.cases.models.cases import Case
from wegweiser.cases.models.participants import Gender
from wegweiser.programmes.models import Project


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
    kreis = models.CharField(
        _("Kreis bei Eintritt"),
        max_length=5,
        blank=True,
        help_text=_("Aus der Akte übernommen: die Aufschlüsselung nach Kreis im ESF-Plus-Bericht"),
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
    #: the answers as codes in one integer, kept by the database for the reports (esf_codes)
    report_codes = models.GeneratedField(
        expression=esf_codes.packed(esf_codes.ENTRY_CODES),
        output_field=models.BigIntegerField(),
        db_persist=True,
    )
    #: the Kreis key as a number, kept by the database for the reports (esf_codes)
    report_kreis = models.GeneratedField(
        expression=esf_codes.kreis_number(),
        output_field=models.IntegerField(),
        db_persist=True,
    )

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


#: The situations of the exit questionnaire, in the order of the form (facts.md A.4).
EXIT_SITUATIONS = ("job_searching", "in_education", "qualification_gained", "employed", "inactive")


def _situation(label, help_text):
    return models.CharField(
        label, max_length=10, choices=YesNoNoAnswer.choices, help_text=help_text
    )


def _situation_date(label):
    return models.DateField(label, null=True, blank=True)


class EsfExitData(models.Model):
    """The ESF Plus exit questionnaire ("Austrittsfragebogen"), one per case.

    Each situation is answered yes / no / "keine Angabe" (kept distinct from "no") and, when yes,
    with the day it began (at exit or a labour-market event after it). Only the events up to four
    weeks (28 days) after exit count for the immediate results, the last one wins; the reporting
    app applies that rule (facts.md A.4). The six-month result is the follow-up's
    (``FollowUp.long_term_result``).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="esf_exit")
    collected_on = models.DateField(_("erhoben am"))
    job_searching = _situation(_("arbeitsuchend"), _("EECR01 (facts.md A.4)"))
    job_searching_on = _situation_date(_("arbeitsuchend seit"))
    in_education = _situation(_("in schulischer/beruflicher Bildung"), _("EECR02 (facts.md A.4)"))
    in_education_on = _situation_date(_("in Bildung seit"))
    qualification_gained = _situation(
        _("Qualifizierung erlangt"),
        _("EECR03: formell bewertetes Lernergebnis nach festgelegten Standards (facts.md A.4)"),
    )
    qualification_gained_on = _situation_date(_("Qualifizierung erlangt am"))
    employed = _situation(_("erwerbstätig, auch selbstständig"), _("EECR04 (facts.md A.4)"))
    employed_on = _situation_date(_("erwerbstätig seit"))
    inactive = _situation(_("nicht erwerbstätig"), _("weder arbeitsuchend noch erwerbstätig"))
    inactive_on = _situation_date(_("nicht erwerbstätig seit"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("geändert"), auto_now=True)
    version = models.PositiveIntegerField(default=1)
    #: the situations as codes in one integer, kept by the database for the reports (esf_codes)
    report_codes = models.GeneratedField(
        expression=esf_codes.packed(esf_codes.EXIT_CODES),
        output_field=models.BigIntegerField(),
        db_persist=True,
    )

    class Meta:
        verbose_name = _("ESF-Plus-Austrittsdaten")
        verbose_name_plural = _("ESF-Plus-Austrittsdaten")

    def __str__(self) -> str:
        return f"{self.case_id}"


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

"""Forms of the case pages: they parse and validate input only; the services decide.

Every form that changes a case or a person carries the ``version`` the user saw (hidden field);
the service compares it and refuses a stale save with a clear message.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wegweiser.cases.models import (
    EXIT_SITUATIONS,
    ConsentChannel,
    ConsentPurpose,
    ContactEntry,
    DropoutReason,
    DropoutRisk,
    EsfEntryData,
    EsfExitData,
    FollowUp,
    Gender,
    Goal,
    HouseholdRelation,
    ReferralOutcome,
    RefusalReason,
    ResidenceStatus,
    SharedField,
    YesNoNoAnswer,
)
from wegweiser.core.forms import AccessibleForm
from wegweiser.eligibility.facts import (
    COUNTRY_CODES,
    GERMAN_LEVELS,
    JOBCENTRE_CONTACTS,
    RESIDENCE_TITLES,
    STATELESS,
)

#: German labels of the engine's residence titles (the codes stay the stored values).
RESIDENCE_TITLE_LABELS = {
    "german_citizen": _("deutsche Staatsangehörigkeit"),
    "free_movement": _("Freizügigkeit (EU/EWR/Schweiz)"),
    "aufenthaltserlaubnis": _("Aufenthaltserlaubnis"),
    "niederlassungserlaubnis": _("Niederlassungserlaubnis"),
    "daueraufenthalt_eu": _("Erlaubnis zum Daueraufenthalt – EU"),
    "blaue_karte": _("Blaue Karte EU"),
    "aufenthaltsgestattung": _("Aufenthaltsgestattung (im Asylverfahren)"),
    "duldung": _("Duldung"),
    "visum": _("Visum"),
    "none": _("kein Aufenthaltsrecht"),
}
assert set(RESIDENCE_TITLE_LABELS) == set(RESIDENCE_TITLES)

JOBCENTRE_LABELS = {
    "supported": _("wird vom Jobcenter/von der Agentur für Arbeit unterstützt"),
    "not_reached": _("vom Jobcenter/von der Agentur für Arbeit nicht erreicht"),
    "refuses": _("lehnt Unterstützung durch das Jobcenter ab"),
}
assert set(JOBCENTRE_LABELS) == set(JOBCENTRE_CONTACTS)

#: What a receiving organisation's page calls each shared field.
SHARED_FIELD_LABELS = dict(SharedField.choices)

BLANK = [("", "–")]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _date(label, required=True, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput(), **kwargs)


def _code_list(value: str) -> list[str]:
    return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]


#: The base of every case form (errors linked to their fields, ``core.forms``).
CaseForm = AccessibleForm


class VersionForm(CaseForm):
    """Only the version the user saw (a transition without further input)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ParticipantForm(CaseForm):
    # Neither name is required: some people have one name only, and a contact request of the
    # self-check may come without a name (the person is then listed by her pseudonym).
    given_name = forms.CharField(label=_("Vorname"), max_length=150, required=False)
    family_name = forms.CharField(
        label=_("Nachname"),
        max_length=150,
        required=False,
        help_text=_("Leer lassen, wenn die Person nur einen Namen hat."),
    )
    date_of_birth = _date(_("Geburtsdatum"), required=False)
    gender = forms.ChoiceField(
        label=_("Geschlecht"), choices=BLANK + list(Gender.choices), required=False
    )
    phone = forms.CharField(label=_("Telefon"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-Mail"), required=False)
    languages = forms.CharField(
        label=_("Sprachen"),
        required=False,
        help_text=_("Sprachcodes, durch Komma getrennt, z. B. ar, de, en"),
    )
    citizenships = forms.CharField(
        label=_("Staatsangehörigkeiten"),
        required=False,
        help_text=_(
            "Ländercodes (ISO), durch Komma getrennt, z. B. SY, AF; „stateless“ für staatenlos"
        ),
    )
    kreis = forms.RegexField(
        label=_("Kreis (Wohnort)"),
        regex=r"^\d{5}$",
        required=False,
        help_text=_("Amtlicher Kreisschlüssel, fünf Ziffern, z. B. 06412 für Frankfurt am Main"),
        error_messages={"invalid": _("Bitte geben Sie einen fünfstelligen Kreisschlüssel ein.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # an edit must say which version it changes: without it the lock would be bypassed
        self.fields["version"].required = editing

    def clean_languages(self) -> list[str]:
        codes = [c.lower() for c in _code_list(self.cleaned_data["languages"])]
        bad = [c for c in codes if not c.isalpha() or not 2 <= len(c) <= 3]
        if bad:
            raise forms.ValidationError(
                _("Unbekannte Sprachcodes: %(codes)s"), params={"codes": ", ".join(bad)}
            )
        return list(dict.fromkeys(codes))

    def clean_citizenships(self) -> list[str]:
        codes = [
            c.lower() if c.lower() == STATELESS else c.upper()
            for c in _code_list(self.cleaned_data["citizenships"])
        ]
        bad = [c for c in codes if c != STATELESS and c not in COUNTRY_CODES]
        if bad:
            raise forms.ValidationError(
                _("Unbekannte Ländercodes: %(codes)s"), params={"codes": ", ".join(bad)}
            )
        return list(dict.fromkeys(codes))

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data

    @classmethod
    def initial_for(cls, participant) -> dict:
        return {
            "given_name": participant.given_name,
            "family_name": participant.family_name,
            "date_of_birth": participant.date_of_birth,
            "gender": participant.gender,
            "phone": participant.phone,
            "email": participant.email,
            "languages": ", ".join(participant.languages),
            "citizenships": ", ".join(participant.citizenships),
            "kreis": participant.kreis,
            "version": participant.version,
        }


class ResidenceStatusForm(CaseForm):
    title = forms.ChoiceField(
        label=_("Aufenthaltsstatus"), choices=BLANK + list(RESIDENCE_TITLE_LABELS.items())
    )
    section = forms.CharField(
        label=_("Rechtsgrundlage (Paragraf)"),
        max_length=10,
        required=False,
        help_text=_("Bei Aufenthaltserlaubnis oder Duldung, z. B. 25(2) oder 60a"),
    )
    valid_from = _date(_("gültig ab"))
    valid_to = _date(_("gültig bis"), required=False)
    work_ban = forms.ChoiceField(
        label=_("Arbeitsverbot"),
        choices=BLANK + list(ResidenceStatus.WorkBan.choices),
        required=False,
    )


class HouseholdForm(CaseForm):
    relation = forms.ChoiceField(
        label=_("Beziehung zur Hauptperson"), choices=BLANK + list(HouseholdRelation.choices)
    )
    household = forms.ChoiceField(label=_("Haushalt"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, households=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].choices = [("", _("neuer Haushalt"))] + [
            (str(pk), label) for pk, label in households
        ]


class ConsentForm(CaseForm):
    purpose = forms.ChoiceField(label=_("Zweck"), choices=BLANK + list(ConsentPurpose.choices))
    given_on = _date(_("erteilt am"))
    text_version = forms.CharField(
        label=_("Fassung des Einwilligungstextes"),
        max_length=40,
        help_text=_("z. B. 2025-01: die Fassung, die die Person unterschrieben oder gehört hat"),
    )
    channel = forms.ChoiceField(label=_("Form"), choices=BLANK + list(ConsentChannel.choices))
    recipient = forms.ChoiceField(
        label=_("Empfängerin (nur bei Weitergabe)"),
        required=False,
        help_text=_("Die Organisation, an die Angaben weitergegeben werden dürfen"),
    )
    shared_fields = forms.MultipleChoiceField(
        label=_("Angaben, die weitergegeben werden dürfen (nur bei Weitergabe)"),
        choices=SharedField.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, recipients=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].choices = BLANK + [(str(pk), name) for pk, name in recipients]

    def clean(self):
        data = super().clean()
        sharing = data.get("purpose") == ConsentPurpose.REFERRAL_SHARING
        if sharing and not data.get("recipient"):
            self.add_error("recipient", _("Bitte wählen Sie die Empfängerin der Weitergabe."))
        if sharing and not data.get("shared_fields"):
            self.add_error(
                "shared_fields", _("Bitte wählen Sie, welche Angaben weitergegeben werden dürfen.")
            )
        if not sharing and (data.get("recipient") or data.get("shared_fields")):
            self.add_error(
                "recipient",
                _("Empfängerin und Angaben gibt es nur bei einer Weitergabe."),
            )
        return data


class EnrolForm(CaseForm):
    project = forms.ChoiceField(label=_("Projekt (Förderrunde)"))
    entry_date = _date(_("Eintrittsdatum"), help_text=_("Stichtag der Förderprüfung"))
    jobcentre_contact = forms.ChoiceField(
        label=_("Kontakt zu Jobcenter/Agentur für Arbeit"),
        choices=BLANK + list(JOBCENTRE_LABELS.items()),
        required=False,
    )
    german_level = forms.ChoiceField(
        label=_("Deutschkenntnisse"),
        choices=BLANK
        + [(v, v if v != "none" else _("noch keine Deutschkenntnisse")) for v in GERMAN_LEVELS],
        help_text=_("Nach dem Gemeinsamen Europäischen Referenzrahmen: A1 Anfang, C2 sehr gut"),
        required=False,
    )
    participations = forms.MultipleChoiceField(
        label=_("laufende Teilnahmen bei anderen Organisationen (Angabe der Person)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Für die Prüfung auf Doppelförderung"),
    )
    override_reason = forms.CharField(
        label=_("Begründung einer Ausnahme (nur Teamleitung)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Nur ausfüllen, wenn die Person trotz negativer Prüfung aufgenommen werden soll. "
            "Die Ausnahme wird protokolliert."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, projects=(), rounds=(), can_override=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = BLANK + [(str(pk), label) for pk, label in projects]
        self.fields["participations"].choices = list(rounds)
        if not can_override:
            del self.fields["override_reason"]

    def facts(self) -> dict:
        data = self.cleaned_data
        facts: dict = {}
        for key in ("jobcentre_contact", "german_level"):
            if data.get(key):
                facts[key] = data[key]
        if data.get("participations"):
            facts["participations"] = list(data["participations"])
        return facts


class FollowUpStartForm(CaseForm):
    start_date = _date(_("Beginn der Arbeit oder Ausbildung"))
    situation = forms.ChoiceField(label=_("Art"), choices=BLANK + list(FollowUp.Situation.choices))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class CloseForm(CaseForm):
    exit_date = _date(_("Austrittsdatum"))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class DropOutForm(CaseForm):
    reason = forms.ChoiceField(label=_("Abbruchgrund"), choices=BLANK + list(DropoutReason.choices))
    note = forms.CharField(
        label=_("Erläuterung"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Pflicht bei „anderer Grund“"),
    )
    exit_date = _date(_("Austrittsdatum"), required=False, help_text=_("Nur nach dem Eintritt"))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


YES_NO_BLANK = [("", _("– (nur bei arbeitslos)")), ("yes", _("ja")), ("no", _("nein"))]


class EsfEntryForm(CaseForm):
    collected_on = _date(_("erhoben am"))
    #: the questionnaire's version the user saw; 0 when there was none yet
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    employment_status = forms.ChoiceField(
        label=_("Erwerbsstatus bei Eintritt"),
        choices=EsfEntryData.EmploymentStatus.choices,
        widget=forms.RadioSelect,
    )
    long_term_unemployed = forms.ChoiceField(
        label=_("langzeitarbeitslos"), choices=YES_NO_BLANK, required=False
    )
    isced_level = forms.TypedChoiceField(
        label=_("höchster Bildungsabschluss (ISCED)"),
        choices=BLANK + list(EsfEntryData.Isced.choices),
        coerce=int,
    )
    foreign_background = forms.ChoiceField(
        label=_("ausländische Herkunft"), choices=YesNoNoAnswer.choices, widget=forms.RadioSelect
    )
    homeless_or_housing_exclusion = forms.ChoiceField(
        label=_("obdachlos oder von Ausgrenzung auf dem Wohnungsmarkt betroffen"),
        choices=YesNoNoAnswer.choices,
        widget=forms.RadioSelect,
    )
    rural_area = forms.ChoiceField(
        label=_("wohnt in ländlichem Gebiet"),
        choices=YesNoNoAnswer.choices,
        widget=forms.RadioSelect,
    )
    disability = forms.ChoiceField(
        label=_("Behinderung"),
        choices=YesNoNoAnswer.choices,
        widget=forms.RadioSelect,
        help_text=_("„keine Angabe“ ist erlaubt und etwas anderes als „nein“"),
    )
    minority = forms.ChoiceField(
        label=_("Angehörige/r einer Minderheit"),
        choices=YesNoNoAnswer.choices,
        widget=forms.RadioSelect,
        help_text=_("„keine Angabe“ ist erlaubt und etwas anderes als „nein“"),
    )

    def clean_long_term_unemployed(self):
        value = self.cleaned_data["long_term_unemployed"]
        return {"yes": True, "no": False}.get(value)

    def clean(self):
        data = super().clean()
        if (
            data.get("employment_status") != EsfEntryData.EmploymentStatus.UNEMPLOYED
            and data.get("long_term_unemployed") is not None
        ):
            self.add_error(
                "long_term_unemployed", _("Langzeitarbeitslos kann nur sein, wer arbeitslos ist.")
            )
        return data

    @classmethod
    def initial_for(cls, entry) -> dict:
        initial = {
            name: getattr(entry, name) for name in ("collected_on", *EsfEntryData.REQUIRED_ANSWERS)
        }
        initial["long_term_unemployed"] = {True: "yes", False: "no"}.get(
            entry.long_term_unemployed, ""
        )
        initial["version"] = entry.version
        return initial


def _exit_fields() -> dict:
    fields = {}
    for name in EXIT_SITUATIONS:
        model_field = EsfExitData._meta.get_field(name)
        fields[name] = forms.ChoiceField(
            label=model_field.verbose_name, choices=YesNoNoAnswer.choices, widget=forms.RadioSelect
        )
        date_field = EsfExitData._meta.get_field(f"{name}_on")
        fields[f"{name}_on"] = _date(date_field.verbose_name, required=False)
    return fields


class EsfExitForm(CaseForm):
    """The exit questionnaire: each situation yes / no / "keine Angabe" and, when yes, its day."""

    collected_on = _date(_("erhoben am"))
    #: the questionnaire's version the user saw; 0 when there was none yet
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_exit_fields())

    @classmethod
    def initial_for(cls, exit_data) -> dict:
        names = ["collected_on", "version"]
        names += [k for s in EXIT_SITUATIONS for k in (s, f"{s}_on")]
        return {name: getattr(exit_data, name) for name in names}


class GoalForm(CaseForm):
    title = forms.CharField(label=_("Ziel"), max_length=200)
    target_date = _date(_("Zieldatum"), required=False)


class GoalStatusForm(CaseForm):
    status = forms.ChoiceField(label=_("Status"), choices=Goal.Status.choices)


class ContactForm(CaseForm):
    date = _date(_("Datum"))
    duration_minutes = forms.IntegerField(label=_("Dauer (Minuten)"), min_value=1, max_value=1440)
    channel = forms.ChoiceField(label=_("Form"), choices=BLANK + list(ContactEntry.Channel.choices))
    topics = forms.CharField(
        label=_("Themen"), required=False, help_text=_("Stichworte, durch Komma getrennt")
    )
    note = forms.CharField(
        label=_("Notiz"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Keine Gesundheitsangaben, die für die Begleitung nicht nötig sind"),
    )

    def clean_topics(self) -> list[str]:
        return _code_list(self.cleaned_data["topics"])


class TaskForm(CaseForm):
    title = forms.CharField(label=_("Aufgabe"), max_length=200)
    due_date = _date(_("fällig am"), required=False)


class OfferSearchForm(forms.Form):
    q = forms.CharField(label=_("Angebot oder Organisation suchen"), max_length=100, required=False)


class ReferralForm(CaseForm):
    offer = forms.ChoiceField(label=_("Angebot"), widget=forms.RadioSelect)
    message = forms.CharField(
        label=_("Nachricht an die Empfängerin"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ohne Gesundheits- oder andere besondere Angaben"),
    )

    def __init__(self, *args, offers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offer"].choices = [(str(pk), label) for pk, label in offers]


class RefuseForm(CaseForm):
    reason = forms.ChoiceField(
        label=_("Ablehnungsgrund"), choices=BLANK + list(RefusalReason.choices)
    )
    note = forms.CharField(
        label=_("Erläuterung"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Pflicht bei „anderer Grund“"),
    )


class CompleteForm(CaseForm):
    outcome = forms.ChoiceField(label=_("Ergebnis"), choices=BLANK + list(ReferralOutcome.choices))
    note = forms.CharField(
        label=_("Erläuterung"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class LinkAnswerForm(CaseForm):
    decision = forms.ChoiceField(
        label=_("Ihre Antwort"),
        choices=[("accept", _("Wir nehmen die Person auf")), ("refuse", _("Wir lehnen ab"))],
        widget=forms.RadioSelect,
    )
    reason = forms.ChoiceField(
        label=_("Ablehnungsgrund"), choices=BLANK + list(RefusalReason.choices), required=False
    )
    note = forms.CharField(
        label=_("Erläuterung"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class FollowUpRecordForm(CaseForm):
    still_in_work_or_training = forms.TypedChoiceField(
        label=_("Ist die Person noch in Arbeit oder Ausbildung?"),
        choices=[("yes", _("ja")), ("no", _("nein"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    dropout_risk = forms.ChoiceField(
        label=_("Abbruchrisiko"),
        choices=DropoutRisk.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text=_("Nur solange die Person noch in Arbeit oder Ausbildung ist."),
    )
    long_term_result = forms.ChoiceField(
        label=_("ESF-Plus-Ergebnis sechs Monate nach Austritt"),
        choices=FollowUp.LongTermResult.choices,
        widget=forms.RadioSelect,
        help_text=_("EECR05 erwerbstätig, EECR06 verbesserte Arbeitsmarktsituation"),
    )
    note = forms.CharField(
        label=_("Notiz"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, esf_long_term=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not esf_long_term:
            del self.fields["long_term_result"]

    def clean(self):
        """The risk of dropping out is asked while the person is in work or training; once she
        is not, a risk ticked before "no" was chosen is dropped, not stored."""
        data = super().clean()
        still = data.get("still_in_work_or_training")
        if still is False:
            data["dropout_risk"] = ""
        elif still and not data.get("dropout_risk"):
            self.add_error("dropout_risk", _("Bitte schätzen Sie das Abbruchrisiko ein."))
        return data

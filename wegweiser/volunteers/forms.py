"""The forms of the volunteers' pages (German labels, translated)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from wegweiser.core.forms import AccessibleForm, PostcodeField
from wegweiser.core.languages import LANGUAGE_CHOICES
from wegweiser.volunteers.models import (
    Gender,
    Level,
    MeetingKind,
    Mode,
    QualificationKind,
    Setting,
    TandemOutcome,
    Topic,
    Weekday,
)

FOREIGN_LANGUAGES = [(c, n) for c, n in LANGUAGE_CHOICES if c != "de"]
WEEKDAYS = Weekday.choices
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _multi(choices, label, required=False):
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=required, widget=forms.CheckboxSelectMultiple
    )


class VolunteerForm(AccessibleForm):
    first_name = forms.CharField(label=_("Vorname"), max_length=100)
    last_name = forms.CharField(label=_("Nachname"), max_length=100)
    email = forms.EmailField(label=_("E-Mail"), required=False)
    phone = forms.CharField(label=_("Telefon"), max_length=40, required=False)
    postcode = PostcodeField(label=_("Postleitzahl"))
    radius_km = forms.IntegerField(label=_("Fahrweg bis (km)"), min_value=0, max_value=300)
    modes = _multi(Mode.choices, _("Einsatzarten"), required=True)
    gender = forms.ChoiceField(
        label=_("Geschlecht (freiwillig)"), choices=[("", "–"), *Gender.choices], required=False
    )
    topics = _multi(Topic.choices, _("Themen"))
    excluded_settings = _multi(Setting.choices, _("Übernimmt nicht"))
    max_hours_month = forms.IntegerField(
        label=_("Höchstens Stunden im Monat"), min_value=0, max_value=200
    )
    max_tandems = forms.IntegerField(label=_("Höchstens Tandems"), min_value=0, max_value=10)
    consent_on = forms.DateField(label=_("Einwilligung am"), required=False, widget=DATE)
    active = forms.BooleanField(label=_("aktiv"), required=False)


class NewVolunteerForm(VolunteerForm):
    pool = forms.ChoiceField(label=_("Pool"))

    def __init__(self, *args, pools=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pool"].choices = [(str(p.pk), p.name) for p in pools]
        self.order_fields(["pool"])


class LanguageForm(AccessibleForm):
    language = forms.ChoiceField(label=_("Sprache"), choices=FOREIGN_LANGUAGES)
    level = forms.TypedChoiceField(label=_("Niveau"), choices=Level.choices, coerce=int)
    interprets = forms.BooleanField(label=_("dolmetscht von und ins Deutsche"), required=False)


class SlotForm(AccessibleForm):
    weekday = forms.TypedChoiceField(label=_("Wochentag"), choices=WEEKDAYS, coerce=int)
    start = forms.TimeField(label=_("von"), widget=TIME)
    end = forms.TimeField(label=_("bis"), widget=TIME)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            raise forms.ValidationError(_("Das Ende muss nach dem Beginn liegen."))
        return data


class AbsenceForm(AccessibleForm):
    first_day = forms.DateField(label=_("abwesend vom"), widget=DATE)
    last_day = forms.DateField(label=_("bis einschließlich"), widget=DATE)

    def clean(self):
        data = super().clean()
        if data.get("first_day") and data.get("last_day") and data["last_day"] < data["first_day"]:
            raise forms.ValidationError(_("Das Ende muss nach dem Beginn liegen."))
        return data


class QualificationForm(AccessibleForm):
    kind = forms.ChoiceField(label=_("Qualifikation"), choices=QualificationKind.choices)
    completed_on = forms.DateField(label=_("am"), widget=DATE)
    expires_on = forms.DateField(label=_("gültig bis"), required=False, widget=DATE)


PART_FORMS = {
    "language": LanguageForm,
    "slot": SlotForm,
    "absence": AbsenceForm,
    "qualification": QualificationForm,
}


class PoolChoiceForm(AccessibleForm):
    pool = forms.ChoiceField(label=_("Pool"))

    def __init__(self, *args, pools=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pool"].choices = [
            (str(p.pk), f"{p.name} – {p.organisation.name}") for p in pools
        ]


class InterpretingRequestForm(PoolChoiceForm):
    institution = forms.CharField(label=_("Anfragende Stelle"), max_length=200)
    day = forms.DateField(label=_("Datum"), widget=DATE)
    time = forms.TimeField(label=_("Uhrzeit"), widget=TIME)
    duration_minutes = forms.IntegerField(
        label=_("Dauer (Minuten)"), min_value=15, max_value=480, initial=60
    )
    mode = forms.ChoiceField(label=_("Art"), choices=Mode.choices)
    address = forms.CharField(label=_("Ort (Adresse, Telefon oder Videolink)"), max_length=300)
    postcode = PostcodeField(label=_("Postleitzahl des Termins"), required=False)
    language = forms.ChoiceField(label=_("Sprache"), choices=FOREIGN_LANGUAGES)
    topic = forms.ChoiceField(label=_("Thema"), choices=Topic.choices)
    setting = forms.ChoiceField(label=_("Rahmen"), choices=Setting.choices)
    gender_preference = forms.ChoiceField(
        label=_("Gewünschtes Geschlecht"), choices=[("", "–"), *Gender.choices], required=False
    )

    def clean(self):
        data = super().clean()
        # (an unknown postcode has its own message already)
        if (
            data.get("mode") == Mode.ON_SITE
            and not data.get("postcode")
            and "postcode" not in self.errors
        ):
            self.add_error(
                "postcode",
                forms.ValidationError(
                    _(
                        "Für einen Termin vor Ort braucht es die Postleitzahl: nach ihr wird "
                        "der Fahrweg der Ehrenamtlichen geprüft."
                    ),
                    code="on_site_needs_postcode",
                ),
            )
        return data


class TandemRequestForm(PoolChoiceForm):
    language = forms.ChoiceField(label=_("Sprache"), choices=FOREIGN_LANGUAGES)
    topic = forms.ChoiceField(label=_("Thema"), choices=Topic.choices)
    postcode = PostcodeField(label=_("Postleitzahl"), required=False)
    gender_preference = forms.ChoiceField(
        label=_("Gewünschtes Geschlecht"), choices=[("", "–"), *Gender.choices], required=False
    )


class _Person(forms.Form):
    person_label = forms.CharField(
        label=_("Person (Pseudonym oder Vorname)"),
        max_length=100,
        help_text=_("Nur für die Koordination; die Ehrenamtlichen sehen es nicht."),
    )
    person_contact = forms.CharField(
        label=_("Kontakt der Person"),
        max_length=200,
        required=False,
        help_text=_("Telefon oder E-Mail, wenn nötig"),
    )


class DirectInterpretingForm(_Person, InterpretingRequestForm):
    """An interpreting appointment the coordinator asks for herself, without a case."""

    field_order = ["person_label", "person_contact", "pool"]


class DirectTandemForm(_Person, TandemRequestForm):
    """A tandem the coordinator asks for herself, without a case."""

    field_order = ["person_label", "person_contact", "pool"]


class HoursForm(AccessibleForm):
    hours = forms.DecimalField(label=_("Stunden"), min_value=0, max_value=24, decimal_places=2)
    km = forms.DecimalField(
        label=_("Kilometer"), min_value=0, max_value=2000, decimal_places=1, initial=0
    )
    expenses = forms.DecimalField(
        label=_("Auslagen (€)"),
        help_text=_("Fahrkarten, Parken und Ähnliches"),
        min_value=0,
        max_value=5000,
        decimal_places=2,
        required=False,
    )

    def clean_expenses(self):
        return self.cleaned_data.get("expenses") or Decimal(0)


class ContactHoursForm(HoursForm):
    """A tandem contact entered by the volunteer: the day and its length instead of hours."""

    on = forms.DateField(label=_("Datum"), widget=DATE)
    minutes = forms.IntegerField(label=_("Dauer (Minuten)"), min_value=5, max_value=600)
    field_order = ["on", "minutes", "km", "expenses"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["hours"]


class AnswerForm(AccessibleForm):
    decision = forms.ChoiceField(
        label=_("Ihre Antwort"),
        choices=[("accept", _("Ich sage zu")), ("decline", _("Ich sage ab"))],
        widget=forms.RadioSelect,
    )


class MeetingForm(AccessibleForm):
    kind = forms.ChoiceField(label=_("Art"), choices=MeetingKind.choices)
    on = forms.DateField(label=_("Datum"), widget=DATE)
    minutes = forms.IntegerField(label=_("Dauer (Minuten)"), min_value=5, max_value=600)


class TandemEndForm(AccessibleForm):
    on = forms.DateField(label=_("Ende"), widget=DATE)
    outcome = forms.ChoiceField(label=_("Ergebnis"), choices=TandemOutcome.choices)


class MonthForm(AccessibleForm):
    month = forms.RegexField(label=_("Monat"), regex=r"^\d{4}-(0[1-9]|1[0-2])$", required=False)


class PoolForm(AccessibleForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    lead_days = forms.IntegerField(
        label=_("Vorlauf in Werktagen"),
        min_value=0,
        max_value=30,
        help_text=_("Kürzer gilt als dringend."),
    )
    late_cancel_hours = forms.IntegerField(
        label=_("Späte Absage: Stunden vor dem Termin"), min_value=0, max_value=240
    )
    allowance_eur = forms.DecimalField(
        label=_("Ehrenamtspauschale im Jahr (€)"),
        min_value=0,
        max_value=100000,
        decimal_places=2,
        help_text=_("§ 3 Nr. 26a EStG"),
    )
    police_certificate_required = forms.BooleanField(
        label=_("Führungszeugnis erforderlich"), required=False
    )

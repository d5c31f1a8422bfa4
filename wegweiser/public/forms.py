"""Forms of the public self-check: one answer at a time, the postcode, the contact request."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wegweiser.core import geo
from wegweiser.core.forms import PostcodeField, ascii_digits
from wegweiser.eligibility.facts import SECTIONS_BY_TITLE, STATELESS, TITLES_WITH_SECTION
from wegweiser.public.questions import (
    Question,
    country_choices,
    grouped_section_choices,
    section_choices,
)

DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y", "%d/%m/%Y")
#: A date written in one of those shapes, whether or not the day exists
DATE_SHAPE = re.compile(
    r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}\.\d{1,2}\.(?:\d{2}|\d{4})|\d{1,2}/\d{1,2}/\d{4}"
)
#: Years of a birth date in the Solar Hijri (1300–1404) or the Islamic calendar (1300–1448)
SOLAR_HIJRI_YEARS = range(1300, 1500)
PHONE_RE = re.compile(r"^\+?[0-9 ()/.-]{6,30}$")


def parse_date(text: str) -> dt.date | None:
    """A birth date as typed. A two-digit year is one of the last hundred years: "15.03.60" is
    1960 (Python's ``%y`` reads 00–68 as 2000–2068, and a person born in 1960 was told her
    birthday lay in the future)."""
    text = ascii_digits(text).strip()  # ٣١.١٢.١٩٩٩ as 31.12.1999
    for fmt in DATE_FORMATS:
        try:
            day = dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a date, no time)
        except ValueError:
            continue
        if fmt.endswith("%y") and day > timezone.localdate():
            try:
                day = day.replace(year=day.year - 100)
            except ValueError:  # 29 February of a year that was no leap year a century ago
                return None
        return day
    return None


def clean_postcode(value: str) -> tuple[str, geo.Postcode]:
    """A known German postcode or ``forms.ValidationError``: cleaned by the platform's postcode
    field (any script's digits, five digits, known), with the self-check's own message for an
    empty answer."""
    value = PostcodeField(
        error_messages={"required": _("Bitte geben Sie eine Postleitzahl ein.")}
    ).clean(value)
    return value, geo.postcode(value)


class AnswerForm(forms.Form):
    """The answer to one question; the field is called ``answer`` (``answer2``: second country)."""

    def __init__(
        self, question: Question, *args, residence_title=None, residence_section=None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.question = question
        self.residence_title = residence_title
        self.residence_section = residence_section
        kind = question.kind
        required = _("Bitte wählen Sie eine Antwort oder „Ich weiß es nicht“.")
        if kind == "date":
            self.fields["answer"] = forms.CharField(
                label=question.text,
                max_length=20,
                error_messages={"required": _("Bitte geben Sie Ihr Geburtsdatum ein.")},
            )
        elif kind == "postcode":
            self.fields["answer"] = forms.CharField(
                label=question.text,
                max_length=10,
                error_messages={"required": _("Bitte geben Sie eine Postleitzahl ein.")},
            )
        elif kind == "country":
            choices = [
                ("", _("– bitte wählen –")),
                (STATELESS, _("staatenlos")),
                *country_choices(),
            ]
            self.fields["answer"] = forms.ChoiceField(
                label=question.text,
                choices=choices,
                error_messages={"required": _("Bitte wählen Sie ein Land aus.")},
            )
            self.fields["answer2"] = forms.ChoiceField(
                label=_("Zweite Staatsangehörigkeit (wenn vorhanden)"),
                choices=[("", _("– keine –")), *country_choices()],
                required=False,
            )
        elif kind == "section":
            self.fields["answer"] = forms.ChoiceField(
                label=question.text,
                choices=[("", _("– bitte wählen –")), *section_choices(residence_title)],
                error_messages={
                    "required": _("Bitte wählen Sie einen Paragrafen oder „Ich weiß es nicht“.")
                },
            )
        else:
            self.fields["answer"] = forms.ChoiceField(
                label=question.text,
                choices=question.choices,
                widget=forms.RadioSelect,
                error_messages={"required": required},
            )
        if kind == "residence":
            # The paragraph is on the same card as the title: one page asks both.
            self.fields["section"] = forms.ChoiceField(
                label=_("Paragraf (nur bei Aufenthaltserlaubnis oder Duldung)"),
                choices=[("", _("– weiß ich nicht –")), *grouped_section_choices()],
                required=False,
            )
        self.postcode: geo.Postcode | None = None

    def clean_answer(self):
        value = self.cleaned_data["answer"]
        kind = self.question.kind
        if kind == "date":
            day = parse_date(value)
            if day is None and DATE_SHAPE.fullmatch(ascii_digits(value).strip()):
                # written as asked, but no such day (31.02.)
                raise forms.ValidationError(
                    _("Diesen Tag gibt es nicht. Bitte prüfen Sie Tag und Monat.")
                )
            if day is None:
                raise forms.ValidationError(
                    _("Bitte schreiben Sie das Datum so: Tag.Monat.Jahr, zum Beispiel 31.12.1999.")
                )
            if SOLAR_HIJRI_YEARS.start <= day.year < SOLAR_HIJRI_YEARS.stop:
                # a year of the Persian (or the Islamic) calendar, as a person from Afghanistan
                # or Iran writes her birthday
                raise forms.ValidationError(
                    _(
                        "Bitte geben Sie das Jahr nach dem gregorianischen Kalender an "
                        "(wie in Ihrem deutschen Papier), zum Beispiel 1998."
                    )
                )
            if day > timezone.localdate():
                raise forms.ValidationError(
                    _("Das Geburtsdatum liegt in der Zukunft. Bitte prüfen Sie es.")
                )
            if day.year < timezone.localdate().year - 130:
                raise forms.ValidationError(_("Bitte prüfen Sie das Jahr."))
            return day.isoformat()
        if kind == "postcode":
            value, self.postcode = clean_postcode(value)
        return value

    def clean(self):
        data = super().clean()
        if self.question.kind == "residence" and data.get("answer") and data.get("section"):
            self._clean_section(data)
        if self.question.kind == "country" and data.get("answer"):
            second = data.get("answer2")
            if second and (data["answer"] == STATELESS or second == data["answer"]):
                self.add_error(
                    "answer2", _("Bitte wählen Sie eine andere zweite Staatsangehörigkeit.")
                )
        return data

    def _clean_section(self, data: dict) -> None:
        title, section = data["answer"], data["section"]
        fits = section in SECTIONS_BY_TITLE.get(title, ())
        if not fits and title != self.residence_title and section == self.residence_section:
            # Still pre-selected from the document given before: a new document drops it.
            data["section"] = ""
        elif title not in TITLES_WITH_SECTION:
            self.add_error(
                "section",
                _(
                    "Einen Paragrafen gibt es nur bei einer Aufenthaltserlaubnis oder "
                    "Duldung. Bitte wählen Sie „weiß ich nicht“ oder ein anderes Papier."
                ),
            )
        elif not fits:
            self.add_error(
                "section",
                _("Dieser Paragraf gehört nicht zu diesem Papier. Bitte prüfen Sie beides."),
            )

    def section_value(self) -> str:
        """The paragraph given with a residence title ("" if none or unknown)."""
        return self.cleaned_data.get("section") or ""

    def value(self):
        """The answer as stored in the session."""
        if self.question.kind == "country":
            codes = [self.cleaned_data["answer"]]
            if self.cleaned_data.get("answer2"):
                codes.append(self.cleaned_data["answer2"])
            return codes
        if self.question.kind == "postcode":
            return self.postcode.kreis_ags
        return self.cleaned_data["answer"]


class PostcodeForm(forms.Form):
    postcode = forms.CharField(label=_("Postleitzahl"), max_length=10, required=False)

    def clean_postcode(self):
        value, self.found = clean_postcode(self.cleaned_data["postcode"])
        return value


class ContactForm(forms.Form):
    name = forms.CharField(
        label=_("Wie sollen wir Sie ansprechen? (freiwillig)"), max_length=150, required=False
    )
    phone = forms.CharField(label=_("Telefonnummer"), max_length=40, required=False)
    email = forms.CharField(label=_("E-Mail-Adresse"), max_length=254, required=False)
    share_answers = forms.BooleanField(
        # which answers: listed under the box (only those the person gave)
        label=_("Meine Antworten mitschicken (freiwillig)"),
        required=False,
    )
    consent = forms.BooleanField(
        label=_("Ich bin einverstanden."),
        error_messages={
            "required": _("Bitte bestätigen Sie, dass die Organisation Ihre Angaben bekommen darf.")
        },
    )

    def clean_phone(self):
        phone = ascii_digits(self.cleaned_data["phone"]).strip()
        if phone and (not PHONE_RE.match(phone) or sum(c.isdigit() for c in phone) < 6):
            raise forms.ValidationError(
                _(
                    "Die Telefonnummer darf nur Ziffern, Leerzeichen und + enthalten, "
                    "z. B. 0151 2345678."
                )
            )
        return phone

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if email:
            try:
                validate_email(email)
            except forms.ValidationError:
                raise forms.ValidationError(
                    _("Die E-Mail-Adresse ist nicht gültig, z. B. name@beispiel.de.")
                ) from None
        return email

    def clean(self):
        data = super().clean()
        if (
            not data.get("phone")
            and not data.get("email")
            and "phone" not in self.errors
            and "email" not in self.errors
        ):
            self.add_error(
                "phone",
                _(
                    "Bitte geben Sie eine Telefonnummer oder eine E-Mail-Adresse an, "
                    "damit wir Sie erreichen."
                ),
            )
        return data

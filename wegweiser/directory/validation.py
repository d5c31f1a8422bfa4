"""The one validation of an offer and its place.

The maintenance form (``forms.OfferEditForm``), the CSV import (``csv_import``) and the HSDS
import (``hsds``) each read their own syntax (form fields, CSV cells, JSON) into an
:class:`OfferInput` and a :class:`PlaceInput`, and let :func:`check_offer` and :func:`check_place`
judge the values: the same rules, the same limits, the same messages. Each caller only says where
a problem goes (a form field, a CSV column, a path in the document).

Limits are the model's columns (``Offer``, ``Location``). An offer's name is stored per language
in a JSON column without a length of its own; it gets 250 characters, the length of every other
name in the directory and of the column the lists are sorted by (``Offer.sort_name``). The rules
are listed in ``docs/directory.md`` ("One validation of an offer").

``complete``: an offer a person enters (form, CSV) needs a theme, a form (in person, online,
phone) and, in person, an address. An HSDS document may carry offers of other publishers without
them (HSDS has no field for the form); the HSDS import takes them as they are, so that
export -> import gives the same directory.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.translation import gettext as _

from wegweiser.core import geo
from wegweiser.core.languages import is_language_code, short_language_code
from wegweiser.directory import vocabulary
from wegweiser.directory.models import Location, Offer
from wegweiser.directory.opening_hours import Hours

_POSTCODE = re.compile(r"^\d{5}$")
_PHONE = re.compile(r"^[0-9+()/ .\-]{3,40}$")


def max_length(model, name: str) -> int:
    """The length of a text column: the one source of every limit."""
    return model._meta.get_field(name).max_length


def name_max_length() -> int:
    return max_length(Offer, "sort_name")


@dataclass(frozen=True)
class Problem:
    """One value that is not acceptable.

    ``field`` is a name of :class:`OfferInput` or :class:`PlaceInput` (``"address"``: the
    address as a whole; ``"point"``: the coordinates), ``key`` the language of a text or the
    position in a list, ``limit`` the maximum length when a text is too long.
    """

    field: str
    message: str
    key: str | int | None = None
    limit: int | None = None


@dataclass
class PlaceInput:
    """The place of an offer as typed (form, CSV) or read (HSDS); ``point`` if given."""

    street: str = ""
    postcode: str = ""
    city: str = ""
    name: str = ""
    transportation: str = ""
    point: tuple[float, float] | None = None

    def has_address(self) -> bool:
        return bool(self.street or self.postcode or self.city)


@dataclass
class OfferInput:
    """An offer's values before they are checked; :func:`check_offer` returns a clean copy."""

    name: dict[str, str]
    description: dict[str, str] = field(default_factory=dict)
    themes: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    modes: list[str] = field(default_factory=list)
    is_free: bool = True
    cost_note: str = ""
    contact_name: str = ""
    email: str = ""
    phone: str = ""
    website: str = ""
    appointment_only: bool = False
    hours_note: str = ""
    hours: list[Hours] = field(default_factory=list)
    last_verified: dt.date | None = None
    #: The place typed with the offer (form, CSV); HSDS gives places by reference.
    place: PlaceInput | None = None

    def apply_to(self, offer: Offer, fields: Iterable[str] | None = None) -> Offer:
        """Set the offer's columns from these (checked) values: all of :data:`OFFER_FIELDS` or
        the given ones. Texts keep only the languages that have one."""
        for name in fields or OFFER_FIELDS:
            value = getattr(self, name)
            setattr(offer, name, {k: v for k, v in value.items() if v} if name in TEXTS else value)
        return offer


#: The columns of an offer that :class:`OfferInput` holds (its opening hours and place are rows
#: of their own).
OFFER_FIELDS = tuple(
    f.name for f in dataclasses.fields(OfferInput) if f.name not in ("hours", "place")
)
TEXTS = ("name", "description")


# --- single values -------------------------------------------------------------------------------


def too_long(limit: int) -> str:
    return _("Der Text ist länger als %(max)d Zeichen.") % {"max": limit}


def email_problem(value: str) -> str | None:
    if not value:
        return None
    if len(value) > max_length(Offer, "email"):
        return too_long(max_length(Offer, "email"))
    try:
        EmailValidator()(value)
    except ValidationError:
        return _("„%(value)s“ ist keine gültige E-Mail-Adresse.") % {"value": value}
    return None


def website_problem(value: str) -> str | None:
    if not value:
        return None
    try:
        URLValidator(schemes=["http", "https"])(value)
        valid = len(value) <= max_length(Offer, "website")
    except ValidationError:
        valid = False
    if valid:
        return None
    return _(
        "„%(value)s“ ist keine gültige Web-Adresse (mit https://, höchstens %(max)d Zeichen)."
    ) % {"value": value, "max": max_length(Offer, "website")}


def phone_problem(value: str) -> str | None:
    if not value or _PHONE.match(value):
        return None
    return _(
        "„%(value)s“ ist keine Telefonnummer (Ziffern, Leerzeichen, + ( ) / -; "
        "höchstens %(max)d Zeichen)."
    ) % {"value": value, "max": max_length(Offer, "phone")}


def point_problem(lat: float, lon: float) -> str | None:
    if -90 <= lat <= 90 and -180 <= lon <= 180:
        return None
    return _(
        "Die Koordinaten %(lat)s, %(lon)s liegen außerhalb des gültigen Bereichs "
        "(Breite −90 bis 90, Länge −180 bis 180)."
    ) % {"lat": lat, "lon": lon}


def main_language(texts: dict) -> str:
    """The language of the text a person sees first: German, else the first code."""
    return "de" if "de" in texts or not texts else min(texts)


# --- the offer -----------------------------------------------------------------------------------


def check_offer(
    offer: OfferInput, *, complete: bool = True, today: dt.date | None = None
) -> tuple[OfferInput, list[Problem]]:
    """The offer with its lists cleaned (codes normalised, no duplicates) and every problem.

    ``today``: a ``last_verified`` after it is refused (HSDS documents carry the date of another
    system and pass None).
    """
    problems: list[Problem] = []
    problems += check_texts(offer.name, "name", name_max_length())
    main = main_language(offer.name)
    if not (offer.name.get(main) or "").strip():
        problems.append(Problem("name", _("Der Name fehlt."), main))
    problems += check_texts(offer.description, "description", None)
    themes = _keys(
        offer.themes,
        "themes",
        vocabulary.THEMES,
        _("Unbekanntes Thema „%(value)s“ (erlaubt: %(allowed)s)."),
        problems,
    )
    modes = _keys(
        offer.modes,
        "modes",
        vocabulary.MODES,
        _("Unbekannte Form „%(value)s“ (erlaubt: %(allowed)s)."),
        problems,
    )
    languages: list[str] = []
    for i, code in enumerate(offer.languages):
        code = code.strip().lower()
        if not is_language_code(code):
            message = _("„%(value)s“ ist kein Sprachcode nach ISO 639.") % {"value": code}
            problems.append(Problem("languages", message, i))
        elif short_language_code(code) not in languages:
            languages.append(short_language_code(code))
    for name in ("cost_note", "contact_name", "hours_note"):
        limit = max_length(Offer, name)
        if len(getattr(offer, name)) > limit:
            problems.append(Problem(name, too_long(limit), limit=limit))
    for name, check in (
        ("email", email_problem),
        ("phone", phone_problem),
        ("website", website_problem),
    ):
        message = check(getattr(offer, name))
        if message:
            problems.append(Problem(name, message))
    if today is not None and offer.last_verified is not None and offer.last_verified > today:
        problems.append(Problem("last_verified", _("Das Datum liegt in der Zukunft.")))
    has_address = offer.place is not None and offer.place.has_address()
    if complete:
        if not modes and has_address:
            modes = ["in_person"]  # a place and no form: the offer takes place there
        if not offer.themes:
            problems.append(Problem("themes", _("Mindestens ein Thema angeben.")))
        if not offer.modes and not has_address:
            problems.append(
                Problem("modes", _("Ohne Adresse bitte die Form angeben: online oder telefonisch."))
            )
        if "in_person" in modes and not has_address:
            problems.append(
                Problem(
                    "address",
                    _("Für ein Angebot vor Ort brauchen wir Straße, Postleitzahl und Ort."),
                )
            )
    if offer.place is not None:
        problems += check_place(offer.place, complete=complete)
    clean = dataclasses.replace(offer, themes=themes, modes=modes, languages=languages)
    return clean, problems


def check_texts(texts: dict[str, str], name: str, limit: int | None) -> list[Problem]:
    problems = []
    for code, text in texts.items():
        if not is_language_code(code):
            message = _("„%(code)s“ ist kein Sprachcode.") % {"code": code}
            problems.append(Problem(name, message, code))
        elif limit is not None and len(text) > limit:
            problems.append(Problem(name, too_long(limit), code, limit))
    return problems


def _keys(
    values: list[str], name: str, allowed: dict, message: str, problems: list[Problem]
) -> list[str]:
    """The known keys in order without duplicates; an unknown one is a problem at its position."""
    result: list[str] = []
    for i, key in enumerate(values):
        if key not in allowed:
            text = message % {"value": key, "allowed": ", ".join(allowed)}
            problems.append(Problem(name, text, i))
        elif key not in result:
            result.append(key)
    return result


# --- the place -----------------------------------------------------------------------------------


def check_place(place: PlaceInput, *, complete: bool = True) -> list[Problem]:
    """Lengths, the postcode and the coordinates of a place.

    ``complete``: an address is all of street, postcode and town or none of them, and without
    coordinates the postcode must be one we know (its centre is the place's point).
    """
    problems: list[Problem] = []
    if complete and place.has_address():
        for name in ("street", "postcode", "city"):
            if not getattr(place, name):
                message = _("Die Adresse ist unvollständig: Straße, Postleitzahl und Ort angeben.")
                problems.append(Problem(name, message))
    for name in ("street", "city", "name", "transportation"):
        limit = max_length(Location, name)
        if len(getattr(place, name)) > limit:
            problems.append(Problem(name, too_long(limit), limit=limit))
    if place.postcode and not _POSTCODE.match(place.postcode):
        message = _("„%(value)s“ ist keine fünfstellige Postleitzahl.") % {"value": place.postcode}
        problems.append(Problem("postcode", message))
    elif complete and place.postcode and place.point is None:
        known = geo.postcode(place.postcode) is not None
        if not known:
            message = _("Die Postleitzahl %(plz)s kennen wir nicht.") % {"plz": place.postcode}
            problems.append(Problem("postcode", message))
    if place.point is not None:
        message = point_problem(*place.point)
        if message:
            problems.append(Problem("point", message))
    return problems


def place_point(place: PlaceInput) -> tuple[float, float]:
    """The point of a checked, complete place: its coordinates or its postcode's centre."""
    if place.point is not None:
        return place.point
    pc = geo.postcode(place.postcode)
    return pc.lat, pc.lon

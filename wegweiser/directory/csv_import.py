"""Import offers of one organisation from a CSV file (all rows or none).

The file is UTF-8 (a byte order mark, as spreadsheet programs write it, is fine), with a header
row and one offer per row. Cells are separated by commas; a file whose header contains
semicolons but no comma is read with semicolons as the separator (German spreadsheet default).
Lists inside a cell are separated by ``;``. Column names are fixed; an unknown column is an error
(so that a typo does not silently drop data). Empty rows are skipped.

============== ======== ================================================================
column         required meaning
============== ======== ================================================================
name_de        yes      name of the offer in German
name_en                 name in English
description_de          description in German
description_en          description in English
themes         yes      theme keys separated by ``;``, at least one, e.g.
                        ``recognition;counselling`` (:data:`vocabulary.THEMES`)
languages               language codes (ISO 639-1, or 639-3 where there is none), ``de;ar``
modes                   ``in_person``, ``online``, ``phone`` separated by ``;``; empty means
                        ``in_person`` when there is an address
funding_round           ``programme/round``, e.g. ``iq-anerkennung/iq-2026``
street                  street and house number  \\
postcode                five-digit postcode       > required for ``in_person``; all or none
city                    town                     /
lat, lon                coordinates (WGS84, ``.`` or ``,`` as decimal mark); both or none;
                        without them the centre of the postcode is used
email                   e-mail address
phone                   telephone number
website                 web address (``https://…``)
is_free                 ``ja``/``nein``/``true``/``false``/``1``/``0``; empty means free
cost_note               note on costs (at most 300 characters)
opening_hours           weekly hours, e.g. ``Mo 09:00-12:00; Mi 14:00-17:00``;
                        ``Mo-Fr 9:00-12:00``, ``Di, Do 14:00-16:00`` and
                        ``Mo 09:00-12:00, 13:00-15:00`` work too
status                  ``draft`` (default) or ``published``
last_verified           date of the last check, ``YYYY-MM-DD``, not in the future
============== ======== ================================================================

Every row is checked before anything is written; :class:`CSVImportError` lists every problem as
``(row, column, message)`` where the row is numbered as a person counts it in a spreadsheet (the
header is row 1, the first offer row 2). Places with the same street, postcode and town are
created once, and an existing place of the organisation with that address is reused.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, NamedTuple

import polars as pl
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wegweiser.core import geo
from wegweiser.core.i18n import pick
from wegweiser.core.languages import is_language_code
from wegweiser.directory import search, services, vocabulary
from wegweiser.directory.models import Location, Offer, OfferLocation, OpeningHours
from wegweiser.organisations.models import Organisation
from wegweiser.programmes.models import FundingRound

REQUIRED_COLUMNS = ("name_de", "themes")
COLUMNS = (
    "name_de",
    "name_en",
    "description_de",
    "description_en",
    "themes",
    "languages",
    "modes",
    "funding_round",
    "street",
    "postcode",
    "city",
    "lat",
    "lon",
    "email",
    "phone",
    "website",
    "is_free",
    "cost_note",
    "opening_hours",
    "status",
    "last_verified",
)
TRUE = {"ja", "true", "1", "yes", "wahr", "x"}
FALSE = {"nein", "false", "0", "no", "falsch"}
STATUSES = (Offer.DRAFT, Offer.PUBLISHED)

#: German two-letter weekday abbreviations as written in opening hours.
DAY_ABBREVIATIONS = {"mo": 1, "di": 2, "mi": 3, "do": 4, "fr": 5, "sa": 6, "so": 7}
DAY_NAMES = {v: k.capitalize() for k, v in DAY_ABBREVIATIONS.items()}
_TIME = r"(\d{1,2}):(\d{2})"
_RANGE = re.compile(rf"^{_TIME}\s*[-–]\s*{_TIME}$")
_DAYS_AND_TIMES = re.compile(r"^(?P<days>[^\d]+?)\s*(?P<times>\d.*)$")
_POSTCODE = re.compile(r"^\d{5}$")
_PHONE = re.compile(r"^[0-9+()/ .\-]{3,40}$")


class CSVError(NamedTuple):
    """One problem: ``row`` as in a spreadsheet (None for the whole file), column, message."""

    row: int | None
    column: str
    message: str


class CSVImportError(Exception):
    """The file has errors; nothing was imported."""

    def __init__(self, errors: list[CSVError]):
        self.errors = errors
        shown = "; ".join(_describe(e) for e in errors[:5])
        more = f" (+{len(errors) - 5})" if len(errors) > 5 else ""
        super().__init__(f"{len(errors)} errors: {shown}{more}")


def _describe(error: CSVError) -> str:
    where = _("Zeile %(row)d") % {"row": error.row} if error.row is not None else _("Datei")
    if error.column:
        where += f", {error.column}"
    return f"{where}: {error.message}"


def describe(error: CSVError) -> str:
    """``Zeile 3, themes: …`` – the form the command prints."""
    return _describe(error)


# --- opening hours -----------------------------------------------------------------------------

Hours = tuple[int, dt.time, dt.time]


def parse_opening_hours(text: str) -> list[Hours]:
    """``Mo 09:00-12:00; Mi 14:00-17:00`` -> ``[(1, 09:00, 12:00), (3, 14:00, 17:00)]``.

    Days are German abbreviations (``Mo Di Mi Do Fr Sa So``), as a list (``Di, Do``) or a
    range (``Mo-Fr``); several time ranges of a day are separated by commas. Raises
    ``ValueError`` with a German message. The result is sorted and has no duplicates.
    """
    result: set[Hours] = set()
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        match = _DAYS_AND_TIMES.match(part)
        if match is None:
            raise ValueError(
                _("„%(part)s“: erwartet wird z. B. „Mo 09:00-12:00“.") % {"part": part}
            )
        days = _parse_days(match["days"], part)
        for span in match["times"].split(","):
            opens, closes = _parse_range(span.strip(), part)
            result.update((day, opens, closes) for day in days)
    return sorted(result)


def _parse_days(text: str, part: str) -> list[int]:
    days: list[int] = []
    for item in re.split(r"\s*,\s*", text.strip().rstrip(",").strip()):
        bounds = [b.strip().rstrip(".").casefold() for b in re.split(r"\s*[-–]\s*", item)]
        if len(bounds) > 2 or any(b not in DAY_ABBREVIATIONS for b in bounds):
            raise ValueError(
                _(
                    "„%(part)s“: unbekannter Wochentag „%(day)s“ "
                    "(erwartet: Mo, Di, Mi, Do, Fr, Sa, So)."
                )
                % {"part": part, "day": item}
            )
        first, last = DAY_ABBREVIATIONS[bounds[0]], DAY_ABBREVIATIONS[bounds[-1]]
        if last < first:
            raise ValueError(
                _("„%(part)s“: der Bereich „%(day)s“ läuft rückwärts.")
                % {"part": part, "day": item}
            )
        days.extend(range(first, last + 1))
    return days


def _parse_range(span: str, part: str) -> tuple[dt.time, dt.time]:
    match = _RANGE.match(span)
    if match is None:
        raise ValueError(
            _("„%(part)s“: „%(span)s“ ist keine Zeitspanne wie 09:00-12:00.")
            % {"part": part, "span": span}
        )
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
        raise ValueError(
            _("„%(part)s“: „%(span)s“ enthält keine gültige Uhrzeit.")
            % {"part": part, "span": span}
        )
    opens, closes = dt.time(h1, m1), dt.time(h2, m2)
    if closes <= opens:
        raise ValueError(_("„%(part)s“: das Ende liegt nicht nach dem Beginn.") % {"part": part})
    return opens, closes


def format_opening_hours(hours: Iterable[Hours]) -> str:
    """The inverse of :func:`parse_opening_hours`: one ``Mo 09:00-12:00`` per entry."""
    return "; ".join(
        f"{DAY_NAMES[day]} {opens:%H:%M}-{closes:%H:%M}" for day, opens, closes in sorted(hours)
    )


# --- reading the file --------------------------------------------------------------------------


def _read_bytes(source: str | Path | IO[Any]) -> bytes:
    if isinstance(source, str | Path):
        return Path(source).read_bytes()
    data = source.read()
    return data.encode("utf-8") if isinstance(data, str) else data


def _decode(data: bytes, errors: list[CSVError]) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        errors.append(
            CSVError(
                line,
                "",
                _(
                    "Die Datei ist nicht in UTF-8 gespeichert (erstes fremdes Zeichen in Zeile "
                    "%(line)d). Bitte als „CSV UTF-8“ speichern."
                )
                % {"line": line},
            )
        )
        return None


def read_table(source: str | Path | IO[Any]) -> list[tuple[int, dict[str, str]]]:
    """The rows of the file as ``(row number, {column: stripped text})``; raises
    :class:`CSVImportError` for problems of the whole file."""
    errors: list[CSVError] = []
    text = _decode(_read_bytes(source), errors)
    if text is None:
        raise CSVImportError(errors)
    if not text.strip():
        raise CSVImportError([CSVError(None, "", _("Die Datei ist leer."))])
    first_line = text.splitlines()[0]
    separator = ";" if ";" in first_line and "," not in first_line else ","
    header = [h.strip() for h in next(csv.reader(io.StringIO(text), delimiter=separator))]
    seen = set()
    for name in header:
        if name in seen:
            errors.append(CSVError(1, name, _("Die Spalte kommt doppelt vor.")))
        elif name not in COLUMNS:
            errors.append(
                CSVError(
                    1,
                    name,
                    _("Unbekannte Spalte (erlaubt: %(columns)s).")
                    % {"columns": ", ".join(COLUMNS)},
                )
            )
        seen.add(name)
    for name in REQUIRED_COLUMNS:
        if name not in header:
            errors.append(CSVError(1, name, _("Die Pflichtspalte fehlt.")))
    if errors:
        raise CSVImportError(errors)
    try:
        frame = pl.read_csv(
            io.BytesIO(text.encode("utf-8")),
            separator=separator,
            infer_schema=False,
            new_columns=header,
            raise_if_empty=False,
        )
    except pl.exceptions.ComputeError:
        raise CSVImportError([_ragged_row(text, separator, len(header))]) from None
    rows = []
    for index, record in enumerate(frame.iter_rows(named=True)):
        cells = {k: (v or "").strip() for k, v in record.items()}
        if any(cells.values()):
            rows.append((index + 2, cells))
    if not rows:
        raise CSVImportError([CSVError(None, "", _("Die Datei enthält keine Angebote."))])
    return rows


def _ragged_row(text: str, separator: str, width: int) -> CSVError:
    for number, record in enumerate(csv.reader(io.StringIO(text), delimiter=separator), start=1):
        if len(record) > width:
            return CSVError(
                number,
                "",
                _("Die Zeile hat %(n)d Felder, die Kopfzeile nur %(width)d.")
                % {"n": len(record), "width": width},
            )
    return CSVError(None, "", _("Die Datei ist keine gültige CSV-Datei."))


# --- checking rows -----------------------------------------------------------------------------


@dataclass
class _Row:
    number: int
    offer: Offer
    hours: list[Hours] = field(default_factory=list)
    address: tuple[str, str, str] | None = None
    point: tuple[float, float] | None = None
    explicit_point: bool = False


class _Checker:
    def __init__(self, organisation: Organisation, today: dt.date):
        self.organisation = organisation
        self.today = today
        self.errors: list[CSVError] = []
        self.rounds = {
            f"{r.programme.key}/{r.key}": r
            for r in FundingRound.objects.select_related("programme")
        }

    def error(self, row: int, column: str, message: str) -> None:
        self.errors.append(CSVError(row, column, message))

    def keys(self, row: int, cells: dict, column: str, allowed: dict, message: str) -> list[str]:
        """The ``;``-separated keys of a cell; ``message`` names an unknown one."""
        result = []
        for key in _split(cells.get(column, "")):
            if key not in allowed:
                self.error(row, column, message % {"value": key, "allowed": ", ".join(allowed)})
            elif key not in result:
                result.append(key)
        return result

    def check(self, row: int, c: dict[str, str]) -> _Row | None:
        before = len(self.errors)
        name = {k: v for k, v in (("de", c.get("name_de", "")), ("en", c.get("name_en", ""))) if v}
        if not c.get("name_de"):
            self.error(row, "name_de", _("Der Name fehlt."))
        for column in ("name_de", "name_en"):
            if len(c.get(column, "")) > 250:
                self.error(row, column, _("Der Name ist länger als 250 Zeichen."))
        description = {
            k: v
            for k, v in (("de", c.get("description_de", "")), ("en", c.get("description_en", "")))
            if v
        }
        themes = self.keys(
            row,
            c,
            "themes",
            vocabulary.THEMES,
            _("Unbekanntes Thema „%(value)s“ (erlaubt: %(allowed)s)."),
        )
        if not _split(c.get("themes", "")):
            self.error(row, "themes", _("Mindestens ein Thema angeben."))
        languages = []
        for code in _split(c.get("languages", "")):
            code = code.lower()
            if not is_language_code(code):
                self.error(
                    row,
                    "languages",
                    _("„%(value)s“ ist kein Sprachcode nach ISO 639.") % {"value": code},
                )
            elif code not in languages:
                languages.append(code)
        modes = self.keys(
            row,
            c,
            "modes",
            vocabulary.MODES,
            _("Unbekannte Form „%(value)s“ (erlaubt: %(allowed)s)."),
        )
        rnd = None
        if c.get("funding_round"):
            rnd = self.rounds.get(c["funding_round"])
            if rnd is None:
                self.error(
                    row,
                    "funding_round",
                    _("Unbekannte Förderrunde „%(value)s“ (erwartet: Programm/Runde).")
                    % {"value": c["funding_round"]},
                )
        address, point, explicit = self.place(row, c)
        has_address = any(c.get(k) for k in ("street", "postcode", "city"))
        if not _split(c.get("modes", "")):
            if has_address:
                modes = ["in_person"]
            else:
                self.error(row, "modes", _("Ohne Adresse bitte die Form angeben (online, phone)."))
        if "in_person" in modes and not has_address:
            for column in ("street", "postcode", "city"):
                self.error(
                    row,
                    column,
                    _("Für ein Angebot vor Ort brauchen wir Straße, Postleitzahl und Ort."),
                )
        email = c.get("email", "")
        if email:
            try:
                EmailValidator()(email)
            except ValidationError:
                self.error(
                    row,
                    "email",
                    _("„%(value)s“ ist keine gültige E-Mail-Adresse.") % {"value": email},
                )
        phone = c.get("phone", "")
        if phone and not _PHONE.match(phone):
            self.error(
                row,
                "phone",
                _(
                    "„%(value)s“ ist keine Telefonnummer (Ziffern, Leerzeichen, + ( ) / -; "
                    "höchstens 40 Zeichen)."
                )
                % {"value": phone},
            )
        website = c.get("website", "")
        if website:
            try:
                URLValidator(schemes=["http", "https"])(website)
                if len(website) > 200:
                    raise ValidationError("too long")
            except ValidationError:
                self.error(
                    row,
                    "website",
                    _(
                        "„%(value)s“ ist keine gültige Web-Adresse "
                        "(mit https://, höchstens 200 Zeichen)."
                    )
                    % {"value": website},
                )
        is_free = True
        flag = c.get("is_free", "").casefold()
        if flag in FALSE:
            is_free = False
        elif flag and flag not in TRUE:
            self.error(
                row,
                "is_free",
                _("„%(value)s“: erwartet wird ja oder nein.") % {"value": c["is_free"]},
            )
        cost_note = c.get("cost_note", "")
        if len(cost_note) > 300:
            self.error(row, "cost_note", _("Der Text ist länger als 300 Zeichen."))
        hours: list[Hours] = []
        if c.get("opening_hours"):
            try:
                hours = parse_opening_hours(c["opening_hours"])
            except ValueError as exc:
                self.error(row, "opening_hours", str(exc))
        status = c.get("status", "") or Offer.DRAFT
        if status not in STATUSES:
            self.error(
                row,
                "status",
                _("Unbekannter Status „%(value)s“ (erlaubt: draft, published).")
                % {"value": status},
            )
        last_verified = None
        if c.get("last_verified"):
            try:
                if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", c["last_verified"]):
                    raise ValueError(c["last_verified"])
                last_verified = dt.date.fromisoformat(c["last_verified"])
            except ValueError:
                self.error(
                    row,
                    "last_verified",
                    _("„%(value)s“ ist kein Datum der Form JJJJ-MM-TT.")
                    % {"value": c["last_verified"]},
                )
            else:
                if last_verified > self.today:
                    self.error(row, "last_verified", _("Das Datum liegt in der Zukunft."))
        if len(self.errors) > before:
            return None
        offer = Offer(
            organisation=self.organisation,
            funding_round=rnd,
            name=name,
            description=description,
            themes=themes,
            languages=languages,
            modes=modes,
            is_free=is_free,
            cost_note=cost_note,
            email=email,
            phone=phone,
            website=website,
            status=status,
            last_verified=last_verified,
        )
        return _Row(row, offer, hours, address, point, explicit)

    def place(
        self, row: int, c: dict[str, str]
    ) -> tuple[tuple[str, str, str] | None, tuple[float, float] | None, bool]:
        """The address, its point and whether the point was given (not from the postcode)."""
        street, postcode, city = c.get("street", ""), c.get("postcode", ""), c.get("city", "")
        lat_text, lon_text = c.get("lat", ""), c.get("lon", "")
        if not (street or postcode or city):
            if lat_text or lon_text:
                self.error(row, "lat", _("Koordinaten ohne Adresse: bitte die Adresse angeben."))
            return None, None, False
        ok = True
        for column, value, limit in (
            ("street", street, 200),
            ("postcode", postcode, 5),
            ("city", city, 120),
        ):
            if not value:
                self.error(
                    row,
                    column,
                    _("Die Adresse ist unvollständig: Straße, Postleitzahl und Ort angeben."),
                )
                ok = False
            elif column != "postcode" and len(value) > limit:
                self.error(
                    row, column, _("Der Text ist länger als %(max)d Zeichen.") % {"max": limit}
                )
                ok = False
        if postcode and not _POSTCODE.match(postcode):
            self.error(
                row,
                "postcode",
                _("„%(value)s“ ist keine fünfstellige Postleitzahl.") % {"value": postcode},
            )
            ok = False
        point = None
        explicit = bool(lat_text or lon_text)
        if explicit:
            point = self.coordinates(row, lat_text, lon_text)
        elif ok:
            pc = geo.postcode(postcode)
            if pc is None:
                self.error(
                    row,
                    "postcode",
                    _("Die Postleitzahl %(plz)s kennen wir nicht; bitte lat und lon angeben.")
                    % {"plz": postcode},
                )
            else:
                point = (pc.lat, pc.lon)
        if not ok or point is None:
            return None, None, False
        return (street, postcode, city), point, explicit

    def coordinates(self, row: int, lat_text: str, lon_text: str) -> tuple[float, float] | None:
        values = []
        for column, text in (("lat", lat_text), ("lon", lon_text)):
            if not text:
                self.error(row, column, _("Breite und Länge bitte beide angeben."))
                return None
            try:
                value = float(text.replace(",", ".") if "." not in text else text)
            except ValueError:
                self.error(row, column, _("„%(value)s“ ist keine Zahl.") % {"value": text})
                return None
            values.append(value)
        lat, lon = values
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            self.error(row, "lat", _("Die Koordinaten liegen außerhalb des gültigen Bereichs."))
            return None
        return lat, lon


def _error_order(error: CSVError) -> tuple[int, int]:
    column = COLUMNS.index(error.column) if error.column in COLUMNS else -1
    return error.row or 0, column


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]


def _address_key(address: tuple[str, str, str]) -> tuple[str, str, str]:
    street, postcode, city = address
    return " ".join(street.casefold().split()), postcode, " ".join(city.casefold().split())


# --- import ------------------------------------------------------------------------------------


def import_offers_csv(
    source: str | Path | IO[Any],
    organisation: Organisation,
    *,
    today: dt.date | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Check every row, then create the places, offers and opening hours in one transaction.

    Raises :class:`CSVImportError` with every problem (and imports nothing) when there is any.
    Returns ``{"offers": n, "locations": new places, "locations_reused": k, "opening_hours": h}``.
    """
    say = progress or (lambda _msg: None)
    rows = read_table(source)
    checker = _Checker(organisation, today or timezone.localdate())
    checked = [checker.check(number, cells) for number, cells in rows]
    explicit = [r for r in checked if r is not None and r.explicit_point]
    kreise = geo.kreise_at([r.point for r in explicit])
    for r, kreis in zip(explicit, kreise, strict=True):
        if kreis is None:
            checker.error(
                r.number,
                "lat",
                _("Die Koordinaten liegen nicht in Deutschland (Breite und Länge vertauscht?)."),
            )
    if checker.errors:
        raise CSVImportError(sorted(checker.errors, key=_error_order))
    good = [r for r in checked if r is not None]
    say(f"checked {len(good)} rows")

    existing = {
        _address_key((loc.street, loc.postcode, loc.city)): loc
        for loc in Location.objects.filter(organisation=organisation).order_by("id")
    }
    new_places: dict[tuple[str, str, str], Location] = {}
    reused: set[tuple[str, str, str]] = set()
    place_of: dict[int, Location] = {}
    for r in good:
        if r.address is None:
            continue
        key = _address_key(r.address)
        if key in existing:
            place_of[r.number] = existing[key]
            reused.add(key)
        else:
            if key not in new_places:
                street, postcode, city = r.address
                lat, lon = r.point
                new_places[key] = Location(
                    organisation=organisation,
                    street=street,
                    postcode=postcode,
                    city=city,
                    lat=lat,
                    lon=lon,
                )
            place_of[r.number] = new_places[key]
    services.locate_many(list(new_places.values()))
    for r in good:
        rnd = r.offer.funding_round
        services.refresh_derived(
            r.offer,
            organisation_name=organisation.name,
            programme_name=pick(rnd.programme.name, "de") if rnd else "",
            location=place_of.get(r.number),
        )
    offers = [r.offer for r in good]
    with transaction.atomic():
        Location.objects.bulk_create(new_places.values())
        Offer.objects.bulk_create(offers)
        OfferLocation.objects.bulk_create(
            OfferLocation(offer=r.offer, location=place_of[r.number], position=0)
            for r in good
            if r.number in place_of
        )
        hours = [
            OpeningHours(offer=r.offer, weekday=day, opens=opens, closes=closes)
            for r in good
            for day, opens, closes in r.hours
        ]
        OpeningHours.objects.bulk_create(hours)
        search.index_offers((o.id, o.search_document) for o in offers)
    say(f"imported {len(offers)} offers")
    return {
        "offers": len(offers),
        "locations": len(new_places),
        "locations_reused": len(reused),
        "opening_hours": len(hours),
    }

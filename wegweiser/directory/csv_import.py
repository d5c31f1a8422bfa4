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

Every row is checked before anything is written, by the one validation of an offer
(``validation.check_offer``, the same as the maintenance form's and the HSDS import's);
:class:`CSVImportError` lists every problem as ``(row, column, message)`` where the row is
numbered as a person counts it in a spreadsheet (the header is row 1, the first offer row 2).
Places with the same street, postcode and town are created once, and an existing place of the
organisation with that address is reused. The rows are written by the import writer
(``import_writer.write_batch``) in one transaction.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, NamedTuple

import polars as pl
from django.utils import timezone
from django.utils.translation import gettext as _

from wegweiser.core import geo
from wegweiser.directory import services
from wegweiser.directory.import_writer import ImportBatch, OfferRecord, write_batch
from wegweiser.directory.models import Location, Offer
from wegweiser.directory.opening_hours import format_opening_hours, parse_opening_hours
from wegweiser.directory.validation import (
    OfferInput,
    PlaceInput,
    Problem,
    check_offer,
    place_point,
)
from wegweiser.organisations.models import Organisation
from wegweiser.programmes.models import FundingRound

__all__ = [
    "COLUMNS",
    "CSVError",
    "CSVImportError",
    "describe",
    "format_opening_hours",
    "import_offers_csv",
    "parse_opening_hours",
    "read_table",
]

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
    hours: list
    place: PlaceInput | None
    explicit_point: bool


def _columns(problem: Problem) -> list[str]:
    """The CSV columns of a problem of the one validation."""
    if problem.field in ("name", "description"):
        return [f"{problem.field}_{problem.key}"]
    if problem.field == "address":
        return ["street", "postcode", "city"]
    if problem.field == "point":
        return ["lat"]
    return [problem.field]


class _Checker:
    """Reads the cells of each row (CSV syntax) and lets the one validation judge them."""

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

    def check(self, row: int, c: dict[str, str]) -> _Row | None:
        before = len(self.errors)
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
        place, explicit = self.place(row, c)
        values = OfferInput(
            name={"de": c.get("name_de", ""), "en": c.get("name_en", "")},
            description={"de": c.get("description_de", ""), "en": c.get("description_en", "")},
            themes=_split(c.get("themes", "")),
            languages=_split(c.get("languages", "")),
            modes=_split(c.get("modes", "")),
            is_free=self.flag(row, c),
            cost_note=c.get("cost_note", ""),
            email=c.get("email", ""),
            phone=c.get("phone", ""),
            website=c.get("website", ""),
            hours=self.hours(row, c),
            last_verified=self.date(row, c),
            place=place,
        )
        values, problems = check_offer(values, today=self.today)
        for problem in problems:
            for column in _columns(problem):
                self.error(row, column, problem.message)
        status = c.get("status", "") or Offer.DRAFT
        if status not in STATUSES:
            self.error(
                row,
                "status",
                _("Unbekannter Status „%(value)s“ (erlaubt: draft, published).")
                % {"value": status},
            )
        if len(self.errors) > before:
            return None
        offer = Offer(organisation=self.organisation, funding_round=rnd, status=status)
        values.apply_to(offer)
        has_place = place is not None and place.has_address()
        return _Row(row, offer, values.hours, place if has_place else None, explicit)

    def flag(self, row: int, c: dict[str, str]) -> bool:
        flag = c.get("is_free", "").casefold()
        if flag and flag not in TRUE | FALSE:
            self.error(
                row,
                "is_free",
                _("„%(value)s“: erwartet wird ja oder nein.") % {"value": c["is_free"]},
            )
        return flag not in FALSE

    def hours(self, row: int, c: dict[str, str]) -> list:
        try:
            return parse_opening_hours(c.get("opening_hours", ""))
        except ValueError as exc:
            self.error(row, "opening_hours", str(exc))
            return []

    def date(self, row: int, c: dict[str, str]) -> dt.date | None:
        text = c.get("last_verified", "")
        if not text:
            return None
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                raise ValueError(text)
            return dt.date.fromisoformat(text)
        except ValueError:
            self.error(
                row,
                "last_verified",
                _("„%(value)s“ ist kein Datum der Form JJJJ-MM-TT.") % {"value": text},
            )
            return None

    def place(self, row: int, c: dict[str, str]) -> tuple[PlaceInput | None, bool]:
        """The address with its coordinates if given (else the postcode's centre is used)."""
        place = PlaceInput(
            street=c.get("street", ""), postcode=c.get("postcode", ""), city=c.get("city", "")
        )
        lat_text, lon_text = c.get("lat", ""), c.get("lon", "")
        explicit = bool(lat_text or lon_text)
        if not place.has_address():
            if explicit:
                self.error(row, "lat", _("Koordinaten ohne Adresse: bitte die Adresse angeben."))
            return None, False
        if explicit:
            place.point = self.coordinates(row, lat_text, lon_text)  # None: reported
        return place, explicit and place.point is not None

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
        return values[0], values[1]


def _error_order(error: CSVError) -> tuple[int, int]:
    column = COLUMNS.index(error.column) if error.column in COLUMNS else -1
    return error.row or 0, column


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]


def _address_key(place: PlaceInput) -> tuple[str, str, str]:
    return (
        " ".join(place.street.casefold().split()),
        place.postcode,
        " ".join(place.city.casefold().split()),
    )


# --- import ------------------------------------------------------------------------------------


def import_offers_csv(
    source: str | Path | IO[Any],
    organisation: Organisation,
    *,
    by,
    today: dt.date | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Check every row, then create the places, offers and opening hours in one transaction.

    ``by``: the acting user (needs ``offer.edit`` in ``organisation``) or ``services.SYSTEM``.
    Raises :class:`CSVImportError` with every problem (and imports nothing) when there is any.
    Returns ``{"offers": n, "locations": new places, "locations_reused": k, "opening_hours": h}``.
    """
    services.require(by, organisation, "offer.edit")
    say = progress or (lambda _msg: None)
    rows = read_table(source)
    checker = _Checker(organisation, today or timezone.localdate())
    checked = [checker.check(number, cells) for number, cells in rows]
    explicit = [r for r in checked if r is not None and r.explicit_point]
    kreise = geo.kreise_at([r.place.point for r in explicit])
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
        _address_key(PlaceInput(loc.street, loc.postcode, loc.city)): loc
        for loc in Location.objects.filter(organisation=organisation).order_by("id")
    }
    new_places: dict[tuple[str, str, str], Location] = {}
    reused: set[tuple[str, str, str]] = set()
    batch = ImportBatch(source="csv")
    for r in good:
        places = []
        if r.place is not None:
            key = _address_key(r.place)
            if key in existing:
                reused.add(key)
                places.append(existing[key])
            else:
                if key not in new_places:
                    lat, lon = place_point(r.place)
                    new_places[key] = Location(
                        organisation=organisation,
                        street=r.place.street,
                        postcode=r.place.postcode,
                        city=r.place.city,
                        lat=lat,
                        lon=lon,
                    )
                places.append(new_places[key])
        batch.offers.append(OfferRecord(r.offer, places, r.hours))
    batch.locations = list(new_places.values())
    counts = write_batch(batch, by=by, progress=say)
    return {
        "offers": counts["offers"],
        "locations": counts["locations"],
        "locations_reused": len(reused),
        "opening_hours": counts["opening_hours"],
    }

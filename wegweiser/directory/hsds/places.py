"""HSDS location -> our place (``Location``): one physical address, coordinates, accessibility.

The values are judged by the one validation of a place (``validation.check_place``); a place
that cannot be put on a map is not taken over (its offers are imported without it).
"""

from __future__ import annotations

import math
import uuid

from django.utils.translation import gettext as _

from wegweiser.core import geo
from wegweiser.directory import vocabulary
from wegweiser.directory.hsds.profile import EXTENSION
from wegweiser.directory.hsds.values import Reading, apply, extension, text
from wegweiser.directory.models import Location
from wegweiser.directory.validation import PlaceInput, Problem, check_place, point_problem

LOCATION_FIELDS = {
    "id",
    "organization_id",
    "location_type",
    "name",
    "latitude",
    "longitude",
    "transportation",
    "addresses",
    "accessibility",
    EXTENSION,
}
ADDRESS_FIELDS = {"id", "location_id", "address_1", "city", "postal_code", "address_type"}


def read_location(r: Reading, obj: dict, path: str, owner: uuid.UUID | None) -> uuid.UUID | None:
    own = extension(obj) is not None
    lid = r.ident(obj.get("id"), "location", f"{path}.id", own)
    if lid is not None and (lid in r.locations or lid in r.dropped_locations):
        r.error(f"{path}.id", _("Die ID %(id)s kommt doppelt vor.") % {"id": lid})
        return lid
    r.unmapped(obj, LOCATION_FIELDS, path)
    r.check_owner(obj, "organization_id", owner, path)
    kind = obj.get("location_type") or "physical"
    if kind != "physical":
        r.unfit(
            f"{path}.location_type",
            _(
                "Nur Orte mit einer Adresse vor Ort (physical) können übernommen werden, "
                "nicht „%(value)s“."
            )
            % {"value": kind},
            own,
        )
        if lid is not None:
            r.dropped_locations.add(lid)
        return lid
    place = PlaceInput(name=text(obj, "name"), transportation=text(obj, "transportation"))
    where = _address(r, obj, path, own, place)
    apply(place, r.judge(check_place(place, complete=False), where, own))
    point = _coordinates(r, obj, path, own, place.postcode)
    if point is None:
        if lid is not None:
            r.dropped_locations.add(lid)
        return lid
    keys, note = _accessibility(r, obj, path, own)
    loc = Location(
        id=lid,
        organisation_id=owner,
        name=place.name,
        street=place.street,
        postcode=place.postcode,
        city=place.city,
        lat=point[0],
        lon=point[1],
        accessibility=keys,
        accessibility_note=note,
        transportation=place.transportation,
    )
    if lid is not None:
        r.locations[lid] = loc
    return lid


def _address(r: Reading, obj: dict, path: str, own: bool, place: PlaceInput):
    """Fill ``place`` from the first physical address; returns where each problem goes."""
    fields = {"name": f"{path}.name", "transportation": f"{path}.transportation", "point": path}
    addresses = r.records(obj, "addresses", path)
    if not addresses:
        r.unfit(f"{path}.addresses", _("Die Adresse fehlt."), own)
        return lambda problem: fields.get(problem.field, path)
    physical = [a for a in addresses if a[0].get("address_type") == "physical"]
    rec, p = (physical or addresses)[0]
    for _rec, extra in addresses:
        if extra != p:
            r.unfit(extra, _("Nur eine Adresse je Ort wird übernommen."), own)
    if rec.get("address_type") != "physical":
        r.warn(
            f"{p}.address_type",
            _("Adresse vom Typ „%(value)s“ wird als Adresse des Ortes verwendet.")
            % {"value": rec.get("address_type")},
        )
    known = set(ADDRESS_FIELDS)
    if own:
        known |= {"state_province", "country"}  # derived from the coordinates on export
    elif rec.get("country") not in (None, "", "DE"):
        known.add("country")
        r.warn(
            f"{p}.country",
            _("Adresse außerhalb Deutschlands (%(country)s); das Land wird nicht gespeichert.")
            % {"country": rec.get("country")},
        )
    r.unmapped(rec, known, p)
    place.street = text(rec, "address_1")
    place.city = text(rec, "city")
    place.postcode = text(rec, "postal_code").strip()
    fields |= {"street": f"{p}.address_1", "city": f"{p}.city", "postcode": f"{p}.postal_code"}

    def where(problem: Problem) -> str:
        return fields[problem.field]

    return where


def _coordinates(
    r: Reading, obj: dict, path: str, own: bool, postcode: str
) -> tuple[float, float] | None:
    """The place's point; None when it cannot be put on a map (not taken over). An error
    gives a stand-in point (the document is refused anyway)."""
    lat, lon = obj.get("latitude"), obj.get("longitude")
    if lat is None and lon is None:
        pc = geo.postcode(postcode) if postcode else None
        if pc is not None and not own:
            r.warn(
                path,
                _("Keine Koordinaten: die Mitte der Postleitzahl %(plz)s wird verwendet.")
                % {"plz": postcode},
            )
            return pc.lat, pc.lon
        r.error(path, _("Die Koordinaten (latitude, longitude) fehlen."))
        return 0.0, 0.0
    ok = True
    for key, value in (("latitude", lat), ("longitude", lon)):
        if (
            not isinstance(value, int | float)
            or isinstance(value, bool)
            or not math.isfinite(value)
        ):
            r.error(f"{path}.{key}", _("Hier wird eine Zahl erwartet."))
            ok = False
    if not ok:
        return 0.0, 0.0
    message = point_problem(lat, lon)
    if message is None:
        return float(lat), float(lon)
    if own:
        r.error(path, message)
        return 0.0, 0.0
    pc = geo.postcode(postcode) if postcode else None
    if pc is not None:
        r.warn(
            path,
            message
            + " "
            + _("Die Mitte der Postleitzahl %(plz)s wird verwendet.") % {"plz": postcode},
        )
        return pc.lat, pc.lon
    # A place that cannot be put on a map is not taken over (never stored with impossible
    # coordinates); its offers are imported without it.
    r.warn(path, message + " " + _("Der Ort wird nicht übernommen."))
    return None


def _accessibility(r: Reading, obj: dict, path: str, own: bool) -> tuple[list[str], str]:
    """Our keys (records with ``x_wegweiser.key``) and the other records' texts as a note."""
    keys: list[str] = []
    notes: list[str] = []
    for rec, p in r.records(obj, "accessibility", path):
        ext = extension(rec)
        if ext is not None:
            key = ext.get("key")
            if key not in vocabulary.ACCESSIBILITY:
                r.error(
                    f"{p}.{EXTENSION}.key",
                    _("Unbekanntes Merkmal der Barrierefreiheit „%(value)s“.") % {"value": key},
                )
            elif key not in keys:
                keys.append(key)
            r.unmapped(rec, {"id", "location_id", "description", EXTENSION}, p)
            continue
        r.unmapped(rec, {"id", "location_id", "description", "details"}, p)
        note = "\n".join(t for t in (text(rec, "description"), text(rec, "details")) if t)
        if note:
            notes.append(note)
    return keys, "\n\n".join(notes)

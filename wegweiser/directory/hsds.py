"""Open Referral HSDS 3.0 export and import of the directory (see ``docs/hsds.md``).

The export is one JSON document::

    {"hsds_version": "3.0", "profile": PROFILE, "organizations": [...]}

Each organization carries its ``programs`` (our funded projects, where it is the carrier),
``services`` (our offers, as in the official ``organization_full.json`` example) and
``locations``. What HSDS has no field for (translations, funding round, modes, project partners
and regions, budget, organisation kind, ...) is kept in one extension property ``x_wegweiser`` on
the object it belongs to, so that export -> import -> export gives the same document. Every object
keeps our UUID; child records (schedules, languages, addresses, phones, attributes, ...) get ids
derived with :func:`uuid.uuid5` from their parent's id, so two exports of the same data are
identical. Lists of objects are sorted by id; lists whose order means something (themes,
languages, places of an offer, opening hours by weekday) keep that order.

The import accepts our document, a single HSDS organization, a list of them, an HSDS API page
(``{"contents": [...]}``) and services with an embedded ``organization``. It checks everything
first and writes nothing when there is any error (:class:`HSDSImportError` lists them all, with
the path of the value in the document). Data from other publishers is mapped where our model has a
place for it; everything else is reported as a warning (``ImportSummary.warnings``), never dropped
silently. Objects are matched by id: an existing organisation, project, place or offer is updated.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import pycountry
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from wegweiser.core import geo
from wegweiser.core.i18n import pick
from wegweiser.core.languages import is_language_code, language_label
from wegweiser.directory import search, services, vocabulary
from wegweiser.directory.models import Location, Offer, OfferLocation, OpeningHours
from wegweiser.organisations.models import Organisation, Region
from wegweiser.programmes.models import FundingRound, Project, ProjectPartner

HSDS_VERSION = "3.0"
#: Identifies our profile of HSDS (the extension below and the controlled vocabularies); it is
#: described in docs/hsds.md.
PROFILE = "https://github.com/wegweiser/hsds-profile"
EXTENSION = "x_wegweiser"
THEME_TAXONOMY = "wegweiser-themes"
THEME_TAXONOMY_ID = uuid.uuid5(uuid.NAMESPACE_URL, f"{PROFILE}/taxonomies/{THEME_TAXONOMY}")
#: Ids of foreign records that are not UUIDs are mapped into this namespace.
FOREIGN_IDS = uuid.uuid5(uuid.NAMESPACE_URL, f"{PROFILE}/foreign-ids")

STATUS_TO_HSDS = {Offer.PUBLISHED: "active", Offer.INACTIVE: "inactive", Offer.DRAFT: "inactive"}
HSDS_STATUSES = ("active", "inactive", "defunct", "temporarily closed")
DAY_CODES = {code: day for day, code in vocabulary.RRULE_DAYS.items()}

Issue = tuple[str, str]
BATCH = 1000


def theme_term_id(key: str) -> uuid.UUID:
    """The id of the taxonomy term of a theme (the same in every export)."""
    return uuid.uuid5(THEME_TAXONOMY_ID, key)


def _child(parent: uuid.UUID, suffix: str) -> str:
    return str(uuid.uuid5(parent, suffix))


def _primary_key(texts: dict) -> str:
    """The language whose text goes into the plain HSDS field: German, else the first code."""
    return "de" if "de" in texts or not texts else min(texts)


def _primary(texts: dict | None) -> str:
    texts = texts or {}
    return texts.get(_primary_key(texts), "")


def _put(target: dict, key: str, value: Any) -> None:
    if value not in (None, "", [], {}):
        target[key] = value


def _round_key(rnd: FundingRound | None) -> str | None:
    return f"{rnd.programme.key}/{rnd.key}" if rnd is not None else None


# --- export ------------------------------------------------------------------------------------


def export_document(organisations: Iterable[Organisation | uuid.UUID] | None = None) -> dict:
    """The HSDS document of all organisations (or of the given ones) with everything they own.

    Labels in the document (themes, languages, accessibility) are German whatever language is
    active, so that the document only depends on the data.
    """
    with translation.override("de"):
        return _Exporter(organisations).document()


class _Exporter:
    def __init__(self, organisations: Iterable[Organisation | uuid.UUID] | None):
        orgs = Organisation.objects.all()
        projects = Project.objects.select_related("funding_round__programme").prefetch_related(
            "memberships", "regions"
        )
        locations = Location.objects.select_related("region")
        offers = Offer.objects.select_related("funding_round__programme").prefetch_related(
            "placements", "opening_hours"
        )
        if organisations is not None:
            ids = [getattr(o, "pk", o) for o in organisations]
            orgs = orgs.filter(pk__in=ids)
            projects = projects.filter(carrier__in=ids)
            locations = locations.filter(organisation__in=ids)
            offers = offers.filter(organisation__in=ids)
        self.orgs = sorted(orgs, key=lambda o: str(o.id))
        self.projects: dict[uuid.UUID, list[Project]] = {}
        for p in projects:
            self.projects.setdefault(p.carrier_id, []).append(p)
        self.locations: dict[uuid.UUID, list[Location]] = {}
        for loc in locations:
            self.locations.setdefault(loc.organisation_id, []).append(loc)
        self.offers: dict[uuid.UUID, list[Offer]] = {}
        for o in offers:
            self.offers.setdefault(o.organisation_id, []).append(o)

    def document(self) -> dict:
        return {
            "hsds_version": HSDS_VERSION,
            "profile": PROFILE,
            "organizations": [self.organisation(o) for o in self.orgs],
        }

    @staticmethod
    def _by_id(objects: list) -> list:
        return sorted(objects, key=lambda o: str(o.id))

    def organisation(self, org: Organisation) -> dict:
        oid = str(org.id)
        d: dict[str, Any] = {
            "id": oid,
            "name": org.name,
            "description": _primary(org.description),
            "programs": [self.program(p) for p in self._by_id(self.projects.get(org.id, []))],
            "services": [self.service(o) for o in self._by_id(self.offers.get(org.id, []))],
            "locations": [
                self.location(loc) for loc in self._by_id(self.locations.get(org.id, []))
            ],
            EXTENSION: {
                "kind": org.kind,
                "is_synthetic": org.is_synthetic,
                "description": dict(org.description or {}),
            },
        }
        _put(d, "alternate_name", org.alternate_name)
        _put(d, "email", org.email)
        _put(d, "website", org.website)
        if org.phone:
            d["phones"] = [
                {"id": _child(org.id, "phone"), "organization_id": oid, "number": org.phone}
            ]
        if org.parent_id:
            d["parent_organization_id"] = str(org.parent_id)
        return d

    def program(self, p: Project) -> dict:
        partners = sorted(
            (
                {"organization_id": str(m.organisation_id), "role": m.role}
                for m in p.memberships.all()
            ),
            key=lambda m: m["organization_id"],
        )
        return {
            "id": str(p.id),
            "organization_id": str(p.carrier_id),
            "name": p.name,
            "description": _primary(p.description),
            EXTENSION: {
                "description": dict(p.description or {}),
                "funding_round": _round_key(p.funding_round),
                "start": p.start.isoformat(),
                "end": p.end.isoformat() if p.end else None,
                "regions": sorted(r.ags for r in p.regions.all()),
                "budget_eur": format(p.budget_eur, "f") if p.budget_eur is not None else None,
                "partners": partners,
            },
        }

    def location(self, loc: Location) -> dict:
        lid = str(loc.id)
        in_germany = loc.region is not None
        accessibility = [
            {
                "id": _child(loc.id, f"accessibility/{key}"),
                "location_id": lid,
                "description": str(vocabulary.ACCESSIBILITY.get(key, key)),
                EXTENSION: {"key": key},
            }
            for key in loc.accessibility or []
        ]
        if loc.accessibility_note:
            accessibility.append(
                {
                    "id": _child(loc.id, "accessibility/note"),
                    "location_id": lid,
                    "description": loc.accessibility_note,
                }
            )
        d: dict[str, Any] = {
            "id": lid,
            "organization_id": str(loc.organisation_id),
            "location_type": "physical",
            "latitude": loc.lat,
            "longitude": loc.lon,
            "addresses": [
                {
                    "id": _child(loc.id, "address"),
                    "location_id": lid,
                    "address_1": loc.street,
                    "city": loc.city,
                    "postal_code": loc.postcode,
                    # Derived: the model stores no country; a place in a German Kreis is in DE.
                    "state_province": loc.region.land if in_germany else "",
                    "country": "DE" if in_germany else "",
                    "address_type": "physical",
                }
            ],
            "accessibility": accessibility,
            EXTENSION: {"region": loc.region_id, "city_region": loc.city_region_id},
        }
        _put(d, "name", loc.name)
        _put(d, "transportation", loc.transportation)
        return d

    def service(self, o: Offer) -> dict:
        sid = str(o.id)
        d: dict[str, Any] = {
            "id": sid,
            "organization_id": str(o.organisation_id),
            "name": _primary(o.name),
            "description": _primary(o.description),
            "status": STATUS_TO_HSDS[o.status],
            "languages": [
                {
                    "id": _child(o.id, f"language/{code}"),
                    "service_id": sid,
                    "code": code,
                    "name": language_label(code),
                }
                for code in o.languages
            ],
            "attributes": [self.theme(o, key) for key in o.themes],
            "schedules": self.schedules(o),
            "service_at_locations": [
                {
                    "id": _child(o.id, f"location/{p.location_id}"),
                    "service_id": sid,
                    "location_id": str(p.location_id),
                }
                for p in sorted(o.placements.all(), key=lambda p: (p.position, str(p.location_id)))
            ],
            EXTENSION: {
                "name": dict(o.name or {}),
                "description": dict(o.description or {}),
                "funding_round": _round_key(o.funding_round),
                "modes": list(o.modes),
                "is_free": o.is_free,
                "appointment_only": o.appointment_only,
                "hours_note": o.hours_note,
                "status": o.status,
            },
        }
        if o.project_id:
            d["program_id"] = str(o.project_id)
        _put(d, "url", o.website)
        _put(d, "email", o.email)
        _put(d, "fees_description", o.cost_note)
        if o.last_verified:
            d["assured_date"] = o.last_verified.isoformat()
        if o.is_free:
            d["cost_options"] = [
                {
                    "id": _child(o.id, "cost/free"),
                    "service_id": sid,
                    "option": "kostenlos",
                    "amount": 0,
                    "currency": "EUR",
                }
            ]
        if o.phone:
            d["phones"] = [{"id": _child(o.id, "phone"), "service_id": sid, "number": o.phone}]
        if o.contact_name:
            d["contacts"] = [
                {"id": _child(o.id, "contact"), "service_id": sid, "name": o.contact_name}
            ]
        if o.funding_round is not None:
            programme = pick(o.funding_round.programme.name, "de")
            d["funding"] = [
                {
                    "id": _child(o.id, "funding"),
                    "service_id": sid,
                    "source": f"{programme} ({_round_key(o.funding_round)})",
                }
            ]
        return d

    @staticmethod
    def theme(o: Offer, key: str) -> dict:
        term = str(theme_term_id(key))
        label = str(vocabulary.THEMES.get(key, key))
        return {
            "id": _child(o.id, f"theme/{key}"),
            "link_id": str(o.id),
            "link_entity": "service",
            "link_type": "theme",
            "taxonomy_term_id": term,
            "taxonomy_term": {
                "id": term,
                "code": key,
                "name": label,
                "description": label,
                "taxonomy": THEME_TAXONOMY,
                "taxonomy_id": str(THEME_TAXONOMY_ID),
                "language": "de",
            },
        }

    @staticmethod
    def schedules(o: Offer) -> list[dict]:
        result = []
        seen: dict[str, int] = {}
        for h in sorted(o.opening_hours.all(), key=lambda h: (h.weekday, h.opens, h.closes)):
            suffix = f"schedule/{h.weekday}/{h.opens:%H:%M:%S}/{h.closes:%H:%M:%S}"
            seen[suffix] = seen.get(suffix, 0) + 1
            if seen[suffix] > 1:
                suffix += f"/{seen[suffix]}"
            result.append(
                {
                    "id": _child(o.id, suffix),
                    "service_id": str(o.id),
                    "freq": "WEEKLY",
                    "byday": vocabulary.RRULE_DAYS[h.weekday],
                    "opens_at": _time_text(h.opens),
                    "closes_at": _time_text(h.closes),
                }
            )
        return result


def _time_text(t: dt.time) -> str:
    """Local time in Germany as ``HH:MM`` (``HH:MM:SS`` when there are seconds)."""
    return t.strftime("%H:%M:%S" if t.second else "%H:%M")


# --- import ------------------------------------------------------------------------------------


class HSDSImportError(Exception):
    """The document has errors; nothing was written. ``errors`` lists ``(path, message)``."""

    def __init__(self, errors: list[Issue]):
        self.errors = errors
        shown = "; ".join(f"{path or '(Dokument)'}: {msg}" for path, msg in errors[:5])
        more = f" (+{len(errors) - 5})" if len(errors) > 5 else ""
        super().__init__(f"{len(errors)} errors: {shown}{more}")


class ImportSummary(dict[str, int]):
    """Counts of what was imported, and ``warnings``: ``(path, message)`` for every value of
    the document that our model cannot hold and that was therefore not taken over."""

    def __init__(self, counts: dict[str, int], warnings: list[Issue]):
        super().__init__(counts)
        self.warnings = warnings


@dataclass
class _Ref:
    id: uuid.UUID
    path: str
    own: bool


@dataclass
class _OrgPlan:
    org: Organisation
    parent: _Ref | None
    path: str


@dataclass
class _ProjectPlan:
    project: Project
    partners: list[tuple[_Ref, str]]
    regions: list[str]
    path: str


@dataclass
class _OfferPlan:
    offer: Offer
    program: _Ref | None
    locations: list[_Ref]
    hours: list[tuple[int, dt.time, dt.time]]
    path: str
    own: bool


@dataclass
class _Item:
    """An organisation of the input with the services to read with it."""

    org: Any
    path: str
    services: list[tuple[Any, str]] = field(default_factory=list)


_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$")
_POSTCODE = re.compile(r"^\d{5}$")
_EMPTY = (None, "", [], {})

ORG_FIELDS = {
    "id",
    "name",
    "alternate_name",
    "description",
    "email",
    "website",
    "phones",
    "parent_organization_id",
    "locations",
    "programs",
    "services",
    EXTENSION,
}
PROGRAM_FIELDS = {"id", "organization_id", "name", "description", EXTENSION}
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
SERVICE_FIELDS = {
    "id",
    "organization_id",
    "organization",
    "program_id",
    "program",
    "name",
    "description",
    "url",
    "email",
    "status",
    "fees_description",
    "cost_options",
    "assured_date",
    "phones",
    "contacts",
    "schedules",
    "service_at_locations",
    "languages",
    "attributes",
    "funding",
    EXTENSION,
}
SCHEDULE_FIELDS = {"id", "service_id", "freq", "byday", "opens_at", "closes_at", "interval"}
PHONE_FIELDS = {"id", "number", "service_id", "organization_id", "location_id", "contact_id"}


class _Reader:
    """Reads and checks a whole document into unsaved model objects (no writes)."""

    def __init__(self) -> None:
        self.errors: list[Issue] = []
        self.warnings: list[Issue] = []
        self.rounds = {
            _round_key(r): r for r in FundingRound.objects.select_related("programme").all()
        }
        self.orgs: dict[uuid.UUID, _OrgPlan] = {}
        self.projects: dict[uuid.UUID, _ProjectPlan] = {}
        self.dropped_programs: set[uuid.UUID] = set()
        self.locations: dict[uuid.UUID, Location] = {}
        self.dropped_locations: set[uuid.UUID] = set()
        self.offers: dict[uuid.UUID, _OfferPlan] = {}
        self.db_locations: dict[uuid.UUID, Location] = {}

    # -- reporting ------------------------------------------------------------------------------

    def error(self, path: str, message: str) -> None:
        self.errors.append((path, message))

    def warn(self, path: str, message: str) -> None:
        self.warnings.append((path, message))

    def unfit(self, path: str, message: str, own: bool) -> None:
        """A value our model cannot hold: an error in our own data, a warning in foreign data."""
        (self.error if own else self.warn)(path, message)

    def unmapped(self, obj: dict, known: set[str], path: str) -> None:
        for key in sorted(obj):
            if key not in known and obj[key] not in _EMPTY:
                self.warn(
                    f"{path}.{key}",
                    _("Das Feld „%(field)s“ hat bei uns keinen Platz und wird nicht übernommen.")
                    % {"field": key},
                )

    # -- values ---------------------------------------------------------------------------------

    def ident(self, value: Any, kind: str, path: str, own: bool, required: bool = True):
        if value in (None, ""):
            if required:
                self.error(path, _("Die ID fehlt."))
            return None
        if isinstance(value, str):
            try:
                return uuid.UUID(value)
            except ValueError:
                pass
        if own or not isinstance(value, str | int) or isinstance(value, bool):
            self.error(path, _("„%(value)s“ ist keine gültige UUID.") % {"value": value})
            return None
        mapped = uuid.uuid5(FOREIGN_IDS, f"{kind}/{value}")
        self.warn(
            path,
            _("Die ID „%(value)s“ ist keine UUID; sie wird als %(uuid)s gespeichert.")
            % {"value": value, "uuid": mapped},
        )
        return mapped

    def text(
        self,
        obj: dict,
        key: str,
        path: str,
        own: bool,
        *,
        max_length: int | None = None,
        required: bool = False,
    ) -> str:
        value = obj.get(key)
        where = f"{path}.{key}"
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.error(where, _("Hier wird ein Text erwartet."))
            return ""
        if required and not value.strip():
            self.error(where, _("Pflichtfeld „%(field)s“ fehlt.") % {"field": key})
        if max_length is not None and len(value) > max_length:
            message = _("Der Text ist zu lang (höchstens %(max)d Zeichen, hier %(len)d).") % {
                "max": max_length,
                "len": len(value),
            }
            if own:
                self.error(where, message)
            else:
                self.warn(where, message + " " + _("Er wird gekürzt."))
                value = value[:max_length]
        return value

    def email(self, obj: dict, key: str, path: str, own: bool) -> str:
        value = self.text(obj, key, path, own, max_length=254)
        if value:
            try:
                EmailValidator()(value)
            except ValidationError:
                self.error(
                    f"{path}.{key}",
                    _("„%(value)s“ ist keine gültige E-Mail-Adresse.") % {"value": value},
                )
                return ""
        return value

    def url(self, obj: dict, key: str, path: str, own: bool) -> str:
        value = self.text(obj, key, path, own)
        if value:
            try:
                URLValidator(schemes=["http", "https"])(value)
            except ValidationError:
                self.error(
                    f"{path}.{key}",
                    _("„%(value)s“ ist keine gültige Web-Adresse.") % {"value": value},
                )
                return ""
            if len(value) > 200:
                self.error(f"{path}.{key}", _("Die Web-Adresse ist länger als 200 Zeichen."))
                return ""
        return value

    def date(self, value: Any, path: str, required: bool = False) -> dt.date | None:
        if value in (None, ""):
            if required:
                self.error(path, _("Das Datum fehlt."))
            return None
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value[:10] if "T" in value else value)
            except ValueError:
                pass
        self.error(path, _("„%(value)s“ ist kein Datum der Form JJJJ-MM-TT.") % {"value": value})
        return None

    def boolean(self, value: Any, path: str, default: bool) -> bool:
        if value is None:
            return default
        if not isinstance(value, bool):
            self.error(path, _("Hier wird true oder false erwartet."))
            return default
        return value

    def translations(self, value: Any, path: str) -> dict[str, str] | None:
        if value is None:
            return None
        if not isinstance(value, dict):
            self.error(path, _("Hier werden Texte nach Sprachcode erwartet."))
            return None
        for code, text in value.items():
            if not is_language_code(code):
                self.error(f"{path}.{code}", _("„%(code)s“ ist kein Sprachcode.") % {"code": code})
            elif not isinstance(text, str):
                self.error(f"{path}.{code}", _("Hier wird ein Text erwartet."))
        return {k: v for k, v in value.items() if isinstance(v, str)}

    @staticmethod
    def merge_texts(hsds_text: str, texts: dict[str, str] | None) -> dict[str, str]:
        """The HSDS text in its language plus the other languages from the extension."""
        result = dict(texts or {})
        key = _primary_key(result)
        if hsds_text or key in result:
            result[key] = hsds_text
        return result

    def extension(self, obj: dict, path: str) -> dict | None:
        ext = obj.get(EXTENSION)
        if ext is None:
            return None
        if not isinstance(ext, dict):
            self.error(f"{path}.{EXTENSION}", _("Die Erweiterung muss ein Objekt sein."))
            return {}
        return ext

    def funding_round(self, value: Any, path: str, required: bool) -> FundingRound | None:
        if value in (None, ""):
            if required:
                self.error(path, _("Die Förderrunde fehlt."))
            return None
        rnd = self.rounds.get(value) if isinstance(value, str) else None
        if rnd is None:
            self.error(
                path,
                _("Unbekannte Förderrunde „%(value)s“ (erwartet: Programm/Runde).")
                % {"value": value},
            )
        return rnd

    def records(self, obj: dict, key: str, path: str) -> list[tuple[dict, str]]:
        """The list ``obj[key]`` as ``(record, path)``; reports entries that are no objects."""
        value = obj.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(f"{path}.{key}", _("Hier wird eine Liste erwartet."))
            return []
        result = []
        for i, rec in enumerate(value):
            if isinstance(rec, dict):
                result.append((rec, f"{path}.{key}[{i}]"))
            else:
                self.error(f"{path}.{key}[{i}]", _("Hier wird ein Objekt erwartet."))
        return result

    # -- the document ---------------------------------------------------------------------------

    def read(self, doc: Any) -> None:
        if not Region.objects.exists():
            self.error("", _("Die Regionen sind nicht geladen (Befehl load_regions)."))
        items = self.items(doc)
        for item in items:
            self.read_organisation(item)
        self.resolve()

    def items(self, doc: Any) -> list[_Item]:
        if isinstance(doc, list):
            return self.group(doc, "")
        if not isinstance(doc, dict):
            self.error("", _("Erwartet wird ein HSDS-Dokument, eine Organisation oder eine Liste."))
            return []
        if "organizations" in doc:
            version = str(doc.get("hsds_version", doc.get("version", HSDS_VERSION)))
            if not version.startswith("3."):
                self.warn(
                    "hsds_version",
                    _("HSDS-Version %(version)s: erwartet wird 3.x.") % {"version": version},
                )
            if not isinstance(doc["organizations"], list):
                self.error("organizations", _("Hier wird eine Liste erwartet."))
                return []
            return self.group(doc["organizations"], "organizations")
        if isinstance(doc.get("contents"), list):
            return self.group(doc["contents"], "contents")
        if _is_service(doc):
            return self.group([doc], "", single="service")
        return self.group([doc], "", single="organization")

    def group(self, entries: list, base: str, single: str = "") -> list[_Item]:
        """Organisations in input order; services with an embedded organisation join it."""
        items: list[_Item] = []
        by_id: dict[str, _Item] = {}
        for i, entry in enumerate(entries):
            path = single or f"{base}[{i}]"
            if not isinstance(entry, dict):
                self.error(path, _("Hier wird ein Objekt erwartet."))
                continue
            if not _is_service(entry):
                item = _Item(entry, path)
                items.append(item)
                by_id.setdefault(str(entry.get("id")), item)
                continue
            org = entry.get("organization")
            if not isinstance(org, dict):
                self.error(
                    f"{path}.organization",
                    _("Ein Angebot ohne eingebettete Organisation kann nicht zugeordnet werden."),
                )
                continue
            item = by_id.get(str(org.get("id")))
            if item is None:
                item = _Item(org, f"{path}.organization")
                items.append(item)
                by_id[str(org.get("id"))] = item
            item.services.append((entry, path))
        return items

    def read_organisation(self, item: _Item) -> None:
        obj, path = item.org, item.path
        if not isinstance(obj, dict):
            self.error(path, _("Hier wird ein Objekt erwartet."))
            return
        ext = self.extension(obj, path)
        own = ext is not None
        ext = ext or {}
        oid = self.ident(obj.get("id"), "organization", f"{path}.id", own)
        self.unmapped(obj, ORG_FIELDS, path)
        name = self.text(obj, "name", path, own, max_length=250, required=True)
        description = self.text(obj, "description", path, own)
        kind = ext.get("kind", "sonstige")
        if kind not in vocabulary.ORGANISATION_KINDS:
            self.error(
                f"{path}.{EXTENSION}.kind",
                _("Unbekannte Art von Organisation „%(value)s“.") % {"value": kind},
            )
        org = Organisation(
            id=oid,
            name=name,
            alternate_name=self.text(obj, "alternate_name", path, own, max_length=120),
            kind=kind,
            description=self.merge_texts(
                description,
                self.translations(ext.get("description"), f"{path}.{EXTENSION}.description"),
            ),
            email=self.email(obj, "email", path, own),
            phone=self.phone(obj, path, own),
            website=self.url(obj, "website", path, own),
            is_synthetic=self.boolean(
                ext.get("is_synthetic"), f"{path}.{EXTENSION}.is_synthetic", False
            ),
        )
        parent = None
        if obj.get("parent_organization_id") not in (None, ""):
            pid = self.ident(
                obj["parent_organization_id"], "organization", f"{path}.parent_organization_id", own
            )
            if pid is not None:
                parent = _Ref(pid, f"{path}.parent_organization_id", own)
        if oid is not None:
            if oid in self.orgs:
                self.error(f"{path}.id", _("Die ID %(id)s kommt doppelt vor.") % {"id": oid})
            else:
                self.orgs[oid] = _OrgPlan(org, parent, path)
        for rec, p in self.records(obj, "programs", path):
            self.read_program(rec, p, oid)
        for rec, p in self.records(obj, "locations", path):
            self.read_location(rec, p, oid)
        service_items = self.records(obj, "services", path) + item.services
        for rec, p in service_items:
            self.read_service(rec, p, oid)

    def phone(self, obj: dict, path: str, own: bool) -> str:
        phones = self.records(obj, "phones", path)
        if not phones:
            return ""
        rec, p = phones[0]
        self.unmapped(rec, PHONE_FIELDS, p)
        for _rec, extra in phones[1:]:
            self.warn(extra, _("Nur eine Telefonnummer wird übernommen."))
        return self.text(rec, "number", p, own, max_length=40, required=True)

    def check_owner(self, obj: dict, key: str, owner: uuid.UUID | None, path: str) -> None:
        """A nested record that names its organisation must name the one it is nested in."""
        value = obj.get(key)
        if value in (None, "") or owner is None:
            return
        try:
            named = uuid.UUID(str(value))
        except ValueError:
            named = uuid.uuid5(FOREIGN_IDS, f"organization/{value}")
        if named != owner:
            self.error(
                f"{path}.{key}",
                _("Verweist auf eine andere Organisation als die, in der der Eintrag steht."),
            )

    def read_program(self, obj: dict, path: str, carrier: uuid.UUID | None) -> None:
        ext = self.extension(obj, path)
        own = ext is not None
        pid = self.ident(obj.get("id"), "program", f"{path}.id", own)
        if not own:
            self.warn(
                path,
                _(
                    "Programme ohne Förderrunde (Erweiterung %(ext)s) können nicht als "
                    "gefördertes Projekt übernommen werden."
                )
                % {"ext": EXTENSION},
            )
            if pid is not None:
                self.dropped_programs.add(pid)
            return
        ext = ext or {}
        xp = f"{path}.{EXTENSION}"
        self.unmapped(obj, PROGRAM_FIELDS, path)
        self.check_owner(obj, "organization_id", carrier, path)
        rnd = self.funding_round(ext.get("funding_round"), f"{xp}.funding_round", required=True)
        start = self.date(ext.get("start"), f"{xp}.start", required=True)
        end = self.date(ext.get("end"), f"{xp}.end")
        regions = ext.get("regions") or []
        if not isinstance(regions, list) or not all(isinstance(r, str) for r in regions):
            self.error(f"{xp}.regions", _("Hier wird eine Liste von Regionsschlüsseln erwartet."))
            regions = []
        partners: list[tuple[_Ref, str]] = []
        for rec, p in self.records(ext, "partners", xp):
            org_id = self.ident(
                rec.get("organization_id"), "organization", f"{p}.organization_id", True
            )
            role = rec.get("role")
            if role not in vocabulary.PARTNER_ROLES:
                self.error(f"{p}.role", _("Unbekannte Rolle „%(value)s“.") % {"value": role})
            elif org_id is not None:
                partners.append((_Ref(org_id, f"{p}.organization_id", True), role))
        project = Project(
            id=pid,
            name=self.text(obj, "name", path, own, max_length=250, required=True),
            description=self.merge_texts(
                self.text(obj, "description", path, own),
                self.translations(ext.get("description"), f"{xp}.description"),
            ),
            funding_round=rnd,
            carrier_id=carrier,
            start=start,
            end=end,
            budget_eur=self.budget(ext.get("budget_eur"), f"{xp}.budget_eur"),
        )
        if pid is not None:
            if pid in self.projects:
                self.error(f"{path}.id", _("Die ID %(id)s kommt doppelt vor.") % {"id": pid})
            else:
                self.projects[pid] = _ProjectPlan(project, partners, regions, path)

    def budget(self, value: Any, path: str) -> Decimal | None:
        if value in (None, ""):
            return None
        try:
            amount = Decimal(str(value)) if not isinstance(value, bool) else None
        except InvalidOperation:
            amount = None
        if (
            amount is None
            or not amount.is_finite()
            or amount < 0
            or amount != amount.quantize(Decimal("0.01"))
            or amount >= Decimal("1e10")
        ):
            self.error(path, _("„%(value)s“ ist kein gültiger Betrag in Euro.") % {"value": value})
            return None
        return amount.quantize(Decimal("0.01"))

    def read_location(self, obj: dict, path: str, owner: uuid.UUID | None) -> uuid.UUID | None:
        ext = self.extension(obj, path)
        own = ext is not None
        lid = self.ident(obj.get("id"), "location", f"{path}.id", own)
        if lid is not None and (lid in self.locations or lid in self.dropped_locations):
            self.error(f"{path}.id", _("Die ID %(id)s kommt doppelt vor.") % {"id": lid})
            return lid
        self.unmapped(obj, LOCATION_FIELDS, path)
        self.check_owner(obj, "organization_id", owner, path)
        kind = obj.get("location_type") or "physical"
        if kind != "physical":
            self.unfit(
                f"{path}.location_type",
                _(
                    "Nur Orte mit einer Adresse vor Ort (physical) können übernommen werden, "
                    "nicht „%(value)s“."
                )
                % {"value": kind},
                own,
            )
            if lid is not None:
                self.dropped_locations.add(lid)
            return lid
        street, postcode, city = self.address(obj, path, own)
        point = self.coordinates(obj, path, own, postcode)
        if point is None:
            if lid is not None:
                self.dropped_locations.add(lid)
            return lid
        lat, lon = point
        keys, note = self.accessibility(obj, path, own)
        loc = Location(
            id=lid,
            organisation_id=owner,
            name=self.text(obj, "name", path, own, max_length=250),
            street=street,
            postcode=postcode,
            city=city,
            lat=lat,
            lon=lon,
            accessibility=keys,
            accessibility_note=note,
            transportation=self.text(obj, "transportation", path, own, max_length=300),
        )
        if lid is not None:
            self.locations[lid] = loc
        return lid

    def address(self, obj: dict, path: str, own: bool) -> tuple[str, str, str]:
        addresses = self.records(obj, "addresses", path)
        if not addresses:
            self.unfit(f"{path}.addresses", _("Die Adresse fehlt."), own)
            return "", "", ""
        physical = [a for a in addresses if a[0].get("address_type") == "physical"]
        rec, p = (physical or addresses)[0]
        for _rec, extra in addresses:
            if extra != p:
                self.unfit(extra, _("Nur eine Adresse je Ort wird übernommen."), own)
        if rec.get("address_type") != "physical":
            self.warn(
                f"{p}.address_type",
                _("Adresse vom Typ „%(value)s“ wird als Adresse des Ortes verwendet.")
                % {"value": rec.get("address_type")},
            )
        known = set(ADDRESS_FIELDS)
        if own:
            known |= {"state_province", "country"}  # derived from the coordinates on export
        elif rec.get("country") not in (None, "", "DE"):
            known.add("country")
            self.warn(
                f"{p}.country",
                _("Adresse außerhalb Deutschlands (%(country)s); das Land wird nicht gespeichert.")
                % {"country": rec.get("country")},
            )
        self.unmapped(rec, known, p)
        street = self.text(rec, "address_1", p, own, max_length=200, required=own)
        city = self.text(rec, "city", p, own, max_length=120, required=own)
        postcode = self.text(rec, "postal_code", p, own).strip()
        if postcode and not _POSTCODE.match(postcode):
            self.unfit(
                f"{p}.postal_code",
                _(
                    "„%(value)s“ ist keine deutsche Postleitzahl (fünf Ziffern); "
                    "sie wird nicht übernommen."
                )
                % {"value": postcode},
                own,
            )
            postcode = ""
        elif not postcode and own:
            self.error(
                f"{p}.postal_code", _("Pflichtfeld „%(field)s“ fehlt.") % {"field": "postal_code"}
            )
        return street, postcode, city

    def coordinates(
        self, obj: dict, path: str, own: bool, postcode: str
    ) -> tuple[float, float] | None:
        lat, lon = obj.get("latitude"), obj.get("longitude")
        if lat is None and lon is None:
            pc = geo.postcode(postcode) if postcode else None
            if pc is not None and not own:
                self.warn(
                    path,
                    _("Keine Koordinaten: die Mitte der Postleitzahl %(plz)s wird verwendet.")
                    % {"plz": postcode},
                )
                return pc.lat, pc.lon
            self.error(path, _("Die Koordinaten (latitude, longitude) fehlen."))
            return 0.0, 0.0
        ok = True
        for key, value in (("latitude", lat), ("longitude", lon)):
            if (
                not isinstance(value, int | float)
                or isinstance(value, bool)
                or not math.isfinite(value)
            ):
                self.error(f"{path}.{key}", _("Hier wird eine Zahl erwartet."))
                ok = False
        if not ok:
            return 0.0, 0.0
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            message = _(
                "Die Koordinaten %(lat)s, %(lon)s liegen außerhalb des gültigen Bereichs "
                "(Breite −90 bis 90, Länge −180 bis 180)."
            ) % {"lat": lat, "lon": lon}
            if own:
                self.error(path, message)
                return 0.0, 0.0
            pc = geo.postcode(postcode) if postcode else None
            if pc is not None:
                self.warn(
                    path,
                    message
                    + " "
                    + _("Die Mitte der Postleitzahl %(plz)s wird verwendet.") % {"plz": postcode},
                )
                return pc.lat, pc.lon
            # A place that cannot be put on a map is not taken over (never stored with impossible
            # coordinates); its offers are imported without it.
            self.warn(path, message + " " + _("Der Ort wird nicht übernommen."))
            return None
        return float(lat), float(lon)

    def accessibility(self, obj: dict, path: str, own: bool) -> tuple[list[str], str]:
        keys: list[str] = []
        notes: list[str] = []
        for rec, p in self.records(obj, "accessibility", path):
            ext = self.extension(rec, p)
            if ext is not None:
                key = ext.get("key")
                if key not in vocabulary.ACCESSIBILITY:
                    self.error(
                        f"{p}.{EXTENSION}.key",
                        _("Unbekanntes Merkmal der Barrierefreiheit „%(value)s“.") % {"value": key},
                    )
                elif key not in keys:
                    keys.append(key)
                self.unmapped(rec, {"id", "location_id", "description", EXTENSION}, p)
                continue
            self.unmapped(rec, {"id", "location_id", "description", "details"}, p)
            text = "\n".join(
                t
                for t in (self.text(rec, "description", p, own), self.text(rec, "details", p, own))
                if t
            )
            if text:
                notes.append(text)
        return keys, "\n\n".join(notes)

    def read_service(self, obj: dict, path: str, owner: uuid.UUID | None) -> None:
        ext = self.extension(obj, path)
        own = ext is not None
        ext = ext or {}
        xp = f"{path}.{EXTENSION}"
        sid = self.ident(obj.get("id"), "service", f"{path}.id", own)
        self.unmapped(obj, SERVICE_FIELDS, path)
        self.check_owner(obj, "organization_id", owner, path)
        if isinstance(obj.get("organization"), dict):
            self.check_owner(obj["organization"], "id", owner, f"{path}.organization")
        name = self.text(obj, "name", path, own, required=True)
        description = self.text(obj, "description", path, own)
        status = obj.get("status")
        if status not in HSDS_STATUSES:
            self.error(
                f"{path}.status",
                _("Unbekannter Status „%(value)s“ (erwartet: %(allowed)s).")
                % {"value": status, "allowed": ", ".join(HSDS_STATUSES)},
            )
        if own:
            our_status = ext.get("status")
            if our_status not in dict(Offer.STATUS_CHOICES):
                self.error(
                    f"{xp}.status", _("Unbekannter Status „%(value)s“.") % {"value": our_status}
                )
            elif status in HSDS_STATUSES and STATUS_TO_HSDS[our_status] != status:
                # The HSDS field was changed after the export: it wins.
                our_status = Offer.PUBLISHED if status == "active" else Offer.INACTIVE
            modes = ext.get("modes") or []
            if not isinstance(modes, list) or any(m not in vocabulary.MODES for m in modes):
                self.error(
                    f"{xp}.modes",
                    _("Unbekannte Form „%(value)s“ (erwartet: %(allowed)s).")
                    % {"value": modes, "allowed": ", ".join(vocabulary.MODES)},
                )
                modes = []
            is_free = self.boolean(ext.get("is_free"), f"{xp}.is_free", True)
            rnd = self.funding_round(
                ext.get("funding_round"), f"{xp}.funding_round", required=False
            )
        else:
            our_status = Offer.PUBLISHED if status == "active" else Offer.INACTIVE
            if status in ("defunct", "temporarily closed"):
                self.warn(
                    f"{path}.status",
                    _("Status „%(value)s“ wird als „eingestellt“ übernommen.") % {"value": status},
                )
            modes = []
            is_free = self.costs(obj, path)
            rnd = None
            for _rec, p in self.records(obj, "funding", path):
                self.warn(
                    p, _("Angaben zur Finanzierung werden nicht übernommen (keine Förderrunde).")
                )
        contact_name = ""
        contacts = self.records(obj, "contacts", path)
        if contacts:
            rec, p = contacts[0]
            contact_name = self.text(rec, "name", p, own, max_length=120)
            self.unmapped(rec, {"id", "service_id", "name"}, p)
            for _rec, extra in contacts[1:]:
                self.warn(extra, _("Nur eine Ansprechperson wird übernommen."))
        offer = Offer(
            id=sid,
            organisation_id=owner,
            funding_round=rnd,
            name=self.merge_texts(name, self.translations(ext.get("name"), f"{xp}.name")),
            description=self.merge_texts(
                description, self.translations(ext.get("description"), f"{xp}.description")
            ),
            themes=self.themes(obj, path, own),
            languages=self.languages(obj, path, own),
            modes=list(modes),
            is_free=is_free,
            cost_note=self.text(obj, "fees_description", path, own, max_length=300),
            contact_name=contact_name,
            email=self.email(obj, "email", path, own),
            phone=self.phone(obj, path, own),
            website=self.url(obj, "url", path, own),
            appointment_only=self.boolean(
                ext.get("appointment_only"), f"{xp}.appointment_only", False
            ),
            hours_note=self.text(ext, "hours_note", xp, own, max_length=300),
            status=our_status,
            last_verified=self.date(obj.get("assured_date"), f"{path}.assured_date"),
        )
        program = None
        program_id = obj.get("program_id")
        if program_id in (None, "") and isinstance(obj.get("program"), dict):
            program_id = obj["program"].get("id")
        if program_id not in (None, ""):
            pid = self.ident(program_id, "program", f"{path}.program_id", own)
            if pid is not None:
                program = _Ref(pid, f"{path}.program_id", own)
        schedules = self.records(obj, "schedules", path)
        hours = self.schedules(schedules, own)
        schedule_ids = {str(rec.get("id")) for rec, _p in schedules}
        locations = []
        for rec, p in self.records(obj, "service_at_locations", path):
            ref = self.placement(rec, p, owner, own, sid, schedule_ids)
            if ref is not None:
                if any(r.id == ref.id for r in locations):
                    self.unfit(p, _("Der Ort ist dem Angebot schon zugeordnet."), own)
                else:
                    locations.append(ref)
        if sid is not None:
            if sid in self.offers:
                self.error(f"{path}.id", _("Die ID %(id)s kommt doppelt vor.") % {"id": sid})
            else:
                self.offers[sid] = _OfferPlan(offer, program, locations, hours, path, own)

    def costs(self, obj: dict, path: str) -> bool:
        """Free unless a cost option has an amount, or there is only a text about fees."""
        options = self.records(obj, "cost_options", path)
        paid = False
        free = False
        for rec, p in options:
            amount = rec.get("amount")
            if isinstance(amount, int | float) and not isinstance(amount, bool) and amount == 0:
                free = True
                continue
            paid = True
            self.warn(
                p,
                _(
                    "Kostenoption „%(option)s“ (%(amount)s %(currency)s) wird nicht einzeln "
                    "übernommen; das Angebot gilt als kostenpflichtig."
                )
                % {
                    "option": rec.get("option") or "",
                    "amount": amount if amount is not None else "",
                    "currency": rec.get("currency") or "",
                },
            )
        if paid:
            return False
        if free:
            return True
        return not obj.get("fees_description")

    def themes(self, obj: dict, path: str, own: bool) -> list[str]:
        by_term = {str(theme_term_id(k)): k for k in vocabulary.THEMES}
        themes: list[str] = []
        for rec, p in self.records(obj, "attributes", path):
            term = rec.get("taxonomy_term") if isinstance(rec.get("taxonomy_term"), dict) else {}
            detail = (
                term.get("taxonomy_detail") if isinstance(term.get("taxonomy_detail"), dict) else {}
            )
            taxonomy = term.get("taxonomy") or detail.get("name")
            if taxonomy == THEME_TAXONOMY:
                key = term.get("code")
                if key not in vocabulary.THEMES:
                    self.error(
                        f"{p}.taxonomy_term.code",
                        _("Unbekanntes Thema „%(value)s“ (erwartet: %(allowed)s).")
                        % {"value": key, "allowed": ", ".join(vocabulary.THEMES)},
                    )
                    continue
            elif str(rec.get("taxonomy_term_id")) in by_term:
                key = by_term[str(rec["taxonomy_term_id"])]
            else:
                self.warn(
                    p,
                    _(
                        "Merkmal aus der Taxonomie „%(taxonomy)s“ wird nicht übernommen; "
                        "Themen kommen aus „%(ours)s“."
                    )
                    % {"taxonomy": taxonomy or "?", "ours": THEME_TAXONOMY},
                )
                continue
            if key not in themes:
                themes.append(key)
        if not themes and not own:
            self.warn(
                f"{path}.attributes",
                _("Kein Thema aus „%(ours)s“: das Angebot erscheint in keinem Themenfilter.")
                % {"ours": THEME_TAXONOMY},
            )
        return themes

    def languages(self, obj: dict, path: str, own: bool) -> list[str]:
        codes: list[str] = []
        for rec, p in self.records(obj, "languages", path):
            self.unmapped(rec, {"id", "service_id", "code", "name"}, p)
            code = rec.get("code")
            if code in (None, ""):
                found = _language_by_name(rec.get("name"))
                if found is None:
                    self.unfit(p, _("Sprache ohne Code wird nicht übernommen."), own)
                    continue
                self.warn(
                    p,
                    _("Sprachcode „%(code)s“ aus dem Namen „%(name)s“ bestimmt.")
                    % {"code": found, "name": rec.get("name")},
                )
                code = found
            if not isinstance(code, str) or not is_language_code(code.lower()):
                self.error(
                    f"{p}.code",
                    _("„%(value)s“ ist kein Sprachcode nach ISO 639.") % {"value": code},
                )
                continue
            code = _short_language_code(code.lower())
            if code not in codes:
                codes.append(code)
        return codes

    def schedules(
        self, schedules: list[tuple[dict, str]], own: bool
    ) -> list[tuple[int, dt.time, dt.time]]:
        hours: list[tuple[int, dt.time, dt.time]] = []
        for rec, p in schedules:
            self.unmapped(rec, SCHEDULE_FIELDS, p)
            if rec.get("freq") not in (None, "WEEKLY") or rec.get("interval") not in (None, 1):
                self.unfit(
                    p,
                    _(
                        "Nur wöchentliche Öffnungszeiten (freq WEEKLY, interval 1) "
                        "werden übernommen."
                    ),
                    own,
                )
                continue
            byday = rec.get("byday")
            if not byday or rec.get("opens_at") is None or rec.get("closes_at") is None:
                self.unfit(
                    p,
                    _("Öffnungszeit ohne Wochentag, Beginn oder Ende wird nicht übernommen."),
                    own,
                )
                continue
            codes = [c.strip().upper() for c in str(byday).split(",")]
            unknown = [c for c in codes if c not in DAY_CODES]
            if unknown:
                self.unfit(
                    f"{p}.byday",
                    _("Unbekannter Wochentag „%(value)s“ (erwartet: MO bis SU).")
                    % {"value": unknown[0]},
                    own,
                )
                continue
            opens = self.time(rec, "opens_at", p, own)
            closes = self.time(rec, "closes_at", p, own)
            if opens is None or closes is None:
                continue
            if closes <= opens:
                self.unfit(p, _("Das Ende liegt nicht nach dem Beginn."), own)
                continue
            for code in codes:
                entry = (DAY_CODES[code], opens, closes)
                if entry not in hours:
                    hours.append(entry)
        return hours

    def time(self, rec: dict, key: str, path: str, own: bool) -> dt.time | None:
        value = rec.get(key)
        if value is None:
            return None
        match = _TIME.match(value) if isinstance(value, str) else None
        if match is None or int(match[1]) > 23 or int(match[2]) > 59 or int(match[3] or 0) > 59:
            self.error(
                f"{path}.{key}",
                _("„%(value)s“ ist keine Uhrzeit der Form HH:MM.") % {"value": value},
            )
            return None
        if match[4]:
            self.unfit(
                f"{path}.{key}",
                _("Die Zeitzone „%(tz)s“ wird nicht übernommen; Zeiten gelten als Ortszeit.")
                % {"tz": match[4]},
                own,
            )
        return dt.time(int(match[1]), int(match[2]), int(match[3] or 0))

    def placement(
        self,
        rec: dict,
        path: str,
        owner: uuid.UUID | None,
        own: bool,
        sid: uuid.UUID | None,
        schedule_ids: set[str],
    ) -> _Ref | None:
        known = {"id", "service_id", "location_id", "location", "schedules"}
        self.unmapped(rec, known, path)
        if (
            rec.get("service_id") not in (None, "")
            and sid is not None
            and str(rec["service_id"]) != str(sid)
        ):
            self.error(f"{path}.service_id", _("Verweist auf ein anderes Angebot."))
        for sched, p in self.records(rec, "schedules", path):
            if str(sched.get("id")) not in schedule_ids:
                self.warn(
                    p, _("Öffnungszeiten je Ort werden nicht übernommen (sie gelten je Angebot).")
                )
        embedded = rec.get("location") if isinstance(rec.get("location"), dict) else None
        ref = rec.get("location_id")
        if ref in (None, "") and embedded is not None:
            ref = embedded.get("id")
        if ref in (None, ""):
            self.error(f"{path}.location_id", _("Der Verweis auf den Ort fehlt."))
            return None
        lid = self.ident(ref, "location", f"{path}.location_id", own)
        if lid is None:
            return None
        if embedded is not None and lid not in self.locations and lid not in self.dropped_locations:
            self.read_location(embedded, f"{path}.location", owner)
        return _Ref(lid, f"{path}.location_id", own)

    # -- references -----------------------------------------------------------------------------

    def resolve(self) -> None:
        wanted_orgs: set[uuid.UUID] = set()
        for plan in self.orgs.values():
            if plan.parent:
                wanted_orgs.add(plan.parent.id)
        for pp in self.projects.values():
            wanted_orgs.update(ref.id for ref, _role in pp.partners)
        db_orgs = set(
            Organisation.objects.filter(id__in=wanted_orgs - set(self.orgs)).values_list(
                "id", flat=True
            )
        )
        known_orgs = set(self.orgs) | db_orgs
        for plan in self.orgs.values():
            ref = plan.parent
            if ref is None:
                continue
            if ref.id in known_orgs:
                plan.org.parent_id = ref.id
            else:
                self.unfit(
                    ref.path,
                    _("Die Hauptorganisation %(id)s gibt es weder im Dokument noch im Verzeichnis.")
                    % {"id": ref.id},
                    ref.own,
                )
        self.check_cycles()
        regions = {
            ags
            for ags in Region.objects.filter(
                ags__in={a for pp in self.projects.values() for a in pp.regions}
            ).values_list("ags", flat=True)
        }
        for pp in self.projects.values():
            seen = set()
            for ref, _role in pp.partners:
                if ref.id not in known_orgs:
                    self.error(
                        ref.path,
                        _("Die Organisation %(id)s gibt es weder im Dokument noch im Verzeichnis.")
                        % {"id": ref.id},
                    )
                elif ref.id in seen:
                    self.error(ref.path, _("Die Organisation ist schon Partner des Projekts."))
                seen.add(ref.id)
            for i, ags in enumerate(pp.regions):
                if ags not in regions:
                    self.error(
                        f"{pp.path}.{EXTENSION}.regions[{i}]",
                        _("Unbekannte Region „%(value)s“.") % {"value": ags},
                    )
        wanted_projects = {
            op.program.id
            for op in self.offers.values()
            if op.program and op.program.id not in self.projects
        }
        db_projects = set(
            Project.objects.filter(id__in=wanted_projects).values_list("id", flat=True)
        )
        wanted_locations = {
            ref.id
            for op in self.offers.values()
            for ref in op.locations
            if ref.id not in self.locations
        }
        self.db_locations = {
            loc.id: loc
            for loc in Location.objects.filter(id__in=wanted_locations - self.dropped_locations)
        }
        for op in self.offers.values():
            if op.program is not None:
                ref = op.program
                if ref.id in self.projects or ref.id in db_projects:
                    op.offer.project_id = ref.id
                elif ref.id in self.dropped_programs:
                    self.warn(ref.path, _("Das Angebot wird ohne Projekt übernommen."))
                else:
                    self.unfit(
                        ref.path,
                        _("Das Projekt %(id)s gibt es weder im Dokument noch im Verzeichnis.")
                        % {"id": ref.id},
                        ref.own,
                    )
            kept = []
            for ref in op.locations:
                if ref.id in self.locations or ref.id in self.db_locations:
                    kept.append(ref)
                elif ref.id in self.dropped_locations:
                    self.warn(
                        ref.path, _("Der Ort wurde nicht übernommen; das Angebot bleibt ohne ihn.")
                    )
                else:
                    self.unfit(
                        ref.path,
                        _("Den Ort %(id)s gibt es weder im Dokument noch im Verzeichnis.")
                        % {"id": ref.id},
                        ref.own,
                    )
            op.locations = kept
            if not op.own:
                # HSDS has no delivery mode; a service at a place is given there.
                op.offer.modes = ["in_person"] if kept else []

    def check_cycles(self) -> None:
        for start, plan in self.orgs.items():
            seen = {start}
            current = plan.org.parent_id
            while current is not None and current in self.orgs:
                if current in seen:
                    self.error(
                        f"{plan.path}.parent_organization_id",
                        _("Die Hauptorganisationen bilden einen Kreis."),
                    )
                    break
                seen.add(current)
                current = self.orgs[current].org.parent_id

    # -- writing --------------------------------------------------------------------------------

    def write(self, progress: Callable[[str], None]) -> ImportSummary:
        orgs = [p.org for p in self.orgs.values()]
        projects = [p.project for p in self.projects.values()]
        locations = list(self.locations.values())
        offer_plans = list(self.offers.values())
        offers = [p.offer for p in offer_plans]
        progress(f"locating {len(locations)} places …")
        services.locate_many(locations)
        org_names = {o.id: o.name for o in orgs}
        places = {**self.db_locations, **self.locations}
        for plan in offer_plans:
            o = plan.offer
            first = places[plan.locations[0].id] if plan.locations else None
            rnd = o.funding_round
            services.refresh_derived(
                o,
                organisation_name=org_names[o.organisation_id],
                programme_name=pick(rnd.programme.name, "de") if rnd else "",
                location=first,
            )
        with transaction.atomic():
            existing_orgs = _existing(Organisation, self.orgs)
            existing_projects = _existing(Project, self.projects)
            existing_locs = _existing(Location, self.locations)
            existing_offers = _existing(Offer, self.offers)
            updated = sum(
                map(len, (existing_orgs, existing_projects, existing_locs, existing_offers))
            )
            _upsert(Organisation, sorted(orgs, key=self.depth))
            _upsert(Project, projects)
            through = Project.regions.through
            _delete(ProjectPartner, "project_id", existing_projects)
            _delete(through, "project_id", existing_projects)
            ProjectPartner.objects.bulk_create(
                (
                    ProjectPartner(project_id=pp.project.id, organisation_id=ref.id, role=role)
                    for pp in self.projects.values()
                    for ref, role in pp.partners
                ),
                batch_size=BATCH,
            )
            through.objects.bulk_create(
                (
                    through(project_id=pp.project.id, region_id=ags)
                    for pp in self.projects.values()
                    for ags in dict.fromkeys(pp.regions)
                ),
                batch_size=BATCH,
            )
            _upsert(Location, locations)
            _upsert(Offer, offers)
            _delete(OfferLocation, "offer_id", existing_offers)
            _delete(OpeningHours, "offer_id", existing_offers)
            OfferLocation.objects.bulk_create(
                (
                    OfferLocation(offer_id=plan.offer.id, location_id=ref.id, position=i)
                    for plan in offer_plans
                    for i, ref in enumerate(plan.locations)
                ),
                batch_size=BATCH,
            )
            hours = [
                OpeningHours(offer_id=plan.offer.id, weekday=d, opens=a, closes=b)
                for plan in offer_plans
                for d, a, b in plan.hours
            ]
            OpeningHours.objects.bulk_create(hours, batch_size=BATCH)
            search.index_offers((o.id, o.search_document) for o in offers)
            self.refresh_others(existing_orgs, existing_locs)
        progress(f"imported {len(offers)} offers of {len(orgs)} organisations")
        counts = {
            "organisations": len(orgs),
            "projects": len(projects),
            "locations": len(locations),
            "offers": len(offers),
            "opening_hours": len(hours),
            "updated": updated,
            "warnings": len(self.warnings),
        }
        return ImportSummary(counts, self.warnings)

    def depth(self, org: Organisation) -> int:
        depth, current = 0, org.parent_id
        while current in self.orgs and depth < len(self.orgs):
            depth += 1
            current = self.orgs[current].org.parent_id
        return depth

    def refresh_others(self, orgs: set[uuid.UUID], locations: set[uuid.UUID]) -> None:
        """Offers outside the document whose organisation or place was updated."""
        if not orgs and not locations:
            return
        others = (
            Offer.objects.filter(Q(organisation__in=orgs) | Q(placements__location__in=locations))
            .select_related("organisation", "funding_round__programme")
            .distinct()
        )
        stale = [o for o in others if o.id not in self.offers]
        if stale:
            services.offer_refresh_index(stale)


def _is_service(obj: dict) -> bool:
    return "status" in obj or isinstance(obj.get("organization"), dict)


def _language_by_name(name: Any) -> str | None:
    if not isinstance(name, str) or not name.strip():
        return None
    try:
        lang = pycountry.languages.lookup(name.strip())
    except LookupError:
        return None
    return getattr(lang, "alpha_2", None) or lang.alpha_3


def _short_language_code(code: str) -> str:
    """ISO 639-1 where there is one (``deu`` -> ``de``), as the search filter uses them."""
    if len(code) == 3:
        lang = pycountry.languages.get(alpha_3=code)
        if lang is not None and getattr(lang, "alpha_2", None):
            return lang.alpha_2
    return code


def _chunks(ids: Iterable[uuid.UUID], size: int = 500) -> Iterable[list[uuid.UUID]]:
    ids = list(ids)
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _existing(model, ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    found: set[uuid.UUID] = set()
    for chunk in _chunks(ids):
        found.update(model.objects.filter(pk__in=chunk).values_list("pk", flat=True))
    return found


def _delete(model, column: str, ids: Iterable[uuid.UUID]) -> None:
    for chunk in _chunks(ids):
        model.objects.filter(**{f"{column}__in": chunk}).delete()


def _upsert(model, objects: list) -> None:
    """Create the objects, or update every column of those whose id exists."""
    fields = [f.name for f in model._meta.concrete_fields if not f.primary_key]
    model.objects.bulk_create(
        objects, batch_size=BATCH, update_conflicts=True, unique_fields=["id"], update_fields=fields
    )


def import_document(doc: Any, *, progress: Callable[[str], None] | None = None) -> ImportSummary:
    """Check the whole document, then create or update everything in one transaction.

    Raises :class:`HSDSImportError` with every error (and writes nothing) when the document has
    any. Returns the counts with the warnings about what could not be taken over.
    """
    say = progress or (lambda _msg: None)
    reader = _Reader()
    reader.read(doc)
    if reader.errors:
        raise HSDSImportError(reader.errors)
    say(
        f"checked {len(reader.orgs)} organisations, {len(reader.projects)} projects, "
        f"{len(reader.locations)} places, {len(reader.offers)} offers "
        f"({len(reader.warnings)} warnings)"
    )
    return reader.write(say)

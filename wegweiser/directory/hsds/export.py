"""The directory as one HSDS 3.0 document (docs/hsds.md, "The HSDS document").

Each organization carries its ``programs`` (our funded projects, where it is the carrier),
``services`` (our offers) and ``locations``; what HSDS has no field for is kept in the extension
``x_wegweiser``. Lists of objects are sorted by id, lists whose order means something keep it, so
two exports of the same data are identical.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.utils import translation

from wegweiser.core.i18n import pick
from wegweiser.core.languages import language_label
from wegweiser.directory import vocabulary
from wegweiser.directory.hsds.opening_hours import schedules_of
from wegweiser.directory.hsds.profile import (
    EXTENSION,
    HSDS_VERSION,
    PROFILE,
    STATUS_TO_HSDS,
    THEME_TAXONOMY,
    THEME_TAXONOMY_ID,
    child_id,
    primary,
    put,
    round_key,
    theme_term_id,
)
from wegweiser.directory.models import Location, Offer
from wegweiser.organisations.models import Organisation
from wegweiser.programmes.models import Project


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
            "description": primary(org.description),
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
        put(d, "alternate_name", org.alternate_name)
        put(d, "email", org.email)
        put(d, "website", org.website)
        if org.phone:
            d["phones"] = [
                {"id": child_id(org.id, "phone"), "organization_id": oid, "number": org.phone}
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
            "description": primary(p.description),
            EXTENSION: {
                "description": dict(p.description or {}),
                "funding_round": round_key(p.funding_round),
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
                "id": child_id(loc.id, f"accessibility/{key}"),
                "location_id": lid,
                "description": str(vocabulary.ACCESSIBILITY.get(key, key)),
                EXTENSION: {"key": key},
            }
            for key in loc.accessibility or []
        ]
        if loc.accessibility_note:
            accessibility.append(
                {
                    "id": child_id(loc.id, "accessibility/note"),
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
                    "id": child_id(loc.id, "address"),
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
        put(d, "name", loc.name)
        put(d, "transportation", loc.transportation)
        return d

    def service(self, o: Offer) -> dict:
        sid = str(o.id)
        d: dict[str, Any] = {
            "id": sid,
            "organization_id": str(o.organisation_id),
            "name": primary(o.name),
            "description": primary(o.description),
            "status": STATUS_TO_HSDS[o.status],
            "languages": [
                {
                    "id": child_id(o.id, f"language/{code}"),
                    "service_id": sid,
                    "code": code,
                    "name": language_label(code),
                }
                for code in o.languages
            ],
            "attributes": [self.theme(o, key) for key in o.themes],
            "schedules": schedules_of(o),
            "service_at_locations": [
                {
                    "id": child_id(o.id, f"location/{p.location_id}"),
                    "service_id": sid,
                    "location_id": str(p.location_id),
                }
                for p in sorted(o.placements.all(), key=lambda p: (p.position, str(p.location_id)))
            ],
            EXTENSION: {
                "name": dict(o.name or {}),
                "description": dict(o.description or {}),
                "funding_round": round_key(o.funding_round),
                "modes": list(o.modes),
                "is_free": o.is_free,
                "appointment_only": o.appointment_only,
                "hours_note": o.hours_note,
                "status": o.status,
            },
        }
        if o.project_id:
            d["program_id"] = str(o.project_id)
        put(d, "url", o.website)
        put(d, "email", o.email)
        put(d, "fees_description", o.cost_note)
        if o.last_verified:
            d["assured_date"] = o.last_verified.isoformat()
        if o.is_free:
            d["cost_options"] = [
                {
                    "id": child_id(o.id, "cost/free"),
                    "service_id": sid,
                    "option": "kostenlos",
                    "amount": 0,
                    "currency": "EUR",
                }
            ]
        if o.phone:
            d["phones"] = [{"id": child_id(o.id, "phone"), "service_id": sid, "number": o.phone}]
        if o.contact_name:
            d["contacts"] = [
                {"id": child_id(o.id, "contact"), "service_id": sid, "name": o.contact_name}
            ]
        if o.funding_round is not None:
            programme = pick(o.funding_round.programme.name, "de")
            d["funding"] = [
                {
                    "id": child_id(o.id, "funding"),
                    "service_id": sid,
                    "source": f"{programme} ({round_key(o.funding_round)})",
                }
            ]
        return d

    @staticmethod
    def theme(o: Offer, key: str) -> dict:
        term = str(theme_term_id(key))
        label = str(vocabulary.THEMES.get(key, key))
        return {
            "id": child_id(o.id, f"theme/{key}"),
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

"""The one writer of the CSV and the HSDS import: checked objects in, one transaction out.

Both imports first read and check everything into unsaved model objects (an
:class:`ImportBatch`); only a batch without errors comes here. :func:`write_batch` derives the
Kreis of every place from its coordinates and the search columns of every offer, then creates
or updates everything in one transaction (all or nothing): objects are matched by id, an
existing project's partners and regions and an existing offer's places and opening hours are
replaced by the batch's, nothing is deleted. Offers outside the batch whose organisation or place
was updated get their search columns refreshed too. Each organisation, project, place and offer
written gets one entry in the audit log (created or changed, and the import it came from).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q

from wegweiser.audit.models import AuditAction
from wegweiser.core import shared
from wegweiser.core.i18n import pick
from wegweiser.directory import search, services
from wegweiser.directory.models import Location, Offer, OpeningHours
from wegweiser.directory.opening_hours import Hours
from wegweiser.organisations.models import Organisation
from wegweiser.programmes.models import Project

BATCH = 1000
#: The rows between offers and places, projects and partners, projects and regions.
OfferLocation = Offer.locations.through
ProjectPartner = Project.partners.through
ProjectRegion = Project.regions.through


@dataclass
class ProjectRecord:
    project: Project
    #: ``(organisation id, role)`` of the partners in the Verbund
    partners: list[tuple[uuid.UUID, str]] = field(default_factory=list)
    #: AGS keys of the regions served
    regions: list[str] = field(default_factory=list)


@dataclass
class OfferRecord:
    offer: Offer
    #: The offer's places in order (the first is used for distance): in the batch or stored.
    places: list[Location] = field(default_factory=list)
    hours: list[Hours] = field(default_factory=list)


@dataclass
class ImportBatch:
    """What one import writes. ``source`` names the import in the audit log."""

    source: str
    #: Organisations to create or update, parents before their branches.
    organisations: list[Organisation] = field(default_factory=list)
    projects: list[ProjectRecord] = field(default_factory=list)
    #: Places to create or update (places only referred to are in :attr:`OfferRecord.places`).
    locations: list[Location] = field(default_factory=list)
    offers: list[OfferRecord] = field(default_factory=list)


def write_batch(
    batch: ImportBatch, *, by, progress: Callable[[str], None] = lambda _msg: None
) -> dict[str, int]:
    """Write ``batch`` (checked, without errors) in one transaction; returns the counts:
    organisations, projects, locations, offers, opening hours and how many already existed."""
    progress(f"locating {len(batch.locations)} places …")
    services.locate_many(batch.locations)
    owners = _owners(batch)
    for rec in batch.offers:
        o, rnd = rec.offer, rec.offer.funding_round
        services.refresh_derived(
            o,
            organisation_name=owners[o.organisation_id].name,
            programme_name=pick(rnd.programme.name, "de") if rnd else "",
            location=rec.places[0] if rec.places else None,
        )
    offers = [rec.offer for rec in batch.offers]
    projects = [rec.project for rec in batch.projects]
    with transaction.atomic():
        existing = {
            Organisation: _existing(Organisation, batch.organisations),
            Project: _existing(Project, projects),
            Location: _existing(Location, batch.locations),
            Offer: _existing(Offer, offers),
        }
        _upsert(Organisation, batch.organisations)
        _upsert(Project, projects)
        _delete(ProjectPartner, "project_id", existing[Project])
        _delete(ProjectRegion, "project_id", existing[Project])
        ProjectPartner.objects.bulk_create(
            (
                ProjectPartner(project_id=rec.project.id, organisation_id=org_id, role=role)
                for rec in batch.projects
                for org_id, role in rec.partners
            ),
            batch_size=BATCH,
        )
        ProjectRegion.objects.bulk_create(
            (
                ProjectRegion(project_id=rec.project.id, region_id=ags)
                for rec in batch.projects
                for ags in dict.fromkeys(rec.regions)
            ),
            batch_size=BATCH,
        )
        _upsert(Location, batch.locations)
        _upsert(Offer, offers)
        _delete(OfferLocation, "offer_id", existing[Offer])
        _delete(OpeningHours, "offer_id", existing[Offer])
        OfferLocation.objects.bulk_create(
            (
                OfferLocation(offer_id=rec.offer.id, location_id=loc.id, position=i)
                for rec in batch.offers
                for i, loc in enumerate(rec.places)
            ),
            batch_size=BATCH,
        )
        hours = [
            OpeningHours(offer_id=rec.offer.id, weekday=d, opens=a, closes=b)
            for rec in batch.offers
            for d, a, b in rec.hours
        ]
        OpeningHours.objects.bulk_create(hours, batch_size=BATCH)
        search.index_offers((o.id, o.search_document) for o in offers)
        _refresh_others(existing[Organisation], existing[Location], {o.id for o in offers})
        _audit(batch, by, owners, existing)
        shared.forget_all()  # bulk writes send no signals (core/shared.py)
    progress(f"imported {len(offers)} offers of {len(owners)} organisations")
    return {
        "organisations": len(batch.organisations),
        "projects": len(projects),
        "locations": len(batch.locations),
        "offers": len(offers),
        "opening_hours": len(hours),
        "updated": sum(map(len, existing.values())),
    }


def _owners(batch: ImportBatch) -> dict[uuid.UUID, Organisation]:
    """Every organisation the batch writes or writes for, by id (one query for stored ones)."""
    owners = {o.id: o for o in batch.organisations}
    wanted = {rec.offer.organisation_id for rec in batch.offers}
    wanted |= {loc.organisation_id for loc in batch.locations}
    wanted |= {rec.project.carrier_id for rec in batch.projects}
    owners |= Organisation.objects.in_bulk(wanted - set(owners))
    return owners


def _audit(batch: ImportBatch, by, owners: dict, existing: dict) -> None:
    written = [
        *((o, o.id) for o in batch.organisations),
        *((rec.project, rec.project.carrier_id) for rec in batch.projects),
        *((loc, loc.organisation_id) for loc in batch.locations),
        *((rec.offer, rec.offer.organisation_id) for rec in batch.offers),
    ]
    for obj, owner in written:
        action = AuditAction.UPDATE if obj.id in existing[type(obj)] else AuditAction.CREATE
        services.record(by, action, obj, owners[owner], {"imported_from": batch.source})


def _refresh_others(orgs: set[uuid.UUID], locations: set[uuid.UUID], done: set[uuid.UUID]) -> None:
    """Offers outside the batch whose organisation or place was updated."""
    if not orgs and not locations:
        return
    others = (
        Offer.objects.filter(Q(organisation__in=orgs) | Q(placements__location__in=locations))
        .select_related("organisation", "funding_round__programme")
        .distinct()
    )
    stale = [o for o in others if o.id not in done]
    if stale:
        services.offer_refresh_index(stale)


def _chunks(ids: Iterable[uuid.UUID], size: int = 500) -> Iterable[list[uuid.UUID]]:
    ids = list(ids)
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _existing(model, objects: Iterable) -> set[uuid.UUID]:
    found: set[uuid.UUID] = set()
    for chunk in _chunks(o.id for o in objects):
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

"""Writes to the directory. Every change to an offer goes through here, so that the derived
search columns and the text index stay in step with what a person reads.

Every write takes ``by``: the acting user, or :data:`SYSTEM` (``None``) for the system itself (the
management commands ``import_offers`` and ``import_hsds``, a shell). A user's write is checked
against the permissions table (deny by default: ``offer.*`` in the offer's organisation); the
system may do everything. Every write is recorded in the audit log like the case writes: actor
(empty for the system), organisation, action and the object's id, in ``detail`` only field names
and values from fixed lists (``cases/audit.py``), never a text. Bulk imports write through
``import_writer``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from wegweiser.accounts.permissions import user_can, user_can_anywhere
from wegweiser.audit.models import AuditAction
from wegweiser.audit.services import audit
from wegweiser.core import geo
from wegweiser.core.i18n import pick
from wegweiser.core.shared import forget_all
from wegweiser.directory import search, vocabulary
from wegweiser.directory.models import Location, Offer, OpeningHours
from wegweiser.directory.opening_hours import Hours
from wegweiser.directory.validation import OFFER_FIELDS, OfferInput, place_point
from wegweiser.organisations.models import Organisation

#: ``by=SYSTEM``: the platform itself acts (command line, imports started by an operator). It
#: needs no role and is stored as an empty actor in the audit log.
SYSTEM = None

#: The fields of an offer whose change an update names in the audit log (names, not values).
TRACKED_FIELDS = ("organisation", "project", "funding_round", "status", *OFFER_FIELDS)


def require(by, organisation, action: str) -> None:
    """Deny by default: a user needs a role granting ``action`` in ``organisation``."""
    if by is not SYSTEM and not user_can(by, organisation, action):
        raise PermissionDenied


def require_platform_admin(by) -> None:
    """Writes of organisations and projects (the HSDS import): platform administrators only."""
    if by is not SYSTEM and not user_can_anywhere(by, "accounts.organisation_create"):
        raise PermissionDenied


def record(by, action: str, obj, organisation, detail: dict[str, Any] | None = None) -> None:
    """One audit-log entry for a write to the directory."""
    audit(actor=by, organisation=organisation, action=action, obj=obj, detail=detail)


def locate(location: Location) -> Location:
    """Derive Kreis and Sonderstatusstadt of a place from its coordinates and town."""
    kreis = geo.kreis_at(location.lat, location.lon)
    location.region_id = kreis
    location.city_region_id = geo.sonderstatusstadt_for(location.city, kreis)
    return location


def locate_many(locations: Sequence[Location]) -> None:
    kreise = geo.kreise_at([(loc.lat, loc.lon) for loc in locations])
    for loc, kreis in zip(locations, kreise, strict=True):
        loc.region_id = kreis
        loc.city_region_id = geo.sonderstatusstadt_for(loc.city, kreis)


def _search_document(offer: Offer, organisation_name: str, programme_name: str, city: str) -> str:
    parts = [*offer.name.values(), *offer.description.values(), organisation_name, programme_name]
    parts += [str(vocabulary.THEMES[t]) for t in offer.themes if t in vocabulary.THEMES]
    parts.append(city)
    return "\n".join(p for p in parts if p)


def facets_of(offer: Offer) -> str:
    """``|t:theme|l:lang|m:mode|`` – matched with ``contains`` on every database."""
    tokens = [f"t:{t}" for t in offer.themes]
    tokens += [f"l:{lang}" for lang in offer.languages]
    tokens += [f"m:{m}" for m in offer.modes]
    if offer.is_free:
        tokens.append("free")
    return "|" + "|".join(tokens) + "|"


def refresh_derived(
    offer: Offer, *, organisation_name: str, programme_name: str, location: Location | None
) -> None:
    """Fill the derived columns of ``offer`` in memory (no query)."""
    offer.facets = facets_of(offer)
    offer.search_key = search.search_key(offer.id)
    offer.sort_name = (offer.name.get("de") or next(iter(offer.name.values()), "")).casefold()[:250]
    offer.search_document = _search_document(
        offer, organisation_name, programme_name, location.city if location else ""
    )
    if location is None:
        offer.lat = offer.lon = offer.region_id = offer.city_region_id = None
    else:
        offer.lat, offer.lon = location.lat, location.lon
        offer.region_id, offer.city_region_id = location.region_id, location.city_region_id


def _programme_name(offer: Offer) -> str:
    if offer.funding_round_id is None:
        return ""
    return pick(offer.funding_round.programme.name, "de")


def offer_refresh_index(offers: Iterable[Offer]) -> None:
    """Recompute derived columns and the text index for saved offers (after any change)."""
    offers = list(offers)
    for offer in offers:
        first = offer.placements.select_related("location").order_by("position").first()
        refresh_derived(
            offer,
            organisation_name=offer.organisation.name,
            programme_name=_programme_name(offer),
            location=first.location if first else None,
        )
    Offer.objects.bulk_update(
        offers,
        [
            "facets",
            "search_key",
            "sort_name",
            "search_document",
            "lat",
            "lon",
            "region",
            "city_region",
        ],
    )
    search.index_offers((o.id, o.search_document) for o in offers)


def _stored(offer: Offer) -> dict[str, Any] | None:
    """The tracked fields of ``offer`` as stored (None for a new offer)."""
    if offer._state.adding:
        return None
    names = [Offer._meta.get_field(f).attname for f in TRACKED_FIELDS]
    row = Offer.objects.filter(pk=offer.pk).values(*names).first()
    return None if row is None else dict(zip(TRACKED_FIELDS, row.values(), strict=True))


@transaction.atomic
def offer_save(
    offer: Offer,
    *,
    by,
    locations: Sequence[Location] | None = None,
    hours: Sequence[Hours] | None = None,
) -> Offer:
    """Create or update an offer (and, when given, its places in order and its opening hours)."""
    before = _stored(offer)
    require(by, offer.organisation, "offer.edit")
    if before is not None and before["organisation"] != offer.organisation_id:
        require(by, Organisation.objects.get(pk=before["organisation"]), "offer.edit")
    # The values were judged by validation.check_offer; the model's checks are the last guard.
    # Languages may be empty (as the CSV and HSDS imports always allowed), although the JSON
    # column is not ``blank``: the one validation decides (docs/directory.md).
    offer.full_clean(exclude=["search_document", "facets", "sort_name", "search_key", "languages"])
    offer.save()
    changed = []
    if before is not None:
        after = {f: getattr(offer, Offer._meta.get_field(f).attname) for f in TRACKED_FIELDS}
        changed = [f for f in TRACKED_FIELDS if before[f] != after[f]]
    if locations is not None:
        old = list(offer.placements.order_by("position").values_list("location_id", flat=True))
        if old != [loc.pk for loc in locations]:
            changed.append("locations")
        offer.placements.all().delete()
        for position, loc in enumerate(locations):
            offer.placements.create(location=loc, position=position)
    if hours is not None:
        old_hours = sorted(offer.opening_hours.values_list("weekday", "opens", "closes"))
        if old_hours != sorted(hours):
            changed.append("opening_hours")
        offer.opening_hours.all().delete()
        offer.opening_hours.bulk_create(
            [OpeningHours(offer=offer, weekday=d, opens=a, closes=b) for d, a, b in hours]
        )
    offer_refresh_index([offer])
    if before is None:
        record(by, AuditAction.CREATE, offer, offer.organisation)
    else:
        record(by, AuditAction.UPDATE, offer, offer.organisation, {"fields": changed})
    return offer


#: The fields of an offer the maintenance page edits; the others (from an import) stay.
EDITED_FIELDS = tuple(
    f for f in OFFER_FIELDS if f not in ("contact_name", "hours_note", "last_verified")
)


@transaction.atomic
def offer_edit(
    *, by, offer: Offer | None, organisation, funding_round, values: OfferInput
) -> Offer:
    """Create (``offer`` None, as a draft) or change an offer from the maintenance page's checked
    values (``validation.check_offer``).

    Changing the address creates a new place: places can be shared by several offers (and
    organisations) and must never move with one of them. Further places (from an import) stay.
    """
    require(by, organisation, "offer.edit")  # before a new place is made (offer_save asks again)
    offer = offer or Offer(status=Offer.DRAFT)
    offer.organisation = organisation
    offer.funding_round = funding_round
    values.apply_to(offer, EDITED_FIELDS)
    existing = [p.location for p in offer.placements.select_related("location")] if offer.pk else []
    locations = existing[1:]
    place = values.place
    if place is not None and place.has_address():
        address = (place.street, place.postcode, place.city)
        first = existing[0] if existing else None
        if first is not None and (first.street, first.postcode, first.city) == address:
            loc = first  # unchanged: keep the place (and its exact coordinates)
        else:
            lat, lon = place_point(place)
            loc = Location(organisation=organisation, lat=lat, lon=lon)
            loc.street, loc.postcode, loc.city = address
            location_save(loc, by=by)
        locations.insert(0, loc)
    return offer_save(offer, by=by, locations=locations, hours=values.hours)


@transaction.atomic
def location_save(location: Location, *, by) -> Location:
    """Create or change a place (the Django admin, a new address on the maintenance page):
    Kreis and Sonderstatusstadt from the coordinates, and the search columns of its offers.

    Who may is decided before: the admin's model permissions, ``offer.edit`` for
    :func:`offer_edit`."""
    adding = location._state.adding
    locate(location)
    location.save()
    offer_refresh_index(Offer.objects.filter(placements__location=location).distinct())
    action = AuditAction.CREATE if adding else AuditAction.UPDATE
    record(by, action, location, location.organisation)
    return location


@transaction.atomic
def location_delete(locations: Iterable[Location], *, by) -> None:
    """Delete places (the Django admin); their offers lose them and are indexed again."""
    locations = list(locations)
    affected = list(Offer.objects.filter(placements__location__in=locations).distinct())
    for loc in locations:
        record(by, AuditAction.ERASE, loc, loc.organisation)
        loc.delete()
    offer_refresh_index(affected)
    # the places' offers lose them without a signal the kept pages listen to (core.shared)
    forget_all()


def _status_change(offer: Offer, by, action: str, status: str) -> Offer:
    require(by, offer.organisation, action)
    offer.status = status
    offer.save(update_fields=["status", "updated_at"])
    record(by, AuditAction.TRANSITION, offer, offer.organisation, {"offer_status": status})
    return offer


@transaction.atomic
def offer_publish(offer: Offer, *, by) -> Offer:
    return _status_change(offer, by, "offer.publish", Offer.PUBLISHED)


@transaction.atomic
def offer_unpublish(offer: Offer, *, by) -> Offer:
    """Withdraw an offer: back to draft, no longer public (``offer.withdraw``)."""
    return _status_change(offer, by, "offer.withdraw", Offer.DRAFT)


@transaction.atomic
def offer_verify(offer: Offer, *, by, day: dt.date | None = None) -> Offer:
    """Record that the organisation has checked the offer is still correct."""
    require(by, offer.organisation, "offer.verify")
    offer.last_verified = day or timezone.localdate()
    offer.save(update_fields=["last_verified", "updated_at"])
    record(by, AuditAction.UPDATE, offer, offer.organisation, {"fields": ["last_verified"]})
    return offer


@transaction.atomic
def offer_delete(offer: Offer, *, by) -> None:
    require(by, offer.organisation, "offer.edit")
    record(by, AuditAction.ERASE, offer, offer.organisation)
    search.unindex_offers([offer.id])
    offer.delete()

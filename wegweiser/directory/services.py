"""Writes to the directory. Every change to an offer goes through here, so that the derived
search columns and the text index stay in step with what a person reads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from wegweiser.core import geo
from wegweiser.directory import search, vocabulary
from wegweiser.directory.models import Location, Offer


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
    from wegweiser.core.i18n import pick

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


@transaction.atomic
def offer_save(offer: Offer, *, locations: Sequence[Location] | None = None) -> Offer:
    """Create or update an offer (and, when given, its places in order)."""
    offer.full_clean(exclude=["search_document", "facets", "sort_name", "search_key"])
    offer.save()
    if locations is not None:
        offer.placements.all().delete()
        for position, loc in enumerate(locations):
            offer.placements.create(location=loc, position=position)
    offer_refresh_index([offer])
    return offer


def _require(by, offer: Offer, action: str) -> None:
    """Deny by default: ``by`` needs a role granting ``action`` in the offer's organisation."""
    from wegweiser.accounts.permissions import user_can

    if not user_can(by, offer.organisation, action):
        raise PermissionDenied


@transaction.atomic
def offer_publish(offer: Offer, *, by) -> Offer:
    _require(by, offer, "offer.publish")
    offer.status = Offer.PUBLISHED
    offer.save(update_fields=["status", "updated_at"])
    return offer


@transaction.atomic
def offer_unpublish(offer: Offer, *, by) -> Offer:
    """Withdraw an offer: back to draft, no longer public (``offer.withdraw``)."""
    _require(by, offer, "offer.withdraw")
    offer.status = Offer.DRAFT
    offer.save(update_fields=["status", "updated_at"])
    return offer


@transaction.atomic
def offer_verify(offer: Offer, *, by, day: dt.date | None = None) -> Offer:
    """Record that the organisation has checked the offer is still correct."""
    _require(by, offer, "offer.verify")
    offer.last_verified = day or timezone.localdate()
    offer.save(update_fields=["last_verified", "updated_at"])
    return offer


@transaction.atomic
def offer_delete(offer: Offer) -> None:
    search.unindex_offers([offer.id])
    offer.delete()

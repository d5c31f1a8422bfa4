"""The offers on the self-check's result page: the nearest fitting offers around the person's
postcode, one nearest offer per fitting programme, and whether each offer's organisation can
answer a contact request on the platform. The eligible rounds come from the result page's one
evaluation (database ids), so no search here evaluates a profile again."""

from __future__ import annotations

from wegweiser.accounts import recipients
from wegweiser.directory import selectors as directory

#: Nearest offers on the result page: this many, within this radius (km).
NEAREST_COUNT = 5
NEAREST_RADIUS_KM = 100


def nearest(point, eligible: frozenset[int]):
    """The nearest offers of the ``eligible`` rounds (ids) and outside any programme."""
    return directory.search_offers(
        directory.OfferQuery(
            lat=point.lat,
            lon=point.lon,
            radius_km=NEAREST_RADIUS_KM,
            eligible_rounds=eligible,
            sort="distance",
            page_size=NEAREST_COUNT,
        )
    )


def one_offer_each(programmes: list[dict], nearest, point, eligible: frozenset[int]) -> None:
    """Give each fitting programme its nearest fitting offer (``offer``: a search hit).

    The nearest offers overall usually hold one for most programmes; the others share one query
    (the nearest offer of each of their eligible rounds within the radius)."""
    _first_of_each(programmes, nearest.hits)
    missing = tuple(entry["key"] for entry in programmes if entry["offer"] is None)
    if missing:
        query = directory.OfferQuery(
            lat=point.lat,
            lon=point.lon,
            radius_km=NEAREST_RADIUS_KM,
            eligible_rounds=eligible,
            programmes=missing,
        )
        _first_of_each(programmes, directory.nearest_of_each_round(query))


def _first_of_each(programmes: list[dict], hits) -> None:
    """Give each programme without an offer the first of ``hits`` (nearest first) of it."""
    for hit in hits:
        rnd = hit.offer.funding_round
        if rnd is None:
            continue
        for entry in programmes:
            if entry["offer"] is None and entry["key"] == rnd.programme.key:
                entry["offer"] = hit


def mark_receiving(offers) -> None:
    """Set ``receives_requests`` on each offer: can its organisation answer a contact request
    on the platform (an active counsellor or team lead)? Otherwise the page shows the offer's
    own phone, e-mail and address."""
    receiving = recipients.receiving_organisation_ids(o.organisation_id for o in offers)
    for offer in offers:
        offer.receives_requests = offer.organisation_id in receiving


def points(nearest, place) -> dict | None:
    """The postcode and the nearest offers for the result page's map (embedded in the page)."""
    if not nearest or not nearest.hits:
        return None
    return {
        "centre": {"lat": place.lat, "lon": place.lon, "title": f"{place.plz} {place.place}"},
        "offers": [
            {"lat": h.offer.lat, "lon": h.offer.lon, "title": h.offer.title}
            for h in nearest.hits
            if h.offer.lat is not None
        ],
    }

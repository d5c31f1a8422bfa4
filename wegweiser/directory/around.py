"""The published offers around a point, ranked in the server process (issue 16; docs/public.md,
"Speed").

The result page asks for the nearest fitting offers around the person's postcode and, for
the programmes without one among them, the nearest offer of each round; a directory search
with a postcode and no text or filter asks the same question. In the database each question
was a query over the search table (``search_sql``): ~0.5 ms of CPU for planning, the distance
of every row, the round trip, a third of the result page. The points of the published offers
(search key, place, funding round, Kreis) are few and the same for every visitor, so each
process keeps them (``core.shared``: forgotten when an offer, a place or a round changes,
read again after at most ``WEGWEISER_SHARED_READ_SECONDS``) and ranks them itself: the same
conditions, the same distance formula with the same floats (the statement's operations in
its order), the same order (distance, ties by key).

Above ``WEGWEISER_AROUND_IN_PROCESS_MAX`` published offers with a place (1,000 by default;
0 turns this off; so does keeping nothing, ``WEGWEISER_SHARED_READ_SECONDS=0``) the scan
would cost more than the query, and the database answers as before.
``tests/directory/test_around.py`` compares both over generated searches.

Which offers a search finds is then as current as the offers it shows, which were kept
before: a change is seen at once by the process that made it and by the others within
``WEGWEISER_SHARED_READ_SECONDS`` (``core.shared``: the change counters); a Kreis deleted
(which empties the offers' Kreis without a signal) after at most the hard limit there.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from typing import Any

from django.conf import settings

from wegweiser.core import geo
from wegweiser.core.shared import SharedObjects
from wegweiser.core.shared import seconds as shared_seconds
from wegweiser.directory import search
from wegweiser.directory.models import Location, Offer, OfferLocation, OfferSearchRow
from wegweiser.programmes.models import FundingRound

#: ``query`` below is a ``selectors.OfferQuery`` (not imported: selectors imports this module).
OfferQuery = Any

#: The points, kept: a change of an offer (its place and round are columns of the offer and its
#: search row), a place or a round forgets them; a deleted offer too (rare: the admin).
_POINTS = SharedObjects(
    "offer-points", Offer, OfferLocation, Location, FundingRound, deletes=(Offer,)
)

_TWO_R = 2 * geo.EARTH_RADIUS_KM


def in_process_max() -> int:
    return int(getattr(settings, "WEGWEISER_AROUND_IN_PROCESS_MAX", 1000))


def answers(query: OfferQuery) -> bool:
    """Whether ``query`` is one this module ranks: a point with a radius, by distance, and no
    text, facet or free-only filter (those need the text index)."""
    return bool(
        query.has_point
        and query.radius_km
        and query.effective_sort == "distance"
        and not (query.q or query.themes or query.languages or query.modes or query.free_only)
    )


def _points() -> tuple | None:
    """The published offers with a place, by latitude: ``(lat, search key, lat in radians,
    its cosine, lon in radians, lon, round id, Kreis, city's Kreis)``; None above the limit."""
    limit = in_process_max()
    if limit <= 0 or shared_seconds() <= 0:  # nothing kept: one page from the database is less
        return None

    def load(keys: list) -> dict:
        # selectors.search_rows (selectors imports this module): on PostgreSQL the search table
        table = OfferSearchRow if search.is_postgres() else Offer
        rows = list(
            table.objects.filter(status=Offer.PUBLISHED, lat__isnull=False, lon__isnull=False)
            .order_by()
            .values_list(
                "lat", "search_key", "lon", "funding_round_id", "region_id", "city_region_id"
            )[: limit + 1]
        )
        if len(rows) > limit:
            return {limit: None}
        points = sorted(
            (lat, key, math.radians(lat), math.cos(math.radians(lat)), math.radians(lon), lon)
            + (rnd, region, city)
            for lat, key, lon, rnd, region, city in rows
        )
        return {limit: tuple(points)}

    return _POINTS.get_many([limit], load).get(limit)


def ready() -> bool:
    """Whether the process holds the points (not too many, not turned off)."""
    return _points() is not None


def ranked(
    query: OfferQuery, rounds: set[int] | None, with_null_round: bool
) -> list[tuple[int, float, int | None]] | None:
    """``(search key, distance, round id)`` of every match of ``query`` (see :func:`answers`)
    in result order, as ``search_sql.page`` would find them; ``rounds``/``with_null_round`` as
    there. None when the process does not hold the points (too many, or turned off)."""
    points = _points()
    if points is None:
        return None
    min_lat, max_lat, min_lon, max_lon = geo.bounding_box(query.lat, query.lon, query.radius_km)
    # The statement's operations in its order (search_sql._HAVERSINE_SQL), so the same floats.
    p1 = math.radians(query.lat)
    c1 = math.cos(p1)
    l1 = math.radians(query.lon)
    radius, region = query.radius_km, query.region
    sin, sqrt, asin = math.sin, math.sqrt, math.asin
    found = []
    start = bisect_left(points, (min_lat,))
    end = bisect_right(points, (max_lat, math.inf))
    for _, key, p2, c2, l2, lon, rnd, kreis, city in points[start:end]:
        if lon < min_lon or lon > max_lon:
            continue
        if rounds is not None and rnd not in rounds and not (with_null_round and rnd is None):
            continue
        if region and region != kreis and region != city:
            continue
        a = sin((p2 - p1) / 2.0) ** 2 + c1 * c2 * sin((l2 - l1) / 2.0) ** 2
        distance = _TWO_R * asin(min(sqrt(a), 1.0))
        if distance <= radius:
            found.append((distance, key, rnd))
    found.sort()
    return [(key, distance, rnd) for distance, key, rnd in found]


def nearest_of_each_round(
    query: OfferQuery, rounds: set[int] | None, with_null_round: bool
) -> list[tuple[int, float]] | None:
    """``(search key, distance)`` of the nearest match of each funding round, nearest first, as
    ``search_sql.nearest_of_each_round`` finds them; None as :func:`ranked`."""
    matches = ranked(query, rounds, with_null_round)
    if matches is None:
        return None
    seen: set[int] = set()
    out = []
    for key, distance, rnd in matches:
        if rnd is not None and rnd not in seen:
            seen.add(rnd)
            out.append((key, distance))
    return out

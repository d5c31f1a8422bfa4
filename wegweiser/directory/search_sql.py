"""PostgreSQL: the search's statements written out, not built by the ORM (issue 16).

The search page's query has a handful of shapes (text, facets, region, rounds, a point with a
radius, the order); building and compiling it through Django's query machinery cost about
0.8 ms of CPU per search, as much as PostgreSQL took to answer it, and the result page's
nearest offer of each funding round 2 ms. This module writes the same statements directly:
:func:`page` has the same table, conditions, distance expression (with the same parameters, so
the same floats), order, page and count as the ORM query of ``selectors._pg_ordered_rows``
with ``count(*) OVER ()`` (which still serves the map's points); :func:`nearest_of_each_round`
the same window over the rounds. ``tests/directory/test_search_sql.py`` keeps those ORM
queries as the reference and compares both over generated searches.
"""

from __future__ import annotations

import math
from typing import Any

from django.db import connections

from wegweiser.core import geo
from wegweiser.directory import search
from wegweiser.directory.models import Offer, OfferSearchRow

#: ``query`` below is a ``selectors.OfferQuery`` (not imported: selectors imports this module).
OfferQuery = Any

_TABLE = search.SEARCH_TABLE

#: The great-circle distance on the search table as SQL: the very expression Django built from
#: ``Radians``, ``Sin``, ``Power``… (same operations, order and parameters, so the same floats
#: as the polars formula ``selectors._haversine``), written once; building and compiling that
#: expression tree cost ~0.7 ms per query.
_ROW = f'"{_TABLE}"'
_HAVERSINE_SQL = (
    f'(%s * ASIN(LEAST(SQRT((POWER(SIN(((RADIANS({_ROW}."lat") - %s) / %s)), %s) + ((%s * '
    f'COS(RADIANS({_ROW}."lat"))) * POWER(SIN(((RADIANS({_ROW}."lon") - %s) / %s)), %s)))), %s)))'
)


def haversine(lat: float, lon: float) -> tuple[str, tuple]:
    """Great-circle distance in km to ``(lat, lon)`` on the search table: SQL and parameters."""
    p1 = math.radians(lat)
    params = (2 * geo.EARTH_RADIUS_KM, p1, 2.0, 2, math.cos(p1), math.radians(lon), 2.0, 2, 1.0)
    return _HAVERSINE_SQL, params


def where(query: OfferQuery, rounds: set[int] | None, with_null_round: bool) -> tuple[str, list]:
    """The conditions of ``selectors.matching_rows`` for PostgreSQL, as SQL and parameters.

    ``rounds``: the funding rounds the search is limited to (None: any), ``with_null_round``:
    offers outside any round pass too. An impossible search gives ``FALSE``.
    """
    conditions = ['"status" = %s']
    params: list = [Offer.PUBLISHED]
    if query.region:
        conditions.append('("region_id" = %s OR "city_region_id" = %s)')
        params += [query.region, query.region]
    if rounds is not None:
        if with_null_round:
            conditions.append('("funding_round_id" = ANY(%s) OR "funding_round_id" IS NULL)')
        else:
            conditions.append('"funding_round_id" = ANY(%s)')
        params.append(sorted(rounds))
    if query.has_point and query.radius_km:
        box = geo.bounding_box(query.lat, query.lon, query.radius_km)
        conditions.append('"lat" >= %s AND "lat" <= %s AND "lon" >= %s AND "lon" <= %s')
        params += list(box)
    facets = search.pg_facet_tsquery(query.themes, query.languages, query.modes, query.free_only)
    if query.q:
        text = search.pg_prefix_tsquery(query.q) if search.query_words(query.q) else ""
        if not text:
            return "FALSE", []
        conditions.append('"vector" @@ %s::tsquery')
        params.append(f"{text} & {facets}" if facets else text)
    elif facets:
        conditions.append('"vector" @@ %s::tsquery')
        params.append(facets)
    if query.has_point:
        conditions.append('"lat" IS NOT NULL')
        if query.radius_km:
            distance, distance_params = haversine(query.lat, query.lon)
            conditions.append(f"{distance} <= %s")
            params += [*distance_params, query.radius_km]
    return " AND ".join(conditions), params


def page(
    query: OfferQuery, rounds: set[int] | None, with_null_round: bool
) -> tuple[list[tuple[int, float | None, None]], int]:
    """One page of ``(search_key, distance, None)`` in result order (by distance or by name,
    ties by key), and the total; a page past the end gives the last page."""
    condition, params = where(query, rounds, with_null_round)
    if query.has_point:
        distance, distance_params = haversine(query.lat, query.lon)
        select_params = list(distance_params)
    else:
        distance, select_params = "NULL", []
    order = '"distance" ASC' if query.effective_sort == "distance" else '"sort_name" ASC'
    sql = (
        f'SELECT "search_key", {distance} AS "distance", COUNT(*) OVER () AS "total" '  # noqa: S608 (constant SQL, values as parameters)
        f'FROM "{_TABLE}" WHERE {condition} ORDER BY {order}, "search_key" ASC LIMIT %s OFFSET %s'
    )
    start = (query.page - 1) * query.page_size
    with connections[OfferSearchRow.objects.db].cursor() as cur:
        cur.execute(sql, [*select_params, *params, query.page_size, start])
        rows = cur.fetchall()
        if not rows and query.page > 1:
            cur.execute(f'SELECT COUNT(*) FROM "{_TABLE}" WHERE {condition}', params)  # noqa: S608 (constant SQL)
            total = cur.fetchone()[0]
            if total:
                last = (math.ceil(total / query.page_size) - 1) * query.page_size
                cur.execute(sql, [*select_params, *params, query.page_size, last])
                rows = cur.fetchall()
    if not rows:
        return [], 0
    return [(key, dist, None) for key, dist, _ in rows], rows[0][2]


def nearest_of_each_round(
    query: OfferQuery, rounds: set[int] | None, with_null_round: bool
) -> list[tuple[int, float | None]]:
    """``(search_key, distance)`` of the nearest match of each funding round (ties by key);
    offers outside any round are left out. In no particular order."""
    condition, params = where(query, rounds, with_null_round)
    if query.has_point:
        distance, distance_params = haversine(query.lat, query.lon)
    else:
        distance, distance_params = "NULL", ()
    sql = (
        'SELECT "search_key", "distance" FROM (SELECT "search_key", "distance", ROW_NUMBER() '  # noqa: S608 (constant SQL, values as parameters)
        'OVER (PARTITION BY "funding_round_id" ORDER BY "distance" ASC, "search_key" ASC) AS "n" '
        f'FROM (SELECT "search_key", "funding_round_id", {distance} AS "distance" FROM "{_TABLE}" '
        f'WHERE {condition} AND "funding_round_id" IS NOT NULL) AS "matches") AS "ranked" '
        'WHERE "n" = 1'
    )
    with connections[OfferSearchRow.objects.db].cursor() as cur:
        cur.execute(sql, [*distance_params, *params])
        return [tuple(row) for row in cur.fetchall()]

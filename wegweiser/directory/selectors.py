"""Reads of the directory. :func:`search_offers` is the one search used by the search page, the
map (GeoJSON, region counts) and the API.

How a search runs: every filter is SQL (facets, region, rounds, a bounding box around the
point, the text index), over :func:`search_rows` (on PostgreSQL the narrow search table).

- PostgreSQL, by distance or by name: exact distance, radius, order, page and count in one SQL
  query (:func:`_sql_page`); only one page of keys leaves the database.
- A point with a radius, by distance, without text or facets (the result page's nearest
  offers, a search by postcode alone): ranked in the process over the kept points of the
  published offers (:mod:`around`), up to ``WEGWEISER_AROUND_IN_PROCESS_MAX`` of them.
- SQLite, and relevance order on PostgreSQL: ``(key, lat, lon, score)`` of the matches are read,
  exact distance, radius and order are computed with polars (:func:`_candidate_frame`).

Then only the requested page is loaded as objects, with only the fields a list shows.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import polars as pl
from django.db.models import (
    Count,
    FloatField,
    Prefetch,
    Q,
    QuerySet,
    TextField,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.fields.json import KT
from django.db.models.functions import (
    Coalesce,
)
from django.utils import timezone

from wegweiser.core import geo
from wegweiser.core.shared import SharedObjects, keeps_renders, shared
from wegweiser.directory import around, search, search_sql
from wegweiser.directory.models import (
    VERIFICATION_INTERVAL,
    Location,
    Offer,
    OfferLocation,
    OfferSearchRow,
)
from wegweiser.eligibility.engine import ELIGIBLE, evaluate
from wegweiser.eligibility.facts import Profile
from wegweiser.organisations.models import Organisation
from wegweiser.programmes.models import FundingRound, Programme, Project, ProjectPartner


@dataclass(frozen=True)
class OfferQuery:
    q: str = ""
    themes: tuple[str, ...] = ()
    programmes: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    modes: tuple[str, ...] = ()
    free_only: bool = False
    region: str = ""
    lat: float | None = None
    lon: float | None = None
    radius_km: float | None = None
    place: str = ""
    profile: Profile | None = None
    #: Only offers of these funding rounds (database ids) and offers outside any programme: the
    #: rounds a person is eligible for (:func:`eligible_round_ids`, evaluated once by the
    #: caller). ``profile`` alone has them evaluated here.
    eligible_rounds: frozenset[int] | None = None
    sort: str = ""
    page: int = 1
    page_size: int = 20

    @property
    def has_point(self) -> bool:
        return self.lat is not None and self.lon is not None

    @property
    def effective_sort(self) -> str:
        if self.sort:
            return self.sort
        if self.has_point:
            return "distance"
        return "relevance" if self.q else "name"


@dataclass
class Hit:
    offer: Offer
    distance_km: float | None = None
    score: float | None = None


@dataclass
class SearchPage:
    query: OfferQuery
    hits: list[Hit]
    total: int
    page: int
    pages: int

    @property
    def fits_profile(self) -> bool:
        """Whether only offers fitting an eligibility profile were searched."""
        return self.query.profile is not None or self.query.eligible_rounds is not None


def published_offers() -> QuerySet[Offer]:
    return Offer.objects.filter(status=Offer.PUBLISHED)


def eligible_round_keys(profile: Profile, day: dt.date | None = None) -> frozenset[str]:
    """Keys ``programme/round`` of the active rounds the profile is eligible for."""
    from wegweiser.programmes.selectors import engine_catalogue

    day = day or timezone.localdate()
    results = evaluate(engine_catalogue(), profile, day)
    return frozenset(r.round.key for r in results if r.status == ELIGIBLE)


def round_ids(keys: Iterable[str]) -> frozenset[int]:
    """Database ids of the funding rounds with these keys (``programme/round``)."""
    ids = round_id_map()
    return frozenset(ids[key] for key in set(keys) if key in ids)


@shared("round-ids", FundingRound, Programme)
def round_id_map() -> dict[str, int]:
    """Every funding round's database id by its key ``programme/round`` (kept: ``core.shared``)."""
    pairs = FundingRound.objects.values_list("id", "programme__key", "key")
    return {f"{programme}/{key}": pk for pk, programme, key in pairs}


def eligible_round_ids(profile: Profile, day: dt.date | None = None) -> frozenset[int]:
    """Database ids of the active rounds the profile is eligible for (one evaluation)."""
    return round_ids(eligible_round_keys(profile, day))


def _round_ids(programmes: tuple[str, ...], eligible: frozenset[int] | None) -> set[int] | None:
    """The rounds a search is limited to: of ``programmes`` and among ``eligible`` (ids)."""
    if not programmes:
        return None if eligible is None else set(eligible)
    wanted = set(programmes)
    return {
        pk
        for key, pk in round_id_map().items()
        if key.split("/", 1)[0] in wanted and (eligible is None or pk in eligible)
    }


def search_rows() -> QuerySet:
    """Where a search reads its candidates: published offers, on PostgreSQL through the narrow
    search table (:class:`OfferSearchRow`, the same column names), on SQLite from the offer
    table's covering index."""
    if search.is_postgres():
        return OfferSearchRow.objects.filter(status=Offer.PUBLISHED)
    return published_offers()


def filtered_offers(query: OfferQuery) -> QuerySet[Offer]:
    """Published offers that pass every SQL filter of ``query`` (see module docstring).

    On PostgreSQL this is a semi-join with the search table; searches there order and page on
    the search table itself (:func:`_sql_page`), because a plan that evaluates the indexed
    text expression row by row instead of reading the index costs seconds.
    """
    rows, _ranking = matching_rows(query)
    if rows.model is Offer:
        return rows
    return published_offers().filter(search_key__in=rows.values("search_key"))


def _round_limit(query: OfferQuery) -> tuple[set[int] | None, bool]:
    """The funding rounds a search is limited to (None: any), and whether offers outside any
    funded programme pass too (they have no programme rule to fail)."""
    eligible = query.eligible_rounds
    if eligible is None and query.profile is not None:
        eligible = eligible_round_ids(query.profile)
    limited = _round_ids(query.programmes, eligible)
    return limited, limited is not None and eligible is not None and not query.programmes


def matching_rows(
    query: OfferQuery, *, scores: bool = False
) -> tuple[QuerySet, dict[int, float] | None]:
    """:func:`search_rows` that pass every SQL filter of ``query`` (see module docstring).

    With ``scores`` the text relevance is computed too (see :func:`search.filter_text`).
    """
    qs = search_rows()
    facets = ""
    if search.is_postgres():
        # On the search table the facets are lexemes: one GIN read with the text.
        facets = search.pg_facet_tsquery(
            query.themes, query.languages, query.modes, query.free_only
        )
    else:
        for theme in query.themes:
            qs = qs.filter(facets__contains=f"|t:{theme}|")
        if query.languages:
            any_lang = Q()
            for lang in query.languages:
                any_lang |= Q(facets__contains=f"|l:{lang}|")
            qs = qs.filter(any_lang)
        if query.modes:
            any_mode = Q()
            for mode in query.modes:
                any_mode |= Q(facets__contains=f"|m:{mode}|")
            qs = qs.filter(any_mode)
        if query.free_only:
            qs = qs.filter(facets__contains="|free|")
    if query.region:
        qs = qs.filter(Q(region_id=query.region) | Q(city_region_id=query.region))
    limited, with_null_round = _round_limit(query)
    if limited is not None:
        rounds_q = Q(funding_round_id__in=limited)
        if with_null_round:
            rounds_q |= Q(funding_round_id__isnull=True)
        qs = qs.filter(rounds_q)
    if query.has_point and query.radius_km:
        min_lat, max_lat, min_lon, max_lon = geo.bounding_box(query.lat, query.lon, query.radius_km)
        qs = qs.filter(lat__gte=min_lat, lat__lte=max_lat, lon__gte=min_lon, lon__lte=max_lon)
    ranking = None
    if query.q:
        qs, ranking = search.filter_text(qs, query.q, scores=scores, pg_also=facets)
    elif facets:
        qs = search.filter_vector(qs, facets)
    return qs, ranking


def _candidates(query: OfferQuery) -> list[tuple[int, float | None, float | None]]:
    frame = _candidate_frame(query)
    if frame is None:
        return []
    return list(frame.select("key", "distance", "score").iter_rows())


def _candidate_frame(query: OfferQuery, extra: tuple[str, ...] = ()) -> pl.DataFrame | None:
    """``(search_key, distance, score)`` of every match, exact radius applied, in result order.

    Relevance is computed only when it decides the order (sorting by distance breaks ties by
    key, not by relevance): it is the expensive part of a text search with many matches. The
    exact distance, the radius and the order are computed vectorised (polars).
    """
    with_scores = bool(query.q) and query.effective_sort == "relevance"
    qs, ranking = matching_rows(query, scores=with_scores)
    qs = qs.order_by()  # the order is decided below; no join for the model's default ordering
    by_name = query.effective_sort == "name"
    if by_name and "sort_name" not in extra:
        extra = (*extra, "sort_name")
    columns = ["search_key", "lat", "lon", *extra]
    if with_scores and ranking is None:
        rows = list(qs.values_list(*columns, "rank"))
    else:
        rows = list(qs.values_list(*columns))
        if with_scores:
            rows = [(*row, ranking.get(row[0], 0.0)) for row in rows]
        else:
            rows = [(*row, None) for row in rows]
    if not rows:
        return None
    schema = {"key": pl.Int64, "lat": pl.Float64, "lon": pl.Float64}
    schema.update({name: pl.Int64 if name == "funding_round_id" else pl.String for name in extra})
    schema["score"] = pl.Float64
    frame = pl.DataFrame(rows, schema=schema, orient="row")
    if query.has_point:
        frame = frame.with_columns(distance=_haversine(query.lat, query.lon))
        if query.radius_km:
            frame = frame.filter(pl.col("distance") <= query.radius_km)
    else:
        frame = frame.with_columns(distance=pl.lit(None, dtype=pl.Float64))
    by_distance = [pl.col("distance"), -pl.col("score").fill_null(0.0), pl.col("key")]
    by_score = [-pl.col("score").fill_null(0.0), pl.col("distance"), pl.col("key")]
    order = by_distance if query.effective_sort == "distance" else by_score
    if by_name:
        order = [pl.col("sort_name"), pl.col("key")]
    return frame.sort(order, nulls_last=True)


def _pg_ordered_rows(query: OfferQuery) -> QuerySet:
    """PostgreSQL: the matching search rows in result order (by distance or by name), with
    ``distance`` (None without a point); exact radius applied."""
    qs, _ = matching_rows(query)
    if query.has_point:
        qs = qs.exclude(lat__isnull=True).annotate(distance=_sql_haversine(query.lat, query.lon))
        if query.radius_km:
            qs = qs.filter(distance__lte=query.radius_km)
    else:
        qs = qs.annotate(distance=Value(None, output_field=FloatField()))
    if query.effective_sort == "distance":
        return qs.order_by("distance", "search_key")
    return qs.order_by("sort_name", "search_key")


def _sql_page(query: OfferQuery) -> tuple[list[tuple[int, float | None, None]], int]:
    """PostgreSQL: one page of ``(search_key, distance, None)`` in result order, and the total.

    Distance, radius, order, page and count are all computed by the database (``count(*)
    OVER ()``) on the narrow search table, so only one page of rows leaves it; the statement is
    written out (:mod:`search_sql`), tested against the ORM query it replaced. The same
    great-circle formula as :func:`_haversine`; ties are broken by key. (Parallel workers are
    off for the web's connections: ``DATABASES`` in the settings.)
    """
    return search_sql.page(query, *_round_limit(query))


def _sql_haversine(lat: float, lon: float) -> RawSQL:
    """Great-circle distance in km to ``(lat, lon)`` on the search table (PostgreSQL), the same
    formula as :func:`_haversine`."""
    sql, params = search_sql.haversine(lat, lon)
    return RawSQL(sql, params, output_field=FloatField())  # noqa: S611 (constant SQL, values as parameters)


def _haversine(lat: float, lon: float) -> pl.Expr:
    """Great-circle distance in km from (lat, lon) to each row, as :func:`geo.distance_km`."""
    p1 = math.radians(lat)
    p2 = pl.col("lat").radians()
    dp = p2 - p1
    dl = pl.col("lon").radians() - math.radians(lon)
    a = (dp / 2).sin() ** 2 + math.cos(p1) * p2.cos() * (dl / 2).sin() ** 2
    return 2 * geo.EARTH_RADIUS_KM * a.sqrt().clip(upper_bound=1.0).arcsin()


#: What a result list (``search_page.results_html``, the result page's offer cards with their direct
#: contacts, the API's list, the map popups) reads: loading only
#: these halves the time to load a page of 20 offers (measured 8.7 → 5.0 ms on PostgreSQL).
#: Reading any other field of a listed offer costs a query per offer (see the query-count test).
_LIST_FIELDS = (
    "id",
    "organisation_id",
    "funding_round_id",
    "name",
    "description",
    "contact_name",
    "themes",
    "languages",
    "modes",
    "is_free",
    "email",
    "phone",
    "website",
    "status",
    "last_verified",
    "search_key",
    "sort_name",
    "lat",
    "lon",
    "region_id",
    "organisation__name",
    "organisation__phone",
    "organisation__email",
    "funding_round__key",
    "funding_round__programme__key",
    "funding_round__programme__name",
)
_LIST_PLACE_FIELDS = (
    "offer_id",
    "position",
    "location__name",
    "location__street",
    "location__postcode",
    "location__city",
    "location__lat",
    "location__lon",
    "location__region_id",
    "location__accessibility",
)


def _with_details(qs: QuerySet[Offer], *, for_list: bool = False) -> QuerySet[Offer]:
    placements = OfferLocation.objects.select_related("location").order_by("position")
    if for_list:
        placements = placements.only(*_LIST_PLACE_FIELDS)
    else:
        # The offer page names each place's Kreis: loaded with the place, without its boundary
        # (a GeoJSON polygon of tens of kB that cost more than the rest of the page).
        placements = placements.select_related("location__region").defer(
            "location__region__geometry"
        )
    qs = qs.select_related("organisation", "funding_round__programme").prefetch_related(
        Prefetch("placements", queryset=placements)
    )
    return qs.only(*_LIST_FIELDS) if for_list else qs


#: The offers as result lists show them, by search key: the same for every visitor, kept per
#: process and forgotten when the directory changes (``core.shared``; docs/public.md, "Speed").
_LISTED = SharedObjects(
    "offer-list", Offer, OfferLocation, Location, Organisation, FundingRound, Programme
)


def _listed_offers(keys: list[str], copies: bool = True) -> dict[str, Offer]:
    """The offers of ``keys`` with what a result list shows; each a copy of the kept one, which
    a page may mark (``public.nearest.mark_receiving``) without touching another request's;
    without ``copies`` the kept ones themselves, for a caller that only reads them."""

    def load(missing: list[str]) -> dict[str, Offer]:
        chosen = Offer.objects.filter(search_key__in=missing)
        found = _with_details(chosen, for_list=True).in_bulk(field_name="search_key")
        for offer in found.values():  # its list item and card, kept with it
            keeps_renders(offer)
        return found

    found = _LISTED.get_many(keys, load)
    if not copies:
        return found
    return {key: copy.copy(offer) for key, offer in found.items()}


def search_offers(query: OfferQuery, *, read_only: bool = False) -> SearchPage:
    """A page of the offers ``query`` finds. ``read_only``: the caller changes none of the
    offers (no attribute set on them), so they are the kept objects themselves, not copies."""
    pg = search.is_postgres()
    if query.effective_sort == "name" and not pg and not query.has_point:
        qs = filtered_offers(query)
        total = qs.count()
        pages = max(1, math.ceil(total / query.page_size))
        page = min(query.page, pages)
        start = (page - 1) * query.page_size
        offers = list(
            _with_details(qs, for_list=True).order_by("sort_name", "id")[
                start : start + query.page_size
            ]
        )
        hits = [Hit(o) for o in offers]
        return SearchPage(query, hits, total, page, pages)
    near = None
    if around.answers(query) and around.ready():
        near = around.ranked(query, *_round_limit(query))
    if near is None and pg and query.effective_sort in ("distance", "name"):
        chunk, total = _sql_page(query)
        pages = max(1, math.ceil(total / query.page_size))
        page = min(query.page, pages)
    else:  # ranked in the process (around.py), or with polars (SQLite; relevance on PostgreSQL)
        rows = _candidates(query) if near is None else [(k, d, None) for k, d, _ in near]
        total = len(rows)
        pages = max(1, math.ceil(total / query.page_size))
        page = min(query.page, pages)
        chunk = rows[(page - 1) * query.page_size : page * query.page_size]
    objects = _listed_offers([r[0] for r in chunk], copies=not read_only)
    hits = [Hit(objects[r[0]], r[1], r[2]) for r in chunk if r[0] in objects]
    return SearchPage(query, hits, total, page, pages)


def nearest_of_each_round(query: OfferQuery) -> list[Hit]:
    """The nearest match of each funding round around ``query``'s point, nearest first (ties by
    key, as :func:`search_offers` orders by distance): one query for what would otherwise be one
    search per round or programme. Offers outside any round are left out."""
    query = dataclasses.replace(query, sort="distance")
    limit = _round_limit(query)
    rows = around.nearest_of_each_round(query, *limit) if around.answers(query) else None
    if rows is not None:  # ranked in the process (around.py)
        rows = list(rows)
    elif search.is_postgres():  # a window over the rounds (``search_sql``)
        rows = search_sql.nearest_of_each_round(query, *limit)
    else:
        frame = _candidate_frame(query, extra=("funding_round_id",))
        rows = []
        if frame is not None:
            each = frame.drop_nulls("funding_round_id").unique(
                subset="funding_round_id", keep="first", maintain_order=True
            )
            rows = list(each.select("key", "distance").iter_rows())
    rows.sort(key=lambda row: (row[1], row[0]))
    objects = _listed_offers([key for key, _ in rows])
    return [Hit(objects[key], distance) for key, distance in rows if key in objects]


def offer_points(query: OfferQuery, limit: int = 10_000, lang: str = "de") -> list[dict[str, Any]]:
    """The matches as light rows for the map (at most ``limit``, in result order)."""
    name = Coalesce(KT(f"name__{lang}"), KT("name__de"), Value(""), output_field=TextField())
    fields = ("id", "search_key", "lat", "lon", "region_id", "organisation__name")
    if query.effective_sort == "name" and not search.is_postgres() and not query.has_point:
        qs = filtered_offers(query)
        qs = qs.exclude(lat__isnull=True).order_by("sort_name", "id")[:limit]
        return list(qs.annotate(title=name).values(*fields, "title"))
    if search.is_postgres() and query.effective_sort in ("distance", "name"):
        ordered = _pg_ordered_rows(query).exclude(lat__isnull=True)
        keys = list(ordered.values_list("search_key", flat=True)[:limit])
    else:
        keys = [r[0] for r in _candidates(query)[:limit]]
    values = []
    for start in range(0, len(keys), 2000):
        chunk = Offer.objects.filter(search_key__in=keys[start : start + 2000])
        values += chunk.exclude(lat__isnull=True).annotate(title=name).values(*fields, "title")
    order = {key: i for i, key in enumerate(keys)}
    values.sort(key=lambda v: order[v["search_key"]])
    return values


def region_counts(query: OfferQuery, column: str = "region_id") -> Counter[str]:
    """Matching offers per Kreis (``column="city_region_id"``: per Sonderstatusstadt)."""

    if query.has_point or query.q:
        frame = _candidate_frame(query, extra=(column,))
        if frame is None:
            return Counter()
        counted = frame.drop_nulls(column).group_by(column).len()
        return Counter(dict(counted.iter_rows()))
    qs, _ = matching_rows(query)
    grouped = (
        qs.exclude(**{f"{column}__isnull": True})
        .order_by()
        .values_list(column)
        .annotate(n=Count("search_key"))
        .values_list(column, "n")
    )
    return Counter(dict(grouped))


def city_region_counts(query: OfferQuery) -> Counter[str]:
    return region_counts(query, "city_region_id")


def offer_get(offer_id, *, include_drafts_of: QuerySet[Organisation] | None = None) -> Offer:
    """A published offer (or a draft of one of the given organisations).

    Raises ``Offer.DoesNotExist``.
    """
    qs = Offer.objects.all()
    visible = Q(status=Offer.PUBLISHED)
    if include_drafts_of is not None:
        visible |= Q(organisation__in=include_drafts_of)
    partners = ProjectPartner.objects.select_related("organisation")
    return (
        _with_details(qs.filter(visible))
        .select_related("project")
        .prefetch_related("opening_hours", Prefetch("project__memberships", queryset=partners))
        .get(pk=offer_id)
    )


def organisation_get(org_id) -> Organisation:
    return Organisation.objects.select_related("parent").get(pk=org_id)


def organisation_offers(org: Organisation) -> QuerySet[Offer]:
    return _with_details(published_offers().filter(organisation=org)).order_by("sort_name")


def project_get(project_id) -> Project:
    return (
        Project.objects.select_related("carrier", "funding_round__programme")
        .prefetch_related("memberships__organisation", "regions")
        .get(pk=project_id)
    )


def outdated_offers(orgs: QuerySet[Organisation], today: dt.date | None = None) -> QuerySet[Offer]:
    """Offers of ``orgs`` not verified within the verification interval."""
    today = today or timezone.localdate()
    cutoff = today - VERIFICATION_INTERVAL
    return (
        Offer.objects.filter(organisation__in=orgs)
        .filter(Q(last_verified__isnull=True) | Q(last_verified__lt=cutoff))
        .exclude(status=Offer.INACTIVE)
    )

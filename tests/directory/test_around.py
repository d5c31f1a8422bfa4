"""The offers around a point, ranked in the process (``directory.around``), are what the database
finds (on PostgreSQL the written statement of ``search_sql``, on SQLite the polars ranking),
over generated searches of every shape it answers (a point with a radius, Kreis, programmes,
eligible rounds, offers outside any round, pages past the end) on the demo directory; the
database answers every other search and any search above the limit; a change is seen at once.
"""

from __future__ import annotations

import math

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wegweiser.core import shared
from wegweiser.directory import around, search, selectors, services
from wegweiser.directory.models import Offer
from wegweiser.programmes.models import FundingRound, Programme

#: Hanau, Kassel, Frankfurt, a field in the Vogelsberg, Mannheim (outside Hessen)
POINTS = [(50.13, 8.92), (51.31, 9.48), (50.11, 8.68), (50.55, 9.25), (49.49, 8.47)]

IN_THE_DATABASE = override_settings(WEGWEISER_AROUND_IN_PROCESS_MAX=0)


def _found(query):
    """What a search page and the result page's second search show: offers with distances."""
    page = selectors.search_offers(query)
    hits = [(h.offer.search_key, h.distance_km) for h in page.hits]
    each = [(h.offer.search_key, h.distance_km) for h in selectors.nearest_of_each_round(query)]
    return hits, (page.total, page.page, page.pages), each


def _same(ours, theirs) -> None:
    """The same offers in the same order with the same totals; the same distances (to the last
    bit on PostgreSQL, where the statement computes them; polars may round the radians once
    differently)."""
    assert [key for key, _ in ours[0]] == [key for key, _ in theirs[0]]
    assert ours[1] == theirs[1]
    assert [key for key, _ in ours[2]] == [key for key, _ in theirs[2]]
    exact = search.is_postgres()
    for (_, a), (_, b) in zip(ours[0] + ours[2], theirs[0] + theirs[2], strict=True):
        assert a == b if exact else math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-9)


def _reads_the_search(queries) -> bool:
    return any(
        "directory_offer_search" in q["sql"] or '"directory_offer"."lat"' in q["sql"]
        for q in queries.captured_queries
    )


@pytest.fixture
def directory(demo_directory):
    published = Offer.objects.filter(status=Offer.PUBLISHED)
    # offers outside any funded programme (the demo has none)
    outside = list(published.order_by("search_key").values_list("pk", flat=True)[::10])
    assert Offer.objects.filter(pk__in=outside).update(funding_round=None) >= 10
    shared.forget_all()  # an update sends no signal
    regions = set(published.exclude(region_id=None).values_list("region_id", flat=True))
    regions |= set(published.exclude(city_region_id=None).values_list("city_region_id", flat=True))
    return {
        "regions": sorted(regions),
        "programmes": sorted(Programme.objects.values_list("key", flat=True)),
        "rounds": sorted(FundingRound.objects.values_list("id", flat=True)),
    }


def test_ranked_in_the_process_as_the_database_ranks(directory):
    subset = lambda values: st.lists(st.sampled_from(values), max_size=2, unique=True)  # noqa: E731
    queries = st.builds(
        lambda point, radius, region, progs, eligible, page, size: selectors.OfferQuery(
            lat=point[0],
            lon=point[1],
            radius_km=radius,
            region=region,
            programmes=tuple(progs),
            eligible_rounds=eligible,
            sort="distance",
            page=page,
            page_size=size,
        ),
        st.sampled_from(POINTS),
        st.sampled_from([1.0, 5.0, 25.0, 100.0, 400.0]),
        st.sampled_from(["", *directory["regions"]]),
        subset(directory["programmes"]),
        st.one_of(st.none(), st.frozensets(st.sampled_from(directory["rounds"]), max_size=4)),
        st.integers(1, 9),
        st.sampled_from([5, 20]),
    )
    seen = {"found": 0, "empty": 0, "past the end": 0, "rounds": 0, "outside": 0}
    outside = set(Offer.objects.filter(funding_round=None).values_list("search_key", flat=True))

    @settings(max_examples=250, deadline=None, suppress_health_check=list(HealthCheck))
    @given(queries)
    def same(query):
        assert around.answers(query)
        ours = _found(query)
        with IN_THE_DATABASE:
            theirs = _found(query)
        _same(ours, theirs)
        total, page, pages = ours[1]
        seen["found" if total else "empty"] += 1
        seen["past the end"] += bool(total) and query.page > pages
        seen["rounds"] += len(ours[2]) > 1
        seen["outside"] += any(key in outside for key, _ in ours[0])

    same()
    assert all(seen.values()), seen  # every kind of answer was compared


@pytest.mark.parametrize(
    ("query", "answered"),
    [
        (selectors.OfferQuery(lat=50.1, lon=8.7, radius_km=25.0), True),
        (selectors.OfferQuery(lat=50.1, lon=8.7, radius_km=25.0, region="06412"), True),
        (selectors.OfferQuery(lat=50.1, lon=8.7, radius_km=25.0, programmes=("iq",)), True),
        (selectors.OfferQuery(lat=50.1, lon=8.7, radius_km=25.0, sort="name"), False),
        (selectors.OfferQuery(lat=50.1, lon=8.7), False),  # no radius: offers without a place
        (selectors.OfferQuery(q="beratung", lat=50.1, lon=8.7, radius_km=25.0), False),
        (selectors.OfferQuery(themes=("employment",), lat=50.1, lon=8.7, radius_km=25.0), False),
        (selectors.OfferQuery(languages=("ar",), lat=50.1, lon=8.7, radius_km=25.0), False),
        (selectors.OfferQuery(modes=("online",), lat=50.1, lon=8.7, radius_km=25.0), False),
        (selectors.OfferQuery(free_only=True, lat=50.1, lon=8.7, radius_km=25.0), False),
        (selectors.OfferQuery(), False),
    ],
)
def test_which_searches_the_process_answers(query, answered):
    assert around.answers(query) is answered


def test_once_kept_the_points_need_no_query(directory):
    query = selectors.OfferQuery(lat=50.13, lon=8.92, radius_km=100.0, page_size=5)
    first = selectors.search_offers(query)
    selectors.nearest_of_each_round(query)  # its offers kept too
    with CaptureQueriesContext(connection) as queries:
        again = selectors.search_offers(query)
        each = selectors.nearest_of_each_round(query)
    assert not _reads_the_search(queries)
    assert len(queries) == 0  # the listed offers are kept too
    assert [h.offer.pk for h in again.hits] == [h.offer.pk for h in first.hits]
    assert first.total > 20 and len(each) > 3


def test_above_the_limit_the_database_ranks(directory):
    query = selectors.OfferQuery(lat=51.31, lon=9.48, radius_km=100.0)
    ours = _found(query)
    with override_settings(WEGWEISER_AROUND_IN_PROCESS_MAX=20):  # the demo has 155 places
        assert around.ranked(query, None, False) is None
        with CaptureQueriesContext(connection) as queries:
            theirs = _found(query)
    assert _reads_the_search(queries)
    _same(ours, theirs)
    assert ours[1][0] > 20


def test_a_change_is_seen_at_once(directory):
    query = selectors.OfferQuery(lat=50.11, lon=8.68, radius_km=100.0, page_size=5)
    nearest = selectors.search_offers(query).hits[0].offer
    offer = Offer.objects.get(pk=nearest.pk)
    offer.status = Offer.INACTIVE
    offer.save()
    assert nearest.pk not in [h.offer.pk for h in selectors.search_offers(query).hits]
    with IN_THE_DATABASE:
        theirs = _found(query)
    _same(_found(query), theirs)


def test_a_deleted_offer_and_a_moved_place_are_seen_at_once(directory):
    """Through the services, as the staff's pages change them (their signals forget the kept
    points in this process and raise the counters for the others)."""
    query = selectors.OfferQuery(lat=50.11, lon=8.68, radius_km=100.0, page_size=5)
    hits = selectors.search_offers(query).hits
    gone, moved, stays = (h.offer.search_key for h in hits[:3])

    def shown() -> list[int]:
        ours = _found(query)
        with IN_THE_DATABASE:
            _same(ours, _found(query))
        return [key for key, _ in ours[0]]

    services.offer_delete(Offer.objects.get(pk=hits[0].offer.pk), by=None)
    assert gone not in shown() and moved in shown()
    place = hits[1].offer.placements.first().location
    place.lat, place.lon = 51.31, 9.48  # to Kassel
    services.location_save(place, by=None)
    assert moved not in shown() and stays in shown()

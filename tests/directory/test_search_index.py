"""The text index stays in step with the offers, and its prefix matching means what a prefix
search means. PostgreSQL: the search table kept by a trigger; SQLite: the FTS5 table kept by the
services. Each test runs on both (CI runs the suite once per database)."""

from __future__ import annotations

import random

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from wegweiser.accounts.models import Membership, Role
from wegweiser.directory import search, selectors, services
from wegweiser.directory.models import Offer, OfferSearchRow

COLUMNS = (
    "status",
    "lat",
    "lon",
    "facets",
    "region_id",
    "city_region_id",
    "funding_round_id",
    "sort_name",
)


def index_state() -> dict[int, tuple]:
    """What the index holds, by search key, in the shape of :func:`expected_state`."""
    if search.is_postgres():
        return {
            row["search_key"]: (*(row[c] for c in COLUMNS), row["stems"])
            for row in OfferSearchRow.objects.extra(  # noqa: S610 (constant SQL)
                select={"stems": "array_to_string(tsvector_to_array(stems), ' ')"}
            ).values("search_key", *COLUMNS, "stems")
        }
    with connection.cursor() as cur:
        cur.execute(f"SELECT rowid, body FROM {search.FTS_TABLE}")  # noqa: S608
        return {key: body for key, body in cur.fetchall()}


def expected_state() -> dict[int, tuple]:
    """What the index should hold, computed from the offers themselves."""
    offers = Offer.objects.exclude(search_key=None)
    if search.is_postgres():
        stems = {}
        with connection.cursor() as cur:
            cur.execute(
                "SELECT search_key, array_to_string(tsvector_to_array("
                "to_tsvector('german', search_document)), ' ') FROM directory_offer"
            )
            stems = dict(cur.fetchall())
        return {
            o["search_key"]: (*(o[c] for c in COLUMNS), stems[o["search_key"]])
            for o in offers.values("search_key", *COLUMNS)
        }
    return {
        key: search.stem_text(doc)
        for key, doc in offers.values_list("search_key", "search_document")
    }


def test_the_index_follows_every_kind_of_write(demo_directory):
    assert index_state() == expected_state()
    offers = list(Offer.objects.filter(status=Offer.PUBLISHED).order_by("sort_name")[:6])

    # A service edit that changes the text.
    offers[0].name = {"de": "Sprechstunde Zauberwort Quastenflosser (Demo)"}
    services.offer_save(offers[0], by=None)
    # Publishing state through the services (by one of the organisation's offer maintainers).
    editor = get_user_model().objects.create_user("pflege")
    Membership.objects.create(
        user=editor, organisation=offers[1].organisation, role=Role.OFFER_EDITOR
    )
    services.offer_unpublish(offers[1], by=editor)
    # A bulk update around the services (the admin's actions, a data fix in the shell).
    Offer.objects.filter(pk=offers[2].pk).update(status=Offer.INACTIVE, lat=50.0, lon=8.5)
    Offer.objects.filter(pk=offers[3].pk).update(facets="|t:youth|l:uk|")
    # Deletion.
    services.offer_delete(offers[4], by=None)

    if search.is_postgres():  # SQLite's index is kept by the services only.
        assert index_state() == expected_state()
    else:
        services.offer_refresh_index(Offer.objects.filter(pk__in=[o.pk for o in offers[:4]]))
        assert index_state() == expected_state()
    found = selectors.search_offers(selectors.OfferQuery(q="Quastenflosser"))
    assert [h.offer.pk for h in found.hits] == [offers[0].pk]
    both = selectors.search_offers(selectors.OfferQuery(q="Zauberwort Sprechst"))
    assert [h.offer.pk for h in both.hits] == [offers[0].pk]
    for gone in offers[1:3] + offers[4:5]:
        assert gone.search_key not in {
            r[0] for r in selectors._candidates(selectors.OfferQuery(q=gone.title))
        }


def test_facets_written_around_the_services_are_searchable(demo_directory):
    offer = Offer.objects.filter(status=Offer.PUBLISHED).exclude(facets__contains="|l:ku|").first()
    before = selectors.search_offers(selectors.OfferQuery(languages=("ku",))).total
    Offer.objects.filter(pk=offer.pk).update(facets=offer.facets + "l:ku|")
    after = selectors.search_offers(selectors.OfferQuery(languages=("ku",)))
    assert after.total == before + 1
    assert offer.pk in {h.offer.pk for h in after.hits} or after.pages > 1


def _vocabulary(limit: int = 60) -> list[str]:
    """Words and word beginnings taken from the offers' texts, long and short, fixed seed."""
    rng = random.Random(20261122)
    words = sorted(
        {
            w
            for doc in Offer.objects.values_list("search_document", flat=True)
            for w in search.words(doc)
        }
    )
    words = [w for w in words if len(w) > 2 and search.stem(w) not in search.stopwords()]
    picked = rng.sample(words, min(limit, len(words)))
    cut = [w[: rng.randint(3, len(w))] for w in picked]
    extra = ["berat", "anerkennung", "deutschkurs", "integrationslotsen"]
    # A query of stopwords alone finds nothing, by design (test_search.py).
    return sorted({w for w in picked + cut + extra if search.query_words(w)})


def _reference(word: str) -> set[int]:
    """Offers with a stem that begins with the word's stem, computed without the index."""
    if search.is_postgres():
        with connection.cursor() as cur:
            cur.execute(
                "SELECT search_key FROM directory_offer WHERE search_vector @@ "
                "to_tsquery('german', %s)",
                [f"{word}:*"],
            )
            return {row[0] for row in cur.fetchall()}
    prefix = search.stem(word)
    return {
        key
        for key, doc in Offer.objects.values_list("search_key", "search_document")
        if any(s.startswith(prefix) for s in search.stem_text(doc).split())
    }


def test_prefix_matching_finds_exactly_what_a_prefix_search_finds(demo_directory):
    rows = selectors.search_rows().model.objects.all()
    checked = 0
    for word in _vocabulary():
        found, _ = search.filter_text(rows, word)
        got = set(found.values_list("search_key", flat=True))
        assert got == _reference(word), word
        checked += bool(got)
    assert checked > 20  # the table really tests matches, not only empty results


@pytest.mark.parametrize("word", ["o'neill", "back\\slash", "a:b", "|t:youth"])
def test_query_words_with_signs_are_harmless(demo_directory, word):
    page = selectors.search_offers(selectors.OfferQuery(q=word))
    assert page.total >= 0


@pytest.mark.postgresql
def test_the_stored_vector_is_the_stems_prefixes_and_facets_after_writes(demo_directory):
    """PostgreSQL: the generated column ``vector`` equals its expression for every row, also
    after the writes of the search table's trigger."""
    offer = Offer.objects.filter(status=Offer.PUBLISHED).first()
    Offer.objects.filter(pk=offer.pk).update(
        facets=offer.facets + "l:ku|", search_document="Zusatzwort Übersetzungshilfe"
    )
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT count(*), count(*) FILTER (WHERE vector = ({search.SEARCH_VECTOR})) "  # noqa: S608 (constants)
            f"FROM {search.SEARCH_TABLE}"
        )
        rows, equal = cur.fetchone()
    assert rows > 100 and equal == rows
    found = selectors.search_offers(selectors.OfferQuery(q="übersetz", languages=("ku",)))
    assert offer.pk in {h.offer.pk for h in found.hits}


@pytest.mark.postgresql
@pytest.mark.parametrize(
    "query",
    [
        selectors.OfferQuery(modes=("in_person",), free_only=True),  # matches most offers
        selectors.OfferQuery(modes=("in_person",)),
        selectors.OfferQuery(q="beratung", free_only=True),
    ],
    ids=["in person and free", "in person", "text and free"],
)
def test_no_plan_builds_a_rows_vector(demo_directory, query):
    """PostgreSQL: whatever plan the planner picks (a table scan for a filter that matches most
    offers), it compares the stored vector and never builds a row's prefix vector (which cost
    18-24 ms for 155 offers)."""
    qs = selectors._pg_ordered_rows(query)
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cur:
        cur.execute("ANALYZE directory_offer_search")
        cur.execute("EXPLAIN (VERBOSE) " + sql, params)
        plan = "\n".join(row[0] for row in cur.fetchall())
    assert "vector" in plan
    assert "directory_prefix_vector" not in plan
    assert "directory_facet_vector" not in plan

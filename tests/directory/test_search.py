"""The one search behind page, map and API, on the synthetic directory (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.http import QueryDict

from wegweiser.core import geo
from wegweiser.directory import search, selectors, services
from wegweiser.directory.forms import OfferSearchForm
from wegweiser.directory.models import Offer
from wegweiser.eligibility.facts import parse_profile
from wegweiser.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def query(**params):
    qd = QueryDict(mutable=True)
    for key, value in params.items():
        if isinstance(value, list):
            qd.setlist(key, value)
        else:
            qd[key] = value
    form = OfferSearchForm(qd, land=None)
    assert form.is_valid(), form.errors
    return form.to_query(page_size=500)


def ids(page) -> list:
    return [h.offer.id for h in page.hits]


def test_recognition_near_frankfurt_finds_the_iq_office_in_frankfurt_first(demo_directory):
    page = selectors.search_offers(query(q="Anerkennung", postcode="60311"))
    first = page.hits[0]
    assert first.offer.funding_round.programme.key == "iq-anerkennung"
    assert first.offer.region_id == "06412"
    assert [h.distance_km for h in page.hits] == sorted(h.distance_km for h in page.hits)
    assert all(h.distance_km <= 25 for h in page.hits)


@pytest.mark.parametrize(
    ("text", "must_contain"),
    [
        ("Anerkennung", "Anerkennung"),  # the word itself
        ("anerkennungen", "Anerkennung"),  # inflected, lower case
        ("Lotsen", "Lotsen"),
        ("Sprachkurs", "Sprachkurs"),
        ("Rechte Arbeit", "Rechten bei der Arbeit"),  # every word, stemmed
        ("Jugendmigrationsdienst", "Jugendmigrationsdienst"),
    ],
)
def test_text_search_uses_german_stemming(demo_directory, text, must_contain):
    page = selectors.search_offers(query(q=text))
    assert page.total > 0
    stem = search.stem(search.words(must_contain)[0])
    for hit in page.hits:
        assert any(w.startswith(stem) for w in search.stem_text(hit.offer.search_document).split())


def test_text_search_finds_compounds_by_their_first_word(demo_directory, catalogue_loaded):
    org = Organisation.objects.filter(is_synthetic=True).first()
    offer = services.offer_save(
        Offer(
            organisation=org,
            name={"de": "Anerkennungsberatung im Stadtteil"},
            description={"de": "Sprechstunde"},
            themes=["recognition"],
            languages=["de"],
            modes=["phone"],
            status=Offer.PUBLISHED,
        ),
        by=None,
    )
    assert offer.id in ids(selectors.search_offers(query(q="Anerkennung")))
    assert offer.id not in ids(selectors.search_offers(query(q="Stadtteilzentrum")))


def test_every_word_must_match(demo_directory):
    both = set(ids(selectors.search_offers(query(q="Anerkennung Beratung"))))
    one = set(ids(selectors.search_offers(query(q="Anerkennung"))))
    assert both and both <= one
    assert ids(selectors.search_offers(query(q="Anerkennung Xylophon"))) == []


def test_themes_must_all_match_and_languages_any(demo_directory):
    page = selectors.search_offers(query(theme=["recognition", "qualification"]))
    assert page.total >= 8
    for hit in page.hits:
        assert {"recognition", "qualification"} <= set(hit.offer.themes)
    page = selectors.search_offers(query(language=["ar", "uk"]))
    assert page.total > 0
    for hit in page.hits:
        assert {"ar", "uk"} & set(hit.offer.languages)
    everything = selectors.search_offers(query()).total
    assert page.total < everything


@pytest.mark.parametrize("sort", ["", "name", "distance"])
def test_radius_is_exact_not_just_the_bounding_box(demo_directory, sort):
    centre = geo.postcode("34117")  # Kassel
    page = selectors.search_offers(query(postcode="34117", radius="15", sort=sort))
    assert page.total > 0
    inside = {
        o.id
        for o in selectors.published_offers().exclude(lat=None)
        if geo.distance_km(centre.lat, centre.lon, o.lat, o.lon) <= 15
    }
    assert set(ids(page)) == inside
    points = selectors.offer_points(query(postcode="34117", radius="15", sort=sort))
    assert {p["id"] for p in points} == inside
    if sort == "name":
        names = [h.offer.sort_name for h in page.hits]
        assert names == sorted(names)
    else:
        distances = [h.distance_km for h in page.hits]
        assert distances == sorted(distances)


def test_region_filter_includes_the_sonderstatusstadt_offers(demo_directory):
    kreis = selectors.search_offers(query(region="06531"))
    city = selectors.search_offers(query(region="06531005"))
    assert city.total > 0
    assert set(ids(city)) <= set(ids(kreis))
    for hit in city.hits:
        assert hit.offer.city_region_id == "06531005"


def test_programme_filter(demo_directory):
    page = selectors.search_offers(query(programme=["jmd"]))
    published = Offer.objects.filter(status="published", funding_round__programme__key="jmd")
    assert page.total == published.count() > 10
    assert {h.offer.funding_round.programme.key for h in page.hits} == {"jmd"}


def test_drafts_are_never_found(demo_directory):
    drafts = set(Offer.objects.filter(status=Offer.DRAFT).values_list("id", flat=True))
    assert drafts
    assert not drafts & set(ids(selectors.search_offers(query())))
    assert not drafts & set(ids(selectors.search_offers(query(q="Beratung"))))


def test_offers_i_can_use_follow_the_eligibility_answer(demo_directory):
    young = '{"birth_date": "2006-03-01", "migration_background": true, "residence": {"title": "duldung"}}'
    older = '{"birth_date": "1980-03-01", "migration_background": true, "residence": {"title": "duldung"}}'
    young_ids = set(ids(selectors.search_offers(query(profile=young))))
    older_ids = set(ids(selectors.search_offers(query(profile=older))))
    jmd = set(
        Offer.objects.filter(status="published", funding_round__programme__key="jmd").values_list(
            "id", flat=True
        )
    )
    assert jmd <= young_ids
    assert not jmd & older_ids
    profile = parse_profile(
        {
            "birth_date": "2006-03-01",
            "migration_background": True,
            "residence": {"title": "duldung"},
        },
        reference_date=dt.date.today(),
    )
    eligible = selectors.eligible_round_keys(profile)
    for offer in Offer.objects.filter(id__in=young_ids).select_related("funding_round__programme"):
        rnd = offer.funding_round
        assert rnd is None or f"{rnd.programme.key}/{rnd.key}" in eligible


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"postcode": "99999"}, "postcode", "Die Postleitzahl 99999 kennen wir nicht."),
        ({"postcode": "6031"}, "postcode", "fünfstellige Postleitzahl"),
        ({"postcode": "60311", "radius": "-1"}, "radius", "zwischen 1 und 300 km"),
        ({"postcode": "60311", "radius": "0"}, "radius", "zwischen 1 und 300 km"),
        ({"postcode": "60311", "radius": "5000"}, "radius", "zwischen 1 und 300 km"),
        ({"postcode": "60311", "radius": "nah"}, "radius", "muss eine Zahl sein"),
        ({"radius": "10"}, "radius", "braucht eine Postleitzahl"),
        ({"theme": "astrology"}, "theme", "astrology ist keine gültige Auswahl"),
        ({"language": "klingon"}, "language", "keine gültige Auswahl"),
        ({"region": "99999"}, "region", "keine gültige Auswahl"),
        ({"lat": "50.1"}, "__all__", "Breiten- und Längengrad"),
        ({"lat": "95", "lon": "8"}, "lat", "kleiner oder gleich 90"),
        ({"sort": "distance"}, "sort", "nur mit einem Ort"),
        ({"sort": "random"}, "sort", "keine gültige Auswahl"),
        ({"profile": "{not json"}, "profile", "kein gültiges JSON"),
        ({"profile": '{"birth_date": "2090-01-01"}'}, "profile", "liegt nach dem Stichtag"),
        ({"page": "0"}, "page", "größer oder gleich 1"),
    ],
)
def test_malformed_filters_get_a_clear_german_message(
    regions_loaded, catalogue_loaded, params, field, message
):
    qd = QueryDict(mutable=True)
    qd.update(params)
    form = OfferSearchForm(qd, land=None)
    assert not form.is_valid()
    assert message in " ".join(form.errors[field]), form.errors


def test_pages_partition_the_results(demo_directory):
    seen = []
    q = query(q="Beratung")
    total = selectors.search_offers(q).total
    for page in range(1, 100):
        from dataclasses import replace

        result = selectors.search_offers(replace(q, page=page, page_size=7))
        seen += ids(result)
        if page >= result.pages:
            break
    assert len(seen) == len(set(seen)) == total


def test_region_counts_add_up(demo_directory):
    counts = selectors.region_counts(query())
    assert sum(counts.values()) == selectors.published_offers().exclude(region=None).count()
    near = selectors.region_counts(query(postcode="60311", radius="10"))
    assert near and set(near) <= {"06412", "06413", "06438", "06436", "06434", "06440"}


def test_stopwords_and_signs_do_not_narrow_a_search(demo_directory):
    with_stopwords = ids(selectors.search_offers(query(q="Beratung bei der Arbeit und für")))
    assert with_stopwords == ids(selectors.search_offers(query(q="Beratung Arbeit")))
    assert with_stopwords
    assert ids(selectors.search_offers(query(q="Anerkennung __ §"))) == ids(
        selectors.search_offers(query(q="Anerkennung"))
    )
    # Text without a searchable word does not filter at all.
    assert selectors.search_offers(query(q="§ ?")).total == selectors.search_offers(query()).total


def test_decomposed_umlauts_match_composed_ones(demo_directory):
    composed = ids(selectors.search_offers(query(q="Geflüchtete")))
    assert composed
    assert ids(selectors.search_offers(query(q="Geflu\u0308chtete"))) == composed


@pytest.mark.parametrize(
    "ids_",
    [
        [uuid.UUID(int=i) for i in range(1, 200)],  # sequential ids from another system
        [
            uuid.UUID(f"01890a5d-ac96-7{i:03x}-8000-000000000000") for i in range(4096)
        ],  # UUIDv7, same ms
    ],
)
def test_search_keys_do_not_collide_for_non_random_ids(ids_):
    keys = {search.search_key(i) for i in ids_}
    assert len(keys) == len(ids_)
    assert all(0 < k < 2**63 for k in keys)

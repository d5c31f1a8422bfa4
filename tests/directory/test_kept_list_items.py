"""The search page's list items and the result page's offer cards are kept with the kept offers
(``core.shared.rendered``): a kept item equals a fresh one, the distance is each search's own,
and each part follows a change of its data or of the day at once."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.template import engines
from django.utils import timezone, translation

from wegweiser.core import geo
from wegweiser.core.shared import forget_all
from wegweiser.directory.models import Offer
from wegweiser.directory.selectors import round_id_map
from wegweiser.organisations.models import Organisation
from wegweiser.public import nearest

LANGUAGES = ("de", "ar", "uk", "fa", "tr", "en")
ITEM = re.compile(r'<li class="offer-card" data-offer-id="([^"]+)">.*?</li>', re.S)
SEARCHES = ["", "q=Beratung&postcode=60311&radius=50", "postcode=34117&radius=100&sort=distance"]
#: A search whose offers come from the kept ones on SQLite too (there, a search by name without
#: a point reads the offers itself, rendered each time)
NEAR = "postcode=60311&radius=300"


def _items(client, query: str = "", lang: str = "de") -> dict[str, str]:
    """The list items of a search page by offer id."""
    response = client.get(f"/{lang}/angebote/" + (f"?{query}" if query else ""))
    assert response.status_code == 200
    return {m.group(1): m.group(0) for m in ITEM.finditer(response.content.decode())}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_kept_items_equal_fresh_ones(demo_directory, client, settings, lang):
    for other in LANGUAGES:  # the same kept offers listed in every language first
        for query in SEARCHES:
            _items(client, query, other)
    kept = [_items(client, q, lang) for q in SEARCHES]
    again = [_items(client, q, lang) for q in SEARCHES]
    settings.WEGWEISER_SHARED_READ_SECONDS = 0  # nothing kept: each offer read and rendered
    fresh = [_items(client, q, lang) for q in SEARCHES]
    assert kept == again == fresh
    assert all(kept)


def test_the_distance_is_each_searchs_own(demo_directory, client):
    near_frankfurt = _items(client, "postcode=60311&radius=300&sort=distance")
    near_kassel = _items(client, "postcode=63450&radius=300&sort=distance")  # Hanau
    both = set(near_frankfurt) & set(near_kassel)
    assert both
    distance = re.compile(r'<span class="distance">([^<]+)</span>')
    for offer_id in both:
        a = distance.search(near_frankfurt[offer_id]).group(1)
        b = distance.search(near_kassel[offer_id]).group(1)
        assert a != b, offer_id
        # the rest of the item is the same
        assert distance.sub("", near_frankfurt[offer_id]) == distance.sub("", near_kassel[offer_id])
    assert "km" not in "".join(_items(client).values())  # no point, no distance


def test_items_are_rendered_once_per_offer_and_language(demo_directory, client, monkeypatch):
    from wegweiser.directory.templatetags import directory

    rendered = []
    parts = directory._offer_item_parts
    monkeypatch.setattr(directory, "_offer_item_parts", lambda o: rendered.append(o) or parts(o))
    first = _items(client, NEAR)
    assert len(rendered) == len(first) == 20
    assert _items(client, NEAR) == first
    assert _items(client, NEAR + "&page=1") == first
    assert len(rendered) == 20  # kept
    _items(client, NEAR, "ar")
    assert len(rendered) == 40  # another language


def test_a_kept_item_follows_its_data(demo_directory, client):
    offer_id, item = next(iter(_items(client, NEAR).items()))
    offer = Offer.objects.get(pk=offer_id)
    organisation = Organisation.objects.get(pk=offer.organisation_id)
    organisation.name = "Neuer Trägername (Test)"
    organisation.save()
    assert "Neuer Trägername (Test)" in _items(client, NEAR)[offer_id]

    offer.name = {**offer.name, "de": offer.name["de"] + " (geändert, Test)"}
    offer.save()
    items = _items(client, NEAR)
    assert "(geändert, Test)" in items[offer_id]
    assert item != items[offer_id]


def test_the_outdated_mark_follows_the_day(demo_directory, client, settings):
    settings.WEGWEISER_SHARED_READ_SECONDS = 10**7  # kept beyond the travel below
    offer_id = next(iter(_items(client, NEAR)))
    offer = Offer.objects.get(pk=offer_id)
    today = timezone.localdate()
    Offer.objects.filter(pk=offer.pk).update(last_verified=today - dt.timedelta(days=364))
    forget_all()  # an update sends no signal
    assert "badge-outdated" not in _items(client, NEAR)[offer_id]
    with time_machine.travel(today + dt.timedelta(days=3), tick=True):
        assert "badge-outdated" in _items(client, NEAR)[offer_id]


def _cards(plz: str, lang: str) -> dict[tuple[str, bool], str]:
    tag = engines["django"].from_string("{% load public_tags %}{% offer_card hit compact=c %}")
    rounds = frozenset(round_id_map().values())
    with translation.override(lang):
        hits = nearest.nearest(geo.postcode(plz), rounds).hits
        return {(str(h.offer.pk), c): tag.render({"hit": h, "c": c}) for h in hits for c in (0, 1)}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_kept_cards_equal_fresh_ones(demo_directory, settings, lang):
    for other in LANGUAGES:
        _cards("60311", other)
    kept = [_cards(plz, lang) for plz in ("60311", "34117")]
    again = [_cards(plz, lang) for plz in ("60311", "34117")]
    settings.WEGWEISER_SHARED_READ_SECONDS = 0
    fresh = [_cards(plz, lang) for plz in ("60311", "34117")]
    assert kept == again == fresh
    assert all(kept)


def test_a_kept_card_follows_its_data_and_its_distance(demo_directory):
    frankfurt, offenbach = _cards("60311", "de"), _cards("63065", "de")
    key = next(k for k in frankfurt if k in offenbach and not k[1])
    assert frankfurt[key] != offenbach[key]  # another distance
    organisation = Organisation.objects.get(pk=Offer.objects.get(pk=key[0]).organisation_id)
    organisation.name = "Neuer Trägername (Test)"
    organisation.save()
    assert "Neuer Trägername (Test)" in _cards("60311", "de")[key]


@pytest.mark.parametrize("prefix", ["/wegweiser/", "/"])
def test_kept_items_and_cards_follow_the_script_prefix(demo_directory, prefix):
    """One process may answer under two addresses (a script prefix): each gets its own links."""
    from django.http import QueryDict
    from django.urls import get_script_prefix, set_script_prefix

    from wegweiser.directory import selectors
    from wegweiser.directory.forms import OfferSearchForm

    items = engines["django"].from_string(
        "{% load directory %}{% for h in hits %}{% offer_list_item h %}{% endfor %}"
    )
    cards = engines["django"].from_string(
        "{% load public_tags %}{% for h in hits %}{% offer_card h %}{% endfor %}"
    )
    link = re.compile(r'href="([^"]+)"')
    before = get_script_prefix()
    try:
        for current in ("/", prefix, "/"):  # the other prefix first, kept, then this one
            set_script_prefix(current)
            form = OfferSearchForm(QueryDict(NEAR))
            assert form.is_valid()
            hits = selectors.search_offers(form.to_query()).hits
            for hit in hits:
                hit.offer.receives_requests = True  # with the contact request's link
            html = items.render({"hits": hits}) + cards.render({"hits": hits})
            hrefs = link.findall(html)
            assert hrefs and all(h.startswith(current) for h in hrefs), (current, hrefs[:3])
            assert any("/kontakt" in h for h in hrefs)
    finally:
        set_script_prefix(before)

"""The search page's offer list written in Python (templatetag ``offer_list_item``) gives exactly
the HTML of the template loop it replaced, for many searches (with and without distance, offers
with and without a round, place, outdated mark) in the six languages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import QueryDict
from django.template import engines
from django.utils import translation

from wegweiser.directory import selectors
from wegweiser.directory.forms import OfferSearchForm
from wegweiser.directory.models import Offer

#: The loop body of directory/_results.html before (issue 16), with the isolation of the German
#: names and the place from the page's direction (bdi, dir="auto") added since.
TEMPLATE_BODY = (
    '{% load i18n wegweiser %}{% for hit in hits %}{% with offer=hit.offer %}\n    <li class="offer-card" '
    'data-offer-id="{{ offer.id }}">\n      <h3><a href="{{ offer.get_absolute_url }}" '
    'dir="auto"{{ offer.name|lang_attr }}>{{ offer.title }}</a></h3>\n      <p class="org"><bdi>{{ offer.organisation.name'
    " }}</bdi>{% if offer.funding_round %} · <bdi{{ offer.funding_round.programme.name|text_attrs }}>{{ offer.funding_round.programme }}</bdi>"
    '{% endif %}</p>\n      <p class="meta">\n        {% with loc=offer.placements.all.0.location'
    " %}{% if loc %}<bdi>{{ loc.postcode }} {{ loc.city }}</bdi>{% endif %}{% endwith %}\n"
    "        {% if hit.distance_km "
    'is not None %} · <span class="distance">{% blocktranslate with km=hit.distance_km|'
    "floatformat:1 %}{{ km }} km entfernt{% endblocktranslate %}</span>{% endif %}\n        "
    '{% if offer.is_outdated %} · <span class="badge badge-outdated">{% translate '
    '"möglicherweise veraltet" %}</span>{% endif %}\n      </p>\n      <p class="themes">'
    '{{ offer.theme_labels|join:" · " }}</p>\n    </li>\n    {% endwith %}{% endfor %}'
)
TAG = "{% load directory %}{% for hit in hits %}{% offer_list_item hit %}{% endfor %}"
QUERIES = [
    "",
    "page=2",
    "page=5",
    "q=Beratung&postcode=60311&radius=50",
    "q=Anerkennung&postcode=34117&radius=100",
    "postcode=65185&radius=30&theme=counselling",
    "language=ar&sort=name",
    "programme=jmd",
]


@pytest.mark.parametrize("lang", ["de", "en", "ar", "uk", "fa", "tr"])
def test_same_html_as_the_template(demo_directory, lang):
    # some offers outdated (shown with a mark)
    first = Offer.objects.filter(status="published").order_by("sort_name")
    Offer.objects.filter(pk__in=list(first.values_list("pk", flat=True)[:3])).update(
        last_verified=dt.date(2000, 1, 1)
    )
    old, new = engines["django"].from_string(TEMPLATE_BODY), engines["django"].from_string(TAG)
    shown = 0
    with translation.override(lang):
        for query in QUERIES:
            form = OfferSearchForm(QueryDict(query), land=None)
            assert form.is_valid(), form.errors
            hits = selectors.search_offers(form.to_query()).hits
            assert new.render({"hits": hits}) == old.render({"hits": hits}), query
            shown += len(hits)
    assert shown > 60


@pytest.mark.parametrize("prefix", ["/", "/wegweiser/"])
def test_the_kept_offer_address_is_reverse(demo_directory, prefix):
    """``Offer.get_absolute_url`` keeps the address per offer, language and script prefix."""
    from django.urls import get_script_prefix, reverse, set_script_prefix

    offers = list(Offer.objects.order_by("pk")[:5])
    before = get_script_prefix()
    set_script_prefix(prefix)
    try:
        for lang in ["de", "en", "ar", "uk", "fa", "tr"]:
            with translation.override(lang):
                for offer in offers:
                    url = offer.get_absolute_url()
                    assert url == reverse("directory:offer", args=[offer.pk])
                    assert url.startswith(prefix) and str(offer.pk) in url
    finally:
        set_script_prefix(before)

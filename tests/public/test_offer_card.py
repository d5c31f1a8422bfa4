"""The result page's offer cards written in Python (templatetag ``offer_card``) give exactly the
HTML of the template they replaced, for the nearest offers around several postcodes (with and
without a round, a place, a distance; organisations that answer requests and others), compact
and in full, in the six languages."""

from __future__ import annotations

import dataclasses

import pytest
from django.template import engines
from django.utils import translation

from wegweiser.core import geo
from wegweiser.directory.selectors import round_id_map
from wegweiser.public import nearest

#: public/_offer_card.html before (issue 16), included by the result page for each card.
TEMPLATE = '{% load i18n wegweiser %}{% comment %}One offer of the result page (hit: a search hit with its distance). compact: the nearest offer of a fitting programme, in one paragraph (title, distance, contact). How to reach the offer is public/_offer_contact.html. German names and addresses are isolated from the page\'s direction (bdi, dir="auto").{% endcomment %}{% with offer=hit.offer %}\n<li class="offer-card{% if compact %} compact{% endif %}" data-offer-id="{{ offer.id }}">{% if compact %}\n  <p>{% translate "Nächstes Angebot:" %} <a href="{{ offer.get_absolute_url }}" dir="auto"{{ offer.name|lang_attr }}>{{ offer.title }}</a>{% if hit.distance_km is not None %} · <span class="distance">{% blocktranslate with km=hit.distance_km|floatformat:1 %}{{ km }} km entfernt{% endblocktranslate %}</span>{% endif %} · {% include "public/_offer_contact.html" %}</p>{% else %}\n  <h3><a href="{{ offer.get_absolute_url }}" dir="auto"{{ offer.name|lang_attr }}>{{ offer.title }}</a></h3>\n  <p class="org"><bdi>{{ offer.organisation.name }}</bdi>{% if offer.funding_round %} · <bdi{{ offer.funding_round.programme.name|text_attrs }}>{{ offer.funding_round.programme }}</bdi>{% endif %}</p>\n  <p class="meta">{% with loc=offer.placements.all.0.location %}{% if loc %}<bdi>{{ loc.postcode }} {{ loc.city }}</bdi>{% endif %}{% endwith %}{% if hit.distance_km is not None %} · <span class="distance">{% blocktranslate with km=hit.distance_km|floatformat:1 %}{{ km }} km entfernt{% endblocktranslate %}</span>{% endif %}</p>\n  {% include "public/_offer_contact.html" %}{% endif %}\n</li>{% endwith %}\n'
TAG = "{% load public_tags %}{% offer_card hit compact=compact %}"
POSTCODES = ["60311", "34117", "63450", "35390", "64283", "65185"]


@pytest.mark.parametrize("lang", ["de", "en", "ar", "uk", "fa", "tr"])
def test_same_html_as_the_template(demo_directory, lang):
    old, new = engines["django"].from_string(TEMPLATE), engines["django"].from_string(TAG)
    rounds = frozenset(round_id_map().values())
    shown = set()
    with translation.override(lang):
        for i, plz in enumerate(POSTCODES):
            hits = nearest.nearest(geo.postcode(plz), rounds).hits
            hits.append(dataclasses.replace(hits[0], distance_km=None))
            for j, hit in enumerate(hits):
                hit.offer.receives_requests = (i + j) % 2 == 0
                for compact in (False, True):
                    context = {"hit": hit, "compact": compact}
                    assert new.render(context) == old.render(context), (plz, hit.offer.title)
                shown.add((hit.offer.pk, hit.offer.receives_requests))
    assert len(shown) >= 20

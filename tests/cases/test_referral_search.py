"""Searching an offer to refer a case to: every word, as the directory searches."""

from __future__ import annotations

import pytest

from wegweiser.cases.selectors import referral_offers
from wegweiser.directory.models import Offer
from wegweiser.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def _text(offer: Offer) -> str:
    places = " ".join(
        f"{p.location.postcode} {p.location.city}"
        for p in offer.placements.select_related("location")
    )
    return " ".join(
        [*offer.name.values(), *offer.description.values(), offer.organisation.name, places]
    ).casefold()


@pytest.mark.parametrize("query", ["Anerkennung Darmstadt", "Anerkennung Kassel", "Sprachkurs"])
def test_every_word_anywhere_like_the_directory(demo_directory, query):
    own = Organisation.objects.filter(offers__status=Offer.PUBLISHED).first()
    found = list(referral_offers(own, query, limit=None))
    assert found, query
    assert all(o.organisation_id != own.pk and o.status == Offer.PUBLISHED for o in found)
    for offer in found:
        text = _text(offer)
        assert all(word.casefold()[:5] in text for word in query.split()), offer.name


def test_two_words_find_what_the_exact_phrase_did_not(demo_directory):
    own = Organisation.objects.first()
    found = list(referral_offers(own, "Anerkennung Darmstadt", limit=None))
    assert any("anerkennung darmstadt" not in o.sort_name for o in found)

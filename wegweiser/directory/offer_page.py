"""The offer page for visitors: a published offer with what its page shows, and the page's
content as rendered, kept per process like the result lists' offers (``core.shared``;
docs/public.md, "Speed"). Staff, who may see their organisation's drafts, read
``selectors.offer_get`` each time and get the content rendered."""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import get_language

from wegweiser.core.shared import SharedObjects
from wegweiser.directory.models import Location, Offer, OfferLocation, OpeningHours
from wegweiser.directory.selectors import offer_get
from wegweiser.organisations.models import Organisation, Region
from wegweiser.programmes.models import FundingRound, Programme, Project, ProjectPartner

#: Published offers with what their page shows, for visitors: kept like the lists.
_MODELS = (
    Offer,
    OfferLocation,
    Location,
    OpeningHours,
    Organisation,
    Region,
    Project,
    ProjectPartner,
    FundingRound,
    Programme,
)
_PAGES = SharedObjects("offer-page", *_MODELS, deletes=(Offer,))
#: Each reading of an offer for ``_PAGES``, counted (``visitor_article`` keys by it).
_READS = itertools.count(1)
#: The content of a visitor's offer page as rendered, per offer, language, day (the note that
#: an offer may be outdated turns on a date) and whether its organisation takes requests;
#: forgotten when the offer's data change, like the offers. At most 4,000 (a page's content is
#: 3–20 KB in memory, so at most 40–80 MB per server process); beyond, it drops what is past
#: its hard limit (content of an earlier reading of its offer, never asked again), then starts
#: afresh
#: (the demo's 894 pages in six languages are more: a crawler of every page in every language
#: makes it start afresh now and then, which costs a render each, never a wrong page).
_ARTICLES = SharedObjects("offer-article", *_MODELS, limit=4_000, deletes=(Offer,))


def published_offer(offer_id) -> Offer:
    """``offer_get`` for a visitor (published only), a copy of the kept object.

    Raises ``Offer.DoesNotExist``."""
    key = str(offer_id)

    def load(keys: list[str]) -> dict[str, Offer]:
        try:
            offer = offer_get(offer_id)
        except (Offer.DoesNotExist, ValueError, ValidationError):
            return {}
        offer.kept_read = next(_READS)  # this reading of it (see visitor_article)
        return {key: offer}

    # noted before reading: a page rendered from this offer is kept under the generation it
    # was read in, so a change committed meanwhile by another thread never hides behind it
    generation = _PAGES.generation
    found = _PAGES.get_many([key], load)
    if key not in found:
        raise Offer.DoesNotExist
    offer = copy.copy(found[key])
    offer.kept_generation = generation
    return offer


def visitor_article(offer: Offer, render: Callable[[], str]) -> str:
    """The visitor's offer page content: kept, or ``render()`` and kept. Everything it shows
    comes from the kept offer (``published_offer``'s, read in ``offer.kept_generation``, its
    reading ``offer.kept_read``: an offer read afresh alone, past its hard limit, gets a new
    one) and the language, the day and ``offer.receives_requests``."""
    key = (
        str(offer.pk),
        offer.kept_generation,
        offer.kept_read,
        get_language(),
        timezone.localdate(),
        offer.receives_requests,
    )
    return _ARTICLES.get_many([key], lambda keys: {key: render()})[key]

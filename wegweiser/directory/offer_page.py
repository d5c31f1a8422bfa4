"""The offer page's object for visitors: a published offer with what its page shows, kept per
process like the result lists' offers (``core.shared``; docs/public.md, "Speed"). Staff, who
may see their organisation's drafts, read ``selectors.offer_get`` each time."""

from __future__ import annotations

import copy

from django.core.exceptions import ValidationError

from wegweiser.core.shared import SharedObjects
from wegweiser.directory.models import Location, Offer, OfferLocation, OpeningHours
from wegweiser.directory.selectors import offer_get
from wegweiser.organisations.models import Organisation, Region
from wegweiser.programmes.models import FundingRound, Programme, Project, ProjectPartner

#: Published offers with what their page shows, for visitors: kept like the lists.
_PAGES = SharedObjects(
    "offer-page",
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
    deletes=(Offer,),
)


def published_offer(offer_id) -> Offer:
    """``offer_get`` for a visitor (published only), a copy of the kept object.

    Raises ``Offer.DoesNotExist``."""
    key = str(offer_id)

    def load(keys: list[str]) -> dict[str, Offer]:
        try:
            return {key: offer_get(offer_id)}
        except (Offer.DoesNotExist, ValueError, ValidationError):
            return {}

    found = _PAGES.get_many([key], load)
    if key not in found:
        raise Offer.DoesNotExist
    return copy.copy(found[key])

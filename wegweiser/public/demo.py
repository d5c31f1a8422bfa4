"""``wegweiser demo`` step 45: a contact request from the self-check that nobody has taken over
yet, at the demo network of the case management (step 40), sent as a visitor would send it.
Synthetic, like all demo data; once."""

from __future__ import annotations

import datetime as dt

from wegweiser.cases import demo as cases_demo
from wegweiser.core.demo import DemoRun
from wegweiser.directory.models import Offer
from wegweiser.public.models import ContactRequest
from wegweiser.public.services import contact_request_create


def demo_step(run: DemoRun) -> None:
    found = cases_demo.demo_organisations()
    if found is None:
        return
    request = contact_request(found[0])
    if request is not None:
        run.stdout.write(f"demo contact request from the self-check: {request.reference}")


def contact_request(organisation) -> ContactRequest | None:
    """The demo contact request to ``organisation`` (``None`` if it has one already)."""
    if ContactRequest.objects.filter(organisation=organisation).exists():
        return None
    offer = (
        Offer.objects.filter(organisation=organisation, status=Offer.PUBLISHED)
        .order_by("sort_name")
        .first()
    )
    if offer is None:
        return None
    return contact_request_create(
        offer=offer,
        name=f"Hana Vorlage {cases_demo.DEMO_SUFFIX}",
        phone="0000 000001",
        language="ar",
        shared={"date_of_birth": dt.date(2000, 4, 1), "gender": "female"},
    )

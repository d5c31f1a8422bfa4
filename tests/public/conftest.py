"""A small directory for the contact tests: one organisation with a counsellor and an offer,
one without anybody on the platform (its offer can only be contacted directly)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from wegweiser.accounts.models import Membership, Role
from wegweiser.directory.models import Location, Offer, OfferLocation
from wegweiser.organisations.models import Organisation


def token_of(response) -> str:
    html = response if isinstance(response, str) else response.content.decode()
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


@pytest.fixture
def reachable(db):
    """An organisation with an active counsellor (and a team lead), and its published offer."""
    org = Organisation.objects.create(name="Beratung Nord", kind="beratungsstelle")
    offer = Offer.objects.create(
        organisation=org, name={"de": "Beratung zur Arbeit"}, status=Offer.PUBLISHED
    )
    User = get_user_model()
    counsellor = User.objects.create_user(
        "nord-beratung", email="beratung@nord.example", password="x"
    )
    lead = User.objects.create_user("nord-leitung", email="leitung@nord.example", password="x")
    Membership.objects.create(user=counsellor, organisation=org, role=Role.COUNSELLOR)
    Membership.objects.create(user=lead, organisation=org, role=Role.TEAM_LEAD)
    return {"org": org, "offer": offer, "counsellor": counsellor, "lead": lead}


@pytest.fixture
def unreachable(db):
    """An organisation nobody works for on the platform; its offer has its own contacts."""
    org = Organisation.objects.create(
        name="Verein Süd", kind="migrantenorganisation", phone="069 111111"
    )
    offer = Offer.objects.create(
        organisation=org,
        name={"de": "Sprachcafé Süd"},
        status=Offer.PUBLISHED,
        phone="069 222222",
        email="cafe@sued.example",
        contact_name="Frau Beispiel",
    )
    place = Location.objects.create(
        organisation=org,
        street="Hauptstraße 1",
        postcode="60311",
        city="Frankfurt am Main",
        lat=50.11,
        lon=8.68,
    )
    OfferLocation.objects.create(offer=offer, location=place)
    return {"org": org, "offer": offer}


def send_contact(client: Client, offer, lang: str = "de", **data):
    """Open the contact form of ``offer`` and send it; returns the response of the POST."""
    page = client.get(f"/{lang}/selbstcheck/kontakt/{offer.pk}/")
    assert page.status_code == 200, page.status_code
    body = {"token": token_of(page), "phone": "0151 2345678", "consent": "on", **data}
    return client.post(f"/{lang}/selbstcheck/kontakt/{offer.pk}/", body)


@pytest.fixture
def every_organisation_answers(demo_directory):
    """The demo directory, each organisation with a counsellor: every offer can be contacted
    (an organisation without an active counsellor gets no contact requests, tests/public/
    test_contacts.py)."""
    User = get_user_model()
    orgs = list(Organisation.objects.order_by("pk"))
    users = User.objects.bulk_create(
        [
            User(username=f"beratung-{i}", email=f"beratung-{i}@example.org")
            for i in range(len(orgs))
        ]
    )
    Membership.objects.bulk_create(
        [
            Membership(user=u, organisation=o, role=Role.COUNSELLOR)
            for u, o in zip(users, orgs, strict=True)
        ]
    )
    return demo_directory

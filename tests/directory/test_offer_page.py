"""The offer page's content is kept rendered for visitors (``directory.offer_page``): the kept
page equals a fresh one, and each part of it follows a change of its data at once."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.utils import timezone, translation

from wegweiser.accounts.models import Membership, Role
from wegweiser.directory.models import Location, Offer, OpeningHours
from wegweiser.organisations.models import Organisation

LANGUAGES = ("de", "ar", "uk", "fa", "tr", "en")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _page(client, offer: Offer, lang: str = "de") -> str:
    with translation.override(lang):
        url = offer.get_absolute_url()
    response = client.get(url)
    assert response.status_code == 200
    return CSRF.sub("", response.content.decode())


def _published(n: int | None = None):
    offers = Offer.objects.filter(status=Offer.PUBLISHED).order_by("sort_name")
    return offers if n is None else offers[:n]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_kept_page_equals_a_fresh_one(demo_directory, client, settings, lang):
    offers = list(_published()[::31])  # a spread of the demo's offers
    kept = [_page(client, offer, lang) for offer in offers]
    again = [_page(client, offer, lang) for offer in offers]
    settings.WEGWEISER_SHARED_READ_SECONDS = 0  # nothing kept: rendered as staff get it
    fresh = [_page(client, offer, lang) for offer in offers]
    assert kept == again == fresh


def test_the_kept_content_follows_its_data(demo_directory, client, django_user_model):
    offer = _published().filter(opening_hours__isnull=True).first() or _published().first()
    page = _page(client, offer)
    assert "Neuer Trägername (Test)" not in page

    organisation = Organisation.objects.get(pk=offer.organisation_id)
    organisation.name = "Neuer Trägername (Test)"
    organisation.save()
    assert "Neuer Trägername (Test)" in _page(client, offer)

    location = Location.objects.get(pk=offer.placements.first().location_id)
    location.street = "Teststraße 99"
    location.save()
    assert "Teststraße 99" in _page(client, offer)

    OpeningHours.objects.filter(offer=offer).delete()
    OpeningHours.objects.create(offer=offer, weekday=6, opens=dt.time(7, 15), closes=dt.time(8, 45))
    assert "07:15–08:45" in _page(client, offer)


def test_the_contact_button_follows_the_counsellors(demo_directory, client, django_user_model):
    from wegweiser.accounts.recipients import receiving_organisation_ids

    offers = _published()
    answering = receiving_organisation_ids(offers.values_list("organisation_id", flat=True))
    offer = offers.exclude(organisation_id__in=answering).first()
    assert "Kontakt anfragen" not in _page(client, offer)
    user = django_user_model.objects.create_user("beratung-test", password="x" * 20)
    Membership.objects.create(user=user, organisation=offer.organisation, role=Role.COUNSELLOR)
    assert "Kontakt anfragen" in _page(client, offer)


def test_the_outdated_note_follows_the_day(demo_directory, client):
    offer = _published().first()
    today = timezone.localdate()
    Offer.objects.filter(pk=offer.pk).update(last_verified=today - dt.timedelta(days=365))
    from wegweiser.core.shared import forget_all

    forget_all()  # an update sends no signal
    assert "Möglicherweise veraltet" not in _page(client, offer)
    with time_machine.travel(today + dt.timedelta(days=3), tick=True):
        assert "Möglicherweise veraltet" in _page(client, offer)


def test_a_page_rendered_from_an_offer_read_before_a_change_is_not_kept_after_it(
    demo_directory, client
):
    """A request of another thread read the offer, the offer changed and committed, and then
    that request kept what it rendered: the next visitor gets the changed offer all the same."""
    from wegweiser.accounts.recipients import receiving_organisation_ids
    from wegweiser.directory import offer_page

    offer = _published().first()
    _page(client, offer)
    old = offer_page.published_offer(offer.pk)
    old.receives_requests = old.organisation_id in receiving_organisation_ids([old.organisation_id])
    offer.name = {**offer.name, "de": "Nach der Änderung (Test)"}
    offer.save()
    with translation.override("de"):
        offer_page.visitor_article(old, lambda: "<p>Vor der Änderung (Test)</p>")
    page = _page(client, offer)
    assert "Nach der Änderung (Test)" in page
    assert "Vor der Änderung (Test)" not in page


def test_a_deleted_place_leaves_the_kept_page_at_once(demo_directory, client, django_user_model):
    from wegweiser.directory.services import location_delete

    offer = _published().first()
    location = Location.objects.get(pk=offer.placements.first().location_id)
    assert location.street in _page(client, offer)
    admin = django_user_model.objects.create_superuser("admin-test", password="x" * 20)
    location_delete([location], by=admin)
    assert location.street not in _page(client, offer)

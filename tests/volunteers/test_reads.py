"""Reads of volunteers' names in lists and proposals are audit-logged: one ``view`` entry per
volunteer and request, with where she was shown."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.volunteers.conftest import request_for
from wegweiser.audit.models import AuditEntry
from wegweiser.volunteers import services
from wegweiser.volunteers.models import Booking

pytestmark = pytest.mark.django_db


def _views(volunteer, where=None):
    entries = AuditEntry.objects.filter(
        action="view", object_type="volunteer", object_id=str(volunteer.pk)
    )
    return entries.filter(detail__shown_in=where) if where else entries


def test_the_list_logs_each_volunteer_once_per_request(client, side_a, side_b):
    a = side_a
    client.force_login(a.coordinator)
    client.get(reverse("volunteers:list"))
    assert _views(a.near, "list").count() == 1 and _views(a.far, "list").count() == 1
    assert _views(a.near, "list").get().actor == a.coordinator
    assert not _views(side_b.near).exists()  # another organisation's: not shown, not logged
    client.get(reverse("volunteers:list"))
    assert _views(a.near, "list").count() == 2  # a second request: a second entry


def test_proposals_log_the_volunteers_they_name(client, side_a):
    a = side_a
    booking = request_for(a)
    client.force_login(a.coordinator)
    page = client.get(reverse("volunteers:booking", kwargs={"booking_id": booking.pk}))
    assert a.near.first_name in page.content.decode()
    assert _views(a.near, "proposals").count() == 1
    assert _views(a.far, "proposals").count() == 1
    # the chosen volunteer on the booking's page: one more entry
    services.booking_propose(booking, by=a.coordinator, volunteer=a.near)
    services.booking_offer(booking, by=a.coordinator)
    services.booking_cancel(booking, by=a.coordinator)
    before = _views(a.near).count()
    client.get(reverse("volunteers:booking", kwargs={"booking_id": booking.pk}))
    assert _views(a.near).count() == before + 1


def test_the_reimbursement_page_logs_the_names_it_shows(client, side_a):
    a = side_a
    booking = request_for(a)
    services.booking_propose(booking, by=a.coordinator, volunteer=a.near)
    Booking.objects.filter(pk=booking.pk).update(status="done")
    booking.refresh_from_db()
    booking.request.starts_at = timezone.now() - dt.timedelta(hours=2)
    booking.request.save()
    services.hours_record(booking, by=a.coordinator, hours=Decimal(1), km=Decimal(0))
    client.force_login(a.coordinator)
    month = timezone.localtime(booking.request.starts_at).strftime("%Y-%m")
    client.get(
        reverse("volunteers:reimbursement", kwargs={"pool_id": a.pool.pk}) + f"?month={month}"
    )
    assert _views(a.near, "reimbursement").count() == 1
    assert not _views(a.far, "reimbursement").exists()  # no hours: not on the list

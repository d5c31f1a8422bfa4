"""Requests the coordinator makes herself, without a case: an interpreting appointment and a
tandem for a person known by a pseudonym and a contact, through the pages, the services, the
lifecycle up to the hours, and the audit log."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.volunteers.conftest import next_weekday
from wegweiser.audit.models import AuditEntry
from wegweiser.volunteers import matching, selectors, services
from wegweiser.volunteers.errors import NotAllowed, VolunteerError
from wegweiser.volunteers.models import Assignment, Booking, InterpretingRequest, Tandem

pytestmark = pytest.mark.django_db


def _form(side, **extra):
    starts = next_weekday()
    return {
        "person_label": "Frau K.",
        "person_contact": "0641 555 123",
        "pool": str(side.pool.pk),
        "institution": "Grundschule Gießen",
        "day": starts.date().isoformat(),
        "time": "10:00",
        "duration_minutes": "60",
        "mode": "on_site",
        "address": "Schulweg 3, 35390 Gießen",
        "postcode": "35390",
        "language": "ar",
        "topic": "school",
        "setting": "parents",
        **extra,
    }


def test_coordinator_requests_an_interpreter_without_a_case(client, side_a):
    a = side_a
    client.force_login(a.coordinator)
    response = client.post(reverse("volunteers:direct-request-new"), _form(a))
    booking = Booking.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "volunteers:booking", kwargs={"booking_id": booking.pk}
    )
    req = booking.request
    assert req.case is None and req.requesting_organisation == a.org
    assert (req.person_label, req.person_contact) == ("Frau K.", "0641 555 123")
    entry = AuditEntry.objects.get(action="create", object_id=str(booking.pk))
    assert entry.actor == a.coordinator and entry.detail["direct"] is True
    assert "Frau K." not in str(entry.detail)
    page = client.get(response["Location"]).content.decode()
    assert "Frau K." in page and "0641 555 123" in page
    assert a.near.first_name in page  # proposals with reasons, as for a case's request

    # the same lifecycle; the volunteer never sees the person
    services.booking_propose(booking, by=a.coordinator, volunteer=a.near)
    _booking, token = services.booking_offer(booking, by=a.coordinator)
    answer = client.get(reverse("volunteers:answer", kwargs={"answer_token": token}))
    assert "Frau K." not in answer.content.decode()
    services.booking_answer_by_link(token, accept=True)
    booking.refresh_from_db()
    services.booking_confirm(booking, by=a.coordinator)
    client.force_login(a.volunteer_user)
    assert "Frau K." not in client.get(reverse("volunteers:me")).content.decode()

    # she confirms that it took place (she is the requester), the volunteer enters hours
    client.force_login(a.coordinator)
    done_url = reverse("volunteers:direct-booking-done", kwargs={"booking_id": booking.pk})
    client.post(done_url)
    booking.refresh_from_db()
    assert booking.status == "confirmed"  # not yet: the appointment is in the future
    InterpretingRequest.objects.filter(pk=req.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=3)
    )
    client.post(done_url)
    booking.refresh_from_db()
    assert booking.status == "done"
    services.hours_record(booking, by=a.volunteer_user, hours=Decimal(2), km=Decimal(6))
    assert Assignment.objects.get(booking=booking).self_entered


def test_the_person_is_required_and_only_own_pools(client, side_a, side_b):
    a = side_a
    client.force_login(a.coordinator)
    page = client.post(reverse("volunteers:direct-request-new"), _form(a, person_label=" "))
    assert page.status_code == 200 and not Booking.objects.exists()
    foreign = client.post(
        reverse("volunteers:direct-request-new"), _form(a, pool=str(side_b.pool.pk))
    )
    assert foreign.status_code == 200 and not Booking.objects.exists()
    with pytest.raises(VolunteerError):
        services.coordinator_interpreting_request(
            by=a.coordinator, pool=a.pool, person_label="  ", **_fields()
        )
    for user in (a.counsellor, side_b.coordinator, a.volunteer_user):
        with pytest.raises(NotAllowed):
            services.coordinator_interpreting_request(
                by=user, pool=a.pool, person_label="Frau K.", **_fields()
            )
        with pytest.raises(NotAllowed):
            services.coordinator_tandem_request(
                by=user, pool=a.pool, person_label="Herr M.", language="ar", topic="everyday"
            )
    assert not Booking.objects.exists() and not Tandem.objects.exists()


def _fields():
    return dict(
        institution="Kita",
        starts_at=next_weekday(),
        duration_minutes=60,
        mode="phone",
        address="0641 1",
        language="ar",
        topic="school",
        setting="parents",
    )


def test_a_counsellors_request_is_not_closed_by_the_coordinator(side_a):
    from tests.volunteers.conftest import request_for

    a = side_a
    booking = request_for(a)
    Booking.objects.filter(pk=booking.pk).update(status="confirmed")
    booking.refresh_from_db()
    InterpretingRequest.objects.filter(pk=booking.request_id).update(
        starts_at=timezone.now() - dt.timedelta(hours=3)
    )
    booking.refresh_from_db()
    with pytest.raises(NotAllowed):  # the counsellor's request: she confirms it
        services.booking_done_direct(booking, by=a.coordinator)


def test_coordinator_requests_a_tandem_without_a_case_and_continuity_holds(client, side_a):
    a = side_a
    client.force_login(a.coordinator)
    response = client.post(
        reverse("volunteers:direct-tandem-new"),
        {
            "person_label": "Herr M.",
            "pool": str(a.pool.pk),
            "language": "ar",
            "topic": "everyday",
            "postcode": "35390",
        },
    )
    tandem = Tandem.objects.get()
    assert response["Location"] == reverse("volunteers:tandem", kwargs={"tandem_id": tandem.pk})
    assert tandem.case is None and tandem.person_label == "Herr M."
    assert AuditEntry.objects.filter(action="tandem_step", object_id=str(tandem.pk)).exists()
    services.tandem_start(tandem, by=a.coordinator, volunteer=a.far, on=timezone.localdate())
    # an appointment for the same person later: far went with him before (continuity)
    booking = services.coordinator_interpreting_request(
        by=a.coordinator, pool=a.pool, person_label=" herr m. ", **_fields()
    )
    ranked = selectors.proposals(booking)
    far = next(p for p, v in ranked if v == a.far)
    assert any(r.criterion == matching.CONTINUITY and r.value is True for r in far.reasons)


def test_the_person_without_a_case_is_erased_on_request(client, side_a, side_b):
    a = side_a
    booking = services.coordinator_interpreting_request(
        by=a.coordinator, pool=a.pool, person_label="Frau K.", person_contact="0641 1", **_fields()
    )
    with pytest.raises(NotAllowed):
        services.person_forget(booking, by=side_b.coordinator)
    client.force_login(a.coordinator)
    url = reverse("volunteers:booking", kwargs={"booking_id": booking.pk})
    client.post(
        reverse("volunteers:booking-step", kwargs={"booking_id": booking.pk}), {"step": "forget"}
    )
    booking.request.refresh_from_db()
    assert (booking.request.person_label, booking.request.person_contact) == ("", "")
    assert "Frau K." not in client.get(url).content.decode()
    assert AuditEntry.objects.filter(action="erase", object_id=str(booking.request_id)).exists()
    with pytest.raises(VolunteerError):  # nothing left to erase
        services.person_forget(booking, by=a.coordinator)
    tandem = services.coordinator_tandem_request(
        by=a.coordinator, pool=a.pool, person_label="Herr M.", language="ar", topic="everyday"
    )
    client.post(reverse("volunteers:tandem", kwargs={"tandem_id": tandem.pk}), {"action": "forget"})
    tandem.refresh_from_db()
    assert tandem.person_label == "" and Tandem.objects.filter(pk=tandem.pk).exists()

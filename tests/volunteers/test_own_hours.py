"""A volunteer enters her own hours, kilometres and expenses for her done bookings and her
tandems; the limits hold, the coordinator sees and corrects them, and they reach the monthly
reimbursement export. Real database, audit log and pages."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.volunteers.conftest import request_for
from wegweiser.audit.models import AuditEntry
from wegweiser.volunteers import services
from wegweiser.volunteers.errors import NotAllowed, VolunteerError
from wegweiser.volunteers.models import Assignment, Booking

pytestmark = pytest.mark.django_db


def _done(side, volunteer=None, mode="on_site", **fields):
    """A booking of ``volunteer`` (Nadia by default) that took place two hours ago."""
    booking = request_for(side, mode=mode, **fields)
    volunteer = volunteer or side.near
    services.booking_propose(booking, by=side.coordinator, volunteer=volunteer)
    services.booking_offer(booking, by=side.coordinator)
    Booking.objects.filter(pk=booking.pk).update(status="confirmed")
    booking.request.starts_at = timezone.now() - dt.timedelta(hours=2)
    booking.request.save()
    booking.refresh_from_db()
    services.booking_done(booking, by=side.counsellor)
    return booking


def _tandem(side, started=None):
    tandem = services.tandem_request(
        by=side.counsellor,
        organisation=side.org,
        pool=side.pool,
        case=side.case,
        language="ar",
        topic="everyday",
    )
    started = started or timezone.localdate() - dt.timedelta(days=20)
    return services.tandem_start(tandem, by=side.coordinator, volunteer=side.near, on=started)


def test_volunteer_enters_her_hours_on_her_page_and_they_reach_the_export(client, side_a):
    a = side_a
    booking = _done(a)
    client.force_login(a.volunteer_user)
    url = reverse("volunteers:me")
    page = client.get(url).content.decode()
    assert f'name="booking-{booking.pk}-hours"' in page
    prefix = f"booking-{booking.pk}"
    response = client.post(
        url,
        {
            "part": "booking",
            "booking": str(booking.pk),
            f"{prefix}-hours": "2",
            f"{prefix}-km": "12",
            f"{prefix}-expenses": "3.50",
        },
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get(booking=booking)
    # 2 h x 10 € + 12 km x 0.30 € + 3.50 € expenses
    assert assignment.costs == Decimal("27.10") and assignment.self_entered
    entry = AuditEntry.objects.get(object_id=str(assignment.pk))
    assert entry.actor == a.volunteer_user and entry.detail["self_entered"] is True

    # the coordinator sees it marked as her own entry
    client.force_login(a.coordinator)
    detail = client.get(reverse("volunteers:booking", kwargs={"booking_id": booking.pk}))
    assert "selbst eingetragen" in detail.content.decode()

    month = timezone.localtime(booking.request.starts_at).strftime("%Y-%m")
    kw = {"pool_id": a.pool.pk}
    text = client.get(reverse("volunteers:export-csv", kwargs=kw) + f"?month={month}")
    rows = list(csv.reader(io.StringIO(text.content.decode()), delimiter=";"))
    assert rows[1][:5] == ["Ehrenamt", a.near.first_name, "2,00", "12,0", "27,10"]


def test_limits_of_her_own_hours(side_a):
    a = side_a
    booking = _done(a)  # 90 minutes on site: at most 1.5 + 3 hours
    own = a.volunteer_user
    for hours, km, expenses in [
        (Decimal("-1"), Decimal(0), Decimal(0)),
        (Decimal(0), Decimal(0), Decimal(0)),
        (Decimal(1), Decimal("-2"), Decimal(0)),
        (Decimal(1), Decimal(0), Decimal("-0.01")),
        (Decimal("4.51"), Decimal(0), Decimal(0)),
        (Decimal(1), Decimal(81), Decimal(0)),  # radius 30: 2 x 30 + 20
        (Decimal(1), Decimal(0), Decimal("200.01")),
    ]:
        with pytest.raises(VolunteerError):
            services.hours_record(booking, by=own, hours=hours, km=km, expenses=expenses)
    assert not Assignment.objects.exists()
    services.hours_record(booking, by=own, hours=Decimal("4.5"), km=Decimal(80))
    assert Assignment.objects.get().hours == Decimal("4.5")


def test_no_kilometres_on_the_phone_and_not_over_a_day(side_a):
    a = side_a
    phone = _done(a, mode="phone")
    with pytest.raises(VolunteerError):
        services.hours_record(phone, by=a.volunteer_user, hours=Decimal(1), km=Decimal(5))
    with pytest.raises(VolunteerError):  # no travel time on the phone
        services.hours_record(phone, by=a.volunteer_user, hours=Decimal(2), km=Decimal(0))
    services.hours_record(phone, by=a.volunteer_user, hours=Decimal("1.5"), km=Decimal(0))
    tandem = _tandem(a)
    # the day of the phone appointment (two hours ago: yesterday just after midnight)
    day = timezone.localdate(phone.request.starts_at)
    services.tandem_hours(tandem, by=a.volunteer_user, on=day, minutes=600)
    services.tandem_hours(tandem, by=a.volunteer_user, on=day, minutes=240)
    with pytest.raises(VolunteerError):  # 1.5 + 10 + 4 + 1 > 16 hours that day
        services.tandem_hours(tandem, by=a.volunteer_user, on=day, minutes=60)


def test_only_her_own_and_not_after_the_coordinator(side_a, side_b):
    a = side_a
    hers = _done(a)
    not_hers = _done(a, volunteer=a.far)
    with pytest.raises(NotAllowed):
        services.hours_record(not_hers, by=a.volunteer_user, hours=Decimal(1), km=Decimal(0))
    with pytest.raises(NotAllowed):  # another organisation's volunteer
        services.hours_record(hers, by=side_b.volunteer_user, hours=Decimal(1), km=Decimal(0))
    with pytest.raises(NotAllowed):  # the requester does not enter hours
        services.hours_record(hers, by=a.counsellor, hours=Decimal(1), km=Decimal(0))
    open_booking = request_for(a)
    services.booking_propose(open_booking, by=a.coordinator, volunteer=a.near)
    with pytest.raises(VolunteerError):  # not yet taken place
        services.hours_record(open_booking, by=a.volunteer_user, hours=Decimal(1), km=Decimal(0))
    services.hours_record(hers, by=a.volunteer_user, hours=Decimal(2), km=Decimal(10))
    services.hours_record(hers, by=a.volunteer_user, hours=Decimal(3), km=Decimal(10))  # again
    assert Assignment.objects.get(booking=hers).hours == Decimal(3)
    # the coordinator corrects: her entry, no longer the volunteer's to change
    services.hours_record(hers, by=a.coordinator, hours=Decimal("1.5"), km=Decimal(10))
    corrected = Assignment.objects.get(booking=hers)
    assert corrected.hours == Decimal("1.5") and not corrected.self_entered
    assert AuditEntry.objects.filter(
        object_id=str(corrected.pk), actor=a.coordinator, detail__corrected=True
    ).exists()
    with pytest.raises(VolunteerError):
        services.hours_record(hers, by=a.volunteer_user, hours=Decimal(3), km=Decimal(10))


def test_tandem_contacts_entered_by_her_and_corrected_by_the_coordinator(client, side_a):
    a = side_a
    tandem = _tandem(a)
    today = timezone.localdate()
    client.force_login(a.volunteer_user)
    prefix = f"tandem-{tandem.pk}"
    client.post(
        reverse("volunteers:me"),
        {
            "part": "tandem",
            "tandem": str(tandem.pk),
            f"{prefix}-on": today.isoformat(),
            f"{prefix}-minutes": "90",
            f"{prefix}-km": "4",
            f"{prefix}-expenses": "",
        },
    )
    assignment = Assignment.objects.get(tandem=tandem)
    assert assignment.hours == Decimal("1.5") and assignment.costs == Decimal("16.20")
    assert assignment.self_entered and tandem.meetings.filter(kind="contact").count() == 1
    for day in (today + dt.timedelta(days=1), tandem.started_on - dt.timedelta(days=1)):
        with pytest.raises(VolunteerError):  # in the future, before the start
            services.tandem_hours(tandem, by=a.volunteer_user, on=day, minutes=60)

    client.force_login(a.coordinator)
    url = reverse("volunteers:tandem", kwargs={"tandem_id": tandem.pk})
    assert "selbst eingetragen" in client.get(url).content.decode()
    p = f"a-{assignment.pk}"
    client.post(
        url,
        {
            "action": "correct",
            "assignment": str(assignment.pk),
            f"{p}-hours": "1",
            f"{p}-km": "4",
            f"{p}-expenses": "0",
        },
    )
    assignment.refresh_from_db()
    assert assignment.hours == Decimal(1) and assignment.costs == Decimal("11.20")
    assert not assignment.self_entered
    bad = client.post(
        url,
        {"action": "correct", "assignment": str(assignment.pk), f"{p}-hours": "1", f"{p}-km": "-4"},
    )
    assert bad.status_code == 200
    assignment.refresh_from_db()
    assert assignment.km == Decimal(4)
    with pytest.raises(NotAllowed):  # the volunteer does not correct
        services.assignment_correct(
            assignment, by=a.volunteer_user, hours=Decimal(2), km=Decimal(0)
        )

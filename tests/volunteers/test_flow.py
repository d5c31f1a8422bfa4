"""The lifecycle of an interpreting booking and of a tandem through the pages and services, with
real mail (``mail.outbox``), the database and the audit log."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import icalendar
import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.volunteers.conftest import add_volunteer, next_weekday, request_for
from wegweiser.audit.models import AuditEntry
from wegweiser.volunteers import selectors, services
from wegweiser.volunteers.errors import NotAllowed, VolunteerError
from wegweiser.volunteers.models import Assignment, Booking, Tandem

pytestmark = pytest.mark.django_db


def _post(client, user, url, data=None):
    client.force_login(user)
    return client.post(url, data or {})


def test_interpreting_request_to_reimbursement(client, side_a, django_capture_on_commit_callbacks):
    a = side_a
    client.force_login(a.counsellor)
    starts = next_weekday()
    response = client.post(
        reverse("volunteers:request-new", kwargs={"case_id": a.case.pk}),
        {
            "pool": str(a.pool.pk),
            "institution": "Jobcenter Gießen",
            "day": starts.date().isoformat(),
            "time": "10:00",
            "duration_minutes": "90",
            "mode": "on_site",
            "address": "Amtsweg 1, 35390 Gießen",
            "postcode": "35390",
            "language": "ar",
            "topic": "authority",
            "setting": "counselling",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    booking = Booking.objects.get()
    assert booking.request.case == a.case and not booking.request.urgent

    # the coordinator sees the proposals with their reasons, the nearest first
    client.force_login(a.coordinator)
    page = client.get(reverse("volunteers:booking", kwargs={"booking_id": booking.pk}))
    text = page.content.decode()
    assert a.near.first_name in text and a.far.first_name in text
    assert text.index(a.near.first_name) < text.index(a.far.first_name)
    assert "Entfernung" in text and "Kontinuität" in text
    client.post(
        reverse("volunteers:booking-propose", kwargs={"booking_id": booking.pk}),
        {"volunteer": str(a.near.pk)},
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("volunteers:booking-step", kwargs={"booking_id": booking.pk}),
            {"step": "offer"},
        )
    booking.refresh_from_db()
    assert booking.status == "offered" and booking.volunteer == a.near
    offer_mail = mail.outbox[-1]
    assert offer_mail.to == [a.near.email]
    token = re.search(r"/antwort/([^/]+)/", offer_mail.body).group(1)
    assert "Geheimname" not in offer_mail.body

    # the volunteer answers by link: nothing of the person, not even the address, before
    client.logout()
    url = reverse("volunteers:answer", kwargs={"answer_token": token})
    page = client.get(url).content.decode()
    assert "Geheimname" not in page and "Amtsweg" not in page
    done = client.post(url, {"decision": "accept"}).content.decode()
    assert "Amtsweg" in done and "Geheimname" not in done
    assert client.get(url).status_code == 404  # used once

    # confirmed to the requester: mail with the first name and an .ics
    mail.outbox.clear()
    client.force_login(a.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("volunteers:booking-step", kwargs={"booking_id": booking.pk}),
            {"step": "confirm"},
        )
    to_requester = next(m for m in mail.outbox if m.to == [a.counsellor.email])
    assert a.near.first_name in to_requester.body
    name, content, mimetype = to_requester.attachments[0]
    assert name.endswith(".ics") and mimetype == "text/calendar"
    event = icalendar.Calendar.from_ical(content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == booking.request.starts_at
    assert {m.to[0] for m in mail.outbox} == {a.counsellor.email, a.near.email}

    # the appointment took place: the requester confirms, the coordinator records hours
    Booking.objects.filter(pk=booking.pk)  # (moved into the past, as time would)
    booking.request.starts_at = timezone.now() - dt.timedelta(hours=2)
    booking.request.save()
    client.force_login(a.counsellor)
    client.post(reverse("volunteers:booking-done", kwargs={"booking_id": booking.pk}))
    booking.refresh_from_db()
    assert booking.status == "done"
    client.force_login(a.coordinator)
    client.post(
        reverse("volunteers:booking-hours", kwargs={"booking_id": booking.pk}),
        {"hours": "1.5", "km": "10"},
    )
    assignment = Assignment.objects.get()
    assert assignment.costs == Decimal("18.00")  # 1.5 h x 10 € + 10 km x 0.30 €

    month = timezone.localtime(booking.request.starts_at).strftime("%Y-%m")
    kw = {"pool_id": a.pool.pk}
    csv_text = client.get(reverse("volunteers:export-csv", kwargs=kw) + f"?month={month}")
    rows = list(csv.reader(io.StringIO(csv_text.content.decode()), delimiter=";"))
    assert rows[1][:5] == ["Ehrenamt", a.near.first_name, "1,50", "10,0", "18,00"]
    xlsx = client.get(reverse("volunteers:export-xlsx", kwargs=kw) + f"?month={month}")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in sheet[2]][:5] == ["Ehrenamt", a.near.first_name, 1.5, 10, 18]
    assert AuditEntry.objects.filter(action="export", object_id=str(a.pool.pk)).count() == 2


def test_a_declined_volunteer_is_not_proposed_again(side_a):
    a = side_a
    booking = request_for(a)
    services.booking_propose(booking, by=a.coordinator, volunteer=a.near)
    _b, token = services.booking_offer(booking, by=a.coordinator)
    services.booking_answer_by_link(token, accept=False)
    booking.refresh_from_db()
    assert booking.status == "declined" and booking.volunteer is None
    assert [v for _p, v in selectors.proposals(booking)] == [a.far]
    with pytest.raises(VolunteerError):
        services.booking_answer_by_link(token, accept=True)


def test_overlapping_booking_and_continuity(side_a):
    a = side_a
    first = request_for(a)
    services.booking_propose(first, by=a.coordinator, volunteer=a.near)
    second = request_for(a, starts=first.request.starts_at + dt.timedelta(minutes=30))
    assert [v for _p, v in selectors.proposals(second)] == [a.far]  # near is booked
    # continuity: after a done appointment with the same person, far ranks first
    past = request_for(a, starts=timezone.now() + dt.timedelta(minutes=5))
    Booking.objects.filter(pk=past.pk).update(status="done", volunteer=a.far)
    third = request_for(a, starts=first.request.starts_at + dt.timedelta(days=1))
    ranked = selectors.proposals(third)
    assert ranked[0][1] == a.far
    assert any(r.criterion == "continuity" and r.points < 0 for r in ranked[0][0].reasons)


def test_urgent_and_late_cancellation(side_a):
    a = side_a
    soon = request_for(a, starts=timezone.now() + dt.timedelta(hours=20))
    assert soon.request.urgent
    services.booking_propose(soon, by=a.coordinator, volunteer=a.near)
    services.booking_cancel(soon, by=a.counsellor)
    soon.refresh_from_db()
    assert soon.status == "cancelled" and soon.late_cancellation
    services.hours_record(soon, by=a.coordinator, hours=Decimal("1"), km=Decimal("0"))
    early = request_for(a)
    services.booking_cancel(early, by=a.counsellor)
    early.refresh_from_db()
    assert not early.late_cancellation


def test_reminder_the_day_before_once(side_a, django_capture_on_commit_callbacks):
    a = side_a
    tomorrow = timezone.make_aware(
        dt.datetime.combine(timezone.localdate() + dt.timedelta(days=1), dt.time(11))
    )
    booking = request_for(a, starts=tomorrow)
    services.booking_propose(booking, by=a.coordinator, volunteer=a.near)
    _b, token = services.booking_offer(booking, by=a.coordinator)
    booking = services.booking_answer_by_link(token, accept=True)
    services.booking_confirm(booking, by=a.coordinator)
    mail.outbox.clear()
    call_command("volunteer_reminders")
    call_command("volunteer_reminders")
    assert len(mail.outbox) == 1
    assert set(mail.outbox[0].to) == {a.near.email, a.counsellor.email}
    assert mail.outbox[0].attachments[0][0].endswith(".ics")


def test_services_check_the_role_again(side_a, side_b):
    booking = request_for(side_a)
    with pytest.raises(NotAllowed):
        services.booking_propose(booking, by=side_b.coordinator, volunteer=side_a.near)
    with pytest.raises(NotAllowed):
        services.booking_propose(booking, by=side_a.counsellor, volunteer=side_a.near)
    with pytest.raises(VolunteerError):
        services.booking_propose(booking, by=side_a.coordinator, volunteer=side_b.near)


def test_another_organisations_volunteer_answers_404_and_reads_are_logged(client, side_a, side_b):
    client.force_login(side_a.coordinator)
    own = reverse("volunteers:volunteer", kwargs={"volunteer_id": side_a.near.pk})
    foreign = reverse("volunteers:volunteer", kwargs={"volunteer_id": side_b.near.pk})
    assert client.get(foreign).status_code == 404
    assert client.get(own).status_code == 200
    assert AuditEntry.objects.filter(action="view", object_id=str(side_a.near.pk)).count() == 1
    assert not AuditEntry.objects.filter(object_id=str(side_b.near.pk), action="view").exists()


def test_tandem_from_request_to_end(client, side_a):
    a = side_a
    client.force_login(a.counsellor)
    client.post(
        reverse("volunteers:tandem-new", kwargs={"case_id": a.case.pk}),
        {"pool": str(a.pool.pk), "language": "ar", "topic": "everyday", "postcode": "35390"},
    )
    tandem = Tandem.objects.get()
    a.far.max_tandems = 0  # takes no tandem
    a.far.save()
    client.force_login(a.coordinator)
    url = reverse("volunteers:tandem", kwargs={"tandem_id": tandem.pk})
    page = client.get(url).content.decode()
    assert a.near.first_name in page and a.far.first_name not in page  # far: no tandems
    client.post(url, {"action": "start", "volunteer": str(a.near.pk)})
    today = timezone.localdate().isoformat()
    client.post(
        url,
        {
            "action": "meeting",
            "meeting-kind": "contact",
            "meeting-on": today,
            "meeting-minutes": "90",
        },
    )
    client.post(
        url,
        {
            "action": "meeting",
            "meeting-kind": "supervision",
            "meeting-on": today,
            "meeting-minutes": "60",
        },
    )
    client.post(url, {"action": "end", "end-on": today, "end-outcome": "goal_reached"})
    tandem.refresh_from_db()
    assert tandem.status == "ended" and tandem.outcome == "goal_reached"
    assert tandem.meetings.count() == 2
    assert Assignment.objects.get(tandem=tandem).hours == Decimal("1.50")


def test_allowance_warning(side_a):
    a = side_a
    a.pool.allowance_eur = Decimal("100")
    a.pool.save()
    today = timezone.localdate()
    Assignment.objects.create(
        volunteer=a.near, on=today, hours=Decimal(9), km=0, costs=Decimal("95.00")
    )
    add_volunteer(a.pool, "Ohne")
    rows = selectors.reimbursement(a.pool, today.year, today.month)
    assert len(rows) == 1 and rows[0].near_allowance and not rows[0].over_allowance


def test_volunteer_sees_only_her_own(client, side_a, side_b):
    request_for(side_b)
    client.force_login(side_a.volunteer_user)
    page = client.get(reverse("volunteers:me")).content.decode()
    assert side_a.pool.name in page and side_b.pool.name not in page
    assert client.get(reverse("volunteers:dashboard")).status_code == 403


def test_volunteer_export_and_erasure(client, side_a):
    a = side_a
    client.force_login(a.coordinator)
    kw = {"volunteer_id": a.near.pk}
    data = client.get(reverse("volunteers:volunteer-export", kwargs=kw)).json()
    assert data["first_name"] == a.near.first_name and data["languages"][0]["language"] == "ar"
    Assignment.objects.create(volunteer=a.near, on=timezone.localdate(), hours=1, km=0, costs=10)
    client.post(reverse("volunteers:volunteer-erase", kwargs=kw))  # without confirmation
    a.near.refresh_from_db()
    assert a.near.first_name != "–"
    client.post(reverse("volunteers:volunteer-erase", kwargs=kw), {"confirm": "yes"})
    a.near.refresh_from_db()
    assert a.near.first_name == "–" and a.near.email == "" and not a.near.languages.exists()
    assert Assignment.objects.filter(volunteer=a.near).count() == 1
    assert AuditEntry.objects.filter(object_id=str(a.near.pk), action="erase").exists()
    assert AuditEntry.objects.filter(object_id=str(a.near.pk), action="export").exists()


def test_pool_settings(client, side_a):
    client.force_login(side_a.coordinator)
    url = reverse("volunteers:pool", kwargs={"pool_id": side_a.pool.pk})
    client.post(
        url,
        {"name": "Pool A", "lead_days": "3", "late_cancel_hours": "48", "allowance_eur": "900"},
    )
    side_a.pool.refresh_from_db()
    assert (side_a.pool.lead_days, side_a.pool.late_cancel_hours) == (3, 48)
    assert side_a.pool.allowance_eur == Decimal("900")


def test_volunteer_answers_and_keeps_her_times_on_her_page(client, side_a, side_b):
    a = side_a
    booking = request_for(a)
    services.booking_propose(booking, by=a.coordinator, volunteer=a.near)
    services.booking_offer(booking, by=a.coordinator)
    other = request_for(a, starts=next_weekday(days=12))
    services.booking_propose(other, by=a.coordinator, volunteer=a.far)
    services.booking_offer(other, by=a.coordinator)
    client.force_login(a.volunteer_user)
    url = reverse("volunteers:me")
    page = client.get(url).content.decode()
    assert "Geheimname" not in page and "Amtsweg" not in page
    client.post(url, {"booking": str(other.pk), "decision": "accept"})  # not hers
    other.refresh_from_db()
    assert other.status == "offered"
    client.post(url, {"booking": str(booking.pk), "decision": "accept"})
    booking.refresh_from_db()
    assert booking.status == "accepted"
    before = a.near.slots.count()
    client.post(
        url, {"part": "slot", "slot-weekday": "2", "slot-start": "09:00", "slot-end": "12:00"}
    )
    assert a.near.slots.count() == before + 1
    with pytest.raises(NotAllowed):  # languages are the coordinator's
        services.volunteer_part_add(
            a.near, by=a.volunteer_user, part="language", language="so", level=5
        )


def test_the_next_weeks_planned_together_without_overlap(client, side_a):
    a = side_a
    starts = next_weekday()
    one = request_for(a, starts=starts)
    two = request_for(a, starts=starts + dt.timedelta(minutes=30))  # overlaps one
    client.force_login(a.coordinator)
    url = reverse("volunteers:week")
    page = client.get(url).content.decode()
    assert a.near.first_name in page and a.far.first_name in page
    client.post(url)
    one.refresh_from_db()
    two.refresh_from_db()
    assert {one.status, two.status} == {"proposed"}
    assert {one.volunteer, two.volunteer} == {a.near, a.far}

"""Mail of the bookings: the confirmation with an ``.ics`` attachment (``icalendar``) to the
requester and the volunteer, the offer with its answer link, the reminder the day before.

Sent after the transaction commits (``core.commit.after_commit``): a failing mail
server never undoes a booking. The offer names no person, only language, day and place kind.
"""

from __future__ import annotations

import datetime as dt

import icalendar
from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wegweiser.core.commit import after_commit
from wegweiser.core.labels import language_name


def calendar(booking) -> bytes:
    """The appointment as an iCalendar file (one VEVENT)."""
    req = booking.request
    cal = icalendar.Calendar()
    cal.add("prodid", "-//wegweiser//volunteers//DE")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    event = icalendar.Event()
    event.add("uid", f"{booking.pk}@wegweiser")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", req.starts_at)
    event.add("dtend", req.starts_at + dt.timedelta(minutes=req.duration_minutes))
    event.add("summary", _("Dolmetschen: %(language)s") % {"language": language_name(req.language)})
    event.add("location", req.address)
    cal.add_component(event)
    return cal.to_ical()


def _url(name: str, **kwargs) -> str:
    return f"{settings.SITE_URL}{reverse(name, kwargs=kwargs)}"


def _send(subject: str, body: str, to: list[str], ics: bytes | None = None) -> None:
    to = [a for a in to if a]
    if not to:
        return
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, to)
    if ics is not None:
        message.attach("termin.ics", ics, "text/calendar")
    message.send()


def confirmation(booking) -> None:
    """Confirmed: the requester learns the interpreter's first name; both get the .ics."""
    req = booking.request
    when = timezone.localtime(req.starts_at)
    body = _(
        "Der Dolmetscheinsatz am %(day)s um %(time)s ist bestätigt. Es kommt %(name)s "
        "(%(language)s). Ort: %(place)s"
    ) % {
        "day": when.strftime("%d.%m.%Y"),
        "time": when.strftime("%H:%M"),
        "name": booking.volunteer.first_name,
        "language": language_name(req.language),
        "place": req.address,
    }
    ics = calendar(booking)
    subject = _("Dolmetscheinsatz bestätigt")
    after_commit(_send, subject, body, [req.requested_by.email], ics)
    after_commit(_send, subject, body, [booking.volunteer.email], ics)


def offer(booking, token: str) -> None:
    """The volunteer gets the answer link (no personal data of the person)."""
    req = booking.request
    when = timezone.localtime(req.starts_at)
    body = _(
        "Eine Anfrage für einen Dolmetscheinsatz (%(language)s) am %(day)s um %(time)s. "
        "Bitte sagen Sie zu oder ab: %(url)s"
    ) % {
        "language": language_name(req.language),
        "day": when.strftime("%d.%m.%Y"),
        "time": when.strftime("%H:%M"),
        "url": _url("volunteers:answer", answer_token=token),
    }
    after_commit(_send, _("Anfrage für einen Dolmetscheinsatz"), body, [booking.volunteer.email])


def reminder(booking) -> None:
    req = booking.request
    when = timezone.localtime(req.starts_at)
    body = _("Erinnerung: Dolmetscheinsatz morgen um %(time)s. Ort: %(place)s") % {
        "time": when.strftime("%H:%M"),
        "place": req.address,
    }
    _send(
        _("Erinnerung an Ihren Dolmetscheinsatz"),
        body,
        [booking.volunteer.email, req.requested_by.email],
        calendar(booking),
    )

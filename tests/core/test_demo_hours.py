"""`wegweiser demo` works at every hour of the day, midnight included.

The demo dates its appointments, follow-ups and hours relative to "now". A run between 00:00 and
00:10 Berlin time once failed: the interpreting demo booked "today at 00:05" as already begun and
marked it done, which the service rightly refused. The clock is set with ``time-machine``
(it moves on while the demo runs).
"""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from wegweiser.volunteers.models import Booking, BookingStatus

BERLIN = ZoneInfo("Europe/Berlin")

HOURS = [
    dt.datetime(2026, 12, 4, 0, 0, 30, tzinfo=BERLIN),  # just after midnight
    dt.datetime(2026, 12, 4, 0, 7, tzinfo=BERLIN),  # where the old demo failed
    dt.datetime(2026, 12, 4, 1, 59, tzinfo=BERLIN),  # two hours ago was yesterday
    dt.datetime(2026, 12, 4, 23, 59, 30, tzinfo=BERLIN),  # the day's last minute
    dt.datetime(2027, 3, 28, 0, 7, tzinfo=BERLIN),  # the night the clocks go forward
]


@pytest.mark.django_db
@pytest.mark.parametrize("moment", HOURS, ids=lambda m: m.strftime("%Y-%m-%d %H:%M"))
def test_the_demo_runs_at_any_hour(demo_directory, moment):
    with time_machine.travel(moment, tick=True):
        call_command("demo", stdout=io.StringIO())
        statuses = set(Booking.objects.values_list("status", flat=True))
    # every state of the appointments' lifecycle is there, the begun ones included
    assert statuses == set(BookingStatus.values)
    done = Booking.objects.get(status=BookingStatus.DONE)
    assert done.request.starts_at <= moment.astimezone(dt.UTC) + dt.timedelta(minutes=1)
    assert done.request.starts_at.astimezone(BERLIN).date() == moment.date()

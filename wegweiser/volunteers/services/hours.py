"""Hours, kilometres and costs: entered by the volunteer herself (her done bookings, late
cancellations and her tandem contacts) or by the coordinator, who may correct every entry.

Limits (checked for everyone, the tighter ones for the volunteer's own entries):

- nothing negative; hours above zero;
- a booking: at most the appointment's length plus ``TRAVEL_HOURS`` for the way there and back
  (on site; phone and video: no travel, no kilometres);
- a tandem contact: on a day of the tandem (from its start, up to its end and today);
- a day: all of one volunteer's hours together at most ``DAY_HOURS``;
- the volunteer's own kilometres: at most there and back across her travel radius plus
  ``DETOUR_KM``; her own expenses at most ``SELF_EXPENSES``;
- an entry the coordinator made (or corrected) is no longer the volunteer's to change.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from wegweiser.audit.models import AuditAction
from wegweiser.audit.services import audit
from wegweiser.volunteers.errors import NotAllowed, VolunteerError
from wegweiser.volunteers.models import (
    Assignment,
    Booking,
    BookingStatus,
    MeetingKind,
    Mode,
    Tandem,
    TandemMeeting,
    TandemStatus,
    Volunteer,
)
from wegweiser.volunteers.services.base import check, costs, may

TRAVEL_HOURS = Decimal(3)
DAY_HOURS = Decimal(16)
DETOUR_KM = Decimal(20)
SELF_EXPENSES = Decimal(200)
HUNDREDTH = Decimal("0.01")


def _is_own(by, volunteer: Volunteer | None) -> bool:
    return bool(volunteer and volunteer.user_id and volunteer.user_id == getattr(by, "pk", None))


def _who(by, organisation, volunteer) -> bool:
    """True when the volunteer herself writes, False for the coordinator (else NotAllowed)."""
    if may(by, organisation, "volunteer.manage"):
        return False
    if _is_own(by, volunteer):
        check(by, organisation, "volunteer.self")
        return True
    raise NotAllowed("volunteer.manage")


def _validate(volunteer, *, day, hours, km, expenses, most_hours, on_site, own, exclude=None):
    if hours <= 0 or km < 0 or expenses < 0:
        raise VolunteerError(_("Stunden, Kilometer und Auslagen dürfen nicht negativ sein."))
    if hours > most_hours:
        raise VolunteerError(
            _("Höchstens %(hours)s Stunden für diesen Einsatz (Dauer und Fahrzeit).")
            % {"hours": f"{most_hours:.2f}".replace(".", ",")}
        )
    if km and not on_site:
        raise VolunteerError(_("Für Einsätze am Telefon oder per Video gibt es keine Kilometer."))
    others = Assignment.objects.filter(volunteer=volunteer, on=day).exclude(
        pk=getattr(exclude, "pk", None)
    ).aggregate(total=Sum("hours"))["total"] or Decimal(0)
    if others + hours > DAY_HOURS:
        raise VolunteerError(
            _("Mehr als %(hours)s Stunden an einem Tag sind nicht möglich.") % {"hours": DAY_HOURS}
        )
    if own:
        if km > 2 * Decimal(volunteer.radius_km) + DETOUR_KM:
            raise VolunteerError(
                _(
                    "So viele Kilometer passen nicht zu Ihrem Fahrweg. Bitte sprechen Sie mit "
                    "Ihrer Koordination."
                )
            )
        if expenses > SELF_EXPENSES:
            raise VolunteerError(
                _("Auslagen über %(eur)s € trägt bitte die Koordination ein.")
                % {"eur": SELF_EXPENSES}
            )


def _booking_limit(booking: Booking) -> tuple[Decimal, bool]:
    on_site = booking.request.mode == Mode.ON_SITE
    slot = (Decimal(booking.request.duration_minutes) / 60).quantize(HUNDREDTH)
    return slot + (TRAVEL_HOURS if on_site else 0), on_site


def _log(by, organisation, assignment: Assignment, own: bool, corrected: bool = False) -> None:
    detail = {"volunteer": str(assignment.volunteer_id), "self_entered": own}
    if corrected:
        detail["corrected"] = True
    if assignment.tandem_id:
        detail["tandem"] = str(assignment.tandem_id)
    audit(
        actor=by,
        organisation=organisation,
        action=AuditAction.UPDATE,
        obj=assignment,
        detail=detail,
    )


def hours_record(
    booking: Booking, *, by, hours: Decimal, km: Decimal, expenses: Decimal = Decimal(0)
) -> Assignment:
    """Hours, kilometres and expenses of a done booking or a late cancellation, by the
    coordinator or the volunteer herself; costs = the organisation's rate of the day plus the
    expenses. Again: replaced (the volunteer's own entry only while the coordinator has not
    entered or corrected it)."""
    pool = booking.request.pool
    own = _who(by, pool.organisation, booking.volunteer)
    if not (booking.status == BookingStatus.DONE or booking.late_cancellation):
        raise VolunteerError(_("Stunden werden nach dem Einsatz erfasst."))
    existing = Assignment.objects.filter(booking=booking).first()
    if own and existing is not None and not existing.self_entered:
        raise VolunteerError(_("Die Koordination hat diese Stunden schon eingetragen."))
    day = timezone.localtime(booking.request.starts_at).date()
    most, on_site = _booking_limit(booking)
    _validate(
        booking.volunteer,
        day=day,
        hours=hours,
        km=km,
        expenses=expenses,
        most_hours=most,
        on_site=on_site,
        own=own,
        exclude=existing,
    )
    with transaction.atomic():
        assignment, _created = Assignment.objects.update_or_create(
            booking=booking,
            defaults={
                "volunteer": booking.volunteer,
                "on": day,
                "hours": hours,
                "km": km,
                "expenses": expenses,
                "costs": costs(pool.organisation, day, hours, km) + expenses,
                "self_entered": own,
            },
        )
        _log(by, pool.organisation, assignment, own, corrected=existing is not None and not own)
    return assignment


def tandem_hours(
    tandem: Tandem,
    *,
    by,
    on: dt.date,
    minutes: int,
    km: Decimal = Decimal(0),
    expenses: Decimal = Decimal(0),
    today: dt.date | None = None,
) -> Assignment:
    """A contact of the tandem with its hours, entered by the volunteer of the tandem herself
    (or by the coordinator): a meeting and an assignment."""
    organisation = tandem.pool.organisation
    own = _who(by, organisation, tandem.volunteer)
    today = today or timezone.localdate()
    if tandem.status == TandemStatus.REQUESTED or tandem.started_on is None:
        raise VolunteerError(_("Das Tandem hat noch nicht begonnen."))
    last = min(today, tandem.ended_on) if tandem.ended_on else today
    if not tandem.started_on <= on <= last:
        raise VolunteerError(_("Das Datum liegt nicht in der Zeit des Tandems."))
    if minutes <= 0:
        raise VolunteerError(_("Stunden, Kilometer und Auslagen dürfen nicht negativ sein."))
    hours = (Decimal(minutes) / 60).quantize(HUNDREDTH)
    _validate(
        tandem.volunteer,
        day=on,
        hours=hours,
        km=km,
        expenses=expenses,
        most_hours=DAY_HOURS,
        on_site=True,
        own=own,
    )
    with transaction.atomic():
        TandemMeeting.objects.create(
            tandem=tandem, kind=MeetingKind.CONTACT, on=on, minutes=minutes
        )
        assignment = Assignment.objects.create(
            volunteer=tandem.volunteer,
            tandem=tandem,
            on=on,
            hours=hours,
            km=km,
            expenses=expenses,
            costs=costs(organisation, on, hours, km) + expenses,
            self_entered=own,
        )
        _log(by, organisation, assignment, own)
    return assignment


def assignment_correct(
    assignment: Assignment, *, by, hours: Decimal, km: Decimal, expenses: Decimal = Decimal(0)
) -> Assignment:
    """The coordinator corrects an entry (the volunteer's or her own); costs recomputed."""
    organisation = assignment.volunteer.pool.organisation
    check(by, organisation, "volunteer.manage")
    if assignment.booking_id:
        most, on_site = _booking_limit(assignment.booking)
    else:
        most, on_site = DAY_HOURS, True
    _validate(
        assignment.volunteer,
        day=assignment.on,
        hours=hours,
        km=km,
        expenses=expenses,
        most_hours=most,
        on_site=on_site,
        own=False,
        exclude=assignment,
    )
    with transaction.atomic():
        assignment.hours, assignment.km, assignment.expenses = hours, km, expenses
        assignment.costs = costs(organisation, assignment.on, hours, km) + expenses
        assignment.self_entered = False
        assignment.save(update_fields=["hours", "km", "expenses", "costs", "self_entered"])
        _log(by, organisation, assignment, False, corrected=True)
    return assignment

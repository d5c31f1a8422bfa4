"""Interpreting requests and their bookings: requested → proposed → offered → accepted /
declined → confirmed → done / cancelled (late flag) / no-show. Nothing is assigned without the
coordinator."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wegweiser.audit.models import AuditAction
from wegweiser.audit.services import audit
from wegweiser.volunteers.errors import NotAllowed, VolunteerError
from wegweiser.volunteers.models import (
    Booking,
    BookingStatus,
    InterpretingRequest,
)
from wegweiser.volunteers.services import mail
from wegweiser.volunteers.services.base import check, may, swap, token_hash, working_days_between

S = BookingStatus


def _participant_id(booking: Booking):
    case = booking.request.case
    return case.participant_id if case is not None else None


def _step(booking: Booking, *, by, to: str, expect: tuple, **changes) -> Booking:
    before = booking.status
    if before not in expect:
        raise VolunteerError(_("Dieser Schritt passt nicht zum Stand des Einsatzes."))
    swap(
        Booking,
        booking,
        expect={"status": before, "version": booking.version},
        status=to,
        **changes,
    )
    audit(
        actor=by,
        organisation=booking.request.pool.organisation,
        action=AuditAction.BOOKING_STEP,
        obj=booking,
        participant_id=_participant_id(booking),
        detail={"booking_from": before, "booking_to": to},
    )
    return booking


def interpreting_request(*, by, organisation, pool, case=None, today=None, **fields) -> Booking:
    """A request for an interpreter, made at ``organisation`` (a counsellor's, from ``case``):
    shorter than the pool's lead time (working days) is urgent."""
    check(by, organisation, "volunteer.request")
    if case is not None and case.organisation_id != organisation.pk:
        raise VolunteerError(_("Der Fall gehört nicht zu Ihrer Organisation."))
    return create_request(
        by=by, organisation=organisation, pool=pool, case=case, today=today, **fields
    )


def create_request(*, by, organisation, pool, case=None, today=None, **fields) -> Booking:
    """The request and its booking; the caller checked the right (``interpreting_request``,
    ``direct.coordinator_interpreting_request``)."""
    today = today or timezone.localdate()
    starts = timezone.localtime(fields["starts_at"]).date()
    if starts < today:
        raise VolunteerError(_("Der Termin liegt in der Vergangenheit."))
    with transaction.atomic():
        req = InterpretingRequest.objects.create(
            pool=pool,
            requesting_organisation=organisation,
            requested_by=by,
            case=case,
            urgent=working_days_between(today, starts) < pool.lead_days,
            **fields,
        )
        booking = Booking.objects.create(request=req)
        audit(
            actor=by,
            organisation=organisation,
            action=AuditAction.CREATE,
            obj=booking,
            participant_id=case.participant_id if case else None,
            detail={"pool": str(pool.pk), "direct": case is None},
        )
    return booking


def booking_propose(booking: Booking, *, by, volunteer) -> Booking:
    """The coordinator chose ``volunteer`` from the proposals."""
    check(by, booking.request.pool.organisation, "volunteer.manage")
    if volunteer.pool_id != booking.request.pool_id:
        raise VolunteerError(_("Diese Person gehört nicht zu diesem Pool."))
    with transaction.atomic():
        return _step(
            booking, by=by, to=S.PROPOSED, expect=(S.REQUESTED, S.DECLINED), volunteer=volunteer
        )


def booking_offer(booking: Booking, *, by) -> tuple[Booking, str]:
    """Ask the chosen volunteer: a link (only its hash is stored), by mail if she has one."""
    check(by, booking.request.pool.organisation, "volunteer.manage")
    token = secrets.token_urlsafe(24)
    with transaction.atomic():
        _step(
            booking,
            by=by,
            to=S.OFFERED,
            expect=(S.PROPOSED, S.OFFERED),
            token_hash=token_hash(token),
            offered_at=timezone.now(),
        )
        mail.offer(booking, token)
    return booking, token


def booking_by_token(token: str) -> Booking | None:
    if not token or len(token) > 100:
        return None
    return (
        Booking.objects.select_related("request__pool__organisation", "volunteer")
        .filter(token_hash=token_hash(token))
        .first()
    )


def booking_answer_by_link(token: str, *, accept: bool) -> Booking:
    """The volunteer's answer through her link (no login): accepted or declined."""
    booking = booking_by_token(token)
    if booking is None or booking.status != S.OFFERED:
        raise VolunteerError(_("Dieser Link ist nicht mehr gültig."))
    return _answer(booking, by=None, accept=accept)


def booking_answer(booking: Booking, *, by, accept: bool) -> Booking:
    """The volunteer's answer on her own page (logged in): only to an offer made to her."""
    check(by, booking.request.pool.organisation, "volunteer.self")
    if booking.volunteer is None or booking.volunteer.user_id != by.pk:
        raise NotAllowed("volunteer.self")
    if booking.status != S.OFFERED:
        raise VolunteerError(_("Dieser Schritt passt nicht zum Stand des Einsatzes."))
    return _answer(booking, by=by, accept=accept)


def _answer(booking: Booking, *, by, accept: bool) -> Booking:
    with transaction.atomic():
        if accept:
            _step(booking, by=by, to=S.ACCEPTED, expect=(S.OFFERED,), token_hash="")
        else:
            declined = [*booking.declined_by, str(booking.volunteer_id)]
            _step(
                booking,
                by=by,
                to=S.DECLINED,
                expect=(S.OFFERED,),
                token_hash="",
                declined_by=declined,
                volunteer=None,
            )
        audit(
            actor=by,
            organisation=booking.request.pool.organisation,
            action=AuditAction.BOOKING_ANSWERED,
            obj=booking,
            detail={"booking_to": booking.status},
        )
    return booking


def booking_confirm(booking: Booking, *, by) -> Booking:
    """Confirmed to the requester (with the interpreter's first name); mail with .ics."""
    check(by, booking.request.pool.organisation, "volunteer.manage")
    with transaction.atomic():
        _step(booking, by=by, to=S.CONFIRMED, expect=(S.ACCEPTED,), confirmed_at=timezone.now())
        mail.confirmation(booking)
    return booking


def booking_done(booking: Booking, *, by) -> Booking:
    """The requester confirms that the appointment took place (replaces the timesheet)."""
    check(by, booking.request.requesting_organisation, "volunteer.request")
    if booking.request.starts_at > timezone.now():
        raise VolunteerError(_("Der Termin hat noch nicht stattgefunden."))
    with transaction.atomic():
        return _step(booking, by=by, to=S.DONE, expect=(S.CONFIRMED,), done_at=timezone.now())


def booking_cancel(booking: Booking, *, by, now=None) -> Booking:
    """Cancelled by the requester or the coordinator; late within the pool's window."""
    req = booking.request
    if not (
        may(by, req.pool.organisation, "volunteer.manage")
        or may(by, req.requesting_organisation, "volunteer.request")
    ):
        check(by, req.pool.organisation, "volunteer.manage")
    now = now or timezone.now()
    late = booking.volunteer_id is not None and req.starts_at - now < dt.timedelta(
        hours=req.pool.late_cancel_hours
    )
    open_states = (S.REQUESTED, S.PROPOSED, S.OFFERED, S.ACCEPTED, S.DECLINED, S.CONFIRMED)
    with transaction.atomic():
        return _step(
            booking,
            by=by,
            to=S.CANCELLED,
            expect=open_states,
            cancelled_at=now,
            late_cancellation=late,
            token_hash="",
        )


def booking_no_show(booking: Booking, *, by) -> Booking:
    check(by, booking.request.pool.organisation, "volunteer.manage")
    with transaction.atomic():
        return _step(booking, by=by, to=S.NO_SHOW, expect=(S.CONFIRMED,))


def reminders_send(*, now=None) -> int:
    """Mail tomorrow's confirmed appointments to volunteer and requester, each once."""
    now = now or timezone.now()
    tomorrow = timezone.localtime(now).date() + dt.timedelta(days=1)
    sent = 0
    due = Booking.objects.filter(
        status=S.CONFIRMED, reminded_at__isnull=True, request__starts_at__date=tomorrow
    ).select_related("request__requested_by", "volunteer")
    for booking in due:
        if Booking.objects.filter(pk=booking.pk, reminded_at__isnull=True).update(reminded_at=now):
            mail.reminder(booking)
            sent += 1
    return sent

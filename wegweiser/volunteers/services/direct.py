"""Requests the coordinator makes herself, without a case: an interpreting appointment or a
tandem for a person she knows only by a pseudonym or a first name and a contact (a person
who came to the pool directly, a neighbour's call). The pool's organisation is the requesting
one; nothing of the case management is touched. The person's label and contact are shown to
the coordinator only, never to the volunteer."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wegweiser.audit.models import AuditAction
from wegweiser.audit.services import audit
from wegweiser.volunteers.errors import NotAllowed, VolunteerError
from wegweiser.volunteers.models import Booking, BookingStatus, Tandem
from wegweiser.volunteers.services.base import check
from wegweiser.volunteers.services.bookings import _step, create_request
from wegweiser.volunteers.services.tandems import create_tandem


def _person(person_label: str, person_contact: str) -> dict:
    label, contact = (person_label or "").strip(), (person_contact or "").strip()
    if not label:
        raise VolunteerError(_("Bitte geben Sie ein Pseudonym oder einen Vornamen an."))
    return {"person_label": label, "person_contact": contact}


def coordinator_interpreting_request(
    *, by, pool, person_label: str, person_contact: str = "", today=None, **fields
) -> Booking:
    """An interpreting appointment asked by the coordinator of ``pool`` for a person without a
    case; then the same lifecycle as a counsellor's request."""
    check(by, pool.organisation, "volunteer.manage")
    person = _person(person_label, person_contact)
    return create_request(
        by=by, organisation=pool.organisation, pool=pool, case=None, today=today, **person, **fields
    )


def coordinator_tandem_request(
    *, by, pool, person_label: str, person_contact: str = "", **fields
) -> Tandem:
    """A tandem asked by the coordinator of ``pool`` for a person without a case."""
    check(by, pool.organisation, "volunteer.manage")
    person = _person(person_label, person_contact)
    return create_tandem(
        by=by, organisation=pool.organisation, pool=pool, case=None, **person, **fields
    )


def booking_done_direct(booking: Booking, *, by) -> Booking:
    """A request the coordinator made herself: she confirms that it took place (she is the
    requester)."""
    req = booking.request
    check(by, req.pool.organisation, "volunteer.manage")
    if req.case_id or req.requesting_organisation_id != req.pool.organisation_id:
        raise NotAllowed("volunteer.request")
    if req.starts_at > timezone.now():
        raise VolunteerError(_("Der Termin hat noch nicht stattgefunden."))
    with transaction.atomic():
        return _step(
            booking,
            by=by,
            to=BookingStatus.DONE,
            expect=(BookingStatus.CONFIRMED,),
            done_at=timezone.now(),
        )


def person_forget(obj, *, by):
    """Erasure (Art. 17 GDPR) of the pseudonym and contact of a person without a case, on a
    booking (its request) or a tandem; the appointment and its hours stay."""
    target = obj if isinstance(obj, Tandem) else obj.request
    check(by, target.pool.organisation, "volunteer.manage")
    if not (target.person_label or target.person_contact):
        raise VolunteerError(_("Es sind keine Angaben zur Person gespeichert."))
    with transaction.atomic():
        type(target).objects.filter(pk=target.pk).update(person_label="", person_contact="")
        target.person_label = target.person_contact = ""
        audit(
            actor=by,
            organisation=target.pool.organisation,
            action=AuditAction.ERASE,
            obj=target,
        )
    return obj

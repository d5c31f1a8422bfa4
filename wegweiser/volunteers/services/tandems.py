"""Tandems: a Lotse for a person or family over months. Requested (from a case or by the
coordinator) → active (the coordinator chose a volunteer: start) → contacts, supervision and
reflection meetings → ended with an outcome."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from wegweiser.audit.models import AuditAction
from wegweiser.audit.services import audit
from wegweiser.volunteers.errors import VolunteerError
from wegweiser.volunteers.models import (
    Assignment,
    MeetingKind,
    Tandem,
    TandemMeeting,
    TandemStatus,
)
from wegweiser.volunteers.services.base import check, costs, swap


def _log(tandem: Tandem, by, **detail) -> None:
    audit(
        actor=by,
        organisation=tandem.pool.organisation,
        action=AuditAction.TANDEM_STEP,
        obj=tandem,
        participant_id=tandem.case.participant_id if tandem.case_id else None,
        detail={"tandem_status": tandem.status, **detail},
    )


def tandem_request(*, by, organisation, pool, case=None, **fields) -> Tandem:
    check(by, organisation, "volunteer.request")
    if case is not None and case.organisation_id != organisation.pk:
        raise VolunteerError(_("Der Fall gehört nicht zu Ihrer Organisation."))
    return create_tandem(by=by, organisation=organisation, pool=pool, case=case, **fields)


def create_tandem(*, by, organisation, pool, case=None, **fields) -> Tandem:
    """The tandem request; the caller checked the right."""
    with transaction.atomic():
        tandem = Tandem.objects.create(
            pool=pool, requesting_organisation=organisation, requested_by=by, case=case, **fields
        )
        _log(tandem, by)
    return tandem


def tandem_start(tandem: Tandem, *, by, volunteer, on) -> Tandem:
    check(by, tandem.pool.organisation, "volunteer.manage")
    if volunteer.pool_id != tandem.pool_id:
        raise VolunteerError(_("Diese Person gehört nicht zu diesem Pool."))
    with transaction.atomic():
        swap(
            Tandem,
            tandem,
            expect={"status": TandemStatus.REQUESTED},
            status=TandemStatus.ACTIVE,
            volunteer=volunteer,
            started_on=on,
        )
        _log(tandem, by, volunteer=str(volunteer.pk))
    return tandem


def tandem_meeting_add(tandem: Tandem, *, by, kind: str, on, minutes: int, km=Decimal(0)):
    """A meeting of the tandem; a contact counts as volunteer hours (an assignment)."""
    check(by, tandem.pool.organisation, "volunteer.manage")
    if tandem.status != TandemStatus.ACTIVE:
        raise VolunteerError(_("Das Tandem läuft nicht."))
    with transaction.atomic():
        meeting = TandemMeeting.objects.create(tandem=tandem, kind=kind, on=on, minutes=minutes)
        if kind == MeetingKind.CONTACT:
            hours = (Decimal(minutes) / 60).quantize(Decimal("0.01"))
            Assignment.objects.create(
                volunteer=tandem.volunteer,
                tandem=tandem,
                on=on,
                hours=hours,
                km=km,
                costs=costs(tandem.pool.organisation, on, hours, km),
            )
        _log(tandem, by)
    return meeting


def tandem_end(tandem: Tandem, *, by, on, outcome: str) -> Tandem:
    check(by, tandem.pool.organisation, "volunteer.manage")
    with transaction.atomic():
        swap(
            Tandem,
            tandem,
            expect={"status": TandemStatus.ACTIVE},
            status=TandemStatus.ENDED,
            ended_on=on,
            outcome=outcome,
        )
        _log(tandem, by, tandem_outcome=outcome)
    return tandem

"""Volunteers kept by the coordinator: create, edit, languages, slots, absences,
qualifications; erasure. Every write audited; the pool's organisation is checked."""

from __future__ import annotations

from django.db import transaction

from wegweiser.audit.models import AuditAction
from wegweiser.audit.services import audit
from wegweiser.volunteers.models import (
    Absence,
    Availability,
    Qualification,
    Volunteer,
    VolunteerLanguage,
)
from wegweiser.volunteers.services.base import check

PARTS = {
    "language": VolunteerLanguage,
    "slot": Availability,
    "absence": Absence,
    "qualification": Qualification,
}


def volunteer_create(*, by, pool, **fields) -> Volunteer:
    check(by, pool.organisation, "volunteer.manage")
    with transaction.atomic():
        volunteer = Volunteer.objects.create(pool=pool, **fields)
        audit(
            actor=by,
            organisation=pool.organisation,
            action=AuditAction.CREATE,
            obj=volunteer,
            detail={"pool": str(pool.pk)},
        )
    return volunteer


def volunteer_update(volunteer: Volunteer, *, by, **fields) -> Volunteer:
    check(by, volunteer.pool.organisation, "volunteer.manage")
    with transaction.atomic():
        for key, value in fields.items():
            setattr(volunteer, key, value)
        volunteer.save(update_fields=list(fields))
        audit(
            actor=by,
            organisation=volunteer.pool.organisation,
            action=AuditAction.UPDATE,
            obj=volunteer,
        )
    return volunteer


def volunteer_part_add(volunteer: Volunteer, *, by, part: str, **fields):
    """A language, a weekly slot, an absence or a qualification (the same language again
    replaces its level)."""
    check(by, volunteer.pool.organisation, "volunteer.manage")
    with transaction.atomic():
        if part == "language":
            row, _created = VolunteerLanguage.objects.update_or_create(
                volunteer=volunteer, language=fields.pop("language"), defaults=fields
            )
        else:
            row = PARTS[part].objects.create(volunteer=volunteer, **fields)
        audit(
            actor=by,
            organisation=volunteer.pool.organisation,
            action=AuditAction.UPDATE,
            obj=volunteer,
        )
    return row


def volunteer_erase(volunteer: Volunteer, *, by) -> None:
    """Erasure (Art. 17 GDPR): the names and contact data go, the hours stay for the accounts
    (anonymous)."""
    check(by, volunteer.pool.organisation, "volunteer.manage")
    with transaction.atomic():
        volunteer.languages.all().delete()
        volunteer.slots.all().delete()
        volunteer.absences.all().delete()
        Volunteer.objects.filter(pk=volunteer.pk).update(
            first_name="–",
            last_name="–",
            email="",
            phone="",
            postcode="",
            user=None,
            active=False,
            conflicts=[],
            gender="",
        )
        audit(
            actor=by,
            organisation=volunteer.pool.organisation,
            action=AuditAction.ERASE,
            obj=volunteer,
        )

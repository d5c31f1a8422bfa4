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


#: What a volunteer with a login enters herself.
SELF_PARTS = ("slot", "absence")


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
    own = volunteer.user_id is not None and volunteer.user_id == getattr(by, "pk", None)
    if own and part in SELF_PARTS:  # a volunteer keeps her own times
        check(by, volunteer.pool.organisation, "volunteer.self")
    else:
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


def pool_update(pool, *, by, **fields):
    """The pool's settings: lead time, late-cancellation window, allowance, police certificate."""
    check(by, pool.organisation, "volunteer.manage")
    with transaction.atomic():
        for key, value in fields.items():
            setattr(pool, key, value)
        pool.save(update_fields=list(fields))
        audit(actor=by, organisation=pool.organisation, action=AuditAction.UPDATE, obj=pool)
    return pool


def volunteer_export(volunteer: Volunteer, *, by) -> dict:
    """Everything kept about a volunteer (Art. 15 and 20 GDPR), as plain data; logged."""
    check(by, volunteer.pool.organisation, "volunteer.manage")
    data = {
        "pool": volunteer.pool.name,
        "first_name": volunteer.first_name,
        "last_name": volunteer.last_name,
        "email": volunteer.email,
        "phone": volunteer.phone,
        "postcode": volunteer.postcode,
        "radius_km": volunteer.radius_km,
        "modes": volunteer.modes,
        "gender": volunteer.gender,
        "topics": volunteer.topics,
        "excluded_settings": volunteer.excluded_settings,
        "max_hours_month": volunteer.max_hours_month,
        "max_tandems": volunteer.max_tandems,
        "consent_on": volunteer.consent_on.isoformat() if volunteer.consent_on else None,
        "active": volunteer.active,
        "languages": [
            {"language": lang.language, "level": lang.level, "interprets": lang.interprets}
            for lang in volunteer.languages.all()
        ],
        "weekly": [
            {"weekday": s.weekday, "from": s.start.isoformat(), "to": s.end.isoformat()}
            for s in volunteer.slots.all()
        ],
        "absences": [
            {"from": a.first_day.isoformat(), "to": a.last_day.isoformat()}
            for a in volunteer.absences.all()
        ],
        "qualifications": [
            {
                "kind": q.kind,
                "on": q.completed_on.isoformat(),
                "expires": q.expires_on.isoformat() if q.expires_on else None,
            }
            for q in volunteer.qualifications.all()
        ],
        "assignments": [
            {
                "on": a.on.isoformat(),
                "hours": str(a.hours),
                "km": str(a.km),
                "expenses": str(a.expenses),
                "costs": str(a.costs),
                "self_entered": a.self_entered,
            }
            for a in volunteer.assignments.all()
        ],
    }
    audit(
        actor=by,
        organisation=volunteer.pool.organisation,
        action=AuditAction.EXPORT,
        obj=volunteer,
    )
    return data


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

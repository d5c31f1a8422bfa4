"""From the database to the matching engine's dataclasses (``matching.Need``, ``Candidate``)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from wegweiser.core import geo
from wegweiser.volunteers import matching
from wegweiser.volunteers.models import (
    Assignment,
    Booking,
    BookingStatus,
    InterpretingRequest,
    QualificationKind,
    Tandem,
    Volunteer,
)

#: Bookings that hold a volunteer's time.
HOLDING = (
    BookingStatus.PROPOSED,
    BookingStatus.OFFERED,
    BookingStatus.ACCEPTED,
    BookingStatus.CONFIRMED,
    BookingStatus.DONE,
)
#: Every pool asks for these; the police certificate where the pool requires it.
ALWAYS_REQUIRED = frozenset({QualificationKind.BASIC_COURSE, QualificationKind.CONFIDENTIALITY})


def _coordinates(postcode: str) -> tuple[float | None, float | None]:
    found = geo.postcode(postcode) if postcode else None
    return (found.lat, found.lon) if found else (None, None)


def required_qualifications(pool, interpreting: bool) -> frozenset[str]:
    kinds = set(ALWAYS_REQUIRED)
    if interpreting:
        kinds.add(QualificationKind.INTERPRETING)
    if pool.police_certificate_required:
        kinds.add(QualificationKind.POLICE_CERTIFICATE)
    return frozenset(str(k) for k in kinds)


def person_key(obj) -> str:
    """Who a request or tandem is for: the case's participant, or (a request the coordinator
    made without a case) the pool and the person's pseudonym, for continuity."""
    if obj.case_id:
        return str(obj.case.participant_id)
    if obj.person_label:
        return f"person:{obj.pool_id}:{obj.person_label.strip().casefold()}"
    return ""


def _participant(obj) -> tuple[str, frozenset[str]]:
    case = obj.case
    if case is None:
        return person_key(obj), frozenset()
    person = case.participant
    family = frozenset()
    household = getattr(person, "household_id", None)
    if household:
        family = frozenset({f"household:{household}"})
    return str(person.pk), family


def need_of(req: InterpretingRequest, booking: Booking | None = None) -> matching.Need:
    lat, lon = _coordinates(req.postcode)
    participant, family = _participant(req)
    start = timezone.localtime(req.starts_at).replace(tzinfo=None)
    return matching.Need(
        id=str(req.pk),
        language=req.language,
        start=start,
        end=start + dt.timedelta(minutes=req.duration_minutes),
        mode=req.mode,
        min_level=4,
        setting=req.setting,
        lat=lat,
        lon=lon,
        qualifications=required_qualifications(req.pool, True),
        participant=participant,
        family=family,
        gender_preference=req.gender_preference,
        declined=frozenset(booking.declined_by) if booking else frozenset(),
    )


def tandem_need(tandem: Tandem) -> matching.Need:
    lat, lon = _coordinates(tandem.postcode)
    participant, family = _participant(tandem)
    start = timezone.localtime().replace(tzinfo=None, microsecond=0)
    return matching.Need(
        id=str(tandem.pk),
        language=tandem.language,
        start=start,
        end=None,
        mode=matching.ON_SITE,
        min_level=3,
        lat=lat,
        lon=lon,
        qualifications=required_qualifications(tandem.pool, False),
        participant=participant,
        family=family,
        gender_preference=tandem.gender_preference,
    )


def hours_in_month(volunteers, day: dt.date) -> dict:
    """Hours recorded, and booked but not yet recorded, per volunteer in the month of ``day``."""
    first = day.replace(day=1)
    nxt = (first + dt.timedelta(days=32)).replace(day=1)
    hours: dict = defaultdict(float)
    for row in (
        Assignment.objects.filter(volunteer__in=volunteers, on__gte=first, on__lt=nxt)
        .values("volunteer_id")
        .annotate(total=Sum("hours"))
    ):
        hours[row["volunteer_id"]] += float(row["total"] or Decimal(0))
    for b in Booking.objects.filter(
        volunteer__in=volunteers,
        status__in=HOLDING,
        assignment__isnull=True,
        request__starts_at__date__gte=first,
        request__starts_at__date__lt=nxt,
    ).select_related("request"):
        hours[b.volunteer_id] += b.request.duration_minutes / 60
    return hours


def candidates_of(pool, day: dt.date, exclude_booking=None) -> list[matching.Candidate]:
    """The pool's volunteers as the engine sees them on ``day``."""
    volunteers = list(
        Volunteer.objects.filter(pool=pool).prefetch_related(
            "languages", "slots", "absences", "qualifications"
        )
    )
    hours = hours_in_month(volunteers, day)
    booked: dict = defaultdict(list)
    past: dict = defaultdict(set)
    holding = Booking.objects.filter(volunteer__in=volunteers, status__in=HOLDING).select_related(
        "request__case"
    )
    if exclude_booking is not None:
        holding = holding.exclude(pk=exclude_booking.pk)
    for b in holding:
        start = timezone.localtime(b.request.starts_at).replace(tzinfo=None)
        booked[b.volunteer_id].append(
            (start, start + dt.timedelta(minutes=b.request.duration_minutes))
        )
        if b.status == BookingStatus.DONE and person_key(b.request):
            past[b.volunteer_id].add(person_key(b.request))
    for t in Tandem.objects.filter(volunteer__in=volunteers).select_related("case"):
        if person_key(t):
            past[t.volunteer_id].add(person_key(t))
    out = []
    for v in volunteers:
        lat, lon = _coordinates(v.postcode)
        quals: dict = {}
        for q in v.qualifications.all():
            best = quals.get(q.kind)
            if best is None or (q.expires_on or dt.date.max) > (best[1] or dt.date.max):
                quals[q.kind] = (q.completed_on, q.expires_on)
        out.append(
            matching.Candidate(
                id=str(v.pk),
                languages={
                    lang.language: (lang.level, lang.interprets) for lang in v.languages.all()
                },
                lat=lat,
                lon=lon,
                radius_km=v.radius_km,
                modes=frozenset(v.modes),
                gender=v.gender,
                weekly=tuple(
                    (s.weekday, s.start.hour * 60 + s.start.minute, s.end.hour * 60 + s.end.minute)
                    for s in v.slots.all()
                ),
                absences=tuple((a.first_day, a.last_day) for a in v.absences.all()),
                qualifications=quals,
                excluded_settings=frozenset(v.excluded_settings),
                booked=tuple(booked[v.pk]),
                hours_this_month=hours[v.pk],
                max_hours_month=v.max_hours_month,
                conflicts=frozenset(v.conflicts),
                past_participants=frozenset(past[v.pk]),
                active=v.active and v.consent_on is not None,
            )
        )
    return out

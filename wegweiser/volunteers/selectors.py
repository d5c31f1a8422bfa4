"""Reads of the volunteers app, scoped to the current organisation: a coordinator sees her
organisation's pools and volunteers (another organisation's answer 404), a requester the
requests her organisation made, a volunteer her own profile. Reads of a volunteer's data are
audit-logged (``audit.reads``)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from wegweiser.accounts.permissions import user_can
from wegweiser.audit.reads import read
from wegweiser.volunteers import candidates, matching
from wegweiser.volunteers.models import (
    Assignment,
    Booking,
    BookingStatus,
    Pool,
    Qualification,
    Tandem,
    TandemStatus,
    Volunteer,
    VolunteerLanguage,
)

OPEN = (
    BookingStatus.REQUESTED,
    BookingStatus.PROPOSED,
    BookingStatus.OFFERED,
    BookingStatus.ACCEPTED,
    BookingStatus.DECLINED,
)


def pools_for(user, organisation) -> QuerySet[Pool]:
    if organisation is None or not user_can(user, organisation, "volunteer.manage"):
        return Pool.objects.none()
    return Pool.objects.filter(organisation=organisation)


def request_pools() -> QuerySet[Pool]:
    """Every pool may be asked (a Kreis's interpreter pool serves all its institutions)."""
    return Pool.objects.select_related("organisation").order_by("name")


def volunteers_for(user, organisation) -> QuerySet[Volunteer]:
    return Volunteer.objects.filter(pool__in=pools_for(user, organisation)).select_related("pool")


def volunteer_shown(user, organisation, volunteer: Volunteer) -> None:
    read(actor=user, organisation=organisation, obj=volunteer)


#: Where a page named volunteers (the ``shown_in`` of the read's audit entry).
SHOWN_IN = ("list", "proposals", "dashboard", "plan", "reimbursement", "booking", "tandem")


def names_shown(user, organisation, volunteers, where: str) -> None:
    """A list, the proposals or a page named these volunteers to ``user``: one audited read
    per volunteer and request (``audit.reads``; a volunteer named twice is logged once)."""
    for volunteer in volunteers:
        if volunteer is not None:
            read(actor=user, organisation=organisation, obj=volunteer, detail={"shown_in": where})


def own_profiles(user) -> QuerySet[Volunteer]:
    return Volunteer.objects.filter(user=user, user__isnull=False).select_related("pool")


def bookings_managed(user, organisation) -> QuerySet[Booking]:
    return Booking.objects.filter(request__pool__in=pools_for(user, organisation)).select_related(
        "request__pool", "request__requesting_organisation", "volunteer"
    )


def bookings_requested(user, organisation) -> QuerySet[Booking]:
    if organisation is None or not user_can(user, organisation, "volunteer.request"):
        return Booking.objects.none()
    return Booking.objects.filter(request__requesting_organisation=organisation).select_related(
        "request__pool", "volunteer"
    )


def tandems_managed(user, organisation) -> QuerySet[Tandem]:
    return Tandem.objects.filter(pool__in=pools_for(user, organisation)).select_related(
        "pool", "volunteer"
    )


def tandems_requested(user, organisation) -> QuerySet[Tandem]:
    if organisation is None or not user_can(user, organisation, "volunteer.request"):
        return Tandem.objects.none()
    return Tandem.objects.filter(requesting_organisation=organisation).select_related(
        "pool", "volunteer"
    )


def proposals(booking: Booking, limit: int = 10) -> list[tuple[matching.Proposal, Volunteer]]:
    """The ranked proposals with their reasons, and the volunteers they name."""
    req = booking.request
    need = candidates.need_of(req, booking)
    pool = candidates.candidates_of(req.pool, need.start.date(), exclude_booking=booking)
    ranked = matching.rank(need, pool, limit=limit)
    by_id = {str(v.pk): v for v in Volunteer.objects.filter(pk__in=[p.candidate for p in ranked])}
    return [(p, by_id[p.candidate]) for p in ranked]


def tandem_proposals(tandem: Tandem, limit: int = 10) -> list[tuple[matching.Proposal, Volunteer]]:
    need = candidates.tandem_need(tandem)
    busy = Counter(
        Tandem.objects.filter(status=TandemStatus.ACTIVE, pool=tandem.pool).values_list(
            "volunteer_id", flat=True
        )
    )
    maxima = dict(Volunteer.objects.filter(pool=tandem.pool).values_list("pk", "max_tandems"))
    pool = [
        c
        for c in candidates.candidates_of(tandem.pool, need.start.date())
        if busy[_uuid(c.id)] < maxima.get(_uuid(c.id), 0)
    ]
    ranked = matching.rank(need, pool, limit=limit)
    by_id = {str(v.pk): v for v in Volunteer.objects.filter(pk__in=[p.candidate for p in ranked])}
    return [(p, by_id[p.candidate]) for p in ranked]


def _uuid(value: str) -> uuid.UUID:
    return uuid.UUID(value)


# --- dashboard -----------------------------------------------------------------------------------


@dataclass
class Dashboard:
    open_bookings: list
    uncovered: list  # (Kreis, language, requests)
    idle: list
    expiring: list
    hours: list  # (project/pool, year, hours)
    tandems: list


def dashboard(user, organisation, today: dt.date | None = None) -> Dashboard:
    today = today or timezone.localdate()
    pools = pools_for(user, organisation)
    bookings = list(
        bookings_managed(user, organisation)
        .filter(status__in=OPEN)
        .order_by("-request__urgent", "request__starts_at")
    )
    spoken = set(
        VolunteerLanguage.objects.filter(
            volunteer__pool__in=pools, volunteer__active=True
        ).values_list("volunteer__pool__kreis", "language")
    )
    asked: Counter = Counter()
    for b in Booking.objects.filter(request__pool__in=pools).select_related("request__pool"):
        asked[(b.request.pool.kreis, b.request.language)] += 1
    uncovered = sorted((k, lang, n) for (k, lang), n in asked.items() if (k, lang) not in spoken)
    since = today - dt.timedelta(days=91)
    recent = Q(assignments__on__gte=since) | Q(
        bookings__request__starts_at__date__gte=since,
        bookings__status__in=[BookingStatus.CONFIRMED, BookingStatus.DONE],
    )
    busy = set(Volunteer.objects.filter(pool__in=pools).filter(recent).values_list("pk", flat=True))
    idle = [
        v
        for v in Volunteer.objects.filter(pool__in=pools, active=True).exclude(pk__in=busy)
        if v.created_at.date() < since
    ]
    expiring = list(
        Qualification.objects.filter(
            volunteer__pool__in=pools,
            expires_on__gte=today,
            expires_on__lte=today + dt.timedelta(days=60),
        ).select_related("volunteer")
    )
    hours: dict = defaultdict(Decimal)
    for row in (
        Assignment.objects.filter(volunteer__pool__in=pools)
        .values("volunteer__pool__name", "on__year")
        .annotate(total=Sum("hours"))
    ):
        hours[(row["volunteer__pool__name"], row["on__year"])] += row["total"] or 0
    return Dashboard(
        open_bookings=bookings,
        uncovered=uncovered,
        idle=idle,
        expiring=expiring,
        hours=sorted((p, y, h) for (p, y), h in hours.items()),
        tandems=list(tandems_managed(user, organisation).exclude(status=TandemStatus.ENDED)),
    )


# --- money ---------------------------------------------------------------------------------------


@dataclass
class Row:
    volunteer: Volunteer
    hours: Decimal
    km: Decimal
    costs: Decimal
    year_costs: Decimal
    over_allowance: bool
    near_allowance: bool


def reimbursement(pool: Pool, year: int, month: int) -> list[Row]:
    """The month's hours, kilometres and costs per volunteer of ``pool``, with her year's total
    against the allowance (§ 3 Nr. 26a EStG): a warning from 90 % on."""
    month_rows = (
        Assignment.objects.filter(volunteer__pool=pool, on__year=year, on__month=month)
        .values("volunteer_id")
        .annotate(h=Sum("hours"), k=Sum("km"), c=Sum("costs"))
    )
    year_costs = dict(
        Assignment.objects.filter(volunteer__pool=pool, on__year=year, on__month__lte=month)
        .values("volunteer_id")
        .annotate(c=Sum("costs"))
        .values_list("volunteer_id", "c")
    )
    people = {v.pk: v for v in Volunteer.objects.filter(pool=pool)}
    rows = []
    for r in month_rows:
        total = year_costs.get(r["volunteer_id"]) or Decimal(0)
        rows.append(
            Row(
                volunteer=people[r["volunteer_id"]],
                hours=r["h"],
                km=r["k"],
                costs=r["c"],
                year_costs=total,
                over_allowance=total > pool.allowance_eur,
                near_allowance=total >= pool.allowance_eur * Decimal("0.9"),
            )
        )
    rows.sort(key=lambda row: (row.volunteer.last_name, row.volunteer.first_name))
    return rows


def own_offers(user) -> QuerySet[Booking]:
    """The offers made to ``user`` as a volunteer (waiting for her answer)."""
    return Booking.objects.filter(
        volunteer__user=user, volunteer__user__isnull=False, status=BookingStatus.OFFERED
    ).select_related("request__pool__organisation", "volunteer")


def own_hours(volunteer: Volunteer) -> QuerySet[Assignment]:
    return volunteer.assignments.all()


def own_done_bookings(user) -> QuerySet[Booking]:
    """Her bookings that took place (or were cancelled late): she enters their hours."""
    return (
        Booking.objects.filter(volunteer__user=user, volunteer__user__isnull=False)
        .filter(Q(status=BookingStatus.DONE) | Q(late_cancellation=True))
        .select_related("request__pool__organisation", "volunteer", "assignment")
        .order_by("-request__starts_at")
    )


def own_tandems(user) -> QuerySet[Tandem]:
    """Her running and ended tandems: she enters her contacts with their hours."""
    return (
        Tandem.objects.filter(volunteer__user=user, volunteer__user__isnull=False)
        .exclude(status=TandemStatus.REQUESTED)
        .select_related("pool__organisation", "volunteer")
        .order_by("-started_on")
    )


# --- a week solved together ----------------------------------------------------------------------


@dataclass
class WeekPlan:
    rows: list  # (booking, volunteer or None, points or None)
    cost: int
    greedy_cost: int


def week_plan(user, organisation, today: dt.date | None = None, days: int = 14) -> WeekPlan:
    """The open requests of the coordinator's pools in the next ``days`` solved together as an
    assignment problem (``matching.batch``), with the greedy cost for comparison. Nothing is
    written: the coordinator takes the plan over (``services.booking_propose`` per row)."""
    today = today or timezone.localdate()
    open_ = list(
        bookings_managed(user, organisation)
        .filter(
            status__in=[BookingStatus.REQUESTED, BookingStatus.DECLINED],
            request__starts_at__date__gte=today,
            request__starts_at__date__lte=today + dt.timedelta(days=days),
        )
        .select_related("request__case")
        .order_by("request__starts_at")
    )
    rows, cost, greedy_cost = [], 0, 0
    by_pool: dict = defaultdict(list)
    for b in open_:
        by_pool[b.request.pool].append(b)
    for pool, bookings in by_pool.items():
        needs = [candidates.need_of(b.request, b) for b in bookings]
        pool_candidates = candidates.candidates_of(pool, today)
        solved = matching.batch(needs, pool_candidates)
        cost += matching.total_cost(solved, needs, pool_candidates)
        greedy_cost += matching.total_cost(
            matching.greedy(needs, pool_candidates), needs, pool_candidates
        )
        people = {str(v.pk): v for v in Volunteer.objects.filter(pk__in=list(solved.values()))}
        by_id = {c.id: c for c in pool_candidates}
        for b, need in zip(bookings, needs, strict=True):
            chosen = solved.get(need.id)
            points = matching.score(need, by_id[chosen]) if chosen else None
            rows.append((b, people.get(chosen), points))
    rows.sort(key=lambda r: r[0].request.starts_at)
    return WeekPlan(rows, cost, greedy_cost)

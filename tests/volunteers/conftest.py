"""Two organisations, each with a pool, volunteers, a case and the people who work there."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.cases.conftest import make_user, new_participant, org_a, org_b  # noqa: F401
from wegweiser.accounts.models import Role
from wegweiser.cases import services as case_services
from wegweiser.volunteers import services
from wegweiser.volunteers.models import (
    Availability,
    Pool,
    Qualification,
    Rate,
    Volunteer,
    VolunteerLanguage,
)


def next_weekday(days: int = 10, hour: int = 10) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    while day.weekday() > 4:
        day += dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def add_volunteer(pool, first, postcode="35390", language="ar", user=None, **fields):
    v = Volunteer.objects.create(
        pool=pool,
        user=user,
        first_name=first,
        last_name="Ehrenamt",
        email=f"{first.lower()}@example.org",
        postcode=postcode,
        radius_km=30,
        modes=["on_site", "phone"],
        consent_on=dt.date(2025, 1, 1),
        max_hours_month=20,
        **fields,
    )
    VolunteerLanguage.objects.create(volunteer=v, language=language, level=6, interprets=True)
    for day in range(7):
        Availability.objects.create(volunteer=v, weekday=day, start=dt.time(7), end=dt.time(20))
    for kind in ("basic_course", "confidentiality", "interpreting"):
        Qualification.objects.create(
            volunteer=v, kind=kind, completed_on=dt.date(2024, 1, 1), expires_on=None
        )
    return v


@dataclass
class Side:
    org: object
    pool: Pool
    counsellor: object
    coordinator: object
    volunteer_user: object
    near: Volunteer
    far: Volunteer
    case: object


def _side(org, make_user, tag) -> Side:  # noqa: F811
    counsellor = make_user(org, Role.COUNSELLOR, name=f"beratung-{tag}")
    counsellor.email = f"beratung-{tag}@example.org"
    counsellor.save()
    coordinator = make_user(org, Role.VOLUNTEER_COORDINATOR, name=f"koordination-{tag}")
    volunteer_user = make_user(org, Role.VOLUNTEER, name=f"ehrenamt-{tag}")
    pool = Pool.objects.create(organisation=org, name=f"Pool {tag}", kreis="06531")
    Rate.objects.create(
        organisation=org,
        valid_from=dt.date(2020, 1, 1),
        eur_per_hour=Decimal("10.00"),
        eur_per_km=Decimal("0.30"),
    )
    near = add_volunteer(pool, f"Nadia{tag}", "35390", user=volunteer_user)
    far = add_volunteer(pool, f"Fatima{tag}", "35394")
    person = new_participant(org, counsellor, family_name=f"Geheimname{tag}")
    case = case_services.case_open(person, by=counsellor)
    return Side(org, pool, counsellor, coordinator, volunteer_user, near, far, case)


@pytest.fixture
def side_a(org_a, make_user):  # noqa: F811
    return _side(org_a, make_user, "A")


@pytest.fixture
def side_b(org_b, make_user):  # noqa: F811
    return _side(org_b, make_user, "B")


def request_for(side: Side, starts=None, **fields):
    values = dict(
        institution="Jobcenter",
        starts_at=starts or next_weekday(),
        duration_minutes=90,
        mode="on_site",
        address="Amtsweg 1, 35390 Gießen",
        postcode="35390",
        language="ar",
        topic="authority",
        setting="counselling",
    )
    values.update(fields)
    return services.interpreting_request(
        by=side.counsellor, organisation=side.org, pool=side.pool, case=side.case, **values
    )

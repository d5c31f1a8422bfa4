"""Demo volunteers for ``wegweiser demo`` (step 50): invented pools in three Kreise with a
plausible language mix, logins ``demo-ehrenamt`` (coordinator) and ``demo-dolmetscherin``
(volunteer), and bookings in every state of their lifecycle, tandems requested, running and
ended. Every name ends in "(Demo)". Passwords are new random ones on every run (as the other demo
logins); the data are created once.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from wegweiser.accounts.models import Membership, Role
from wegweiser.cases import demo as cases_demo
from wegweiser.cases.models import Case
from wegweiser.core import geo
from wegweiser.core.demo import DemoRun, demo_login
from wegweiser.organisations.models import Organisation
from wegweiser.volunteers import services
from wegweiser.volunteers.models import (
    Availability,
    Booking,
    BookingStatus,
    Pool,
    Qualification,
    QualificationKind,
    Rate,
    Tandem,
    Volunteer,
    VolunteerLanguage,
)

SUFFIX = "(Demo)"
DEMO_USERS = {
    "demo-ehrenamt": Role.VOLUNTEER_COORDINATOR,
    "demo-dolmetscherin": Role.VOLUNTEER,
}
#: language -> weight in the pools (the larger groups of Hessen's arrivals first)
LANGUAGE_MIX = {
    "ar": 20,
    "uk": 15,
    "ru": 12,
    "prs": 10,
    "fa": 10,
    "tr": 10,
    "ps": 8,
    "ku": 8,
    "ti": 4,
    "so": 3,
}
POOLS = [
    ("Dolmetschpool Landkreis Gießen", "06531", 30),
    ("Integrationslotsen Marburg-Biedenkopf", "06534", 20),
    ("Sprachmittlung Kassel", "06611", 15),
]
FIRST = ["Amal", "Oksana", "Farid", "Leyla", "Yusuf", "Hanna", "Reza", "Selin", "Abdi", "Mariam"]
LAST = ["Beispiel", "Muster", "Probe", "Fiktiv", "Erfunden", "Vorlage", "Platzhalter", "Test"]


@dataclass
class VolunteerDemo:
    pools: list[Pool]
    passwords: dict[str, str]
    created: bool


def _postcodes(kreis: str) -> list[str]:
    codes = sorted(p.plz for p in geo.postcodes().values() if p.kreis_ags == kreis)
    return codes or ["35390"]


def _users(organisations: list[Organisation]) -> dict[str, str]:
    passwords = {}
    for username, role in DEMO_USERS.items():
        user = demo_login(username)
        password = secrets.token_urlsafe(12)
        user.set_password(password)
        if not user.email:
            user.email = f"{username}@example.org"
        user.save()
        places = organisations if role == Role.VOLUNTEER_COORDINATOR else organisations[:1]
        for org in places:
            Membership.objects.get_or_create(user=user, organisation=org, role=role)
        passwords[username] = password
    return passwords


def _volunteer(pool, rng, i, postcodes, today, user=None) -> Volunteer:
    first = FIRST[i % len(FIRST)]
    v = Volunteer.objects.create(
        pool=pool,
        user=user,
        first_name=first,
        last_name=f"{LAST[i % len(LAST)]} {SUFFIX}",
        email=f"{first.lower()}.{i}@example.org",
        postcode=rng.choice(postcodes),
        radius_km=rng.choice([10, 20, 30]),
        modes=rng.sample(["on_site", "phone", "video"], rng.randint(1, 3))
        if user is None
        else ["on_site", "phone", "video"],
        gender=rng.choice(["female", "male", ""]),
        topics=rng.sample(["authority", "school", "health", "housing", "work"], 2),
        excluded_settings=rng.sample(["court", "psychotherapy"], rng.randint(0, 1)),
        max_hours_month=rng.choice([8, 10, 15]),
        max_tandems=rng.choice([0, 1, 2]),
        consent_on=today - dt.timedelta(days=200),
    )
    v.created_at = timezone.now() - dt.timedelta(days=200)
    Volunteer.objects.filter(pk=v.pk).update(created_at=v.created_at)
    languages = rng.sample(list(LANGUAGE_MIX), k=1, counts=list(LANGUAGE_MIX.values()))
    if user is not None:
        languages = ["ar", "prs"]
    elif rng.random() < 0.3:
        languages.append(rng.choice(list(LANGUAGE_MIX)))
    for code in dict.fromkeys(languages):
        VolunteerLanguage.objects.create(
            volunteer=v, language=code, level=rng.choice([5, 6]), interprets=True
        )
    for day in range(5) if user is not None else rng.sample(range(7), rng.randint(2, 5)):
        Availability.objects.create(volunteer=v, weekday=day, start=dt.time(0), end=dt.time(23, 59))
    for kind in (
        QualificationKind.BASIC_COURSE,
        QualificationKind.CONFIDENTIALITY,
        QualificationKind.INTERPRETING,
    ):
        expires = None
        if kind == QualificationKind.CONFIDENTIALITY:
            expires = today + dt.timedelta(days=rng.choice([30, 400, 800]))
        Qualification.objects.create(
            volunteer=v,
            kind=kind,
            completed_on=today - dt.timedelta(days=300),
            expires_on=expires,
        )
    return v


#: In each pool, a language with at least this many interpreters has at least
#: ``COVER_PER_DAY`` of them available on every day of the week (``_cover_weekdays``).
COVER_FROM = 4
COVER_PER_DAY = 2


def _cover_weekdays(volunteers: list[Volunteer], rng: random.Random) -> None:
    """Days drawn per volunteer can leave a weekday to one interpreter of a language the pool
    has many of (the Gießen pool had one for Arabic on Mondays and Saturdays): a coordinator's
    demo would then show a thin list. Add that day to those of the language with fewest days."""
    days = {v.pk: set(v.slots.values_list("weekday", flat=True)) for v in volunteers}
    speakers: dict[str, list[Volunteer]] = {}
    for v in volunteers:
        for code in v.languages.filter(interprets=True).values_list("language", flat=True):
            speakers.setdefault(code, []).append(v)
    for code in sorted(speakers):
        group = speakers[code]
        if len(group) < COVER_FROM:
            continue
        for day in range(7):
            free = [v for v in group if day in days[v.pk]]
            others = [v for v in group if day not in days[v.pk]]
            rng.shuffle(others)
            others.sort(key=lambda v: len(days[v.pk]))
            for v in others[: max(0, COVER_PER_DAY - len(free))]:
                Availability.objects.create(
                    volunteer=v, weekday=day, start=dt.time(0), end=dt.time(23, 59)
                )
                days[v.pk].add(day)


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _bookings(pool, org, counsellor, coordinator, volunteers, today) -> None:
    """One interpreting request in every state of the lifecycle, from the demo cases."""
    cases = list(Case.objects.filter(organisation=org, participant__anonymised_at__isnull=True))
    arabic = [v for v in volunteers if v.languages.filter(language="ar").exists()]
    postcode = pool.volunteers.first().postcode
    next_week = today + dt.timedelta(days=7)
    while next_week.weekday() > 4:
        next_week += dt.timedelta(days=1)
    tomorrow = today + dt.timedelta(days=1)

    def request(case, starts, language="ar", minutes=60):
        return services.interpreting_request(
            by=counsellor,
            organisation=org,
            pool=pool,
            case=case,
            today=today,
            institution=f"Jobcenter {SUFFIX}",
            starts_at=starts,
            duration_minutes=minutes,
            mode="on_site",
            address=f"Beispielstraße 1, {postcode} {SUFFIX}",
            postcode=postcode,
            language=language,
            topic="authority",
            setting="counselling",
        )

    def to(status, starts, volunteer, case):
        b = request(case, starts)
        if status == BookingStatus.REQUESTED:
            return b
        services.booking_propose(b, by=coordinator, volunteer=volunteer)
        if status == BookingStatus.PROPOSED:
            return b
        b, token = services.booking_offer(b, by=coordinator)
        if status == BookingStatus.OFFERED:
            return b
        accept = status != BookingStatus.DECLINED
        b = services.booking_answer_by_link(token, accept=accept)
        if status in (BookingStatus.ACCEPTED, BookingStatus.DECLINED):
            return b
        services.booking_confirm(b, by=coordinator)
        return b

    # today at midnight has always begun (a booking may not lie before today): it can be marked
    # done or a no-show at any hour, 00:00-00:10 included
    early = _at(today, 0)
    first = cases[0] if cases else None
    pick = iter(arabic * 3)
    to(BookingStatus.REQUESTED, _at(next_week, 10), None, first)
    to(BookingStatus.PROPOSED, _at(next_week, 14), next(pick), first)
    to(BookingStatus.OFFERED, _at(next_week + dt.timedelta(days=1), 9), next(pick), first)
    to(BookingStatus.ACCEPTED, _at(next_week + dt.timedelta(days=1), 11), next(pick), first)
    to(BookingStatus.DECLINED, _at(next_week + dt.timedelta(days=1), 15), next(pick), first)
    to(BookingStatus.CONFIRMED, _at(tomorrow, 10), next(pick), first)
    done = to(BookingStatus.CONFIRMED, early, next(pick), first)
    services.booking_done(done, by=counsellor)
    services.hours_record(done, by=coordinator, hours=Decimal("1.5"), km=Decimal("12"))
    late = to(BookingStatus.CONFIRMED, _at(tomorrow, 13), next(pick), first)
    services.booking_cancel(late, by=counsellor)
    no_show = to(BookingStatus.CONFIRMED, early, next(pick), first)
    services.booking_no_show(no_show, by=coordinator)
    early_cancel = request(first, _at(next_week + dt.timedelta(days=2), 10))
    services.booking_cancel(early_cancel, by=counsellor)
    # a request the coordinator made herself, for a person without a case
    services.coordinator_interpreting_request(
        by=coordinator,
        pool=pool,
        person_label=f"Frau A. {SUFFIX}",
        person_contact="0641 000000",
        today=today,
        institution=f"Grundschule {SUFFIX}",
        starts_at=_at(next_week + dt.timedelta(days=2), 14),
        duration_minutes=45,
        mode="phone",
        address="0641 000000",
        postcode=postcode,
        language="ar",
        topic="school",
        setting="parents",
    )


def _tandems(pool, org, counsellor, coordinator, volunteers, today) -> None:
    cases = list(Case.objects.filter(organisation=org, participant__anonymised_at__isnull=True))
    case = cases[-1] if cases else None
    fields = dict(language="ar", topic="everyday", postcode=volunteers[0].postcode)
    services.tandem_request(by=counsellor, organisation=org, pool=pool, case=case, **fields)
    free = [v for v in volunteers if v.max_tandems > 0]
    running = services.tandem_request(
        by=counsellor, organisation=org, pool=pool, case=case, **fields
    )
    services.tandem_start(running, by=coordinator, volunteer=free[0], on=today)
    services.tandem_meeting_add(running, by=coordinator, kind="contact", on=today, minutes=90)
    services.tandem_meeting_add(running, by=coordinator, kind="supervision", on=today, minutes=60)
    ended = services.tandem_request(by=counsellor, organisation=org, pool=pool, case=case, **fields)
    services.tandem_start(ended, by=coordinator, volunteer=free[-1], on=today)
    services.tandem_end(ended, by=coordinator, on=today, outcome="goal_reached")


def setup(today: dt.date | None = None) -> VolunteerDemo | None:
    found = cases_demo.demo_organisations()
    if found is None:
        return None
    org = found[0]
    others = list(
        Organisation.objects.filter(is_synthetic=True)
        .exclude(pk__in=[org.pk, found[2].pk])
        .order_by("name")[:2]
    )
    organisations = [org, *others]
    passwords = _users(organisations)
    today = today or timezone.localdate()
    if Pool.objects.filter(name__endswith=SUFFIX).exists():
        return VolunteerDemo(list(Pool.objects.filter(name__endswith=SUFFIX)), passwords, False)
    User = get_user_model()
    counsellor = User.objects.get(username="demo-beratung")
    if not counsellor.email:  # the confirmations of her requests go there
        counsellor.email = "demo-beratung@example.org"
        counsellor.save(update_fields=["email"])
    coordinator = User.objects.get(username="demo-ehrenamt")
    rng = random.Random(13)  # noqa: S311 - invented demo data, seeded for repeatability
    pools = []
    with transaction.atomic():
        for (name, kreis, size), owner in zip(POOLS, organisations, strict=False):
            pool = Pool.objects.create(
                organisation=owner, name=f"{name} {SUFFIX}", kreis=kreis, interpreting=True
            )
            Rate.objects.get_or_create(
                organisation=owner,
                valid_from=dt.date(2024, 1, 1),
                defaults={"eur_per_hour": Decimal("12.00"), "eur_per_km": Decimal("0.30")},
            )
            codes = _postcodes(kreis)
            user = User.objects.get(username="demo-dolmetscherin") if not pools else None
            volunteers = [
                _volunteer(pool, rng, i, codes, today, user=user if i == 0 else None)
                for i in range(size)
            ]
            _cover_weekdays(volunteers, rng)
            pools.append(pool)
            if owner == org:
                _bookings(pool, org, counsellor, coordinator, volunteers, today)
                _tandems(pool, org, counsellor, coordinator, volunteers, today)
    return VolunteerDemo(pools, passwords, True)


def demo_step(run: DemoRun) -> None:
    result = setup()
    if result is None:
        run.stdout.write("demo volunteers: no suitable demo organisation found")
        return
    run.stdout.write(
        f"demo volunteers: {len(result.pools)} pools, "
        + ("created" if result.created else "already present")
    )
    for username, password in result.passwords.items():
        run.stdout.write(f"demo login ({DEMO_USERS[username].label}): {username} / {password}")


def has_data() -> bool:
    return Tandem.objects.exists() or Booking.objects.exists()

"""Staff of the soak benchmark (``bench/soak.py``): counsellor logins with cases on the bench
database, created through the services as the demo does (``cases/demo.py``).

Run by ``soak.py`` in a subprocess with the server's environment (``DJANGO_SETTINGS_MODULE``,
``DATABASE_URL``): ``python bench/soak_seed.py --staff 20 --cases 8``. The password of every
soak login is ``SOAK_PASSWORD`` from the environment (a new random one per run, hashed once).
Idempotent and topped up: each login ``soak-beratung-NN`` is a counsellor of the demo's WIR
network carrier with at least ``--cases`` open cases, half of them in follow-up with the
four-week check-in due (so the run can record check-ins; recorded ones are replaced by new
cases on the next run). Prints one line ``SOAK_SEED {json}``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from wegweiser.accounts.models import Membership, Role  # noqa: E402
from wegweiser.accounts.second_factor import give_demo_app  # noqa: E402
from wegweiser.cases import services  # noqa: E402
from wegweiser.cases.demo import DEMO_SUFFIX, demo_entry_date, demo_organisations  # noqa: E402
from wegweiser.cases.errors import CaseError  # noqa: E402
from wegweiser.cases.models import OPEN_STATUSES, Case, ConsentPurpose, FollowUp  # noqa: E402

PREFIX = "soak-beratung-"
GIVEN = ["Amal", "Bilal", "Dana", "Emre", "Farid", "Hana", "Ivan", "Jana", "Karim", "Lea", "Omar"]
FAMILY = ["Lasttest", "Dauerlauf", "Probelauf", "Messreihe", "Prüfstand"]
OPEN = tuple(OPEN_STATUSES)


def _person(org, by, n: int, today: dt.date):
    person = services.participant_create(
        by=by,
        organisation=org,
        given_name=GIVEN[n % len(GIVEN)],
        family_name=f"{FAMILY[n % len(FAMILY)]} {n} {DEMO_SUFFIX}",
        date_of_birth=dt.date(1975 + n % 30, 1 + n % 12, 1 + n % 28),
        gender=["female", "male"][n % 2],
        phone="0000 000000",
        email=f"soak{n}@example.org",
        languages=["ar", "de"],
        citizenships=["SY"],
        kreis="06412",
    )
    on = today - dt.timedelta(days=60)
    services.residence_status_record(
        person,
        by=by,
        title="aufenthaltserlaubnis",
        section="25(2)",
        valid_from=dt.date(2023, 1, 1),
        work_ban="none",
    )
    services.consent_record(
        person,
        by=by,
        purpose=ConsentPurpose.COUNSELLING,
        given_on=on,
        text_version="soak-1",
        channel="written",
    )
    return person


def _case(org, project, user, n: int, followup: bool, today: dt.date) -> str:
    """One open case of ``user``; with ``followup`` its four-week check-in is due."""
    with transaction.atomic():
        person = _person(org, user, n, today)
        case = services.case_open(person, by=user)
        services.case_start_clearing(case, by=user)
        if not followup:
            services.contact_create(
                case,
                by=user,
                date=today - dt.timedelta(days=3),
                duration_minutes=30,
                channel="in_person",
                topics=["Erstgespräch"],
            )
            return "open"
    try:
        with transaction.atomic():
            rnd = project.funding_round
            entry = demo_entry_date(project, today)
            services.enrol(case, by=user, project=project, funding_round=rnd, entry_date=entry)
            start = max(entry, today - dt.timedelta(days=28))
            services.case_start_followup(case, by=user, start_date=start, situation="work")
    except CaseError:
        return "open"  # not enrolled (the round does not fit today): still a case to work on
    return "followup"


def seed(staff: int, cases: int, password: str) -> dict:
    found = demo_organisations()
    if found is None:
        raise SystemExit("no demo organisation: run `wegweiser demo` on this database first")
    org, project, _partner, _offer = found
    today = timezone.localdate()
    User = get_user_model()
    hashed = make_password(password)  # once: PBKDF2 per login would take seconds
    counter = Case.objects.filter(organisation=org).count()
    made = {"open": 0, "followup": 0}
    names = []
    for i in range(1, staff + 1):
        username = f"{PREFIX}{i:02d}"
        user, _ = User.objects.get_or_create(username=username)
        user.password = hashed
        user.first_name, user.last_name = "Soak", f"Beratung {i}"
        user.save()
        Membership.objects.get_or_create(user=user, organisation=org, role=Role.COUNSELLOR)
        give_demo_app(user)  # the second factor: the demo logins' published key
        names.append(username)
        mine = Case.objects.filter(organisation=org, counsellor=user, status__in=OPEN)
        due = FollowUp.objects.filter(
            case__in=mine, done_at__isnull=True, due_date__lte=today
        ).count()
        n_open = mine.count()
        want_due = cases // 2
        for _ in range(max(0, want_due - due)):
            counter += 1
            made[_case(org, project, user, counter, True, today)] += 1
        for _ in range(max(0, cases - want_due - (n_open - due))):
            counter += 1
            made[_case(org, project, user, counter, False, today)] += 1
    return {
        "organisation": org.name,
        "logins": names,
        "cases_created": made,
        "open_cases": Case.objects.filter(
            organisation=org, counsellor__username__startswith=PREFIX, status__in=OPEN
        ).count(),
        "checkins_due": FollowUp.objects.filter(
            case__organisation=org,
            case__counsellor__username__startswith=PREFIX,
            done_at__isnull=True,
            due_date__lte=today,
        ).count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=20)
    parser.add_argument("--cases", type=int, default=8)
    args = parser.parse_args()
    password = os.environ.get("SOAK_PASSWORD")
    if not password:
        raise SystemExit("SOAK_PASSWORD is not set")
    print("SOAK_SEED " + json.dumps(seed(args.staff, args.cases, password)), flush=True)


if __name__ == "__main__":
    main()

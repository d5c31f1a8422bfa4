"""Demo data of the network view (``wegweiser demo``, step 61, after the case management's 40
and the funding's 60).

The case management's demo WIR project gets its referral partner as a Verbund partner
("Teilprojekt"), and seven more invented people are referred from the carrier to the partner
and accepted there, through the case management's services (consent, case, referral, answer:
audit-logged like any other). With the three referrals of the case management's demo the
network page then shows 10 sent and 8 accepted, the single refused and the single open one
hidden (small counts). Idempotent: the seven are created once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from wegweiser.cases import demo as cases_demo
from wegweiser.cases import services
from wegweiser.cases.models import ConsentPurpose, Participant, SharedField
from wegweiser.programmes.models import Project, ProjectPartner

FAMILY = "Verbund (Demo)"
GIVEN = ["Amal", "Bilal", "Dana", "Emre", "Farah", "Goran", "Hana"]


@dataclass
class DemoNetwork:
    project: Project
    created: int


def _person(org, by, given: str, on: dt.date, partner) -> Participant:
    person = services.participant_create(
        by=by,
        organisation=org,
        given_name=given,
        family_name=FAMILY,
        date_of_birth=dt.date(1990, 1, 1),
        gender="female",
        phone="0000 000000",
        email=f"{given.lower()}@example.org",
        languages=["ar", "de"],
        citizenships=["SY"],
        kreis="06412",
    )
    for purpose, extra in (
        (ConsentPurpose.COUNSELLING, {}),
        (
            ConsentPurpose.REFERRAL_SHARING,
            {"recipient": partner, "shared_fields": [SharedField.NAME, SharedField.PHONE]},
        ),
    ):
        services.consent_record(
            person,
            by=by,
            purpose=purpose,
            given_on=on,
            text_version="demo-1",
            channel="written",
            **extra,
        )
    return person


@transaction.atomic
def setup(today: dt.date | None = None) -> DemoNetwork | None:
    today = today or timezone.localdate()
    found = cases_demo.demo_organisations()
    User = get_user_model()
    by = User.objects.filter(username="demo-beratung").first()
    answering = User.objects.filter(username="demo-partner").first()
    if found is None or by is None or answering is None:
        return None
    carrier, project, partner, offer = found
    ProjectPartner.objects.get_or_create(
        project=project, organisation=partner, defaults={"role": "partner"}
    )
    if Participant.objects.filter(organisation=carrier, family_name=FAMILY).exists():
        return DemoNetwork(project, 0)
    for given in GIVEN:
        person = _person(carrier, by, given, today, partner)
        case = services.case_open(person, by=by)
        referral = services.referral_create(
            case, by=by, offer=offer, message="Erfundene Demo-Überweisung im Verbund."
        )
        services.referral_send(referral, by=by)
        services.referral_accept(referral, by=answering)
    return DemoNetwork(project, len(GIVEN))


def demo_step(run) -> None:
    result = setup()
    if result is None:
        run.stdout.write("demo network: no demo case management found (run the cases step)")
        return
    run.stdout.write(
        f"demo network of {result.project.name}: "
        + (f"{result.created} referrals in the Verbund" if result.created else "already present")
    )

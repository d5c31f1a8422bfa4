"""Intake from the public self-check: a contact request becomes a first contact.

A person without an account asks an organisation to contact her. The self-check (``public``)
decides whether the request is taken -- the offer, the limits, a request sent twice -- and
keeps its reference number; the case management writes the person, the case and the consent
here, as every case service does: atomic, checked, every write audit-logged. The actor is
:data:`~wegweiser.cases.services.actors.SYSTEM` (no user acted); the rows that need a user
record the inactive stand-in account (``actors.SYSTEM_USERNAME``).

A referral that becomes a case (the other way into the case management from outside) is
``referrals_received.referral_case_open``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from wegweiser.cases.errors import InvalidData
from wegweiser.cases.models import (
    Case,
    Consent,
    ConsentChannel,
    ConsentPurpose,
    Participant,
)
from wegweiser.cases.services.actors import SYSTEM
from wegweiser.cases.services.base import check_row, require
from wegweiser.cases.services.consent import consent_insert
from wegweiser.cases.services.participants import (
    check_residence,
    participant_insert,
    residence_insert,
)
from wegweiser.cases.services.workflow import case_insert
from wegweiser.organisations.models import Organisation


@dataclass(frozen=True)
class Intake:
    """What a contact request wrote: the person, her case in first contact, her consent."""

    participant: Participant
    case: Case
    consent: Consent


@transaction.atomic
def contact_request_intake(
    *,
    by=SYSTEM,
    organisation: Organisation,
    given_name: str = "",
    family_name: str = "",
    phone: str = "",
    email: str = "",
    language: str,
    consent_text_version: str,
    shared: Mapping[str, Any] | None = None,
) -> Intake:
    """A participant of ``organisation`` reachable by ``phone`` or ``email``, speaking
    ``language``, a case in first contact nobody is responsible for yet, and her consent to
    counselling given today in digital form (``consent_text_version``: the text she agreed to).

    ``shared`` holds the self-check answers she chose to send along: ``date_of_birth`` (a date),
    ``gender``, ``citizenships``, ``kreis``, and ``residence`` (``{"title", "section"}``) with
    ``work_ban``, which becomes the first entry of her residence history, valid from today.
    Every row passes the model's own validation and the residence the eligibility engine's;
    :class:`~wegweiser.cases.errors.InvalidData` otherwise, and nothing is written.
    """
    require(by, organisation, "contact_request.intake")
    if not (phone or email):
        raise InvalidData()
    shared = shared or {}
    today = timezone.localdate()
    participant = Participant(
        organisation=organisation,
        given_name=given_name,
        family_name=family_name,
        phone=phone,
        email=email,
        languages=[language],
        date_of_birth=shared.get("date_of_birth"),
        gender=shared.get("gender", ""),
        citizenships=list(shared.get("citizenships", [])),
        kreis=shared.get("kreis", ""),
    )
    check_row(participant, exclude=["pseudonym"])
    participant_insert(by, participant, detail={"fields": sorted(shared)})
    residence = shared.get("residence") or {}
    if residence.get("title"):
        values = {
            "title": residence["title"],
            "section": residence.get("section", ""),
            "work_ban": shared.get("work_ban", ""),
        }
        check_residence(**values, day=today)
        residence_insert(by, participant, check=True, valid_from=today, **values)
    case = case_insert(by, participant)
    consent = consent_insert(
        by,
        participant,
        purpose=ConsentPurpose.COUNSELLING,
        given_on=today,
        text_version=consent_text_version,
        channel=ConsentChannel.DIGITAL,
    )
    return Intake(participant, case, consent)

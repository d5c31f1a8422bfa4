"""Participants: the person's record, her household and her residence-status history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wegweiser.audit.models import AuditAction
from wegweiser.cases.errors import InvalidData
from wegweiser.cases.models import Household, HouseholdRelation, Participant, ResidenceStatus
from wegweiser.cases.services.actors import recorder
from wegweiser.cases.services.base import check_row, compare_and_swap, log, require
from wegweiser.eligibility.facts import ProfileError, parse_profile
from wegweiser.organisations.models import Organisation

#: The fields of a person's record the services write as given (the others are the system's):
#: her name, the facts the eligibility check reads, and how to reach her.
PARTICIPANT_FIELDS = (
    *("given_name", "family_name"),
    *("date_of_birth", "gender", "citizenships", "kreis"),
    *("phone", "email", "languages"),
)


def check_profile(data: Mapping[str, Any], day: dt.date) -> None:
    """The eligibility engine's check of profile facts (``birth_date``, ``residence`` ...) on
    ``day``; :class:`InvalidData` with its message when a value is not one it knows."""
    try:
        parse_profile(data, reference_date=day)
    except ProfileError as error:
        raise InvalidData(_("Ungültige Angabe: %(error)s"), error=error.text("de")) from None


def _check_participant_fields(fields: Mapping[str, Any]) -> None:
    unknown = set(fields) - set(PARTICIPANT_FIELDS)
    if unknown:
        raise InvalidData(_("Unbekannte Angaben: %(fields)s"), fields=", ".join(sorted(unknown)))
    data: dict[str, Any] = {}
    if fields.get("date_of_birth"):
        data["birth_date"] = fields["date_of_birth"].isoformat()
    if fields.get("citizenships"):
        data["citizenships"] = list(fields["citizenships"])
    if fields.get("kreis"):
        data["kreis"] = fields["kreis"]
    if fields.get("gender"):
        data["gender"] = fields["gender"]
    check_profile(data, timezone.localdate())


def check_residence(*, title: str, section: str, work_ban: str, day: dt.date) -> None:
    residence: dict[str, Any] = {"title": title}
    if section:
        residence["section"] = section
    data: dict[str, Any] = {"residence": residence}
    if work_ban:
        data["work_ban"] = work_ban
    check_profile(data, day)


# --- steps of the services (no role check of their own: the calling service checks) ----------


def participant_insert(by, participant: Participant, *, detail=None) -> Participant:
    """Save the new ``participant`` with a pseudonym nobody has yet, and log it."""
    field = Participant._meta.get_field("pseudonym")
    while Participant.objects.filter(pseudonym=participant.pseudonym).exists():
        participant.pseudonym = field.default()
    participant.save()
    log(by, AuditAction.CREATE, participant, participant=participant, detail=detail)
    return participant


def residence_insert(by, participant: Participant, *, detail=None, check=False, **values):
    """Save a new entry of ``participant``'s residence history as recorded by ``by``, and log
    it; with ``check``, the model's validation first (for data that came through no form)."""
    status = ResidenceStatus(participant=participant, recorded_by=recorder(by), **values)
    if check:
        check_row(status)
    status.save()
    log(by, AuditAction.CREATE, status, participant=participant, detail=detail)
    return status


# --- services -----------------------------------------------------------------------------------


@transaction.atomic
def participant_create(*, by, organisation: Organisation, **fields) -> Participant:
    """A new participant of ``organisation`` with a fresh random pseudonym."""
    require(by, organisation, "participant.create")
    _check_participant_fields(fields)
    return participant_insert(by, Participant(organisation=organisation, **fields))


@transaction.atomic
def participant_update(participant: Participant, *, by, version: int | None = None, **fields):
    """Change the given fields if nobody saved the person since ``version``."""
    require(by, participant.organisation, "participant.edit")
    if participant.anonymised_at:
        raise InvalidData(_("Die Person ist anonymisiert."))
    _check_participant_fields(fields)
    compare_and_swap(participant, version=version, **fields)
    log(
        by,
        AuditAction.UPDATE,
        participant,
        participant=participant,
        detail={"fields": sorted(fields)},
    )
    return participant


@transaction.atomic
def household_link(
    participant: Participant,
    *,
    by,
    relation: str,
    household: Household | None = None,
    version: int | None = None,
) -> Household:
    """Put ``participant`` into ``household`` (a new one when ``None``) with ``relation``."""
    organisation = participant.organisation
    require(by, organisation, "participant.edit")
    if relation not in HouseholdRelation.values:
        raise InvalidData()
    if household is None:
        household = Household.objects.create(organisation=organisation)
    elif household.organisation_id != organisation.pk:
        raise InvalidData(_("Der Haushalt gehört zu einer anderen Organisation."))
    if (
        relation == HouseholdRelation.MAIN_PERSON
        and household.members.filter(household_relation=HouseholdRelation.MAIN_PERSON)
        .exclude(pk=participant.pk)
        .exists()
    ):
        raise InvalidData(_("Der Haushalt hat schon eine Hauptperson."))
    compare_and_swap(participant, version=version, household=household, household_relation=relation)
    log(
        by,
        AuditAction.UPDATE,
        participant,
        participant=participant,
        detail={"household": str(household.pk), "relation": relation},
    )
    return household


@transaction.atomic
def residence_status_record(
    participant: Participant,
    *,
    by,
    title: str,
    valid_from: dt.date,
    section: str = "",
    valid_to: dt.date | None = None,
    work_ban: str = "",
) -> ResidenceStatus:
    """Add a residence status; an open-ended earlier one ends the day before ``valid_from``."""
    require(by, participant.organisation, "participant.edit")
    check_residence(title=title, section=section, work_ban=work_ban, day=valid_from)
    if valid_to is not None and valid_to < valid_from:
        raise InvalidData(_("„gültig bis“ liegt vor „gültig ab“."))
    participant.residence_statuses.filter(valid_to__isnull=True, valid_from__lt=valid_from).update(
        valid_to=valid_from - dt.timedelta(days=1)
    )
    return residence_insert(
        by,
        participant,
        title=title,
        section=section,
        valid_from=valid_from,
        valid_to=valid_to,
        work_ban=work_ban,
    )

"""Enrolment (clearing → active): the eligibility check at entry, stored as a snapshot."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wegweiser.audit.models import AuditAction
from wegweiser.cases import selectors
from wegweiser.cases.errors import EnrolmentRefused, InvalidData, TransitionNotAllowed
from wegweiser.cases.models import (
    CASE_TRANSITIONS,
    ENROLLED_STATUSES,
    Case,
    CaseStatus,
    EligibilitySnapshot,
    Participant,
)
from wegweiser.cases.services.actors import may
from wegweiser.cases.services.base import log, require
from wegweiser.cases.services.workflow import transition
from wegweiser.eligibility.engine import ELIGIBLE, evaluate
from wegweiser.eligibility.facts import ProfileError, parse_profile
from wegweiser.eligibility.registry import RECORDED_KEYS
from wegweiser.programmes.models import FundingRound, Project
from wegweiser.programmes.selectors import engine_catalogue

#: Profile keys the enrolment takes from the participant's record; the others may be given.
PARTICIPANT_PROFILE_KEYS = RECORDED_KEYS


def current_participations(participant: Participant, day: dt.date, exclude: Case | None = None):
    """Round ids of the participant's other enrolments running on ``day`` (double funding)."""
    qs = participant.cases.filter(
        status__in=ENROLLED_STATUSES, funding_round__isnull=False, entry_date__lte=day
    ).exclude(exit_date__lt=day)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return sorted(set(qs.values_list("funding_round__key", flat=True)))


def build_profile_data(
    participant: Participant,
    day: dt.date,
    *,
    facts: Mapping[str, Any] | None = None,
    exclude: Case | None = None,
) -> dict[str, Any]:
    """The eligibility profile (JSON form) from the participant's record on ``day``.

    ``facts`` adds what the record does not hold (``jobcentre_contact``, ``german_level``, ...),
    and ``participations`` the person declares elsewhere; both are merged with this
    organisation's own running enrolments.
    """
    facts = dict(facts or {})
    overlap = PARTICIPANT_PROFILE_KEYS & set(facts)
    if overlap:
        raise InvalidData(
            _("Diese Angaben kommen aus der Akte der Person: %(keys)s"),
            keys=", ".join(sorted(overlap)),
        )
    data: dict[str, Any] = {k: v for k, v in facts.items() if k != "participations"}
    if participant.date_of_birth and participant.date_of_birth <= day:
        data["birth_date"] = participant.date_of_birth.isoformat()
    if participant.gender:
        data["gender"] = participant.gender
    if participant.citizenships:
        data["citizenships"] = list(participant.citizenships)
    if participant.kreis:
        data["kreis"] = participant.kreis
    status = selectors.residence_status_on(participant, day)
    if status is not None:
        data["residence"] = {"title": status.title}
        if status.section:
            data["residence"]["section"] = status.section
        if status.work_ban:
            data["work_ban"] = status.work_ban
    participations = list(facts.get("participations") or [])
    participations += current_participations(participant, day, exclude)
    if participations:
        data["participations"] = list(dict.fromkeys(participations))
    return data


@transaction.atomic
def enrol(
    case: Case,
    *,
    by,
    project: Project,
    funding_round: FundingRound,
    override_reason: str | None = None,
    entry_date: dt.date | None = None,
    facts: Mapping[str, Any] | None = None,
    version: int | None = None,
) -> EligibilitySnapshot:
    """clearing → active: the eligibility check at entry, stored as a snapshot, and enrolment.

    Refused (:class:`EnrolmentRefused` with the engine's reasons) unless the round answers
    *eligible* -- not eligible, undetermined or a double-funding conflict -- except when a team
    lead of the case's organisation gives ``override_reason``: then the snapshot records the
    reason and the team lead, and the audit log an "override" entry.
    """
    organisation = case.organisation
    require(by, organisation, "case.enrol")
    if CaseStatus.ACTIVE not in CASE_TRANSITIONS[case.status]:
        raise TransitionNotAllowed()
    if project.funding_round_id != funding_round.pk:
        raise InvalidData(_("Das Projekt gehört nicht zu dieser Förderrunde."))
    is_partner = project.partners.filter(pk=organisation.pk).exists()
    if project.carrier_id != organisation.pk and not is_partner:
        raise InvalidData(_("Die Organisation führt dieses Projekt nicht durch."))
    # Lock the person's row: two enrolments of the same person at once (double funding, the same
    # project twice) would each pass the checks below; the second now waits for the first and
    # then sees its case (a no-op on SQLite, which writes one transaction at a time).
    participant = Participant.objects.select_for_update().get(pk=case.participant_id)
    case.participant = participant
    day = entry_date or timezone.localdate()
    earlier = participant.cases.filter(project=project).exclude(pk=case.pk)
    if earlier.filter(Q(status__in=ENROLLED_STATUSES) | Q(entry_date__isnull=False)).exists():
        # facts.md A.6: a participant is recorded only once per Vorhaben, also after an exit
        raise EnrolmentRefused(_("Die Person nimmt an diesem Projekt bereits teil."))

    catalogue = engine_catalogue()
    data = build_profile_data(participant, day, facts=facts, exclude=case)
    try:
        profile = parse_profile(data, reference_date=day, known_rounds=catalogue.round_ids)
        engine_round = catalogue.select_rounds(
            [f"{funding_round.programme.key}/{funding_round.key}"]
        )
    except ProfileError as error:
        raise InvalidData(_("Ungültige Angabe: %(error)s"), error=error.text("de")) from None
    except KeyError:
        raise InvalidData(_("Die Förderrunde fehlt im Regelkatalog.")) from None
    if not engine_round[0].is_active(day) or not (
        project.start <= day and (project.end is None or day <= project.end)
    ):
        raise EnrolmentRefused(
            _("Am %(day)s laufen die Förderrunde oder das Projekt nicht."), day=day.isoformat()
        )
    (result,) = evaluate(catalogue, profile, day, engine_round)
    reasons = {lang: result.to_json(lang)["reasons"] for lang in ("de", "en")}
    admitted = result.status == ELIGIBLE
    override = bool(override_reason and override_reason.strip()) and not admitted
    if not admitted:
        if not override:
            raise EnrolmentRefused(
                status=result.status, reasons=reasons["de"], missing=result.missing
            )
        if not may(by, organisation, "case.override_eligibility"):
            raise EnrolmentRefused(
                _("Eine Ausnahme von der Förderprüfung kann nur die Teamleitung zulassen."),
                status=result.status,
                reasons=reasons["de"],
                missing=result.missing,
            )
    snapshot = EligibilitySnapshot.objects.create(
        case=case,
        checked_on=day,
        catalogue_version=catalogue.version,
        programme_key=result.round.programme,
        round_key=result.round.id,
        status=result.status,
        reasons=reasons,
        missing=list(result.missing),
        profile=profile.to_json(),
        admitted=True,
        override_reason=override_reason.strip() if override else "",
        overridden_by=by if override else None,
        checked_by=by,
    )
    transition(
        case,
        by=by,
        to=CaseStatus.ACTIVE,
        version=version,
        detail={
            "project": str(project.pk),
            "round": funding_round.key,
            "eligibility": result.status,
        },
        project=project,
        funding_round=funding_round,
        entry_date=day,
    )
    if override:
        log(
            by,
            AuditAction.OVERRIDE,
            snapshot,
            case=case,
            detail={
                "status": result.status,
                "round": result.round.key,
                "rules": [r["rule"] for r in reasons["de"]],
            },
        )
    return snapshot

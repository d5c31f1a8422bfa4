"""Cases and their workflow: open, take over, and one service per transition of
``models.CASE_TRANSITIONS`` (the enrolment, clearing → active, is in :mod:`.enrolment`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wegweiser.audit.models import AuditAction
from wegweiser.cases.errors import InvalidData
from wegweiser.cases.models import (
    CASE_TRANSITIONS,
    Case,
    CaseStatus,
    DropoutReason,
    FollowUp,
    Participant,
)
from wegweiser.cases.services.base import (
    check_counsellor,
    check_transition,
    compare_and_swap,
    log,
    require,
)
from wegweiser.cases.services.followup import esf_survey_schedule, followups_schedule

#: A drop-out's reason is recorded, never logged (it can be health or residence).
RECORDED = {"reason_recorded": True}

# --- steps of the services (no role check of their own: the calling service checks) ----------


def case_insert(by, participant: Participant, *, counsellor=None, detail=None) -> Case:
    """A new case of ``participant`` at its organisation in first contact, logged."""
    case = Case.objects.create(
        participant=participant,
        organisation=participant.organisation,
        counsellor=counsellor,
        status=CaseStatus.FIRST_CONTACT,
    )
    log(by, AuditAction.CREATE, case, participant=participant, detail=detail)
    return case


def transition(case: Case, *, by, to: str, version: int | None, detail=None, **changes) -> Case:
    """Check the role, the table and the version, write, log. Callers are atomic."""
    require(by, case.organisation, "case.transition")
    origin = case.status
    message = _("Ein Fall im Status „%(origin)s“ kann nicht nach „%(target)s“ wechseln.")
    check_transition(CASE_TRANSITIONS, CaseStatus, origin, to, message)
    compare_and_swap(case, version=version, expect={"status": origin}, status=to, **changes)
    log(
        by,
        AuditAction.TRANSITION,
        case,
        case=case,
        detail={"from": origin, "to": to, **(detail or {})},
    )
    return case


def _check_exit(case: Case, exit_date: dt.date) -> None:
    if case.entry_date and exit_date < case.entry_date:
        raise InvalidData(_("Der Austritt liegt vor dem Eintritt."))


# --- services -----------------------------------------------------------------------------------


@transaction.atomic
def case_open(participant: Participant, *, by, counsellor=None) -> Case:
    """A new case of ``participant`` at its organisation, status first contact."""
    organisation = participant.organisation
    require(by, organisation, "case.create")
    if participant.anonymised_at:
        raise InvalidData(_("Die Person ist anonymisiert."))
    counsellor = counsellor or by
    check_counsellor(counsellor, organisation)
    return case_insert(by, participant, counsellor=counsellor)


@transaction.atomic
def case_assign(case: Case, *, by, counsellor, version: int | None = None) -> Case:
    """``counsellor`` (``None``: nobody) is responsible for the case from now on."""
    require(by, case.organisation, "case.edit")
    check_counsellor(counsellor, case.organisation)
    compare_and_swap(case, version=version, counsellor=counsellor)
    log(
        by,
        AuditAction.UPDATE,
        case,
        case=case,
        detail={"counsellor": counsellor.pk if counsellor else None},
    )
    return case


@transaction.atomic
def case_start_clearing(case: Case, *, by, version: int | None = None) -> Case:
    """first contact → clearing."""
    return transition(case, by=by, to=CaseStatus.CLEARING, version=version)


@transaction.atomic
def case_start_followup(
    case: Case,
    *,
    by,
    start_date: dt.date,
    situation: str,
    version: int | None = None,
) -> Case:
    """active → follow-up: the person starts work or training; schedules the check-ins."""
    if situation not in FollowUp.Situation.values:
        raise InvalidData()
    if case.entry_date and start_date < case.entry_date:
        raise InvalidData(_("Der Beginn liegt vor dem Eintritt."))
    transition(
        case,
        by=by,
        to=CaseStatus.FOLLOWUP,
        version=version,
        detail={"situation": situation},
        work_start_date=start_date,
    )
    followups_schedule(case, start_date=start_date, situation=situation)
    return case


@transaction.atomic
def case_close(
    case: Case, *, by, exit_date: dt.date | None = None, version: int | None = None
) -> Case:
    """follow-up or active → closed (the regular exit, with or without a job start).

    The participation ends on ``exit_date`` (default today); an ESF record gets its survey six
    months later (:func:`~wegweiser.cases.services.followup.esf_survey_schedule`).
    """
    exit_date = exit_date or timezone.localdate()
    _check_exit(case, exit_date)
    transition(case, by=by, to=CaseStatus.CLOSED, version=version, exit_date=exit_date)
    esf_survey_schedule(case, exit_date=exit_date)
    return case


@transaction.atomic
def case_drop_out(
    case: Case,
    *,
    by,
    reason: str,
    note: str = "",
    exit_date: dt.date | None = None,
    version: int | None = None,
) -> Case:
    """first contact, clearing, active or follow-up → dropped out, with a reason from the list.

    Only an enrolled case (with an entry date) gets an exit date.
    """
    if reason not in DropoutReason.values:
        raise InvalidData(_("Bitte wählen Sie einen Abbruchgrund."))
    if reason == DropoutReason.OTHER and not note.strip():
        raise InvalidData(_("Bitte erläutern Sie den Abbruchgrund."))
    changes: dict[str, Any] = {"dropout_reason": reason, "dropout_note": note}
    if case.entry_date:
        changes["exit_date"] = exit_date or timezone.localdate()
        _check_exit(case, changes["exit_date"])
    transition(case, by=by, to=CaseStatus.DROPPED_OUT, version=version, detail=RECORDED, **changes)
    if case.exit_date:
        esf_survey_schedule(case, exit_date=case.exit_date)
    return case

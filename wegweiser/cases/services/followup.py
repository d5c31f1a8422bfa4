"""Follow-up: the check-ins after a job or training start, and the ESF Plus survey after exit."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from wegweiser.audit.models import AuditAction
from wegweiser.cases.errors import ConcurrentEdit, InvalidData
from wegweiser.cases.models import Case, DropoutRisk, FollowUp
from wegweiser.cases.retention import add_offset, is_esf_record
from wegweiser.cases.services.base import compare_and_swap, log, now, require

#: Follow-up check-ins after a job or training start, unless a programme sets its own
#: (setting ``WEGWEISER_FOLLOWUP_OFFSETS = {"wir": ["4w", "3m", "6m", "12m"]}``).
DEFAULT_FOLLOWUP_OFFSETS = ("4w", "3m", "6m")
ESF_LONG_TERM_OFFSET = "6m"
#: A check-in may be recorded this many days before its due date, not earlier (the ESF Plus
#: longer-term result refers to the situation six months after exit, facts.md A.4).
FOLLOWUP_EARLY_DAYS = 7


def followup_offsets(programme_key: str | None) -> tuple[str, ...]:
    """The check-in offsets of a programme (setting ``WEGWEISER_FOLLOWUP_OFFSETS``)."""
    configured = getattr(settings, "WEGWEISER_FOLLOWUP_OFFSETS", {}) or {}
    return tuple(configured.get(programme_key) or DEFAULT_FOLLOWUP_OFFSETS)


def followup_open_from(followup: FollowUp) -> dt.date:
    """The first day a check-in may be recorded: its due date less the tolerance."""
    return followup.due_date - dt.timedelta(days=FOLLOWUP_EARLY_DAYS)


# --- steps of the workflow's services (no role check, no audit entry of their own) -----------


def followups_schedule(case: Case, *, start_date: dt.date, situation: str) -> list[FollowUp]:
    """Create the check-ins after ``start_date`` (a step of ``case_start_followup``)."""
    programme = case.funding_round.programme.key if case.funding_round_id else None
    esf = is_esf_record(case)
    return FollowUp.objects.bulk_create(
        [
            FollowUp(
                case=case,
                offset=offset,
                situation=situation,
                start_date=start_date,
                due_date=add_offset(start_date, offset),
                is_esf_long_term=esf and offset == ESF_LONG_TERM_OFFSET,
            )
            for offset in followup_offsets(programme)
        ]
    )


def esf_survey_schedule(case: Case, *, exit_date: dt.date) -> FollowUp | None:
    """At exit, date the ESF Plus longer-term survey six months after ``exit_date`` (A.4).

    The open six-month check-in of an ESF record is moved to exit + 6 months; if there is none
    (exit straight from active, or the one after the job start was already recorded during the
    participation), a survey check-in is created. Other open check-ins stay as they are and
    remain listed after the closure. Returns the survey check-in (``None`` for non-ESF cases).
    A step of ``case_close`` and ``case_drop_out``.
    """
    if not is_esf_record(case):
        return None
    due = add_offset(exit_date, ESF_LONG_TERM_OFFSET)
    survey = case.followups.filter(is_esf_long_term=True, done_at__isnull=True).first()
    if survey is not None:
        FollowUp.objects.filter(pk=survey.pk).update(due_date=due)
        survey.due_date = due
        return survey
    last = case.followups.order_by("-start_date").first()
    return FollowUp.objects.create(
        case=case,
        offset=ESF_LONG_TERM_OFFSET,
        situation=last.situation if last else "",
        start_date=exit_date,
        due_date=due,
        is_esf_long_term=True,
    )


# --- services -----------------------------------------------------------------------------------


@transaction.atomic
def followup_record(
    followup: FollowUp,
    *,
    by,
    still_in_work_or_training: bool,
    dropout_risk: str = "",
    note: str = "",
    long_term_result: str = "",
) -> FollowUp:
    """Record a check-in; the six-month one also records the ESF Plus longer-term result."""
    case = followup.case
    require(by, case.organisation, "followup.record")
    if still_in_work_or_training and dropout_risk not in DropoutRisk.values:
        raise InvalidData(_("Bitte schätzen Sie das Abbruchrisiko ein."))
    if not still_in_work_or_training and dropout_risk:
        raise InvalidData(
            _("Ein Abbruchrisiko gibt es nur, solange die Person in Arbeit oder Ausbildung ist.")
        )
    if followup.is_esf_long_term and long_term_result not in FollowUp.LongTermResult.values:
        raise InvalidData(_("Beim Sechs-Monats-Termin fehlt das ESF-Plus-Ergebnis."))
    if not followup.is_esf_long_term and long_term_result:
        raise InvalidData(_("Das ESF-Plus-Ergebnis wird nur beim Sechs-Monats-Termin erfasst."))
    if timezone.localdate() < followup_open_from(followup):
        raise InvalidData(
            _(
                "Dieser Termin ist erst am %(due)s fällig; erfassen lässt er sich frühestens "
                "ab %(first)s."
            ),
            due=date_format(followup.due_date, "SHORT_DATE_FORMAT"),
            first=date_format(followup_open_from(followup), "SHORT_DATE_FORMAT"),
        )
    compare_and_swap(
        followup,
        expect={"done_at": None},
        conflict=ConcurrentEdit(_("Dieser Termin ist bereits erfasst.")),
        done_at=now(),
        done_by=by,
        still_in_work_or_training=still_in_work_or_training,
        dropout_risk=dropout_risk,
        note=note,
        long_term_result=long_term_result,
    )
    log(by, AuditAction.UPDATE, followup, case=case, detail={"offset": followup.offset})
    return followup

"""Writes of the funding administration: one service per status transition.

Every service takes the acted-on application as its only positional parameter (creation takes
none), the acting user as keyword-only ``by``, re-checks her role (at the applying organisation,
or at the call's authority), writes in one transaction and logs to the audit log. Bad input
raises a :class:`~wegweiser.funding.errors.FundingError` before anything is written.

    draft --submit--> submitted --review_start--> in_review --approve--> approved
                                                            --reject--> rejected
    approved --pay (tranches)--> approved --proof_submit--> proof_submitted
    proof_submitted --proof_accept--> closed   --proof_return--> approved
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import formats, timezone

from wegweiser.accounts.permissions import user_can
from wegweiser.audit.models import AuditAction
from wegweiser.audit.services import audit
from wegweiser.funding import errors
from wegweiser.funding.models import (
    Application,
    BudgetLine,
    Call,
    Decision,
    Payment,
    ProofOfUse,
    Review,
    Status,
)
from wegweiser.programmes.models import Project

CENT = Decimal("0.01")


def euro(value: Decimal) -> str:
    """An amount in the user's locale (``50.000,00``)."""
    return formats.number_format(Decimal(value).quantize(CENT), 2, force_grouping=True)


def _date(value: dt.date | None) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT") if value else "…"


# --- checks --------------------------------------------------------------------------------------


def check_application(
    call: Call,
    *,
    period_start: dt.date,
    period_end: dt.date,
    total_eur: Decimal,
    lines: Iterable[tuple[str, Decimal]],
) -> None:
    """Refuse an application that the call does not allow (before anything is written)."""
    total = Decimal(total_eur)
    if total <= 0:
        raise errors.InvalidInput(errors.AMOUNT_POSITIVE)
    if total > call.cap_eur:
        raise errors.InvalidInput(errors.OVER_CAP, amount=euro(total), cap=euro(call.cap_eur))
    lines = list(lines)
    if not lines:
        raise errors.InvalidInput(errors.NO_LINES)
    line_sum = sum((Decimal(amount) for _kind, amount in lines), Decimal("0"))
    if line_sum != total:
        raise errors.InvalidInput(errors.LINES_NOT_TOTAL, sum=euro(line_sum), total=euro(total))
    if period_end < period_start:
        raise errors.InvalidInput(errors.PERIOD_ORDER)
    round_ = call.funding_round
    if period_start < round_.start or (round_.end is not None and period_end > round_.end):
        raise errors.InvalidInput(
            errors.PERIOD_OUTSIDE_ROUND, start=_date(round_.start), end=_date(round_.end)
        )


def _applicant(application_or_org, by) -> None:
    org = getattr(application_or_org, "organisation", application_or_org)
    if not user_can(by, org, "funding.apply"):
        raise errors.NotAllowed()


def _authority(application: Application, by, action: str) -> None:
    if not user_can(by, application.call.authority, action):
        raise errors.NotAllowed()


def _locked(application: Application, *expected: str) -> Application:
    """The application re-read under a row lock; refuses a transition from another status."""
    fresh = Application.objects.select_for_update().get(pk=application.pk)
    if fresh.status not in expected:
        raise errors.TransitionNotAllowed()
    return fresh


def _log(application: Application, by, organisation, action=AuditAction.TRANSITION, **detail):
    audit(actor=by, organisation=organisation, action=action, obj=application, detail=detail)


def _status(application: Application, status: str) -> None:
    application.status = status
    application.save(update_fields=["status"])


# --- the applicant -------------------------------------------------------------------------------


@transaction.atomic
def application_create(
    *,
    by,
    organisation,
    call: Call,
    title: str,
    period_start: dt.date,
    period_end: dt.date,
    regions: Iterable,
    total_eur: Decimal,
    lines: Iterable[tuple[str, Decimal]],
) -> Application:
    """A draft application of ``organisation`` to ``call`` with its budget lines."""
    _applicant(organisation, by)
    lines = [(kind, Decimal(amount)) for kind, amount in lines]
    regions = list(regions)
    check_application(
        call, period_start=period_start, period_end=period_end, total_eur=total_eur, lines=lines
    )
    if not regions:
        raise errors.InvalidInput(errors.NO_REGIONS)
    application = Application.objects.create(
        call=call,
        organisation=organisation,
        title=title,
        period_start=period_start,
        period_end=period_end,
        total_eur=total_eur,
    )
    application.regions.set(regions)
    BudgetLine.objects.bulk_create(
        BudgetLine(application=application, kind=kind, planned_eur=amount) for kind, amount in lines
    )
    _log(application, by, organisation, AuditAction.CREATE)
    return application


@transaction.atomic
def application_submit(application: Application, *, by, today: dt.date | None = None) -> None:
    """Draft → submitted, within the call's dates; checked again against the call."""
    _applicant(application, by)
    fresh = _locked(application, Status.DRAFT)
    call = fresh.call
    today = today or timezone.localdate()
    if not call.opens <= today <= call.closes:
        raise errors.TransitionNotAllowed(
            errors.CALL_CLOSED, opens=_date(call.opens), closes=_date(call.closes)
        )
    check_application(
        call,
        period_start=fresh.period_start,
        period_end=fresh.period_end,
        total_eur=fresh.total_eur,
        lines=fresh.budget_lines.values_list("kind", "planned_eur"),
    )
    fresh.status = Status.SUBMITTED
    fresh.submitted_at = timezone.now()
    fresh.save(update_fields=["status", "submitted_at"])
    application.status = fresh.status
    _log(fresh, by, fresh.organisation, funding_status=Status.SUBMITTED)


# --- the authority -------------------------------------------------------------------------------


@transaction.atomic
def review_start(application: Application, *, by) -> Review:
    """Submitted → in review, with an empty completeness check."""
    _authority(application, by, "funding.review")
    fresh = _locked(application, Status.SUBMITTED)
    _status(fresh, Status.IN_REVIEW)
    application.status = fresh.status
    review, _created = Review.objects.get_or_create(application=fresh, defaults={"reviewer": by})
    _log(fresh, by, fresh.call.authority, funding_status=Status.IN_REVIEW)
    return review


@transaction.atomic
def review_record(
    application: Application,
    *,
    by,
    complete_budget: bool,
    complete_period: bool,
    complete_regions: bool,
    complete_eligible: bool,
    notes: str = "",
    score: int | None = None,
) -> Review:
    """The completeness checks, the assessment notes and the score of an application in review."""
    _authority(application, by, "funding.review")
    fresh = _locked(application, Status.IN_REVIEW)
    if score is not None and not 0 <= score <= 10:
        raise errors.InvalidInput(errors.SCORE_RANGE)
    review, _created = Review.objects.get_or_create(application=fresh, defaults={"reviewer": by})
    review.reviewer = by
    review.complete_budget = complete_budget
    review.complete_period = complete_period
    review.complete_regions = complete_regions
    review.complete_eligible = complete_eligible
    review.notes = notes
    review.score = score
    review.save()
    _log(fresh, by, fresh.call.authority, AuditAction.UPDATE, fields=["review"])
    return review


def _project_from(application: Application, amount: Decimal) -> Project:
    """Create or update the funded project of the directory from the decision.

    The application's own project if it has one; else the carrier's project in the same round
    (the directory's WIR-Fallmanagement projects), else a new one."""
    project = application.project or (
        Project.objects.filter(
            carrier=application.organisation, funding_round=application.call.funding_round
        )
        .order_by("start")
        .first()
    )
    if project is None:
        project = Project(
            name=application.title,
            funding_round=application.call.funding_round,
            carrier=application.organisation,
            start=application.period_start,
            end=application.period_end,
        )
    else:  # an open-ended project stays open; a project with an end is extended
        project.start = min(project.start, application.period_start)
        if project.end is not None and project.end < application.period_end:
            project.end = application.period_end
    project.budget_eur = amount
    project.save()
    project.regions.add(*application.regions.all())
    return project


@transaction.atomic
def approve(
    application: Application,
    *,
    by,
    amount_eur: Decimal,
    conditions: str = "",
    decided_on: dt.date | None = None,
) -> Decision:
    """In review → approved with an amount (at most the requested total and the call's cap);
    the directory's project follows the decision."""
    _authority(application, by, "funding.decide")
    fresh = _locked(application, Status.IN_REVIEW)
    amount = Decimal(amount_eur)
    if amount <= 0:
        raise errors.InvalidInput(errors.AMOUNT_POSITIVE)
    if amount > fresh.call.cap_eur:
        raise errors.InvalidInput(
            errors.OVER_CAP, amount=euro(amount), cap=euro(fresh.call.cap_eur)
        )
    if amount > fresh.total_eur:
        raise errors.InvalidInput(
            errors.APPROVED_OVER_REQUESTED, amount=euro(amount), total=euro(fresh.total_eur)
        )
    review = Review.objects.filter(application=fresh).first()
    if review is None or not review.complete:
        raise errors.InvalidInput(errors.REVIEW_INCOMPLETE)
    decision = Decision.objects.create(
        application=fresh,
        approved=True,
        amount_eur=amount,
        conditions=conditions,
        decided_on=decided_on or timezone.localdate(),
        decided_by=by,
    )
    fresh.project = _project_from(fresh, amount)
    fresh.status = Status.APPROVED
    fresh.save(update_fields=["project", "status"])
    application.status, application.project = fresh.status, fresh.project
    _log(
        fresh,
        by,
        fresh.call.authority,
        AuditAction.FUNDING_DECIDED,
        funding_status=Status.APPROVED,
        funding_project=str(fresh.project_id),
    )
    return decision


@transaction.atomic
def reject(
    application: Application, *, by, reason: str, decided_on: dt.date | None = None
) -> Decision:
    """In review → rejected, with the reason the notice gives."""
    _authority(application, by, "funding.decide")
    fresh = _locked(application, Status.IN_REVIEW)
    if not reason.strip():
        raise errors.InvalidInput(errors.REASON_REQUIRED)
    decision = Decision.objects.create(
        application=fresh,
        approved=False,
        reason=reason.strip(),
        decided_on=decided_on or timezone.localdate(),
        decided_by=by,
    )
    _status(fresh, Status.REJECTED)
    application.status = fresh.status
    _log(
        fresh,
        by,
        fresh.call.authority,
        AuditAction.FUNDING_DECIDED,
        funding_status=Status.REJECTED,
        reason_recorded=True,
    )
    return decision


@transaction.atomic
def pay(
    application: Application, *, by, amount_eur: Decimal, paid_on: dt.date | None = None
) -> Payment:
    """One tranche; all tranches together stay within the approved amount."""
    _authority(application, by, "funding.pay")
    fresh = _locked(application, Status.APPROVED, Status.PROOF_SUBMITTED)
    amount = Decimal(amount_eur)
    if amount <= 0:
        raise errors.InvalidInput(errors.AMOUNT_POSITIVE)
    approved = fresh.decision.amount_eur
    paid = fresh.payments.aggregate(s=Sum("amount_eur"))["s"] or Decimal("0")
    if paid + amount > approved:
        raise errors.InvalidInput(
            errors.PAYMENT_OVER_APPROVED,
            amount=euro(amount),
            open=euro(approved - paid),
            approved=euro(approved),
            paid=euro(paid),
        )
    payment = Payment.objects.create(
        application=fresh,
        tranche=fresh.payments.count() + 1,
        amount_eur=amount,
        paid_on=paid_on or timezone.localdate(),
    )
    _log(fresh, by, fresh.call.authority, AuditAction.FUNDING_PAID, tranche=payment.tranche)
    return payment


# --- the proof of use ----------------------------------------------------------------------------


@transaction.atomic
def proof_submit(
    application: Application,
    *,
    by,
    narrative: str,
    actuals: Mapping[int, Decimal],
    receipts: list[dict] | None = None,
    submitted_on: dt.date | None = None,
) -> ProofOfUse:
    """Approved → proof submitted: the narrative, the actual amount per budget line (by the
    line's id) and the list of receipts. A returned proof is replaced."""
    _applicant(application, by)
    fresh = _locked(application, Status.APPROVED)
    if not narrative.strip():
        raise errors.InvalidInput(errors.NARRATIVE_REQUIRED)
    lines = list(fresh.budget_lines.all())
    for line in lines:
        value = actuals.get(line.pk)
        if value is None or Decimal(value) < 0:
            raise errors.InvalidInput()
    for line in lines:
        line.actual_eur = Decimal(actuals[line.pk])
    BudgetLine.objects.bulk_update(lines, ["actual_eur"])
    proof, _created = ProofOfUse.objects.update_or_create(
        application=fresh,
        defaults={
            "narrative": narrative.strip(),
            "receipts": receipts or [],
            "state": ProofOfUse.State.SUBMITTED,
            "submitted_on": submitted_on or timezone.localdate(),
            "checked_on": None,
        },
    )
    _status(fresh, Status.PROOF_SUBMITTED)
    application.status = fresh.status
    _log(fresh, by, fresh.organisation, funding_status=Status.PROOF_SUBMITTED)
    return proof


def _proof_check(application, by, accept: bool, note: str) -> ProofOfUse:
    _authority(application, by, "funding.proof_check")
    fresh = _locked(application, Status.PROOF_SUBMITTED)
    proof = fresh.proof
    proof.state = ProofOfUse.State.ACCEPTED if accept else ProofOfUse.State.RETURNED
    proof.checked_on = timezone.localdate()
    proof.note = note
    proof.save(update_fields=["state", "checked_on", "note"])
    status = Status.CLOSED if accept else Status.APPROVED
    _status(fresh, status)
    application.status = fresh.status
    _log(fresh, by, fresh.call.authority, funding_status=status)
    return proof


@transaction.atomic
def proof_accept(application: Application, *, by, note: str = "") -> ProofOfUse:
    """Proof submitted → closed: the Verwendungsnachweis is accepted."""
    return _proof_check(application, by, True, note)


@transaction.atomic
def proof_return(application: Application, *, by, note: str) -> ProofOfUse:
    """Proof submitted → approved again: returned to the applicant with a note."""
    if not note.strip():
        raise errors.InvalidInput(errors.REASON_REQUIRED)
    return _proof_check(application, by, False, note)

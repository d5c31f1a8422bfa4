"""Referrals, the receiving organisation's side: accept, refuse, complete -- in the inbox or,
for a partner without an account, through the single-use answer link -- and a received
referral that becomes a case of the receiving organisation in one step."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wegweiser.audit.models import AuditAction
from wegweiser.cases import selectors
from wegweiser.cases.errors import (
    ConsentMissing,
    InvalidData,
    ReferralLinkInvalid,
    TransitionNotAllowed,
)
from wegweiser.cases.models import (
    Case,
    Participant,
    Referral,
    ReferralLink,
    ReferralOutcome,
    ReferralStatus,
    RefusalReason,
    SharedField,
)
from wegweiser.cases.services import notify as notifications
from wegweiser.cases.services.actors import SYSTEM
from wegweiser.cases.services.base import compare_and_swap, now, require
from wegweiser.cases.services.participants import participant_insert, residence_insert
from wegweiser.cases.services.referrals import referral_log, referral_move, token_hash
from wegweiser.cases.services.workflow import case_insert

# --- answers: accept or refuse ------------------------------------------------------------------


def _is_overdue(referral: Referral, at: dt.datetime) -> bool:
    days = selectors.referral_expiry_days()
    return (
        referral.status == ReferralStatus.SENT
        and referral.sent_at is not None
        and referral.sent_at + dt.timedelta(days=days) <= at
    )


def _answer(referral: Referral, by, accept: bool, reason: str, note: str) -> None:
    at = now()
    if _is_overdue(referral, at):
        raise TransitionNotAllowed(_("Die Überweisung ist abgelaufen."))
    if accept:
        referral_move(referral, ReferralStatus.ACCEPTED, answered_at=at)
    else:
        if reason not in RefusalReason.values:
            raise InvalidData(_("Bitte wählen Sie einen Ablehnungsgrund."))
        if reason == RefusalReason.OTHER and not note.strip():
            raise InvalidData(_("Bitte erläutern Sie den Ablehnungsgrund."))
        referral_move(
            referral,
            ReferralStatus.REFUSED,
            answered_at=at,
            closed_at=at,
            refusal_reason=reason,
            refusal_note=note,
        )
    referral_log(
        by,
        AuditAction.REFERRAL_ANSWERED,
        referral,
        receiver=True,
        detail={
            "status": referral.status,
            "reason_recorded": bool(reason),
            "by_link": by is SYSTEM,
        },
    )
    notifications.referral_answered_notify(referral)


@transaction.atomic
def referral_accept(referral: Referral, *, by) -> Referral:
    """sent → accepted, by the receiving organisation."""
    require(by, referral.receiving_organisation, "referral.receive")
    _answer(referral, by, True, "", "")
    return referral


@transaction.atomic
def referral_refuse(referral: Referral, *, by, reason: str, note: str = "") -> Referral:
    """sent → refused with a reason from the list, by the receiving organisation."""
    require(by, referral.receiving_organisation, "referral.receive")
    _answer(referral, by, False, reason, note)
    return referral


@transaction.atomic
def referral_complete(referral: Referral, *, by, outcome: str, note: str = "") -> Referral:
    """accepted → completed, with the outcome, by the receiving organisation."""
    require(by, referral.receiving_organisation, "referral.receive")
    if outcome not in ReferralOutcome.values:
        raise InvalidData()
    referral_move(
        referral, ReferralStatus.COMPLETED, closed_at=now(), outcome=outcome, outcome_note=note
    )
    referral_log(
        by, AuditAction.REFERRAL_COMPLETED, referral, receiver=True, detail={"outcome": outcome}
    )
    return referral


# --- the answer link of a partner without an account --------------------------------------------


def _usable_link(token: str, at: dt.datetime) -> ReferralLink:
    try:
        link = ReferralLink.objects.select_related(
            "referral__case__participant",
            "referral__offer",
            "referral__consent",
            "referral__sending_organisation",
            "referral__receiving_organisation",
        ).get(token_hash=token_hash(token or ""))
    except ReferralLink.DoesNotExist:
        raise ReferralLinkInvalid() from None
    if link.used_at is not None or link.expires_at <= at:
        raise ReferralLinkInvalid()
    if link.referral.status != ReferralStatus.SENT:
        # answered (through another link or the inbox), withdrawn or expired: nothing to answer
        raise ReferralLinkInvalid()
    return link


@transaction.atomic
def referral_link_view(token: str, *, by=SYSTEM) -> selectors.InboxReferral:
    """What the link's holder may see: the consented fields only (does not use up the link).

    The holder has no account: ``by`` is ``SYSTEM``, the token is the credential."""
    require(by, None, "referral.answer_by_link")
    link = _usable_link(token, now())
    view = selectors.inbox_view(link.referral)
    referral_log(
        by,
        AuditAction.REFERRAL_VIEWED,
        link.referral,
        receiver=True,
        detail={"link": str(link.pk), "fields": sorted(view.person)},
    )
    return view


@transaction.atomic
def referral_answer_by_link(
    token: str, *, by=SYSTEM, accept: bool, reason: str = "", note: str = ""
) -> Referral:
    """Accept or refuse through the link; the link is used up (compare and swap on used_at)."""
    require(by, None, "referral.answer_by_link")
    at = now()
    link = _usable_link(token, at)
    compare_and_swap(link, expect={"used_at": None}, conflict=ReferralLinkInvalid(), used_at=at)
    _answer(link.referral, by, accept, reason, note)
    return link.referral


# --- a received referral becomes a case ---------------------------------------------------------

#: Shared fields copied as they are into the new participant.
_PLAIN_FIELDS = (
    SharedField.PHONE,
    SharedField.EMAIL,
    SharedField.LANGUAGES,
    SharedField.CITIZENSHIPS,
    SharedField.DATE_OF_BIRTH,
)


def _copy(source: Participant, fields: list[str]) -> dict:
    values: dict = {}
    if SharedField.NAME in fields:
        values["given_name"] = source.given_name
        values["family_name"] = source.family_name
    for name in _PLAIN_FIELDS:
        if name in fields:
            value = getattr(source, name)
            values[name] = list(value) if isinstance(value, list) else value
    return values


@transaction.atomic
def referral_case_open(referral: Referral, *, by, accept: bool = False) -> Case:
    """Open a case at the receiving organisation from ``referral`` (accepting it first when
    ``accept`` and it is still *sent*); returns the new case.

    The receiver has only what the sharing consent covers (``selectors.inbox_view``): exactly
    those fields are copied into a *new* participant of the receiving organisation (the
    sender's record is never shared), with a case in first contact assigned to ``by``, linked to
    the referral so that it is opened once. Refused when the user may not receive referrals or
    open cases there, when the referral is not accepted, when a case was already opened from
    it, or when the consent is no longer valid.
    """
    organisation = referral.receiving_organisation
    require(by, organisation, "referral.receive")
    require(by, organisation, "case.create")
    # one at a time: a second click waits here and then finds the case of the first
    referral = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("case__participant", "consent", "offer", "receiving_organisation")
        .get(pk=referral.pk)
    )
    opened = InvalidData(_("Aus dieser Überweisung ist schon ein Fall eröffnet."))
    if referral.receiver_case_id is not None:
        raise opened
    if accept and referral.status == ReferralStatus.SENT:
        referral_accept(referral, by=by)
    if referral.status != ReferralStatus.ACCEPTED:
        raise TransitionNotAllowed(_("Einen Fall eröffnen Sie aus einer angenommenen Überweisung."))
    if not selectors.inbox_view(referral).consent_valid:
        raise ConsentMissing()
    fields = list(referral.consent.shared_fields)
    source = referral.case.participant
    origin = {"referral": str(referral.pk)}
    participant = participant_insert(
        by,
        Participant(organisation=organisation, **_copy(source, fields)),
        detail={"fields": sorted(f for f in fields if f != SharedField.MESSAGE), **origin},
    )
    if SharedField.RESIDENCE_STATUS in fields:
        _residence(referral, source, participant, by, origin)
    case = case_insert(by, participant, counsellor=by, detail=origin)
    compare_and_swap(referral, expect={"receiver_case": None}, conflict=opened, receiver_case=case)
    return case


def _residence(referral: Referral, source: Participant, participant: Participant, by, origin):
    """The residence status the receiver saw, valid from the day the referral was sent."""
    today = timezone.localdate()
    status = selectors.residence_status_on(source, today)
    if status is None:
        return
    sent_on = timezone.localdate(referral.sent_at) if referral.sent_at else today
    residence_insert(
        by,
        participant,
        detail=origin,
        title=status.title,
        section=status.section,
        valid_from=min(sent_on, today),
        valid_to=status.valid_to,
        work_ban=status.work_ban,
    )

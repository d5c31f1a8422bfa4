"""Referrals, the sending organisation's side: draft, send, withdraw, the answer link for a
partner without an account, and the expiry of unanswered ones. The transition table is
``models.REFERRAL_TRANSITIONS``; the receiving side is :mod:`.referrals_received`."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wegweiser.audit.models import AuditAction
from wegweiser.cases import selectors
from wegweiser.cases.errors import ConcurrentEdit, ConsentMissing, InvalidData, TransitionNotAllowed
from wegweiser.cases.models import (
    REFERRAL_TRANSITIONS,
    Case,
    ConsentPurpose,
    Referral,
    ReferralLink,
    ReferralStatus,
)
from wegweiser.cases.services import notify as notifications
from wegweiser.cases.services.actors import SYSTEM
from wegweiser.cases.services.base import (
    check_transition,
    compare_and_swap,
    log,
    now,
    require,
)
from wegweiser.directory.models import Offer

#: A link for a partner without an account is valid this long.
REFERRAL_LINK_VALIDITY = dt.timedelta(days=8)

# --- steps of the referral services -------------------------------------------------------------


def referral_move(referral: Referral, to: str, **changes) -> None:
    """Move ``referral`` to the status ``to`` if the table allows it and nobody moved it first."""
    origin = referral.status
    message = _("Eine Überweisung im Status „%(origin)s“ kann nicht nach „%(target)s“ wechseln.")
    check_transition(REFERRAL_TRANSITIONS, ReferralStatus, origin, to, message)
    compare_and_swap(referral, expect={"status": origin}, status=to, **changes)


def referral_log(by, action: str, referral: Referral, *, receiver=False, detail=None) -> None:
    """The audit entry of a referral, in the sending organisation (or the receiving one)."""
    organisation = referral.receiving_organisation if receiver else referral.sending_organisation
    log(by, action, referral, case=referral.case, organisation=organisation, detail=detail)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- services -----------------------------------------------------------------------------------


@transaction.atomic
def referral_create(case: Case, *, by, offer: Offer, message: str = "") -> Referral:
    """A draft referral of ``case`` to ``offer`` of another organisation."""
    require(by, case.organisation, "referral.send")
    if offer.organisation_id == case.organisation_id:
        raise InvalidData(_("Überweisungen gehen an andere Organisationen."))
    if offer.status != Offer.PUBLISHED:
        raise InvalidData(_("Das Angebot ist nicht veröffentlicht."))
    referral = Referral.objects.create(
        case=case,
        offer=offer,
        sending_organisation=case.organisation,
        receiving_organisation=offer.organisation,
        message=message,
        created_by=by,
    )
    referral_log(by, AuditAction.CREATE, referral)
    return referral


@transaction.atomic
def referral_send(referral: Referral, *, by) -> Referral:
    """draft → sent; needs an unwithdrawn sharing consent naming the receiving organisation."""
    require(by, referral.sending_organisation, "referral.send")
    consent = selectors.matching_consent(
        referral.case.participant,
        ConsentPurpose.REFERRAL_SHARING,
        recipient=referral.receiving_organisation,
    )
    if consent is None:
        raise ConsentMissing(
            _(
                "Ohne Einwilligung der Person in die Weitergabe an %(recipient)s kann die "
                "Überweisung nicht gesendet werden."
            ),
            recipient=referral.receiving_organisation.name,
        )
    referral_move(referral, ReferralStatus.SENT, sent_at=now(), consent=consent)
    notifications.referral_received_notify(referral)
    referral_log(
        by,
        AuditAction.REFERRAL_SENT,
        referral,
        detail={
            "recipient": str(referral.receiving_organisation_id),
            "consent": str(consent.pk),
            "fields": list(consent.shared_fields),
        },
    )
    return referral


@transaction.atomic
def referral_withdraw(referral: Referral, *, by) -> Referral:
    """draft, sent or accepted → withdrawn, by the sending organisation."""
    require(by, referral.sending_organisation, "referral.send")
    referral_move(referral, ReferralStatus.WITHDRAWN, closed_at=now())
    referral_log(by, AuditAction.REFERRAL_WITHDRAWN, referral)
    return referral


@transaction.atomic
def referral_link_create(referral: Referral, *, by) -> tuple[ReferralLink, str]:
    """A single-use answer link for a partner without an account, valid for 8 days.

    Returns the link and the token; only the token's SHA-256 is stored, so the token is shown
    (or mailed) once and cannot be recovered.
    """
    require(by, referral.sending_organisation, "referral.send")
    if referral.status != ReferralStatus.SENT:
        raise TransitionNotAllowed(_("Nur eine gesendete Überweisung kann beantwortet werden."))
    token = secrets.token_urlsafe(32)
    link = ReferralLink.objects.create(
        referral=referral,
        token_hash=token_hash(token),
        created_by=by,
        expires_at=now() + REFERRAL_LINK_VALIDITY,
    )
    referral_log(by, AuditAction.REFERRAL_LINK, referral, detail={"link": str(link.pk)})
    return link, token


@transaction.atomic
def referrals_expire(*, by=SYSTEM, now: dt.datetime | None = None) -> int:
    """Mark sent referrals unanswered for the set number of days as expired; returns how many.

    The platform's own work (``wegweiser expire_referrals``), so ``by`` is ``SYSTEM``.
    """
    require(by, None, "referral.expire")
    at = now or timezone.now()
    cutoff = at - dt.timedelta(days=selectors.referral_expiry_days())
    count = 0
    for referral in Referral.objects.filter(
        status=ReferralStatus.SENT, sent_at__lte=cutoff
    ).select_related("case", "sending_organisation"):
        try:
            referral_move(referral, ReferralStatus.EXPIRED, closed_at=at)
        except ConcurrentEdit:
            continue
        referral_log(by, AuditAction.REFERRAL_EXPIRED, referral)
        count += 1
    return count

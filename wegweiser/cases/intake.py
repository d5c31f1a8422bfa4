"""A received referral becomes a case of the receiving organisation, in one step.

The receiver has only what the sharing consent covers (``selectors.inbox_view``). Opening a case
copies exactly those fields into a *new* participant of the receiving organisation (the sender's
record is never shared), opens a case in first contact assigned to the user, and links it to the
referral so it is opened once. Written like the services in ``services.py``: keyword-only, the
acting user as ``by``, atomic, the roles checked again, every write audit-logged.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wegweiser.accounts.permissions import user_can
from wegweiser.audit.models import AuditAction
from wegweiser.audit.services import audit
from wegweiser.cases import selectors, services
from wegweiser.cases.errors import ConsentMissing, InvalidData, NotAllowed, TransitionNotAllowed
from wegweiser.cases.models import (
    Case,
    CaseStatus,
    Participant,
    Referral,
    ReferralStatus,
    ResidenceStatus,
    SharedField,
)

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

    Refused when the user may not receive referrals or open cases there, when the referral is
    not accepted, when a case was already opened from it, or when the consent is no longer valid.
    """
    organisation = referral.receiving_organisation
    if not (
        user_can(by, organisation, "referral.receive") and user_can(by, organisation, "case.create")
    ):
        raise NotAllowed()
    # one at a time: a second click waits here and then finds the case of the first
    referral = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("case__participant", "consent", "offer", "receiving_organisation")
        .get(pk=referral.pk)
    )
    if referral.receiver_case_id is not None:
        raise InvalidData(_("Aus dieser Überweisung ist schon ein Fall eröffnet."))
    if accept and referral.status == ReferralStatus.SENT:
        services.referral_accept(referral, by=by)
    if referral.status != ReferralStatus.ACCEPTED:
        raise TransitionNotAllowed(_("Einen Fall eröffnen Sie aus einer angenommenen Überweisung."))
    view = selectors.inbox_view(referral)
    if not view.consent_valid:
        raise ConsentMissing()
    fields = list(referral.consent.shared_fields)
    source = referral.case.participant
    participant = Participant(organisation=organisation, **_copy(source, fields))
    while Participant.objects.filter(pseudonym=participant.pseudonym).exists():
        participant.pseudonym = Participant._meta.get_field("pseudonym").default()
    participant.save()
    copied = sorted(f for f in fields if f != SharedField.MESSAGE)
    _audit(
        by, organisation, participant, participant, {"fields": copied, "referral": str(referral.pk)}
    )
    if SharedField.RESIDENCE_STATUS in fields:
        _residence(referral, source, participant, by)
    case = Case.objects.create(
        participant=participant,
        organisation=organisation,
        counsellor=by,
        status=CaseStatus.FIRST_CONTACT,
    )
    _audit(by, organisation, case, participant, {"referral": str(referral.pk)})
    if not Referral.objects.filter(pk=referral.pk, receiver_case__isnull=True).update(
        receiver_case=case
    ):
        raise InvalidData(_("Aus dieser Überweisung ist schon ein Fall eröffnet."))
    referral.receiver_case = case
    return case


def _residence(referral: Referral, source: Participant, participant: Participant, by) -> None:
    """The residence status the receiver saw, valid from the day the referral was sent."""
    today = timezone.localdate()
    status = selectors.residence_status_on(source, today)
    if status is None:
        return
    sent_on = timezone.localdate(referral.sent_at) if referral.sent_at else today
    valid_from: dt.date = min(sent_on, today)
    copy = ResidenceStatus.objects.create(
        participant=participant,
        title=status.title,
        section=status.section,
        valid_from=valid_from,
        valid_to=status.valid_to,
        work_ban=status.work_ban,
        recorded_by=by,
    )
    _audit(by, participant.organisation, copy, participant, {"referral": str(referral.pk)})


def _audit(by, organisation, obj, participant, detail) -> None:
    audit(
        actor=by,
        organisation=organisation,
        action=AuditAction.CREATE,
        obj=obj,
        participant_id=participant.pk,
        detail=detail,
    )

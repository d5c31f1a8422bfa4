"""Consent: recorded and withdrawn, one purpose each (Art. 6(1)(a), 7 GDPR)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wegweiser.audit.models import AuditAction
from wegweiser.cases.errors import ConcurrentEdit, InvalidData
from wegweiser.cases.models import Consent, ConsentPurpose, Participant, SharedField
from wegweiser.cases.services.actors import recorder
from wegweiser.cases.services.base import compare_and_swap, log, now, require
from wegweiser.organisations.models import Organisation


def consent_insert(by, participant: Participant, *, detail=None, **values) -> Consent:
    """Step of a service: write the consent as recorded by ``by`` and log it (``consent_given``,
    with its purpose and text version and ``detail``)."""
    consent = Consent.objects.create(participant=participant, recorded_by=recorder(by), **values)
    log(
        by,
        AuditAction.CONSENT_GIVEN,
        consent,
        participant=participant,
        detail={"purpose": consent.purpose, **(detail or {}), "text_version": consent.text_version},
    )
    return consent


@transaction.atomic
def consent_record(
    participant: Participant,
    *,
    by,
    purpose: str,
    given_on: dt.date,
    text_version: str,
    channel: str,
    recipient: Organisation | None = None,
    shared_fields: Iterable[str] = (),
) -> Consent:
    """Record a consent. Sharing needs a named recipient and the list of shared fields."""
    require(by, participant.organisation, "consent.record")
    shared = list(dict.fromkeys(shared_fields))
    if purpose == ConsentPurpose.REFERRAL_SHARING:
        if recipient is None or not shared:
            raise InvalidData(
                _("Eine Weitergabe braucht eine benannte Organisation und die geteilten Angaben.")
            )
        if recipient.pk == participant.organisation_id:
            raise InvalidData(_("Die Empfängerin muss eine andere Organisation sein."))
        if set(shared) - set(SharedField.values):
            raise InvalidData()
    elif recipient is not None or shared:
        raise InvalidData(_("Empfänger und geteilte Angaben gibt es nur bei einer Weitergabe."))
    if given_on > timezone.localdate():
        raise InvalidData(_("Das Datum der Einwilligung liegt in der Zukunft."))
    return consent_insert(
        by,
        participant,
        detail={"recipient": str(recipient.pk) if recipient else None, "fields": shared},
        purpose=purpose,
        recipient=recipient,
        shared_fields=shared,
        given_on=given_on,
        text_version=text_version,
        channel=channel,
    )


@transaction.atomic
def consent_withdraw(consent: Consent, *, by, at: dt.datetime | None = None) -> Consent:
    """Withdraw a consent from ``at`` (default now); sharing under it stops at once."""
    participant = consent.participant
    require(by, participant.organisation, "consent.withdraw")
    compare_and_swap(
        consent,
        expect={"withdrawn_at": None},
        conflict=ConcurrentEdit(_("Die Einwilligung ist bereits widerrufen.")),
        withdrawn_at=at or now(),
        withdrawn_recorded_by=by,
    )
    log(
        by,
        AuditAction.CONSENT_WITHDRAWN,
        consent,
        participant=participant,
        detail={"purpose": consent.purpose},
    )
    return consent

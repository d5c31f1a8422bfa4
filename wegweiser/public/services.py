"""The one write of the public self-check: a contact request becomes a first contact.

The cases services take the acting user as ``by`` and check her role; a person using the
self-check has no account. So this function writes the case-management models directly,
inside one transaction, and logs every write with ``cases.audit.audit`` (actor ``None``, plus
an entry for the contact request itself), as the cases services would.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from wegweiser.cases.audit import audit
from wegweiser.cases.models import (
    AuditAction,
    Case,
    CaseStatus,
    Consent,
    ConsentChannel,
    ConsentPurpose,
    Participant,
)
from wegweiser.directory.models import Offer
from wegweiser.public.models import ContactRequest

#: The version of the consent text shown on the contact form (templates/public/contact.html).
#: Change it whenever that text changes; it is stored with every consent.
CONSENT_TEXT_VERSION = "selbstcheck-kontakt-2025-1"
#: ``Consent.recorded_by`` cannot be empty: consents given on the public pages are recorded by
#: this inactive account without password or membership (it can never log in).
SYSTEM_USERNAME = "wegweiser-selbstcheck"


def _system_user():
    user, created = get_user_model().objects.get_or_create(
        username=SYSTEM_USERNAME, defaults={"is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _unique_pseudonym(participant: Participant) -> None:
    field = Participant._meta.get_field("pseudonym")
    while Participant.objects.filter(pseudonym=participant.pseudonym).exists():
        participant.pseudonym = field.default()


@transaction.atomic
def contact_request_create(
    *,
    offer: Offer,
    name: str = "",
    phone: str = "",
    email: str = "",
    language: str = "de",
    shared: dict | None = None,
) -> ContactRequest:
    """Participant, case (first contact) and consent at the offer's organisation, and the request.

    ``shared`` holds the self-check answers the person chose to send along: ``date_of_birth``
    (a date), ``gender``, ``citizenships``, ``kreis``. Raises ``ValueError`` for an offer that is
    not published or without any way to reach the person; nothing is written then.
    """
    if offer.status != Offer.PUBLISHED:
        raise ValueError("offer not published")
    if not (phone or email):
        raise ValueError("phone or e-mail needed")
    organisation = offer.organisation
    shared = shared or {}
    participant = Participant(
        organisation=organisation,
        given_name=name[:150],
        phone=phone,
        email=email,
        languages=[language],
        date_of_birth=shared.get("date_of_birth"),
        gender=shared.get("gender", ""),
        citizenships=list(shared.get("citizenships", [])),
        kreis=shared.get("kreis", ""),
    )
    _unique_pseudonym(participant)
    participant.save()
    case = Case.objects.create(
        participant=participant, organisation=organisation, status=CaseStatus.FIRST_CONTACT
    )
    consent = Consent.objects.create(
        participant=participant,
        purpose=ConsentPurpose.COUNSELLING,
        given_on=timezone.localdate(),
        text_version=CONSENT_TEXT_VERSION,
        channel=ConsentChannel.DIGITAL,
        recorded_by=_system_user(),
    )
    request = ContactRequest(
        offer=offer,
        organisation=organisation,
        participant=participant,
        case=case,
        consent=consent,
        language=language,
    )
    while ContactRequest.objects.filter(reference=request.reference).exists():
        request.reference = ContactRequest._meta.get_field("reference").default()
    request.save()
    # The audit detail is allow-listed (cases/audit.py); the source shows as actor None and as
    # the entry for the contact request itself (object type "contactrequest").
    for obj, action, detail in (
        (participant, AuditAction.CREATE, {"fields": sorted(shared)}),
        (case, AuditAction.CREATE, {}),
        (
            consent,
            AuditAction.CONSENT_GIVEN,
            {"purpose": consent.purpose, "text_version": CONSENT_TEXT_VERSION},
        ),
        (request, AuditAction.CREATE, {"consent": str(consent.pk)}),
    ):
        audit(
            actor=None,
            organisation=organisation,
            action=action,
            obj=obj,
            participant_id=participant.pk,
            detail=detail,
        )
    return request


def shared_answers(profile_data: dict) -> dict:
    """The answers a person may send along, as participant fields."""
    out: dict = {}
    if profile_data.get("birth_date"):
        out["date_of_birth"] = dt.date.fromisoformat(profile_data["birth_date"])
    for key in ("gender", "citizenships", "kreis"):
        if profile_data.get(key):
            out[key] = profile_data[key]
    return out

"""The one write of the public self-check: a contact request becomes a first contact.

What is public stays here: which offers can be asked (published, someone at the organisation to
answer), the limits per address and per offer, a request sent twice, and the row of the request
with its reference number (``ContactRequest``). The person, her case and her consent are written
by the case management's intake service (``cases.services.intake.contact_request_intake``) with
the system actor: checked, atomic and audit-logged like every case write. The request's own
audit entry (object type ``contactrequest``) is written here.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from wegweiser.accounts import recipients
from wegweiser.audit.models import AuditAction
from wegweiser.audit.services import audit
from wegweiser.cases.errors import CaseError
from wegweiser.cases.services import SYSTEM, contact_request_intake
from wegweiser.cases.services.actors import SYSTEM_USERNAME
from wegweiser.cases.services.notify import contact_request_notify
from wegweiser.directory.models import Offer
from wegweiser.public import limits
from wegweiser.public.models import ContactRequest

#: The version of the consent text shown on the contact form (templates/public/contact.html).
#: Change it whenever that text changes; it is stored with every consent.
CONSENT_TEXT_VERSION = "selbstcheck-kontakt-2025-1"

__all__ = [
    "CONSENT_TEXT_VERSION",
    "SYSTEM_USERNAME",  # the account that records the consents given here (``cases``' actors)
    "ContactRefused",
    "LimitReached",
    "NotReachable",
    "contact_request_create",
    "shared_answers",
    "split_name",
]


class ContactRefused(ValueError):
    """The request cannot be taken; nothing was written."""


class NotReachable(ContactRefused):
    """The offer's organisation has nobody on the platform to answer (no active counsellor)."""


class LimitReached(ContactRefused):
    """Too many requests from this address or to this offer; ``exceeded`` says which."""

    def __init__(self, exceeded: limits.Exceeded):
        self.exceeded = exceeded
        super().__init__(f"contact limit per {exceeded.scope}")


def split_name(name: str) -> tuple[str, str]:
    """The name as typed into one field, as given name and family name.

    The last word is taken as the family name, the words before as the given name(s); one word
    is a given name. A part in brackets stays with the word before it. Joined with a space, the
    two give back exactly what the person wrote (apart from repeated spaces), and the case
    worker corrects the split on the edit form when it is wrong.
    """
    words: list[str] = []
    for word in name.split():
        if words and word.startswith("("):
            words[-1] = f"{words[-1]} {word}"
        else:
            words.append(word)
    if len(words) < 2:
        return (words[0] if words else ""), ""
    return " ".join(words[:-1]), words[-1]


@transaction.atomic
def contact_request_create(
    *,
    offer: Offer,
    name: str = "",
    phone: str = "",
    email: str = "",
    language: str = "de",
    shared: dict | None = None,
    client: str | None = None,
) -> ContactRequest:
    """Participant, case (first contact) and consent at the offer's organisation, and the request.

    ``shared`` holds the self-check answers the person chose to send along: ``date_of_birth``
    (a date), ``gender``, ``citizenships``, ``kreis``, ``residence`` (``{"title", "section"}``)
    and ``work_ban``. ``client`` is the address the request is counted by (``limits``); without
    it (demo data, scripts) nothing is counted.

    The same request (offer, name, phone, e-mail) sent again within
    ``WEGWEISER_CONTACT_DUPLICATE_MINUTES`` returns the first one (the caller can tell by
    ``created_now``). Raises ``ContactRefused`` (a ``ValueError``) for an offer that is not
    published, whose organisation has nobody to answer (``NotReachable``), without any way to
    reach the person, or with invalid data, and ``LimitReached``; nothing is written then.
    """
    # One request at a time per offer: the duplicate check and the offer's count see the
    # requests before (PostgreSQL; SQLite serialises writers anyway).
    offer = (
        Offer.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=offer.pk)
    )
    if offer.status != Offer.PUBLISHED:
        raise ContactRefused("offer not published")
    if not (phone or email):
        raise ContactRefused("phone or e-mail needed")
    organisation = offer.organisation
    if not recipients.receives_requests(organisation):
        raise NotReachable("nobody at the organisation can answer")
    fingerprint = limits.fingerprint(offer_id=offer.pk, name=name, phone=phone, email=email)
    reference = limits.recent_reference(fingerprint)
    if reference:
        earlier = ContactRequest.objects.filter(reference=reference).first()
        if earlier is not None:
            earlier.created_now = False
            return earlier
    if client is not None:
        exceeded = limits.check(client=client, offer_id=offer.pk)
        if exceeded is not None:
            raise LimitReached(exceeded)
    request = _create(offer, name, phone, email, language, shared or {})
    limits.remember(fingerprint, request.reference)
    contact_request_notify(
        organisation=request.organisation, reference=request.reference, case_id=request.case_id
    )
    request.created_now = True
    return request


def _create(offer, name, phone, email, language, shared) -> ContactRequest:
    organisation = offer.organisation
    given_name, family_name = split_name(name[:300])
    try:
        intake = contact_request_intake(
            by=SYSTEM,
            organisation=organisation,
            given_name=given_name[:150],
            family_name=family_name[:150],
            phone=phone,
            email=email,
            language=language,
            consent_text_version=CONSENT_TEXT_VERSION,
            shared=shared,
        )
    except CaseError as error:
        raise ContactRefused(str(error)) from None
    request = ContactRequest(
        offer=offer,
        organisation=organisation,
        participant=intake.participant,
        case=intake.case,
        consent=intake.consent,
        language=language,
    )
    while ContactRequest.objects.filter(reference=request.reference).exists():
        request.reference = ContactRequest._meta.get_field("reference").default()
    request.save()
    audit(
        actor=SYSTEM,
        organisation=organisation,
        action=AuditAction.CREATE,
        obj=request,
        participant_id=intake.participant.pk,
        detail={"consent": str(intake.consent.pk)},
    )
    return request


def shared_answers(profile_data: dict) -> dict:
    """The answers a person may send along, as participant fields (and the residence status)."""
    out: dict = {}
    if profile_data.get("birth_date"):
        out["date_of_birth"] = dt.date.fromisoformat(profile_data["birth_date"])
    for key in ("gender", "citizenships", "kreis"):
        if profile_data.get(key):
            out[key] = profile_data[key]
    residence = profile_data.get("residence") or {}
    if residence.get("title"):
        out["residence"] = {k: v for k, v in residence.items() if k in ("title", "section")}
        if profile_data.get("work_ban"):
            out["work_ban"] = profile_data["work_ban"]
    return out

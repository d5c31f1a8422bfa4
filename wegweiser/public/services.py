"""The one write of the public self-check: a contact request becomes a first contact.

The cases services take the acting user as ``by`` and check her role; a person using the
self-check has no account. So this function writes the case-management models directly,
inside one transaction, and logs every write with ``cases.audit.audit`` (actor ``None``, plus
an entry for the contact request itself), as the cases services would. Every row is checked
with the model's own validation (``full_clean``) before it is written.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from wegweiser.audit.models import AuditAction
from wegweiser.audit.services import audit
from wegweiser.cases.models import (
    Case,
    CaseStatus,
    Consent,
    ConsentChannel,
    ConsentPurpose,
    Participant,
    ResidenceStatus,
)
from wegweiser.directory.models import Offer
from wegweiser.eligibility.facts import ProfileError, parse_profile
from wegweiser.notifications import recipients
from wegweiser.notifications.services import contact_request_notify
from wegweiser.public import limits
from wegweiser.public.models import ContactRequest

#: The version of the consent text shown on the contact form (templates/public/contact.html).
#: Change it whenever that text changes; it is stored with every consent.
CONSENT_TEXT_VERSION = "selbstcheck-kontakt-2025-1"
#: ``Consent.recorded_by`` cannot be empty: consents given on the public pages are recorded by
#: this inactive account without password or membership (it can never log in). It also records
#: the residence status the person sends along.
SYSTEM_USERNAME = "wegweiser-selbstcheck"


class ContactRefused(ValueError):
    """The request cannot be taken; nothing was written."""


class NotReachable(ContactRefused):
    """The offer's organisation has nobody on the platform to answer (no active counsellor)."""


class LimitReached(ContactRefused):
    """Too many requests from this address or to this offer; ``exceeded`` says which."""

    def __init__(self, exceeded: limits.Exceeded):
        self.exceeded = exceeded
        super().__init__(f"contact limit per {exceeded.scope}")


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


def _valid(obj, **exclude) -> None:
    try:
        obj.full_clean(validate_unique=False, validate_constraints=False, **exclude)
    except ValidationError as error:
        raise ContactRefused(f"invalid {obj._meta.model_name}: {error.message_dict}") from None


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
    contact_request_notify(request)
    request.created_now = True
    return request


def _create(offer, name, phone, email, language, shared) -> ContactRequest:
    organisation = offer.organisation
    given_name, family_name = split_name(name[:300])
    participant = Participant(
        organisation=organisation,
        given_name=given_name[:150],
        family_name=family_name[:150],
        phone=phone,
        email=email,
        languages=[language],
        date_of_birth=shared.get("date_of_birth"),
        gender=shared.get("gender", ""),
        citizenships=list(shared.get("citizenships", [])),
        kreis=shared.get("kreis", ""),
    )
    _unique_pseudonym(participant)
    _valid(participant, exclude=["pseudonym"])
    participant.save()
    system = _system_user()
    residence = _residence(participant, shared, system)
    case = Case.objects.create(
        participant=participant, organisation=organisation, status=CaseStatus.FIRST_CONTACT
    )
    consent = Consent.objects.create(
        participant=participant,
        purpose=ConsentPurpose.COUNSELLING,
        given_on=timezone.localdate(),
        text_version=CONSENT_TEXT_VERSION,
        channel=ConsentChannel.DIGITAL,
        recorded_by=system,
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
    entries = [(participant, AuditAction.CREATE, {"fields": sorted(shared)})]
    if residence is not None:
        entries.append((residence, AuditAction.CREATE, {}))
    entries += [
        (case, AuditAction.CREATE, {}),
        (
            consent,
            AuditAction.CONSENT_GIVEN,
            {"purpose": consent.purpose, "text_version": CONSENT_TEXT_VERSION},
        ),
        (request, AuditAction.CREATE, {"consent": str(consent.pk)}),
    ]
    for obj, action, detail in entries:
        audit(
            actor=None,
            organisation=organisation,
            action=action,
            obj=obj,
            participant_id=participant.pk,
            detail=detail,
        )
    return request


def _residence(participant, shared: dict, system) -> ResidenceStatus | None:
    """The residence document (and paragraph, work ban) the person sent along, as the first
    entry of her residence history, valid from the day she told us."""
    residence = shared.get("residence") or {}
    if not residence.get("title"):
        return None
    data: dict = {"residence": dict(residence)}
    if shared.get("work_ban"):
        data["work_ban"] = shared["work_ban"]
    today = timezone.localdate()
    try:
        parse_profile(data, reference_date=today)
    except ProfileError as error:
        raise ContactRefused(f"invalid residence: {error}") from None
    status = ResidenceStatus(
        participant=participant,
        title=residence["title"],
        section=residence.get("section", ""),
        valid_from=today,
        work_ban=shared.get("work_ban", ""),
        recorded_by=system,
    )
    _valid(status)
    status.save()
    return status


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

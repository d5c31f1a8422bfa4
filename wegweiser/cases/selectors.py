"""Reads of case data. Every personal-data read starts from an organisation-scoped function.

``participants_for`` and ``cases_for`` are the roots: they return ``.none()`` when the user holds
no case-reading role in the organisation, and everything else narrows them. ``*_get`` raise
``DoesNotExist`` for another organisation's object exactly as for a missing one (the view answers
404) and write a "view" entry to the audit log; ``*_shown`` log an object a view already holds
when it shows it again. These are the only places that log reads (once per request,
:mod:`wegweiser.audit.reads`). A receiving organisation never gets a Participant: its inbox is a
plain :class:`InboxReferral` holding only what the consent covers.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from wegweiser.accounts.permissions import user_can
from wegweiser.audit import reads
from wegweiser.audit import selectors as audit_selectors
from wegweiser.audit.models import AuditAction, AuditEntry
from wegweiser.audit.selectors import AuditRow
from wegweiser.cases.models import (
    OPEN_STATUSES,
    Case,
    CaseStatus,
    Consent,
    ConsentPurpose,
    FollowUp,
    Participant,
    Referral,
    ReferralStatus,
    ResidenceStatus,
    SharedField,
)
from wegweiser.core.i18n import join_list, pick
from wegweiser.directory.models import Offer
from wegweiser.directory.selectors import OfferQuery, filtered_offers
from wegweiser.organisations.models import Organisation
from wegweiser.programmes.models import FundingRound, Project

DEFAULT_REFERRAL_EXPIRY_DAYS = 14


def referral_expiry_days() -> int:
    """Days a sent referral may stay unanswered before it expires (setting, default 14)."""
    return int(getattr(settings, "WEGWEISER_REFERRAL_EXPIRY_DAYS", DEFAULT_REFERRAL_EXPIRY_DAYS))


# --- the scoped roots ----------------------------------------------------------------------------


def participants_for(user, organisation) -> QuerySet[Participant]:
    """The participants of ``organisation`` that ``user`` may read (none without the role).

    Anonymised people are left out: they exist only as ESF records.
    """
    if organisation is None or not user_can(user, organisation, "participant.view"):
        return Participant.objects.none()
    return Participant.objects.filter(organisation=organisation, anonymised_at__isnull=True)


def cases_for(user, organisation) -> QuerySet[Case]:
    """The cases of ``organisation`` that ``user`` may read (none without the role)."""
    if organisation is None or not user_can(user, organisation, "case.view"):
        return Case.objects.none()
    return Case.objects.filter(
        organisation=organisation, participant__organisation=organisation
    ).select_related("participant", "project", "funding_round", "counsellor")


def participant_get(user, organisation, participant_id) -> Participant:
    """One participant's file. Raises ``Participant.DoesNotExist``; logs the view."""
    return participant_shown(
        user, organisation, participants_for(user, organisation).get(pk=participant_id)
    )


def case_get(user, organisation, case_id) -> Case:
    """One case. Raises ``Case.DoesNotExist``; logs the view."""
    return case_shown(user, organisation, cases_for(user, organisation).get(pk=case_id))


def participant_shown(user, organisation, participant: Participant) -> Participant:
    """``participant`` (obtained through :func:`participants_for`) is shown to ``user``: logs
    the view, once per request (:mod:`wegweiser.audit.reads`). A page that loaded the person for
    a change and shows her file again (a form with an error) calls this before rendering."""
    reads.read(
        actor=user, organisation=organisation, obj=participant, participant_id=participant.pk
    )
    return participant


def case_shown(user, organisation, case: Case) -> Case:
    """``case`` (obtained through :func:`cases_for`) is shown to ``user``: logs the view, once
    per request; see :func:`participant_shown`."""
    reads.read(actor=user, organisation=organisation, obj=case, participant_id=case.participant_id)
    return case


# --- start page ----------------------------------------------------------------------------------


def my_cases(user, organisation) -> QuerySet[Case]:
    """The open cases ``user`` is responsible for."""
    return cases_for(user, organisation).filter(counsellor=user, status__in=OPEN_STATUSES)


#: A reference number of the self-check (``SC-…``) or a pseudonym (``TN-…``), typed loosely.
_NUMBER = re.compile(r"^(SC|TN)-?([2-9A-Z]{4})-?([2-9A-Z]{4})$")


def people_search(user, organisation, query: str) -> QuerySet[Participant]:
    """The organisation's people matching ``query``: every word in the given or family name,
    or the person's pseudonym, or the reference number of her contact request."""
    people = participants_for(user, organisation)
    query = " ".join(query.split())
    if not query:
        return people
    number = _NUMBER.match(query.upper().replace(" ", ""))
    if number:
        code = "-".join(number.groups())
        return people.filter(
            Q(pseudonym=code)
            | Q(pk__in=people.filter(contact_requests__reference=code).values("pk"))
        )
    for word in query.split():
        people = people.filter(Q(family_name__icontains=word) | Q(given_name__icontains=word))
    return people


def unassigned_cases(user, organisation) -> QuerySet[Case]:
    """Open cases nobody is responsible for yet, newest first: above all the contact requests
    of the public self-check, which arrive as first contacts without a counsellor."""
    return (
        cases_for(user, organisation)
        .filter(counsellor__isnull=True, status__in=OPEN_STATUSES)
        .select_related("participant")
        .order_by("-created_at")
    )


def _open_followups(user, organisation) -> QuerySet[FollowUp]:
    """Open check-ins of the user's cases, whatever the case's status.

    A closed or dropped-out case keeps its open check-ins (above all the ESF Plus survey six
    months after exit), so they stay on the lists until recorded.
    """
    case_ids = cases_for(user, organisation).filter(counsellor=user)
    return (
        FollowUp.objects.filter(case__in=case_ids.values("pk"), done_at__isnull=True)
        .select_related("case", "case__participant")
        .order_by("due_date", "case_id")
    )


def followups_due_today(user, organisation, today: dt.date | None = None) -> QuerySet[FollowUp]:
    today = today or timezone.localdate()
    return _open_followups(user, organisation).filter(due_date=today)


def followups_overdue(user, organisation, today: dt.date | None = None) -> QuerySet[FollowUp]:
    today = today or timezone.localdate()
    return _open_followups(user, organisation).filter(due_date__lt=today)


def referrals_outbox(user, organisation) -> QuerySet[Referral]:
    """Referrals ``organisation`` sent (or drafted) for its own cases."""
    case_ids = cases_for(user, organisation).values("pk")
    return (
        Referral.objects.filter(sending_organisation=organisation, case__in=case_ids)
        .select_related("offer", "receiving_organisation", "case", "case__participant")
        .order_by("-created_at")
    )


# --- the receiving organisation's view -----------------------------------------------------------


@dataclass(frozen=True)
class InboxReferral:
    """A referral as the receiving organisation sees it: only the consented fields."""

    id: Any
    status: str
    status_label: str
    offer_id: Any
    offer_name: str
    sending_organisation: str
    sent_at: dt.datetime | None
    expires_at: dt.datetime | None
    message: str
    consent_valid: bool
    #: the participant's fields the consent covers, by :class:`SharedField` value
    person: dict[str, Any] = field(default_factory=dict)
    #: the referral's number (``Referral.number``, from its random id): it tells two referrals
    #: apart and both sides can name it on the phone. Not the sender's pseudonym of the person:
    #: that stays with the sender, like everything the consent does not cover.
    number: str = ""
    #: the case the receiver opened from this referral (``cases.intake``), if any
    receiver_case_id: Any = None


#: Statuses in which the receiver sees the person: while it decides (sent) and works with the
#: person (accepted). Refused, completed, withdrawn or expired: nothing -- the receiver has no
#: further need for the data (Art. 5(1)(c) GDPR).
_RECEIVER_SEES_PERSON = frozenset({ReferralStatus.SENT, ReferralStatus.ACCEPTED})


def shared_person_fields(
    participant: Participant, fields: list[str], day: dt.date
) -> dict[str, Any]:
    """The participant's values for ``fields`` (the consent's scope), nothing else."""
    out: dict[str, Any] = {}
    for name in fields:
        if name == SharedField.NAME:
            out[name] = f"{participant.given_name} {participant.family_name}".strip()
        elif name == SharedField.DATE_OF_BIRTH:
            dob = participant.date_of_birth
            out[name] = dob.isoformat() if dob else None
        elif name in (SharedField.PHONE, SharedField.EMAIL):
            out[name] = getattr(participant, name)
        elif name in (SharedField.LANGUAGES, SharedField.CITIZENSHIPS):
            out[name] = list(getattr(participant, name))
        elif name == SharedField.RESIDENCE_STATUS:
            status = residence_status_on(participant, day)
            out[name] = (
                None
                if status is None
                else {
                    "title": status.title,
                    "section": status.section,
                    "valid_to": status.valid_to.isoformat() if status.valid_to else None,
                    "work_ban": status.work_ban,
                }
            )
    return out


def inbox_view(referral: Referral, today: dt.date | None = None) -> InboxReferral:
    """Build the receiver's view of ``referral``; the consent is checked at read time."""
    today = today or timezone.localdate()
    consent = referral.consent
    consent_valid = (
        consent is not None
        and consent.recipient_id == referral.receiving_organisation_id
        and consent.is_valid_on(today)
    )
    visible = consent_valid and referral.status in _RECEIVER_SEES_PERSON
    person: dict[str, Any] = {}
    message = ""
    if visible:
        person = shared_person_fields(referral.case.participant, consent.shared_fields, today)
        # the free text is shared only when the consent names it
        if SharedField.MESSAGE in consent.shared_fields:
            message = referral.message
    expires_at = (
        referral.sent_at + dt.timedelta(days=referral_expiry_days())
        if referral.sent_at and referral.status == ReferralStatus.SENT
        else None
    )
    return InboxReferral(
        id=referral.pk,
        status=referral.status,
        status_label=str(referral.get_status_display()),
        offer_id=referral.offer_id,
        offer_name=pick(referral.offer.name),
        sending_organisation=referral.sending_organisation.name,
        sent_at=referral.sent_at,
        expires_at=expires_at,
        message=message,
        consent_valid=consent_valid,
        person=person,
        number=referral.number,
        receiver_case_id=referral.receiver_case_id,
    )


def _inbox_queryset(user, organisation) -> QuerySet[Referral]:
    if organisation is None or not user_can(user, organisation, "referral.receive"):
        return Referral.objects.none()
    return (
        Referral.objects.filter(receiving_organisation=organisation)
        .exclude(status=ReferralStatus.DRAFT)
        .select_related("offer", "sending_organisation", "consent", "case__participant")
        .order_by("-sent_at")
    )


def referrals_received(user, organisation) -> QuerySet[Referral]:
    """The received referrals as rows, for the receiver's services (accept, refuse, complete).

    Never render a row's participant: show :func:`inbox_view` of it instead.
    """
    return _inbox_queryset(user, organisation)


def referrals_inbox(user, organisation) -> list[InboxReferral]:
    """Referrals ``organisation`` received, each with only the consented fields."""
    today = timezone.localdate()
    return [inbox_view(r, today) for r in _inbox_queryset(user, organisation)]


def referral_inbox_get(user, organisation, referral_id) -> InboxReferral:
    """One received referral. Raises ``Referral.DoesNotExist``; logs the view."""
    referral = _inbox_queryset(user, organisation).get(pk=referral_id)
    view = inbox_view(referral)
    reads.read(
        actor=user,
        organisation=organisation,
        action=AuditAction.REFERRAL_VIEWED,
        obj=referral,
        participant_id=referral.case.participant_id,
        detail={"fields": sorted(view.person)},
    )
    return view


# --- helpers on an object already obtained through a scoped root ---------------------------------


def has_consent(
    participant: Participant,
    purpose: str,
    recipient=None,
    on: dt.date | None = None,
) -> bool:
    """Is a consent for ``purpose`` (and ``recipient``) given and not withdrawn on ``on``?"""
    return matching_consent(participant, purpose, recipient, on) is not None


def matching_consent(
    participant: Participant, purpose: str, recipient=None, on: dt.date | None = None
) -> Consent | None:
    on = on or timezone.localdate()
    qs = participant.consents.filter(purpose=purpose, given_on__lte=on).filter(
        Q(withdrawn_at__isnull=True) | Q(withdrawn_at__date__gt=on)
    )
    if purpose == ConsentPurpose.REFERRAL_SHARING:
        if recipient is None:
            return None
        qs = qs.filter(recipient=recipient)
    return qs.order_by("-given_on", "-recorded_at").first()


def case_origin(case: Case) -> dict[str, Any]:
    """Where ``case`` (obtained through ``cases_for``) came from: ``contact_request`` (the
    self-check's request that opened it) and ``source_referral`` (the received referral it was
    opened from, ``cases.intake``); each ``None`` when not."""
    return {
        "contact_request": case.contact_requests.select_related("offer").first(),
        "source_referral": Referral.objects.filter(
            receiver_case=case, receiving_organisation=case.organisation
        )
        .select_related("sending_organisation", "offer")
        .first(),
    }


def residence_status_on(participant: Participant, day: dt.date) -> ResidenceStatus | None:
    """The residence status valid on ``day`` (the latest begun, then the latest recorded)."""
    return (
        participant.residence_statuses.filter(valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("-valid_from", "-recorded_at")
        .first()
    )


# --- audit log and aggregates --------------------------------------------------------------------


def audit_log_for(user, organisation) -> QuerySet[AuditEntry]:
    """The audit log of ``organisation`` for its data-protection officer (none for others)."""
    if organisation is None or not user_can(user, organisation, "audit.view"):
        return AuditEntry.objects.none()
    return audit_selectors.entries_of(organisation)


def audit_rows(user, organisation, limit: int = 200) -> list[AuditRow]:
    """The latest entries of :func:`audit_log_for` in plain words (the person by pseudonym)."""
    entries = list(audit_log_for(user, organisation).select_related("actor")[:limit])
    ids = {e.participant_id for e in entries if e.participant_id}
    pseudonyms = dict(
        Participant.objects.filter(pk__in=ids, organisation=organisation).values_list(
            "pk", "pseudonym"
        )
    )
    return audit_selectors.readable(entries, pseudonyms)


def case_counts(user, organisation) -> dict[str, int]:
    """Number of cases per status: an aggregate, no person (coordinators, programme admins)."""
    if organisation is None or not user_can(user, organisation, "reports.aggregate"):
        return {}
    rows = (
        Case.objects.filter(organisation=organisation)
        .values("status")
        .annotate(n=Count("pk"))
        .order_by("status")
    )
    counts = dict.fromkeys(CaseStatus.values, 0)
    counts.update({r["status"]: r["n"] for r in rows})
    return counts


# --- choices for the case forms (public directory and catalogue data, no person) ----------------


def enrolment_projects(organisation) -> QuerySet[Project]:
    """Projects ``organisation`` carries or is a partner of, with their funding round."""
    if organisation is None:
        return Project.objects.none()
    return (
        Project.objects.filter(Q(carrier=organisation) | Q(partners=organisation))
        .filter(funding_round__isnull=False)
        .select_related("funding_round__programme")
        .distinct()
        .order_by("name")
    )


def funding_rounds() -> QuerySet[FundingRound]:
    return FundingRound.objects.select_related("programme").order_by("programme__key", "key")


def referral_offers(organisation, query: str = "", limit: int = 30) -> QuerySet[Offer]:
    """Published offers of other organisations a case can be referred to."""
    offers = (
        Offer.objects.filter(status=Offer.PUBLISHED)
        .exclude(organisation=organisation)
        .select_related("organisation")
        .order_by("sort_name")
    )
    if query:
        # the directory's own text search (every word, in name, description, organisation,
        # places), as a person searching the directory finds them; before, only the exact
        # phrase in the offer's or organisation's name ("Anerkennung Darmstadt": nothing)
        found = filtered_offers(OfferQuery(q=query)).values("pk")
        offers = offers.filter(pk__in=found)
    return offers[:limit]


def consent_recipients(org) -> list[tuple]:
    """The organisations a sharing consent can name: every other one, by name; a name that
    several carry, with what tells them apart (the organisation each belongs to, else its
    kind): the person consents to one recipient, so the counsellor must see which."""
    others = list(Organisation.objects.exclude(pk=org.pk).select_related("parent").order_by("name"))
    seen = Counter(o.name for o in others)

    def label(o: Organisation) -> str:
        if seen[o.name] == 1:
            return o.name
        return f"{o.name} – {o.parent.name if o.parent else o.get_kind_display()}"

    labels = {o.pk: label(o) for o in others}
    still = Counter(labels.values())
    alike = [pk for pk, text in labels.items() if still[text] > 1]
    if alike:  # the same name and kind: the places of their offers tell them apart
        places: dict = {}
        rows = Offer.objects.filter(organisation__in=alike).values_list(
            "organisation_id", "locations__city"
        )
        for pk, city in rows.distinct():
            if city:
                places.setdefault(pk, set()).add(city)
        for pk in alike:
            if pk in places:
                labels[pk] += f" ({join_list(sorted(places[pk]))})"
    return [(o.pk, labels[o.pk]) for o in others]

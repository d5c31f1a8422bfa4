"""Writes of case data: one function per operation, atomic, permission-checked, audit-logged.

Every function takes the acting user as ``by`` and checks the role in the object's organisation
itself (a view checks first; this is the second layer). Writes to a case or participant compare
and swap the ``version`` the user saw: ``UPDATE ... WHERE id = %s AND version = %s``; when another
save came first, nothing changes and :class:`~wegweiser.cases.errors.ConcurrentEdit` is raised.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from wegweiser.accounts.models import Membership
from wegweiser.accounts.permissions import CASEWORKERS, user_can
from wegweiser.audit.models import AuditAction, AuditEntry
from wegweiser.audit.services import audit
from wegweiser.cases import selectors
from wegweiser.cases.errors import (
    ConcurrentEdit,
    ConsentMissing,
    EnrolmentRefused,
    InvalidData,
    MissingData,
    NotAllowed,
    ReferralLinkInvalid,
    TransitionNotAllowed,
)
from wegweiser.cases.models import (
    CASE_TRANSITIONS,
    ENROLLED_STATUSES,
    REFERRAL_TRANSITIONS,
    Case,
    CaseStatus,
    Consent,
    ConsentPurpose,
    ContactEntry,
    DropoutReason,
    DropoutRisk,
    EligibilitySnapshot,
    EsfEntryData,
    FollowUp,
    Goal,
    Household,
    HouseholdRelation,
    Participant,
    Referral,
    ReferralLink,
    ReferralOutcome,
    ReferralStatus,
    RefusalReason,
    ResidenceStatus,
    SharedField,
    Task,
    YesNoNoAnswer,
)
from wegweiser.cases.retention import add_offset, esf_retention_applies, is_esf_record
from wegweiser.directory.models import Offer
from wegweiser.eligibility.engine import ELIGIBLE, evaluate
from wegweiser.eligibility.facts import (
    EU_MEMBER_STATES,
    ProfileError,
    age_on,
    parse_profile,
)
from wegweiser.eligibility.registry import RECORDED_KEYS
from wegweiser.notifications import services as notifications
from wegweiser.organisations.models import Organisation
from wegweiser.programmes.models import FundingRound, Project
from wegweiser.programmes.selectors import engine_catalogue

#: A link for a partner without an account is valid this long.
REFERRAL_LINK_VALIDITY = dt.timedelta(days=8)
#: Follow-up check-ins after a job or training start, unless a programme sets its own
#: (setting ``WEGWEISER_FOLLOWUP_OFFSETS = {"wir": ["4w", "3m", "6m", "12m"]}``).
DEFAULT_FOLLOWUP_OFFSETS = ("4w", "3m", "6m")
ESF_LONG_TERM_OFFSET = "6m"
#: A check-in may be recorded this many days before its due date, not earlier (the ESF Plus
#: longer-term result refers to the situation six months after exit, facts.md A.4).
FOLLOWUP_EARLY_DAYS = 7


def _require(by, organisation, action: str) -> None:
    if not user_can(by, organisation, action):
        raise NotAllowed()


def _now() -> dt.datetime:
    return timezone.now()


def _compare_and_swap(obj, expected_version: int | None, **changes) -> None:
    """Write ``changes`` only if the row still has ``expected_version``; bump the version."""
    expected = obj.version if expected_version is None else expected_version
    model = type(obj)
    updated = model.objects.filter(pk=obj.pk, version=expected).update(
        version=F("version") + 1, updated_at=_now(), **changes
    )
    if updated != 1:
        raise ConcurrentEdit()
    for name, value in changes.items():
        setattr(obj, name, value)
    obj.version = expected + 1


# --- participants --------------------------------------------------------------------------------

PARTICIPANT_FIELDS = (
    "given_name",
    "family_name",
    "date_of_birth",
    "gender",
    "phone",
    "email",
    "languages",
    "citizenships",
    "kreis",
)


def _check_participant_fields(fields: Mapping[str, Any]) -> None:
    unknown = set(fields) - set(PARTICIPANT_FIELDS)
    if unknown:
        raise InvalidData(_("Unbekannte Angaben: %(fields)s"), fields=", ".join(sorted(unknown)))
    data: dict[str, Any] = {}
    if fields.get("date_of_birth"):
        data["birth_date"] = fields["date_of_birth"].isoformat()
    if fields.get("citizenships"):
        data["citizenships"] = list(fields["citizenships"])
    if fields.get("kreis"):
        data["kreis"] = fields["kreis"]
    if fields.get("gender"):
        data["gender"] = fields["gender"]
    try:
        parse_profile(data, reference_date=timezone.localdate())
    except ProfileError as error:
        raise InvalidData(_("Ungültige Angabe: %(error)s"), error=error.text("de")) from None


@transaction.atomic
def participant_create(*, by, organisation: Organisation, **fields) -> Participant:
    """A new participant of ``organisation`` with a fresh random pseudonym."""
    _require(by, organisation, "participant.create")
    _check_participant_fields(fields)
    participant = Participant(organisation=organisation, **fields)
    while Participant.objects.filter(pseudonym=participant.pseudonym).exists():
        participant.pseudonym = Participant._meta.get_field("pseudonym").default()
    participant.save()
    audit(
        actor=by,
        organisation=organisation,
        action=AuditAction.CREATE,
        obj=participant,
        participant_id=participant.pk,
    )
    return participant


@transaction.atomic
def participant_update(participant: Participant, *, by, version: int | None = None, **fields):
    """Change the given fields if nobody saved the person since ``version``."""
    _require(by, participant.organisation, "participant.edit")
    if participant.anonymised_at:
        raise InvalidData(_("Die Person ist anonymisiert."))
    _check_participant_fields(fields)
    _compare_and_swap(participant, version, **fields)
    audit(
        actor=by,
        organisation=participant.organisation,
        action=AuditAction.UPDATE,
        obj=participant,
        participant_id=participant.pk,
        detail={"fields": sorted(fields)},
    )
    return participant


@transaction.atomic
def household_link(
    participant: Participant,
    *,
    by,
    relation: str,
    household: Household | None = None,
    version: int | None = None,
) -> Household:
    """Put ``participant`` into ``household`` (a new one when ``None``) with ``relation``."""
    organisation = participant.organisation
    _require(by, organisation, "participant.edit")
    if relation not in HouseholdRelation.values:
        raise InvalidData()
    if household is None:
        household = Household.objects.create(organisation=organisation)
    elif household.organisation_id != organisation.pk:
        raise InvalidData(_("Der Haushalt gehört zu einer anderen Organisation."))
    if (
        relation == HouseholdRelation.MAIN_PERSON
        and household.members.filter(household_relation=HouseholdRelation.MAIN_PERSON)
        .exclude(pk=participant.pk)
        .exists()
    ):
        raise InvalidData(_("Der Haushalt hat schon eine Hauptperson."))
    _compare_and_swap(participant, version, household=household, household_relation=relation)
    audit(
        actor=by,
        organisation=organisation,
        action=AuditAction.UPDATE,
        obj=participant,
        participant_id=participant.pk,
        detail={"household": str(household.pk), "relation": relation},
    )
    return household


@transaction.atomic
def residence_status_record(
    participant: Participant,
    *,
    by,
    title: str,
    valid_from: dt.date,
    section: str = "",
    valid_to: dt.date | None = None,
    work_ban: str = "",
) -> ResidenceStatus:
    """Add a residence status; an open-ended earlier one ends the day before ``valid_from``."""
    _require(by, participant.organisation, "participant.edit")
    residence: dict[str, Any] = {"title": title}
    if section:
        residence["section"] = section
    data: dict[str, Any] = {"residence": residence}
    if work_ban:
        data["work_ban"] = work_ban
    try:
        parse_profile(data, reference_date=valid_from)
    except ProfileError as error:
        raise InvalidData(_("Ungültige Angabe: %(error)s"), error=error.text("de")) from None
    if valid_to is not None and valid_to < valid_from:
        raise InvalidData(_("„gültig bis“ liegt vor „gültig ab“."))
    participant.residence_statuses.filter(valid_to__isnull=True, valid_from__lt=valid_from).update(
        valid_to=valid_from - dt.timedelta(days=1)
    )
    status = ResidenceStatus.objects.create(
        participant=participant,
        title=title,
        section=section,
        valid_from=valid_from,
        valid_to=valid_to,
        work_ban=work_ban,
        recorded_by=by,
    )
    audit(
        actor=by,
        organisation=participant.organisation,
        action=AuditAction.CREATE,
        obj=status,
        participant_id=participant.pk,
    )
    return status


# --- consent -------------------------------------------------------------------------------------


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
    _require(by, participant.organisation, "consent.record")
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
    consent = Consent.objects.create(
        participant=participant,
        purpose=purpose,
        recipient=recipient,
        shared_fields=shared,
        given_on=given_on,
        text_version=text_version,
        channel=channel,
        recorded_by=by,
    )
    audit(
        actor=by,
        organisation=participant.organisation,
        action=AuditAction.CONSENT_GIVEN,
        obj=consent,
        participant_id=participant.pk,
        detail={
            "purpose": purpose,
            "recipient": str(recipient.pk) if recipient else None,
            "fields": shared,
            "text_version": text_version,
        },
    )
    return consent


@transaction.atomic
def consent_withdraw(consent: Consent, *, by, at: dt.datetime | None = None) -> Consent:
    """Withdraw a consent from ``at`` (default now); sharing under it stops at once."""
    participant = consent.participant
    _require(by, participant.organisation, "consent.withdraw")
    at = at or _now()
    updated = Consent.objects.filter(pk=consent.pk, withdrawn_at__isnull=True).update(
        withdrawn_at=at, withdrawn_recorded_by=by
    )
    if not updated:
        raise ConcurrentEdit(_("Die Einwilligung ist bereits widerrufen."))
    consent.withdrawn_at, consent.withdrawn_recorded_by = at, by
    audit(
        actor=by,
        organisation=participant.organisation,
        action=AuditAction.CONSENT_WITHDRAWN,
        obj=consent,
        participant_id=participant.pk,
        detail={"purpose": consent.purpose},
    )
    return consent


# --- cases and the workflow ----------------------------------------------------------------------


def _check_counsellor(user, organisation) -> None:
    if user is None:
        return
    if not Membership.objects.filter(
        user=user, organisation=organisation, role__in=CASEWORKERS
    ).exists():
        raise InvalidData(_("Die zuständige Person arbeitet nicht in dieser Organisation."))


@transaction.atomic
def case_open(participant: Participant, *, by, counsellor=None) -> Case:
    """A new case of ``participant`` at its organisation, status first contact."""
    organisation = participant.organisation
    _require(by, organisation, "case.create")
    if participant.anonymised_at:
        raise InvalidData(_("Die Person ist anonymisiert."))
    counsellor = counsellor or by
    _check_counsellor(counsellor, organisation)
    case = Case.objects.create(
        participant=participant, organisation=organisation, counsellor=counsellor
    )
    audit(
        actor=by,
        organisation=organisation,
        action=AuditAction.CREATE,
        obj=case,
        participant_id=participant.pk,
    )
    return case


@transaction.atomic
def case_assign(case: Case, *, by, counsellor, version: int | None = None) -> Case:
    _require(by, case.organisation, "case.edit")
    _check_counsellor(counsellor, case.organisation)
    _compare_and_swap(case, version, counsellor=counsellor)
    audit(
        actor=by,
        organisation=case.organisation,
        action=AuditAction.UPDATE,
        obj=case,
        participant_id=case.participant_id,
        detail={"counsellor": counsellor.pk if counsellor else None},
    )
    return case


def _transition(case: Case, *, by, to: str, version: int | None, detail=None, **changes) -> Case:
    """Check the table and the version, write, log. Callers are ``@transaction.atomic``."""
    _require(by, case.organisation, "case.transition")
    origin = case.status
    if to not in CASE_TRANSITIONS[origin]:
        raise TransitionNotAllowed(
            _("Ein Fall im Status „%(origin)s“ kann nicht nach „%(target)s“ wechseln."),
            origin=CaseStatus(origin).label,
            target=CaseStatus(to).label,
        )
    expected = case.version if version is None else version
    updated = Case.objects.filter(pk=case.pk, version=expected, status=origin).update(
        status=to, version=F("version") + 1, updated_at=_now(), **changes
    )
    if updated != 1:
        raise ConcurrentEdit()
    for name, value in changes.items():
        setattr(case, name, value)
    case.status, case.version = to, expected + 1
    audit(
        actor=by,
        organisation=case.organisation,
        action=AuditAction.TRANSITION,
        obj=case,
        participant_id=case.participant_id,
        detail={"from": origin, "to": to, **(detail or {})},
    )
    return case


@transaction.atomic
def case_start_clearing(case: Case, *, by, version: int | None = None) -> Case:
    """first contact → clearing."""
    return _transition(case, by=by, to=CaseStatus.CLEARING, version=version)


@transaction.atomic
def case_start_followup(
    case: Case,
    *,
    by,
    start_date: dt.date,
    situation: str,
    version: int | None = None,
) -> Case:
    """active → follow-up: the person starts work or training; schedules the check-ins."""
    if situation not in FollowUp.Situation.values:
        raise InvalidData()
    if case.entry_date and start_date < case.entry_date:
        raise InvalidData(_("Der Beginn liegt vor dem Eintritt."))
    _transition(
        case,
        by=by,
        to=CaseStatus.FOLLOWUP,
        version=version,
        detail={"situation": situation},
        work_start_date=start_date,
    )
    followups_schedule(case, start_date=start_date, situation=situation)
    return case


@transaction.atomic
def case_close(
    case: Case, *, by, exit_date: dt.date | None = None, version: int | None = None
) -> Case:
    """follow-up or active → closed (the regular exit, with or without a job start).

    The participation ends on ``exit_date`` (default today); an ESF record gets its survey six
    months later (:func:`esf_survey_schedule`).
    """
    exit_date = exit_date or timezone.localdate()
    _check_exit(case, exit_date)
    _transition(case, by=by, to=CaseStatus.CLOSED, version=version, exit_date=exit_date)
    esf_survey_schedule(case, exit_date=exit_date)
    return case


@transaction.atomic
def case_drop_out(
    case: Case,
    *,
    by,
    reason: str,
    note: str = "",
    exit_date: dt.date | None = None,
    version: int | None = None,
) -> Case:
    """first contact, clearing, active or follow-up → dropped out, with a reason from the list.

    Only an enrolled case (with an entry date) gets an exit date.
    """
    if reason not in DropoutReason.values:
        raise InvalidData(_("Bitte wählen Sie einen Abbruchgrund."))
    if reason == DropoutReason.OTHER and not note.strip():
        raise InvalidData(_("Bitte erläutern Sie den Abbruchgrund."))
    changes: dict[str, Any] = {"dropout_reason": reason, "dropout_note": note}
    if case.entry_date:
        changes["exit_date"] = exit_date or timezone.localdate()
        _check_exit(case, changes["exit_date"])
    _transition(
        case,
        by=by,
        to=CaseStatus.DROPPED_OUT,
        version=version,
        detail={"reason_recorded": True},
        **changes,
    )
    if case.exit_date:
        esf_survey_schedule(case, exit_date=case.exit_date)
    return case


def _check_exit(case: Case, exit_date: dt.date) -> None:
    if case.entry_date and exit_date < case.entry_date:
        raise InvalidData(_("Der Austritt liegt vor dem Eintritt."))


# --- enrolment -----------------------------------------------------------------------------------

#: Profile keys the enrolment takes from the participant's record; the others may be given.
PARTICIPANT_PROFILE_KEYS = RECORDED_KEYS


def current_participations(participant: Participant, day: dt.date, exclude: Case | None = None):
    """Round ids of the participant's other enrolments running on ``day`` (double funding)."""
    qs = participant.cases.filter(
        status__in=ENROLLED_STATUSES, funding_round__isnull=False, entry_date__lte=day
    ).exclude(exit_date__lt=day)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return sorted(set(qs.values_list("funding_round__key", flat=True)))


def build_profile_data(
    participant: Participant,
    day: dt.date,
    *,
    facts: Mapping[str, Any] | None = None,
    exclude: Case | None = None,
) -> dict[str, Any]:
    """The eligibility profile (JSON form) from the participant's record on ``day``.

    ``facts`` adds what the record does not hold (``jobcentre_contact``, ``german_level``, ...),
    and ``participations`` the person declares elsewhere; both are merged with this
    organisation's own running enrolments.
    """
    facts = dict(facts or {})
    overlap = PARTICIPANT_PROFILE_KEYS & set(facts)
    if overlap:
        raise InvalidData(
            _("Diese Angaben kommen aus der Akte der Person: %(keys)s"),
            keys=", ".join(sorted(overlap)),
        )
    data: dict[str, Any] = {k: v for k, v in facts.items() if k != "participations"}
    if participant.date_of_birth and participant.date_of_birth <= day:
        data["birth_date"] = participant.date_of_birth.isoformat()
    if participant.gender:
        data["gender"] = participant.gender
    if participant.citizenships:
        data["citizenships"] = list(participant.citizenships)
    if participant.kreis:
        data["kreis"] = participant.kreis
    status = selectors.residence_status_on(participant, day)
    if status is not None:
        data["residence"] = {"title": status.title}
        if status.section:
            data["residence"]["section"] = status.section
        if status.work_ban:
            data["work_ban"] = status.work_ban
    participations = list(facts.get("participations") or [])
    participations += current_participations(participant, day, exclude)
    if participations:
        data["participations"] = list(dict.fromkeys(participations))
    return data


@transaction.atomic
def enrol(
    case: Case,
    project: Project,
    round: FundingRound,
    by,
    override_reason: str | None = None,
    *,
    entry_date: dt.date | None = None,
    facts: Mapping[str, Any] | None = None,
    version: int | None = None,
) -> EligibilitySnapshot:
    """clearing → active: the eligibility check at entry, stored as a snapshot, and enrolment.

    Refused (:class:`EnrolmentRefused` with the engine's reasons) unless the round answers
    *eligible* -- not eligible, undetermined or a double-funding conflict -- except when a team
    lead of the case's organisation gives ``override_reason``: then the snapshot records the
    reason and the team lead, and the audit log an "override" entry.
    """
    organisation = case.organisation
    _require(by, organisation, "case.enrol")
    if CaseStatus.ACTIVE not in CASE_TRANSITIONS[case.status]:
        raise TransitionNotAllowed()
    if project.funding_round_id != round.pk:
        raise InvalidData(_("Das Projekt gehört nicht zu dieser Förderrunde."))
    is_partner = project.partners.filter(pk=organisation.pk).exists()
    if project.carrier_id != organisation.pk and not is_partner:
        raise InvalidData(_("Die Organisation führt dieses Projekt nicht durch."))
    # Lock the person's row: two enrolments of the same person at once (double funding, the same
    # project twice) would each pass the checks below; the second now waits for the first and
    # then sees its case (a no-op on SQLite, which writes one transaction at a time).
    participant = Participant.objects.select_for_update().get(pk=case.participant_id)
    case.participant = participant
    day = entry_date or timezone.localdate()
    earlier = participant.cases.filter(project=project).exclude(pk=case.pk)
    if earlier.filter(Q(status__in=ENROLLED_STATUSES) | Q(entry_date__isnull=False)).exists():
        # facts.md A.6: a participant is recorded only once per Vorhaben, also after an exit
        raise EnrolmentRefused(_("Die Person nimmt an diesem Projekt bereits teil."))

    catalogue = engine_catalogue()
    data = build_profile_data(participant, day, facts=facts, exclude=case)
    try:
        profile = parse_profile(data, reference_date=day, known_rounds=catalogue.round_ids)
        engine_round = catalogue.select_rounds([f"{round.programme.key}/{round.key}"])
    except ProfileError as error:
        raise InvalidData(_("Ungültige Angabe: %(error)s"), error=error.text("de")) from None
    except KeyError:
        raise InvalidData(_("Die Förderrunde fehlt im Regelkatalog.")) from None
    if not engine_round[0].is_active(day) or not (
        project.start <= day and (project.end is None or day <= project.end)
    ):
        raise EnrolmentRefused(
            _("Am %(day)s laufen die Förderrunde oder das Projekt nicht."), day=day.isoformat()
        )
    (result,) = evaluate(catalogue, profile, day, engine_round)
    reasons = {lang: result.to_json(lang)["reasons"] for lang in ("de", "en")}
    admitted = result.status == ELIGIBLE
    override = bool(override_reason and override_reason.strip()) and not admitted
    if not admitted:
        if not override:
            raise EnrolmentRefused(
                status=result.status, reasons=reasons["de"], missing=result.missing
            )
        if not user_can(by, organisation, "case.override_eligibility"):
            raise EnrolmentRefused(
                _("Eine Ausnahme von der Förderprüfung kann nur die Teamleitung zulassen."),
                status=result.status,
                reasons=reasons["de"],
                missing=result.missing,
            )
    snapshot = EligibilitySnapshot.objects.create(
        case=case,
        checked_on=day,
        catalogue_version=catalogue.version,
        programme_key=result.round.programme,
        round_key=result.round.id,
        status=result.status,
        reasons=reasons,
        missing=list(result.missing),
        profile=profile.to_json(),
        admitted=True,
        override_reason=override_reason.strip() if override else "",
        overridden_by=by if override else None,
        checked_by=by,
    )
    _transition(
        case,
        by=by,
        to=CaseStatus.ACTIVE,
        version=version,
        detail={"project": str(project.pk), "round": round.key, "eligibility": result.status},
        project=project,
        funding_round=round,
        entry_date=day,
    )
    if override:
        audit(
            actor=by,
            organisation=organisation,
            action=AuditAction.OVERRIDE,
            obj=snapshot,
            participant_id=participant.pk,
            detail={
                "status": result.status,
                "round": result.round.key,
                "rules": [r["rule"] for r in reasons["de"]],
            },
        )
    return snapshot


@transaction.atomic
def esf_entry_save(
    case: Case,
    *,
    by,
    collected_on: dt.date | None = None,
    version: int | None = None,
    **answers,
):
    """Create or replace the ESF Plus entry questionnaire of ``case`` (facts.md A).

    ``version`` is the questionnaire's version the user saw, ``0`` for "there was none": a save
    after someone else's (or a second creation) raises :class:`ConcurrentEdit` and changes
    nothing. Left out, the stored version is used (no protection: for scripts only).
    """
    _require(by, case.organisation, "case.edit")
    participant = case.participant
    required = EsfEntryData.REQUIRED_ANSWERS
    unknown = set(answers) - set(required) - {"long_term_unemployed"}
    if unknown:
        raise InvalidData(_("Unbekannte Angaben: %(keys)s"), keys=", ".join(sorted(unknown)))
    missing = [k for k in required if answers.get(k) in (None, "")]
    if missing:
        raise MissingData(
            _("Es fehlen Antworten: %(fields)s."),
            fields=_labels(EsfEntryData, missing),
            missing=[(k, "form") for k in missing],
        )
    if answers["employment_status"] not in EsfEntryData.EmploymentStatus.values:
        raise InvalidData()
    if answers["isced_level"] not in EsfEntryData.Isced.values:
        raise InvalidData()
    for key in required[2:]:
        if answers[key] not in YesNoNoAnswer.values:
            raise InvalidData()
    if (
        answers["employment_status"] != EsfEntryData.EmploymentStatus.UNEMPLOYED
        and answers.get("long_term_unemployed") is not None
    ):
        raise InvalidData(_("Langzeitarbeitslos kann nur sein, wer arbeitslos ist."))
    lacking = [
        f for f in ("gender", "date_of_birth", "citizenships") if not getattr(participant, f)
    ]
    if lacking:
        raise MissingData(
            _(
                "Für die ESF-Plus-Daten fehlen in der Akte der Person: %(fields)s. Bitte ergänzen "
                "Sie sie dort."
            ),
            fields=_labels(Participant, lacking),
            missing=[(f, "participant") for f in lacking],
        )
    collected_on = collected_on or timezone.localdate()
    entry_day = case.entry_date or collected_on
    values = {
        "long_term_unemployed": None,
        **answers,
        "collected_on": collected_on,
        "gender": participant.gender,
        "age_at_entry": age_on(participant.date_of_birth, entry_day),
        "third_country_national": not any(c in EU_MEMBER_STATES for c in participant.citizenships),
        "recorded_by": by,
    }
    existing = EsfEntryData.objects.filter(case=case).first()
    created = existing is None
    if created:
        if version not in (None, 0):
            raise ConcurrentEdit()
        try:
            with transaction.atomic():
                entry = EsfEntryData.objects.create(case=case, version=1, **values)
        except IntegrityError:
            raise ConcurrentEdit() from None
    else:
        expected = existing.version if version is None else version
        updated = EsfEntryData.objects.filter(pk=existing.pk, version=expected).update(
            version=F("version") + 1, updated_at=_now(), **values
        )
        if not updated:
            raise ConcurrentEdit()
        entry = EsfEntryData.objects.get(pk=existing.pk)
    audit(
        actor=by,
        organisation=case.organisation,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=entry,
        participant_id=participant.pk,
    )
    return entry


def _labels(model, fields) -> str:
    return ", ".join(str(model._meta.get_field(f).verbose_name) for f in fields)


# --- case plan -----------------------------------------------------------------------------------


def _plan_audit(by, case: Case, obj, action=AuditAction.CREATE, detail=None) -> None:
    audit(
        actor=by,
        organisation=case.organisation,
        action=action,
        obj=obj,
        participant_id=case.participant_id,
        detail=detail,
    )


@transaction.atomic
def goal_create(case: Case, *, by, title: str, target_date: dt.date | None = None) -> Goal:
    _require(by, case.organisation, "case.edit")
    if not title.strip():
        raise InvalidData()
    goal = Goal.objects.create(
        case=case, title=title.strip(), target_date=target_date, created_by=by
    )
    _plan_audit(by, case, goal)
    return goal


@transaction.atomic
def goal_set_status(goal: Goal, *, by, status: str) -> Goal:
    _require(by, goal.case.organisation, "case.edit")
    if status not in Goal.Status.values:
        raise InvalidData()
    Goal.objects.filter(pk=goal.pk).update(status=status, updated_at=_now())
    goal.status = status
    _plan_audit(by, goal.case, goal, AuditAction.UPDATE, {"status": status})
    return goal


@transaction.atomic
def contact_create(
    case: Case,
    *,
    by,
    date: dt.date,
    duration_minutes: int,
    channel: str,
    topics: Iterable[str] = (),
    note: str = "",
) -> ContactEntry:
    _require(by, case.organisation, "case.edit")
    if channel not in ContactEntry.Channel.values or not 0 < duration_minutes <= 24 * 60:
        raise InvalidData()
    if date > timezone.localdate():
        raise InvalidData(_("Ein Kontakt kann nicht in der Zukunft liegen."))
    entry = ContactEntry.objects.create(
        case=case,
        date=date,
        duration_minutes=duration_minutes,
        channel=channel,
        topics=list(topics),
        note=note,
        author=by,
    )
    _plan_audit(by, case, entry)
    return entry


@transaction.atomic
def task_create(
    case: Case, *, by, title: str, due_date: dt.date | None = None, assignee=None
) -> Task:
    _require(by, case.organisation, "case.edit")
    if not title.strip():
        raise InvalidData()
    _check_counsellor(assignee, case.organisation)
    task = Task.objects.create(
        case=case, title=title.strip(), due_date=due_date, assignee=assignee, created_by=by
    )
    _plan_audit(by, case, task)
    return task


@transaction.atomic
def task_done(task: Task, *, by) -> Task:
    _require(by, task.case.organisation, "case.edit")
    updated = Task.objects.filter(pk=task.pk, done_at__isnull=True).update(done_at=_now())
    if not updated:
        raise ConcurrentEdit(_("Die Aufgabe ist bereits erledigt."))
    task.refresh_from_db(fields=["done_at"])
    _plan_audit(by, task.case, task, AuditAction.UPDATE, {"done": True})
    return task


# --- follow-up -----------------------------------------------------------------------------------


def followup_offsets(programme_key: str | None) -> tuple[str, ...]:
    """The check-in offsets of a programme (setting ``WEGWEISER_FOLLOWUP_OFFSETS``)."""
    configured = getattr(settings, "WEGWEISER_FOLLOWUP_OFFSETS", {}) or {}
    return tuple(configured.get(programme_key) or DEFAULT_FOLLOWUP_OFFSETS)


def followups_schedule(case: Case, *, start_date: dt.date, situation: str) -> list[FollowUp]:
    """Create the check-ins after ``start_date`` (called by :func:`case_start_followup`)."""
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


def followup_open_from(followup: FollowUp) -> dt.date:
    """The first day a check-in may be recorded: its due date less the tolerance."""
    return followup.due_date - dt.timedelta(days=FOLLOWUP_EARLY_DAYS)


@transaction.atomic
def followup_record(
    followup: FollowUp,
    *,
    by,
    still_in_work_or_training: bool,
    dropout_risk: str,
    note: str = "",
    long_term_result: str = "",
) -> FollowUp:
    """Record a check-in; the six-month one also records the ESF Plus longer-term result."""
    case = followup.case
    _require(by, case.organisation, "followup.record")
    if dropout_risk not in DropoutRisk.values:
        raise InvalidData(_("Bitte schätzen Sie das Abbruchrisiko ein."))
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
    changes = {
        "done_at": _now(),
        "done_by": by,
        "still_in_work_or_training": still_in_work_or_training,
        "dropout_risk": dropout_risk,
        "note": note,
        "long_term_result": long_term_result,
    }
    if not FollowUp.objects.filter(pk=followup.pk, done_at__isnull=True).update(**changes):
        raise ConcurrentEdit(_("Dieser Termin ist bereits erfasst."))
    for name, value in changes.items():
        setattr(followup, name, value)
    _plan_audit(
        by,
        case,
        followup,
        AuditAction.UPDATE,
        {"offset": followup.offset},
    )
    return followup


# --- referrals -----------------------------------------------------------------------------------


def _referral_move(referral: Referral, to: str, **changes) -> None:
    origin = referral.status
    if to not in REFERRAL_TRANSITIONS[origin]:
        raise TransitionNotAllowed(
            _("Eine Überweisung im Status „%(origin)s“ kann nicht nach „%(target)s“ wechseln."),
            origin=ReferralStatus(origin).label,
            target=ReferralStatus(to).label,
        )
    if not Referral.objects.filter(pk=referral.pk, status=origin).update(status=to, **changes):
        raise ConcurrentEdit()
    referral.status = to
    for name, value in changes.items():
        setattr(referral, name, value)


def _referral_audit(referral: Referral, action, actor, organisation, detail=None) -> None:
    audit(
        actor=actor,
        organisation=organisation,
        action=action,
        obj=referral,
        participant_id=referral.case.participant_id,
        detail=detail,
    )


def _is_overdue(referral: Referral, now: dt.datetime) -> bool:
    days = selectors.referral_expiry_days()
    return (
        referral.status == ReferralStatus.SENT
        and referral.sent_at is not None
        and referral.sent_at + dt.timedelta(days=days) <= now
    )


@transaction.atomic
def referral_create(case: Case, *, by, offer: Offer, message: str = "") -> Referral:
    """A draft referral of ``case`` to ``offer`` of another organisation."""
    _require(by, case.organisation, "referral.send")
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
    _referral_audit(referral, AuditAction.CREATE, by, case.organisation)
    return referral


@transaction.atomic
def referral_send(referral: Referral, *, by) -> Referral:
    """draft → sent; needs an unwithdrawn sharing consent naming the receiving organisation."""
    _require(by, referral.sending_organisation, "referral.send")
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
    _referral_move(referral, ReferralStatus.SENT, sent_at=_now(), consent=consent)
    notifications.referral_received_notify(referral)
    _referral_audit(
        referral,
        AuditAction.REFERRAL_SENT,
        by,
        referral.sending_organisation,
        {
            "recipient": str(referral.receiving_organisation_id),
            "consent": str(consent.pk),
            "fields": list(consent.shared_fields),
        },
    )
    return referral


@transaction.atomic
def referral_withdraw(referral: Referral, *, by) -> Referral:
    _require(by, referral.sending_organisation, "referral.send")
    _referral_move(referral, ReferralStatus.WITHDRAWN, closed_at=_now())
    _referral_audit(referral, AuditAction.REFERRAL_WITHDRAWN, by, referral.sending_organisation)
    return referral


def _answer(referral: Referral, actor, accept: bool, reason: str, note: str) -> None:
    now = _now()
    if _is_overdue(referral, now):
        raise TransitionNotAllowed(_("Die Überweisung ist abgelaufen."))
    if accept:
        _referral_move(referral, ReferralStatus.ACCEPTED, answered_at=now)
    else:
        if reason not in RefusalReason.values:
            raise InvalidData(_("Bitte wählen Sie einen Ablehnungsgrund."))
        if reason == RefusalReason.OTHER and not note.strip():
            raise InvalidData(_("Bitte erläutern Sie den Ablehnungsgrund."))
        _referral_move(
            referral,
            ReferralStatus.REFUSED,
            answered_at=now,
            closed_at=now,
            refusal_reason=reason,
            refusal_note=note,
        )
    _referral_audit(
        referral,
        AuditAction.REFERRAL_ANSWERED,
        actor,
        referral.receiving_organisation,
        {"status": referral.status, "reason_recorded": bool(reason), "by_link": actor is None},
    )
    notifications.referral_answered_notify(referral)


@transaction.atomic
def referral_accept(referral: Referral, *, by) -> Referral:
    """sent → accepted, by the receiving organisation."""
    _require(by, referral.receiving_organisation, "referral.receive")
    _answer(referral, by, True, "", "")
    return referral


@transaction.atomic
def referral_refuse(referral: Referral, *, by, reason: str, note: str = "") -> Referral:
    """sent → refused with a reason from the list, by the receiving organisation."""
    _require(by, referral.receiving_organisation, "referral.receive")
    _answer(referral, by, False, reason, note)
    return referral


@transaction.atomic
def referral_complete(referral: Referral, *, by, outcome: str, note: str = "") -> Referral:
    """accepted → completed, with the outcome, by the receiving organisation."""
    _require(by, referral.receiving_organisation, "referral.receive")
    if outcome not in ReferralOutcome.values:
        raise InvalidData()
    _referral_move(
        referral, ReferralStatus.COMPLETED, closed_at=_now(), outcome=outcome, outcome_note=note
    )
    _referral_audit(
        referral,
        AuditAction.REFERRAL_COMPLETED,
        by,
        referral.receiving_organisation,
        {"outcome": outcome},
    )
    return referral


@transaction.atomic
def referrals_expire(*, now: dt.datetime | None = None) -> int:
    """Mark sent referrals unanswered for the set number of days as expired; returns how many."""
    now = now or _now()
    cutoff = now - dt.timedelta(days=selectors.referral_expiry_days())
    count = 0
    for referral in Referral.objects.filter(
        status=ReferralStatus.SENT, sent_at__lte=cutoff
    ).select_related("case", "sending_organisation"):
        try:
            _referral_move(referral, ReferralStatus.EXPIRED, closed_at=now)
        except ConcurrentEdit:
            continue
        _referral_audit(referral, AuditAction.REFERRAL_EXPIRED, None, referral.sending_organisation)
        count += 1
    return count


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def referral_link_create(referral: Referral, *, by) -> tuple[ReferralLink, str]:
    """A single-use answer link for a partner without an account, valid for 8 days.

    Returns the link and the token; only the token's SHA-256 is stored, so the token is shown
    (or mailed) once and cannot be recovered.
    """
    _require(by, referral.sending_organisation, "referral.send")
    if referral.status != ReferralStatus.SENT:
        raise TransitionNotAllowed(_("Nur eine gesendete Überweisung kann beantwortet werden."))
    token = secrets.token_urlsafe(32)
    link = ReferralLink.objects.create(
        referral=referral,
        token_hash=_token_hash(token),
        created_by=by,
        expires_at=_now() + REFERRAL_LINK_VALIDITY,
    )
    _referral_audit(
        referral,
        AuditAction.REFERRAL_LINK,
        by,
        referral.sending_organisation,
        {"link": str(link.pk)},
    )
    return link, token


def _usable_link(token: str, now: dt.datetime) -> ReferralLink:
    try:
        link = ReferralLink.objects.select_related(
            "referral__case__participant",
            "referral__offer",
            "referral__consent",
            "referral__sending_organisation",
            "referral__receiving_organisation",
        ).get(token_hash=_token_hash(token or ""))
    except ReferralLink.DoesNotExist:
        raise ReferralLinkInvalid() from None
    if link.used_at is not None or link.expires_at <= now:
        raise ReferralLinkInvalid()
    if link.referral.status != ReferralStatus.SENT:
        # answered (through another link or the inbox), withdrawn or expired: nothing to answer
        raise ReferralLinkInvalid()
    return link


@transaction.atomic
def referral_link_view(token: str) -> selectors.InboxReferral:
    """What the link's holder may see: the consented fields only (does not use up the link)."""
    link = _usable_link(token, _now())
    view = selectors.inbox_view(link.referral)
    _referral_audit(
        link.referral,
        AuditAction.REFERRAL_VIEWED,
        None,
        link.referral.receiving_organisation,
        {"link": str(link.pk), "fields": sorted(view.person)},
    )
    return view


@transaction.atomic
def referral_answer_by_link(
    token: str, *, accept: bool, reason: str = "", note: str = ""
) -> Referral:
    """Accept or refuse through the link; the link is used up (compare and swap on used_at)."""
    now = _now()
    link = _usable_link(token, now)
    if not ReferralLink.objects.filter(pk=link.pk, used_at__isnull=True).update(used_at=now):
        raise ReferralLinkInvalid()
    _answer(link.referral, None, accept, reason, note)
    return link.referral


# --- data rights ---------------------------------------------------------------------------------


def _iso(value):
    return value.isoformat() if value is not None else None


def participant_export(participant: Participant, *, by) -> dict[str, Any]:
    """Everything stored about the person (Art. 15, 20 GDPR), JSON-serialisable; logged."""
    _require(by, participant.organisation, "participant.export")
    with transaction.atomic():
        document = _export_document(participant)
        audit(
            actor=by,
            organisation=participant.organisation,
            action=AuditAction.EXPORT,
            obj=participant,
            participant_id=participant.pk,
        )
    return document


def _export_document(p: Participant) -> dict[str, Any]:
    def rows(qs, fields):
        return [{f: _plain(getattr(obj, f)) for f in fields} for obj in qs]

    cases = []
    for case in p.cases.select_related("project", "funding_round", "organisation"):
        esf = EsfEntryData.objects.filter(case=case).first()
        cases.append(
            {
                "id": str(case.pk),
                "organisation": case.organisation.name,
                "project": case.project.name if case.project else None,
                "funding_round": str(case.funding_round) if case.funding_round else None,
                **{
                    f: _plain(getattr(case, f))
                    for f in (
                        "status",
                        "entry_date",
                        "exit_date",
                        "work_start_date",
                        "dropout_reason",
                        "dropout_note",
                        "created_at",
                    )
                },
                "eligibility_checks": rows(
                    case.eligibility_snapshots.all(),
                    (
                        "checked_on",
                        "catalogue_version",
                        "programme_key",
                        "round_key",
                        "status",
                        "reasons",
                        "profile",
                        "override_reason",
                    ),
                ),
                "esf_entry": None
                if esf is None
                else {
                    f.name: _plain(getattr(esf, f.name))
                    for f in EsfEntryData._meta.concrete_fields
                    if f.name not in ("id", "case", "recorded_by")
                },
                "goals": rows(case.goals.all(), ("title", "target_date", "status")),
                "contacts": rows(
                    case.contacts.all(), ("date", "duration_minutes", "channel", "topics", "note")
                ),
                "tasks": rows(case.tasks.all(), ("title", "due_date", "done_at")),
                "referrals": [
                    {
                        "id": str(r.pk),
                        "recipient": r.receiving_organisation.name,
                        "offer": _plain(r.offer.name),
                        "status": r.status,
                        "sent_at": _iso(r.sent_at),
                        "shared_fields": list(r.consent.shared_fields) if r.consent else [],
                        "message": r.message,
                    }
                    for r in case.referrals.select_related("receiving_organisation", "offer")
                ],
                "followups": rows(
                    case.followups.all(),
                    (
                        "offset",
                        "due_date",
                        "done_at",
                        "still_in_work_or_training",
                        "dropout_risk",
                        "long_term_result",
                        "note",
                    ),
                ),
            }
        )
    accesses = [
        {"at": _iso(e.at), "action": e.action, "organisation": str(e.organisation_id)}
        for e in AuditEntry.objects.filter(participant_id=p.pk).order_by("at", "id")
    ]
    return {
        "exported_at": _iso(_now()),
        "organisation": p.organisation.name,
        "person": {
            f: _plain(getattr(p, f))
            for f in (
                "pseudonym",
                "given_name",
                "family_name",
                "date_of_birth",
                "gender",
                "phone",
                "email",
                "languages",
                "citizenships",
                "kreis",
                "household_relation",
                "created_at",
                "updated_at",
            )
        },
        "residence_statuses": rows(
            p.residence_statuses.all(), ("title", "section", "valid_from", "valid_to", "work_ban")
        ),
        "consents": [
            {
                "purpose": c.purpose,
                "recipient": c.recipient.name if c.recipient else None,
                "shared_fields": list(c.shared_fields),
                "given_on": _iso(c.given_on),
                "text_version": c.text_version,
                "channel": c.channel,
                "withdrawn_at": _iso(c.withdrawn_at),
            }
            for c in p.consents.select_related("recipient")
        ],
        "cases": cases,
        "access_log": accesses,
    }


def _plain(value):
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


@transaction.atomic
def participant_erase(participant: Participant, *, by, today: dt.date | None = None) -> str:
    """Erase the person (Art. 17 GDPR) -- or anonymise while ESF records must be kept.

    If any of the person's cases is an ESF Plus record still within its record-keeping period
    (facts.md D.2), the person is anonymised: name, contact data, date of birth (the year stays),
    citizenships, languages, residence history, household, case notes, goals, contacts and tasks
    are removed; the pseudonym, the ESF entry data, the eligibility snapshot (birth date replaced
    by the age) and the follow-up results stay. Otherwise everything is deleted. Returns
    ``"anonymised"`` or ``"deleted"``; either way an audit entry without the name is written.
    """
    organisation = participant.organisation
    _require(by, organisation, "participant.erase")
    today = today or timezone.localdate()
    cases = list(participant.cases.select_related("funding_round__funding_line", "project").all())
    keep = [c for c in cases if esf_retention_applies(c, today)]
    drop = [c for c in cases if c not in keep]
    pk = participant.pk
    detail: dict[str, Any] = {"kept_cases": [str(c.pk) for c in keep]}
    if keep:
        # Cases not needed as ESF records (other organisations' programmes, never enrolled,
        # non-ESF rounds) go entirely, with their snapshots and everything else.
        Case.objects.filter(pk__in=[c.pk for c in drop]).delete()
        if drop:
            detail["deleted_cases"] = [str(c.pk) for c in drop]
        _anonymise(participant, keep)
        outcome = "anonymised"
        action = AuditAction.ANONYMISE
    else:
        household = participant.household
        participant.delete()
        if household is not None and not household.members.exists():
            household.delete()
        outcome = "deleted"
        action = AuditAction.ERASE
    audit(
        actor=by,
        organisation=organisation,
        action=action,
        object_type="participant",
        object_id=str(pk),
        participant_id=pk,
        detail=detail,
    )
    return outcome


def purge_expired_records(
    *, today: dt.date | None = None, dry_run: bool = False, progress=None
) -> list[str]:
    """Delete anonymised participants whose ESF record-keeping period has ended (facts D.2).

    An anonymised person is kept only as the ESF record of cases within their period; once no
    case of the person is within it (the managing authority's last payment plus five years, or
    a later ``held_until``), the person and the cases go. Each deletion is its own transaction
    with an ``erase`` audit entry (actor: the system). ``progress(pseudonym)`` is called per
    person. Returns the pseudonyms deleted (or, with ``dry_run``, that would be).
    """
    today = today or timezone.localdate()
    done = []
    candidates = Participant.objects.filter(anonymised_at__isnull=False).select_related(
        "organisation"
    )
    for participant in candidates.iterator():
        cases = list(participant.cases.select_related("funding_round__funding_line"))
        if any(esf_retention_applies(c, today) for c in cases):
            continue
        if progress is not None:
            progress(participant.pseudonym)
        done.append(participant.pseudonym)
        if dry_run:
            continue
        with transaction.atomic():
            pk = participant.pk
            participant.delete()
            audit(
                actor=None,
                organisation=participant.organisation,
                action=AuditAction.ERASE,
                object_type="participant",
                object_id=str(pk),
                participant_id=pk,
                detail={"deleted_cases": [str(c.pk) for c in cases]},
            )
    return done


def _anonymise(participant: Participant, cases: list[Case]) -> None:
    dob = participant.date_of_birth
    for case in cases:
        case.goals.all().delete()
        case.contacts.all().delete()
        case.tasks.all().delete()
        case.referrals.update(message="", refusal_note="", outcome_note="")
        case.followups.update(note="")
        Case.objects.filter(pk=case.pk).update(dropout_note="", counsellor=None)
        for snapshot in case.eligibility_snapshots.all():
            profile = dict(snapshot.profile)
            if "birth_date" in profile:
                born = dt.date.fromisoformat(profile.pop("birth_date"))
                profile["age"] = age_on(born, snapshot.checked_on)
            EligibilitySnapshot.objects.filter(pk=snapshot.pk).update(profile=profile)
    participant.residence_statuses.all().delete()
    household = participant.household
    Participant.objects.filter(pk=participant.pk).update(
        given_name="",
        family_name="",
        date_of_birth=None,
        birth_year=dob.year if dob else participant.birth_year,
        phone="",
        email="",
        languages=[],
        citizenships=[],
        kreis="",
        household=None,
        household_relation="",
        anonymised_at=_now(),
        version=F("version") + 1,
        updated_at=_now(),
    )
    if household is not None and not household.members.exists():
        household.delete()
    participant.refresh_from_db()

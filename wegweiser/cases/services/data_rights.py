"""Data rights: the export of everything about a person (Art. 15, 20 GDPR), her erasure or
anonymisation (Art. 17 GDPR), and the deletion of anonymised records once their ESF
record-keeping period has ended (facts.md D.2; the period is computed in ``cases.retention``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from wegweiser.audit.models import AuditAction, AuditEntry
from wegweiser.audit.services import audit
from wegweiser.cases import display
from wegweiser.cases.models import Case, EligibilitySnapshot, EsfEntryData, Participant
from wegweiser.cases.retention import esf_retention_applies
from wegweiser.cases.services.actors import SYSTEM
from wegweiser.cases.services.base import compare_and_swap, log, now, require
from wegweiser.eligibility.facts import age_on

# --- the export ---------------------------------------------------------------------------------

#: What the export names of a person, a case, a check and a check-in (the readable page,
#: ``display``, shows the same rows in plain words).
PERSON_FIELDS = tuple(f for f in display.PERSON if f != "birth_year")
CASE_FIELDS = (
    "status",
    "entry_date",
    "exit_date",
    "work_start_date",
    "dropout_reason",
    "dropout_note",
    "created_at",
)
CHECK_FIELDS = (
    "checked_on",
    "catalogue_version",
    "programme_key",
    "round_key",
    "status",
    "reasons",
    "profile",
    "override_reason",
)
FOLLOWUP_FIELDS = (*display.FOLLOWUP, "note")


def participant_export(participant: Participant, *, by) -> dict[str, Any]:
    """Everything stored about the person (Art. 15, 20 GDPR), JSON-serialisable; logged."""
    require(by, participant.organisation, "participant.export")
    with transaction.atomic():
        document = _export_document(participant)
        log(by, AuditAction.EXPORT, participant, participant=participant)
    return document


def _iso(value):
    return value.isoformat() if value is not None else None


def _plain(value):
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _fields(obj, names) -> dict[str, Any]:
    return {f: _plain(getattr(obj, f)) for f in names}


def _rows(qs, names) -> list[dict[str, Any]]:
    return [_fields(obj, names) for obj in qs]


def _export_case(case: Case) -> dict[str, Any]:
    esf = EsfEntryData.objects.filter(case=case).first()
    return {
        "id": str(case.pk),
        "organisation": case.organisation.name,
        "project": case.project.name if case.project else None,
        "funding_round": str(case.funding_round) if case.funding_round else None,
        **_fields(case, CASE_FIELDS),
        "eligibility_checks": _rows(case.eligibility_snapshots.all(), CHECK_FIELDS),
        "esf_entry": None
        if esf is None
        else {
            f.name: _plain(getattr(esf, f.name))
            for f in EsfEntryData._meta.concrete_fields
            # the answers themselves, not the codes the database keeps for the reports
            if f.name not in ("id", "case", "recorded_by") and not f.generated
        },
        "goals": _rows(case.goals.all(), ("title", "target_date", "status")),
        "contacts": _rows(
            case.contacts.all(), ("date", "duration_minutes", "channel", "topics", "note")
        ),
        "tasks": _rows(case.tasks.all(), ("title", "due_date", "done_at")),
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
        "followups": _rows(case.followups.all(), FOLLOWUP_FIELDS),
    }


def _export_document(p: Participant) -> dict[str, Any]:
    accesses = [
        {"at": _iso(e.at), "action": e.action, "organisation": str(e.organisation_id)}
        for e in AuditEntry.objects.filter(participant_id=p.pk).order_by("at", "id")
    ]
    return {
        "exported_at": _iso(now()),
        "organisation": p.organisation.name,
        "person": _fields(p, PERSON_FIELDS),
        "residence_statuses": _rows(p.residence_statuses.all(), display.RESIDENCE),
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
        "cases": [
            _export_case(case)
            for case in p.cases.select_related("project", "funding_round", "organisation")
        ],
        "access_log": accesses,
    }


# --- erasure ------------------------------------------------------------------------------------


def _log_erased(by, organisation, pk, action: str, detail: dict[str, Any]) -> None:
    """The entry of a person who is gone: named by id only (no row left to point at)."""
    audit(
        actor=by,
        organisation=organisation,
        action=action,
        object_type="participant",
        object_id=str(pk),
        participant_id=pk,
        detail=detail,
    )


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
    require(by, organisation, "participant.erase")
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
    _log_erased(by, organisation, pk, action, detail)
    return outcome


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
    # The person's row is locked: an edit saved in the meantime waits, then finds the version
    # raised by the anonymisation (and is refused); the anonymisation itself never is.
    locked = Participant.objects.select_for_update().values_list("version", flat=True)
    compare_and_swap(
        participant,
        version=locked.get(pk=participant.pk),
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
        anonymised_at=now(),
    )
    if household is not None and not household.members.exists():
        household.delete()
    participant.refresh_from_db()


# --- the end of the record-keeping period -------------------------------------------------------


def purge_expired_records(
    *, by=SYSTEM, today: dt.date | None = None, dry_run: bool = False, progress=None
) -> list[str]:
    """Delete anonymised participants whose ESF record-keeping period has ended (facts D.2).

    An anonymised person is kept only as the ESF record of cases within their period; once no
    case of the person is within it (the managing authority's last payment plus five years, or
    a later ``held_until``), the person and the cases go. Each deletion is its own transaction
    with an ``erase`` audit entry (actor: the system). ``progress(pseudonym)`` is called per
    person. Returns the pseudonyms deleted (or, with ``dry_run``, that would be). The
    platform's own work (``wegweiser purge_expired_records``), so ``by`` is ``SYSTEM``.
    """
    require(by, None, "participant.purge")
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
            _log_erased(
                by,
                participant.organisation,
                pk,
                AuditAction.ERASE,
                {"deleted_cases": [str(c.pk) for c in cases]},
            )
    return done

"""The ESF Plus entry and exit questionnaires of a case (facts.md A)."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wegweiser.audit.models import AuditAction
from wegweiser.cases.errors import ConcurrentEdit, InvalidData, MissingData
from wegweiser.cases.models import (
    EXIT_SITUATIONS,
    Case,
    EsfEntryData,
    EsfExitData,
    Participant,
    YesNoNoAnswer,
)
from wegweiser.cases.services.base import compare_and_swap, log, require
from wegweiser.eligibility.facts import EU_MEMBER_STATES, age_on


def _labels(model, fields) -> str:
    return ", ".join(str(model._meta.get_field(f).verbose_name) for f in fields)


def _check_answers(answers) -> None:
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


def _check_record(participant: Participant) -> None:
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


@transaction.atomic
def esf_entry_save(
    case: Case,
    *,
    by,
    collected_on: dt.date | None = None,
    version: int | None = None,
    **answers,
) -> EsfEntryData:
    """Create or replace the ESF Plus entry questionnaire of ``case`` (facts.md A).

    ``version`` is the questionnaire's version the user saw, ``0`` for "there was none": a save
    after someone else's (or a second creation) raises :class:`ConcurrentEdit` and changes
    nothing. Left out, the stored version is used (no protection: for scripts only).
    """
    require(by, case.organisation, "case.edit")
    participant = case.participant
    _check_answers(answers)
    _check_record(participant)
    collected_on = collected_on or timezone.localdate()
    entry_day = case.entry_date or collected_on
    values = {
        "long_term_unemployed": None,
        **answers,
        "collected_on": collected_on,
        "gender": participant.gender,
        "kreis": participant.kreis,
        "age_at_entry": age_on(participant.date_of_birth, entry_day),
        "third_country_national": not any(c in EU_MEMBER_STATES for c in participant.citizenships),
        "recorded_by": by,
    }
    entry = EsfEntryData.objects.filter(case=case).first()
    created = entry is None
    if created:
        if version not in (None, 0):
            raise ConcurrentEdit()
        try:
            with transaction.atomic():
                entry = EsfEntryData.objects.create(case=case, version=1, **values)
        except IntegrityError:
            raise ConcurrentEdit() from None
    else:
        compare_and_swap(entry, version=version, **values)
    log(by, AuditAction.CREATE if created else AuditAction.UPDATE, entry, case=case)
    return entry


def _check_exit_answers(case: Case, answers) -> dict:
    unknown = set(answers) - {k for s in EXIT_SITUATIONS for k in (s, f"{s}_on")}
    if unknown:
        raise InvalidData(_("Unbekannte Angaben: %(keys)s"), keys=", ".join(sorted(unknown)))
    missing = [s for s in EXIT_SITUATIONS if answers.get(s) in (None, "")]
    if missing:
        raise MissingData(
            _("Es fehlen Antworten: %(fields)s."),
            fields=_labels(EsfExitData, missing),
            missing=[(k, "form") for k in missing],
        )
    values = {}
    for situation in EXIT_SITUATIONS:
        answer, day = answers[situation], answers.get(f"{situation}_on")
        if answer not in YesNoNoAnswer.values:
            raise InvalidData()
        if answer == YesNoNoAnswer.YES and day is None:
            raise MissingData(
                _("Bitte geben Sie das Datum an: %(fields)s."),
                fields=_labels(EsfExitData, [f"{situation}_on"]),
                missing=[(f"{situation}_on", "form")],
            )
        if answer != YesNoNoAnswer.YES:
            day = None
        if day and case.entry_date and day < case.entry_date:
            raise InvalidData(_("Ein Datum liegt vor dem Eintritt."))
        if day and day > timezone.localdate():
            raise InvalidData(_("Ein Datum liegt in der Zukunft."))
        values[situation], values[f"{situation}_on"] = answer, day
    return values


@transaction.atomic
def esf_exit_save(
    case: Case,
    *,
    by,
    collected_on: dt.date | None = None,
    version: int | None = None,
    **answers,
) -> EsfExitData:
    """Create or replace the ESF Plus exit questionnaire of ``case`` (facts.md A.4).

    Only a case with an exit date has one. Each situation is yes / no / "keine Angabe"; a yes
    carries the day it began. ``version`` as in :func:`esf_entry_save`.
    """
    require(by, case.organisation, "case.edit")
    if case.exit_date is None:
        raise InvalidData(_("Der Austrittsfragebogen gehört zum Austritt: der Fall hat keinen."))
    values = {
        **_check_exit_answers(case, answers),
        "collected_on": collected_on or timezone.localdate(),
        "recorded_by": by,
    }
    exit_data = EsfExitData.objects.filter(case=case).first()
    created = exit_data is None
    if created:
        if version not in (None, 0):
            raise ConcurrentEdit()
        try:
            with transaction.atomic():
                exit_data = EsfExitData.objects.create(case=case, version=1, **values)
        except IntegrityError:
            raise ConcurrentEdit() from None
    else:
        compare_and_swap(exit_data, version=version, **values)
    log(by, AuditAction.CREATE if created else AuditAction.UPDATE, exit_data, case=case)
    return exit_data

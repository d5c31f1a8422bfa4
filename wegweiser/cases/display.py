"""A person's stored data in plain words, for the pages people read (the HTML "Auskunft").

The JSON export (``services.participant_export``) keeps the stored codes, as a machine-readable
copy should (Art. 20 GDPR); the page shows the same rows with the fields' names and the labels
of their values: "Staatsangehörigkeiten: Syrien" instead of ``citizenships: ["SY"]``. The
export takes its lists of a person's, a residence entry's and a check-in's fields from here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.utils import formats
from django.utils.translation import gettext as _

from wegweiser.core import labels
from wegweiser.core.i18n import join_list, language_list, pick

#: Fields whose stored codes have a label function of their own.
_CODES = {
    "languages": lambda v: language_list(labels.language_name(c) for c in v or []),
    "citizenships": lambda v: join_list(labels.country_name(c) for c in v or []),
    "kreis": labels.kreis_name,
    "section": labels.residence_section,
    "offset": labels.offset_label,
}


def value_label(obj: models.Model, name: str) -> str:
    """The value of ``obj.name`` as a person reads it ("–" when empty)."""
    field = obj._meta.get_field(name)
    value = getattr(obj, name)
    if value in (None, "", [], {}):
        return "–"
    if name in _CODES:
        return _CODES[name](value) or "–"
    if name == "shared_fields":
        from wegweiser.cases.models import SharedField

        choices = dict(SharedField.choices)
        return ", ".join(str(choices.get(v, v)) for v in value)
    if getattr(field, "choices", None):
        return str(getattr(obj, f"get_{name}_display")())
    if isinstance(value, bool):
        return _("ja") if value else _("nein")
    if isinstance(value, dt.datetime):
        return formats.date_format(value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def rows(obj: models.Model, names: tuple[str, ...]) -> list[tuple[str, str]]:
    """``(field name, value)`` pairs of ``obj`` in plain words."""
    return [(str(obj._meta.get_field(n).verbose_name), value_label(obj, n)) for n in names]


PERSON = (
    "pseudonym",
    "given_name",
    "family_name",
    "date_of_birth",
    "birth_year",
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
RESIDENCE = ("title", "section", "valid_from", "valid_to", "work_ban")
CONSENT = ("purpose", "recipient", "shared_fields", "given_on", "channel", "text_version")
CASE = ("organisation", "status", "project", "entry_date", "work_start_date", "exit_date")
FOLLOWUP = (
    "offset",
    "due_date",
    "done_at",
    "still_in_work_or_training",
    "dropout_risk",
    "long_term_result",
)


def participant_display(participant) -> dict[str, Any]:
    """Everything stored about ``participant`` in plain words (read through a scoped selector
    by the caller; this function only formats)."""
    from wegweiser.audit.models import AuditEntry
    from wegweiser.cases.models import EsfEntryData

    cases = []
    for case in participant.cases.select_related("project", "funding_round", "organisation"):
        esf = EsfEntryData.objects.filter(case=case).first()
        esf_fields = [
            f.name
            for f in EsfEntryData._meta.concrete_fields
            if f.name not in ("id", "case", "recorded_by", "version", "updated_at")
            and not f.generated  # the codes the database keeps for the reports
        ]
        cases.append(
            {
                "rows": rows(case, CASE) + rows(case, ("dropout_reason", "dropout_note")),
                "round": round_title(case.funding_round),
                "esf": rows(esf, tuple(esf_fields)) if esf else [],
                "goals": [rows(g, ("title", "target_date", "status")) for g in case.goals.all()],
                "contacts": [
                    rows(k, ("date", "duration_minutes", "channel", "topics", "note"))
                    for k in case.contacts.all()
                ],
                "tasks": [rows(t, ("title", "due_date", "done_at")) for t in case.tasks.all()],
                "referrals": [
                    {
                        "offer": pick(r.offer.name),
                        "rows": rows(r, ("receiving_organisation", "status", "sent_at")),
                    }
                    for r in case.referrals.select_related("receiving_organisation", "offer")
                ],
                "followups": [rows(f, FOLLOWUP) for f in case.followups.all()],
            }
        )
    return {
        "person": rows(participant, PERSON),
        "residence_statuses": [rows(r, RESIDENCE) for r in participant.residence_statuses.all()],
        "consents": [
            rows(c, CONSENT) + rows(c, ("withdrawn_at",))
            for c in participant.consents.select_related("recipient")
        ],
        "cases": cases,
        "access_log": [
            rows(e, ("at", "action", "organisation"))
            for e in AuditEntry.objects.filter(participant_id=participant.pk)
            .select_related("organisation")
            .order_by("at", "id")
        ],
    }


def round_title(funding_round) -> str:
    """``Win-Win – Durch Kooperation zur Integration, 2. Förderrunde (2024–2027)`` (the round's
    name carries its years)."""
    if funding_round is None:
        return ""
    return f"{pick(funding_round.programme.name)}, {pick(funding_round.name)}"

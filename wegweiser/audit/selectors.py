"""Reads of the audit log. The role check is the caller's (the data-protection officer's page:
``cases.selectors.audit_rows``); these functions only read and put entries into plain words."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.db.models import QuerySet

from wegweiser.audit.models import AuditEntry


def entries_of(organisation) -> QuerySet[AuditEntry]:
    """The entries written for ``organisation`` (newest first)."""
    return AuditEntry.objects.filter(organisation=organisation)


@cache
def subject_models() -> dict[str, type]:
    """Each model by the name an entry's ``object_type`` stores (unique: ``audit.E001``)."""
    return {m._meta.model_name: m for m in apps.get_models()}


def subject_label(object_type: str) -> str:
    """The kind of an entry's subject in the active language ("Einwilligung"); the stored name
    for a model that no longer exists."""
    model = subject_models().get(object_type)
    return str(model._meta.verbose_name) if model is not None else object_type


@dataclass(frozen=True)
class AuditRow:
    """One audit entry as the data-protection officer reads it: no ids, no names."""

    at: dt.datetime
    actor: str  # the user's name or username; "" for the self-check, a link or the system
    action: str  # translated
    object_label: str  # the kind of object, translated ("Einwilligung")
    pseudonym: str  # the person's report number; "" for entries about no person
    erased: bool  # the person has since been deleted


def readable(entries: list[AuditEntry], pseudonyms: Mapping[uuid.UUID, str]) -> list[AuditRow]:
    """``entries`` in plain words; the person by ``pseudonyms`` (her id → report number), and
    marked erased when an entry names a person who is not there any more."""
    rows = []
    for e in entries:
        actor = (e.actor.get_full_name() or e.actor.username) if e.actor else ""
        rows.append(
            AuditRow(
                at=e.at,
                actor=actor,
                action=e.get_action_display(),
                object_label=subject_label(e.object_type),
                pseudonym=pseudonyms.get(e.participant_id, ""),
                erased=bool(e.participant_id) and e.participant_id not in pseudonyms,
            )
        )
    return rows

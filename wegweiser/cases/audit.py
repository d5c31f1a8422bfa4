"""Writing the audit log. Entries name objects by id, never a person by name.

The log is append-only and kept long, so its ``detail`` may hold only what is not personal data
in itself: an allow-list of keys, each with a check of its value (ids, statuses and other values
from fixed lists, field names, booleans). Names, contact data, notes, free text and reasons (a
drop-out's reason can be health or residence, Art. 9 GDPR) are refused; a service logs
``reason_recorded: true`` instead of a reason.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

from wegweiser.accounts.models import Role
from wegweiser.cases.models import (
    AuditEntry,
    CaseStatus,
    ConsentPurpose,
    EligibilityStatus,
    FollowUp,
    Goal,
    HouseholdRelation,
    ReferralOutcome,
    ReferralStatus,
)


def _is_uuid(value: Any) -> bool:
    if value is None:
        return True
    if not isinstance(value, str):
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _matches(pattern: str) -> Callable[[Any], bool]:
    compiled = re.compile(pattern)
    return lambda value: isinstance(value, str) and compiled.fullmatch(value) is not None


def _one_of(*choices) -> Callable[[Any], bool]:
    allowed = frozenset(v for c in choices for v in c.values)
    return lambda value: value in allowed


def _list_of(check: Callable[[Any], bool]) -> Callable[[Any], bool]:
    return lambda value: isinstance(value, list | tuple) and all(check(v) for v in value)


def _is_bool(value: Any) -> bool:
    return isinstance(value, bool)


_FIELD_NAME = _matches(r"[a-z][a-z_]{0,39}")

#: The keys an entry's detail may have, with the check of the value. Anything else is refused.
DETAIL_KEYS: dict[str, Callable[[Any], bool]] = {
    "by_link": _is_bool,
    "done": _is_bool,
    "reason_recorded": _is_bool,
    "counsellor": lambda v: v is None or (isinstance(v, int) and not isinstance(v, bool)),
    "eligibility": _one_of(EligibilityStatus),
    "fields": _list_of(_FIELD_NAME),
    "from": _one_of(CaseStatus),
    "to": _one_of(CaseStatus),
    "status": _one_of(CaseStatus, ReferralStatus, Goal.Status, EligibilityStatus),
    "household": _is_uuid,
    "project": _is_uuid,
    "recipient": _is_uuid,
    "consent": _is_uuid,
    "referral": _is_uuid,
    "link": _is_uuid,
    "kept_cases": _list_of(_is_uuid),
    "deleted_cases": _list_of(_is_uuid),
    "offset": _matches(r"\d{1,3}[dwm]"),
    "outcome": _one_of(ReferralOutcome),
    "purpose": _one_of(ConsentPurpose),
    "relation": _one_of(HouseholdRelation),
    "round": _matches(r"[a-z0-9][a-z0-9._/-]{0,63}"),
    "rules": _list_of(_matches(r"[a-z0-9][a-z0-9._/-]{0,127}")),
    "situation": _one_of(FollowUp.Situation),
    "text_version": _matches(r"[\w.\-/ ]{0,40}"),
    # platform administration (accounts/services.py): role values, never a name or an address
    "roles": _list_of(_one_of(Role)),
    "previous_roles": _list_of(_one_of(Role)),
    "new_account": _is_bool,
    # the directory (directory/services.py, directory/import_writer.py): the import a write came
    # from, an offer's new status (the keys of directory.models.Offer.STATUS_CHOICES)
    "imported_from": lambda v: v in {"csv", "hsds"},
    "offer_status": lambda v: v in {"draft", "published", "inactive"},
}


def _check_detail(detail: Any) -> None:
    """Refuse a detail with a key outside :data:`DETAIL_KEYS` or a value its check refuses."""
    if not isinstance(detail, dict):
        raise ValueError("audit detail must be a dict")
    for key, value in detail.items():
        check = DETAIL_KEYS.get(key)
        if check is None:
            raise ValueError(f"audit detail must not contain {key!r}")
        if not check(value):
            raise ValueError(f"audit detail {key!r} has a value that is not allowed")


def audit(
    *,
    actor,
    organisation,
    action: str,
    obj=None,
    object_type: str = "",
    object_id: str = "",
    participant_id=None,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry. ``obj`` gives object type and id; an anonymous actor is stored as None."""
    detail = detail or {}
    _check_detail(detail)
    if obj is not None:
        object_type = object_type or obj._meta.model_name
        object_id = object_id or str(obj.pk)
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEntry.objects.create(
        actor=actor,
        organisation=organisation,
        action=action,
        object_type=object_type,
        object_id=object_id,
        participant_id=participant_id,
        detail=detail,
    )

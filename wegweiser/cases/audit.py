"""Writing the audit log. Entries name objects by id, never a person by name."""

from __future__ import annotations

from typing import Any

from wegweiser.cases.models import AuditEntry

#: Keys that must never appear in an entry's detail: names, contact data, notes and the
#: special-category answers (disability, minority; Art. 9 GDPR).
FORBIDDEN_DETAIL_KEYS = frozenset(
    {
        "given_name",
        "family_name",
        "name",
        "date_of_birth",
        "phone",
        "email",
        "note",
        "message",
        "disability",
        "minority",
        "health",
    }
)


def _check_detail(detail: Any) -> None:
    if isinstance(detail, dict):
        for key, value in detail.items():
            if key in FORBIDDEN_DETAIL_KEYS:
                raise ValueError(f"audit detail must not contain {key!r}")
            _check_detail(value)
    elif isinstance(detail, list | tuple):
        for value in detail:
            _check_detail(value)


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

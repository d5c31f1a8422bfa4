"""Writing the audit log: :func:`audit` is the one writer. Entries name objects by id, never a
person by name; ``detail`` passes the allow-list of :mod:`wegweiser.audit.detail`.

Services log their writes here; reads of personal data go through :mod:`wegweiser.audit.reads`
(once per request), called by the selectors that hand out a person's data.
"""

from __future__ import annotations

from typing import Any

from wegweiser.audit import chain
from wegweiser.audit.detail import check_detail
from wegweiser.audit.models import AuditEntry


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
    """Append one entry about ``obj`` (any model's row: its model name and primary key are the
    subject), or about ``object_type``/``object_id`` given as such. ``participant_id`` names the
    person the entry concerns, if any; an anonymous actor is stored as None. The entry joins the
    hash chain (:mod:`wegweiser.audit.chain`)."""
    detail = detail or {}
    check_detail(detail)
    if obj is not None:
        object_type = object_type or obj._meta.model_name
        object_id = object_id or str(obj.pk)
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return chain.append(
        actor=actor,
        organisation=organisation,
        action=action,
        object_type=object_type,
        object_id=object_id,
        participant_id=participant_id,
        detail=detail,
    )

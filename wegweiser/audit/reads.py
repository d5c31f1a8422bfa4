"""Reads of personal data in the audit log: one entry per object, action and request.

The one mechanism (``docs/cases.md``, "Reads in the audit log"): the selector that hands out a
person's data for a page calls :func:`read` (``cases.selectors.participant_get``, ``case_get``,
``participant_shown``, ``case_shown``, ``referral_inbox_get``); views never write the log. Within
one request a registry (a context variable, set up by :class:`ReadsOncePerRequest`) remembers
what was logged, so that a page reading the same file twice logs it once. Outside a request
(commands, tests calling selectors) every read is logged.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from wegweiser.audit.models import AuditAction
from wegweiser.audit.services import audit

#: (action, object type, object id) already logged in this request; None outside a request.
_logged: ContextVar[set[tuple[str, str, str]] | None] = ContextVar(
    "wegweiser_audit_reads", default=None
)


def read(
    *,
    actor,
    organisation,
    obj,
    participant_id=None,
    action: str = AuditAction.VIEW,
    detail: dict[str, Any] | None = None,
) -> None:
    """Log that ``actor`` read ``obj`` (for the person ``participant_id``), once per request."""
    key = (str(action), obj._meta.model_name, str(obj.pk))
    logged = _logged.get()
    if logged is not None:
        if key in logged:
            return
        logged.add(key)
    audit(
        actor=actor,
        organisation=organisation,
        action=action,
        obj=obj,
        participant_id=participant_id,
        detail=detail,
    )


class ReadsOncePerRequest:
    """Middleware: a fresh registry of logged reads for each request (see the module)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _logged.set(set())
        try:
            return self.get_response(request)
        finally:
            _logged.reset(token)

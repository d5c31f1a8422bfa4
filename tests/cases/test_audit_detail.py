"""The audit log's detail holds no personal data: an allow-list of keys and values."""

from __future__ import annotations

import json

import pytest

from tests.cases.conftest import ENTRY
from wegweiser.audit.models import AuditEntry
from wegweiser.audit.services import audit
from wegweiser.cases import services
from wegweiser.cases.models import DropoutReason


@pytest.mark.parametrize(
    "detail",
    [
        {"family_name": "x"},
        {"nested": [{"disability": "yes"}]},
        {"reason": "health"},
        {"reason": DropoutReason.RESIDENCE},
        {"note": "krank"},
        {"status": "health"},
        {"from": "clearing", "to": "Amina Haddad"},
        {"fields": ["name", "Amina Haddad"]},
        {"recipient": "not a uuid"},
        {"reason_recorded": "health"},
        {"offset": "6m", "dropout_risk": "high"},
    ],
)
def test_audit_detail_refuses_keys_and_values_outside_the_allow_list(detail):
    with pytest.raises(ValueError):
        audit(actor=None, organisation=None, action="view", detail=detail)


def test_audit_detail_accepts_the_allowed_keys(db):
    entry = audit(
        actor=None,
        organisation=None,
        action="transition",
        detail={"from": "clearing", "to": "dropped_out", "reason_recorded": True},
    )
    assert entry.detail["reason_recorded"] is True


@pytest.mark.parametrize("reason", [DropoutReason.HEALTH, DropoutReason.RESIDENCE])
def test_drop_out_logs_that_a_reason_was_recorded_not_the_reason(active_case, counsellor, reason):
    services.case_drop_out(active_case, by=counsellor, reason=reason, exit_date=ENTRY)
    entry = AuditEntry.objects.filter(action="transition").latest("at")
    assert entry.detail == {"from": "active", "to": "dropped_out", "reason_recorded": True}
    assert reason not in json.dumps([e.detail for e in AuditEntry.objects.all()])

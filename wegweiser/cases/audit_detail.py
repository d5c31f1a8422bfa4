"""The keys of the case management's audit entries (``wegweiser.audit.detail`` explains the
allow-list): ids, statuses and other values from fixed lists, never a name, a note or a reason.
Registered when the app starts (``CasesConfig.ready``)."""

from __future__ import annotations

from wegweiser.audit.detail import is_bool, is_uuid, list_of, matches, one_of, register
from wegweiser.cases.models import (
    CaseStatus,
    ConsentPurpose,
    EligibilityStatus,
    FollowUp,
    Goal,
    HouseholdRelation,
    ReferralOutcome,
    ReferralStatus,
)

DETAIL_KEYS = {
    "by_link": is_bool,
    "done": is_bool,
    "counsellor": lambda v: v is None or (isinstance(v, int) and not isinstance(v, bool)),
    "eligibility": one_of(EligibilityStatus),
    "from": one_of(CaseStatus),
    "to": one_of(CaseStatus),
    "status": one_of(CaseStatus, ReferralStatus, Goal.Status, EligibilityStatus),
    "household": is_uuid,
    "project": is_uuid,
    "recipient": is_uuid,
    "consent": is_uuid,
    "referral": is_uuid,
    "link": is_uuid,
    "kept_cases": list_of(is_uuid),
    "deleted_cases": list_of(is_uuid),
    "offset": matches(r"\d{1,3}[dwm]"),
    "outcome": one_of(ReferralOutcome),
    "purpose": one_of(ConsentPurpose),
    "relation": one_of(HouseholdRelation),
    "round": matches(r"[a-z0-9][a-z0-9._/-]{0,63}"),
    "rules": list_of(matches(r"[a-z0-9][a-z0-9._/-]{0,127}")),
    "situation": one_of(FollowUp.Situation),
    "text_version": matches(r"[\w.\-/ ]{0,40}"),
}


def register_detail_keys() -> None:
    register("cases", DETAIL_KEYS)

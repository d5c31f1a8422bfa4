"""Case management: participants, consent, cases, case plans, referrals, follow-ups.

The most sensitive data of the platform. Every model holding personal data has an
``organisation`` or reaches one in a single hop (``participant.organisation``,
``case.organisation``). Reads go through :mod:`wegweiser.cases.selectors` (organisation-scoped,
audit-logged), writes through :mod:`wegweiser.cases.services`. See ``docs/cases.md``.

One module per sub-area; every name is importable from here (``wegweiser.cases.models.Case``),
which is also where the migrations find ``new_pseudonym``. The tables and the app label are the
ones of the single ``models.py`` this package replaced.
"""

from wegweiser.cases.models.cases import (
    CASE_TRANSITIONS,
    ENROLLED_STATUSES,
    OPEN_STATUSES,
    Case,
    CaseStatus,
    DropoutReason,
    EligibilitySnapshot,
    EligibilityStatus,
)
from wegweiser.cases.models.consent import Consent, ConsentChannel, ConsentPurpose, SharedField
from wegweiser.cases.models.esf import (
    EXIT_SITUATIONS,
    EsfEntryData,
    EsfExitData,
    ProjectRecordKeeping,
    YesNoNoAnswer,
)
from wegweiser.cases.models.followup import DropoutRisk, FollowUp, FollowUpReminder
from wegweiser.cases.models.participants import (
    PSEUDONYM_ALPHABET,
    Gender,
    Household,
    HouseholdRelation,
    Participant,
    ResidenceStatus,
    new_pseudonym,
)
from wegweiser.cases.models.plan import ContactEntry, Goal, Task
from wegweiser.cases.models.referrals import (
    REFERRAL_TRANSITIONS,
    Referral,
    ReferralLink,
    ReferralOutcome,
    ReferralStatus,
    RefusalReason,
)

__all__ = [
    "CASE_TRANSITIONS",
    "ENROLLED_STATUSES",
    "OPEN_STATUSES",
    "PSEUDONYM_ALPHABET",
    "REFERRAL_TRANSITIONS",
    "Case",
    "CaseStatus",
    "Consent",
    "ConsentChannel",
    "ConsentPurpose",
    "ContactEntry",
    "DropoutReason",
    "DropoutRisk",
    "EligibilitySnapshot",
    "EligibilityStatus",
    "EXIT_SITUATIONS",
    "EsfEntryData",
    "EsfExitData",
    "FollowUp",
    "FollowUpReminder",
    "Gender",
    "Goal",
    "Household",
    "HouseholdRelation",
    "Participant",
    "ProjectRecordKeeping",
    "Referral",
    "ReferralLink",
    "ReferralOutcome",
    "ReferralStatus",
    "RefusalReason",
    "ResidenceStatus",
    "SharedField",
    "Task",
    "YesNoNoAnswer",
    "new_pseudonym",
]

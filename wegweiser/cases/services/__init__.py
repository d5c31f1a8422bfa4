"""Writes of case data: one function per operation, atomic, permission-checked, audit-logged.

One module per sub-area (``participants``, ``consent``, ``workflow``, ``enrolment``, ``esf``,
``plan``, ``followup``, ``referrals``, ``referrals_received``, ``data_rights``, ``intake``);
every service is importable from here (``services.case_open``), which is how the views, the
API, the demo and other apps call them. ``base`` holds what they share (the role check, the one
compare-and-swap, the audit entry of a write), ``actors`` the system actor.

The rules every service follows (docs/architecture.md, "Services and selectors"):

- Its only positional parameter is the object it acts on (``case_close(case, *, by, ...)``);
  a service that creates something at an organisation, or acts on no object, has none
  (``participant_create(*, by, organisation, ...)``). Everything else is keyword-only.
- ``by`` is the acting user, checked again here against her roles in the object's organisation
  (:class:`~wegweiser.cases.errors.NotAllowed`), or ``actors.SYSTEM`` for the few writes no user
  makes; ``organisation=`` is given where there is no object to take it from.
- A write to a row someone else may have saved in between compares and swaps with
  :func:`~wegweiser.cases.services.base.compare_and_swap`: the ``version`` the user saw, or the
  state the row must still be in; when another save came first, nothing changes and
  :class:`~wegweiser.cases.errors.ConcurrentEdit` (or the service's own message) is raised.
"""

from wegweiser.cases.services.actors import SYSTEM
from wegweiser.cases.services.consent import consent_record, consent_withdraw
from wegweiser.cases.services.data_rights import (
    participant_erase,
    participant_export,
    purge_expired_records,
)
from wegweiser.cases.services.enrolment import enrol
from wegweiser.cases.services.esf import esf_entry_save, esf_exit_save
from wegweiser.cases.services.followup import (
    FOLLOWUP_EARLY_DAYS,
    followup_record,
)
from wegweiser.cases.services.intake import Intake, contact_request_intake
from wegweiser.cases.services.participants import (
    household_link,
    participant_create,
    participant_update,
    residence_status_record,
)
from wegweiser.cases.services.plan import (
    contact_create,
    goal_create,
    goal_set_status,
    task_create,
    task_done,
)
from wegweiser.cases.services.referrals import (
    referral_create,
    referral_link_create,
    referral_send,
    referral_withdraw,
    referrals_expire,
)
from wegweiser.cases.services.referrals_received import (
    referral_accept,
    referral_answer_by_link,
    referral_case_open,
    referral_complete,
    referral_link_view,
    referral_refuse,
)
from wegweiser.cases.services.workflow import (
    case_assign,
    case_close,
    case_drop_out,
    case_open,
    case_start_clearing,
    case_start_followup,
)

__all__ = [
    "FOLLOWUP_EARLY_DAYS",
    "SYSTEM",
    "Intake",
    "case_assign",
    "case_close",
    "case_drop_out",
    "case_open",
    "case_start_clearing",
    "case_start_followup",
    "consent_record",
    "consent_withdraw",
    "contact_create",
    "contact_request_intake",
    "enrol",
    "esf_entry_save",
    "esf_exit_save",
    "followup_record",
    "goal_create",
    "goal_set_status",
    "household_link",
    "participant_create",
    "participant_erase",
    "participant_export",
    "participant_update",
    "purge_expired_records",
    "referral_accept",
    "referral_answer_by_link",
    "referral_case_open",
    "referral_complete",
    "referral_create",
    "referral_link_create",
    "referral_link_view",
    "referral_refuse",
    "referral_send",
    "referral_withdraw",
    "referrals_expire",
    "residence_status_record",
    "task_create",
    "task_done",
]

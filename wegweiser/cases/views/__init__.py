"""Case-management pages: thin views over ``cases.selectors`` (reads) and ``cases.services``.

One module per sub-area, as the services; ``common`` holds what they share. Every view is
wrapped in :func:`~wegweiser.core.access.requires`: a login, then the permissions table for the
roles of the current organisation, before anything else (403 without the role). A page showing
a person's data logs the read through the selectors (``participant_shown``, ``case_shown``; once
per request), never itself. Objects are loaded only through the organisation-scoped selectors,
so another organisation's object answers 404 exactly like a missing one. Every change is a POST
calling one service; a refused operation (:class:`~wegweiser.cases.errors.CaseError`) is shown
on the form it came from and changes nothing. The one public page is the single-use answer link
for partners without an account. ``cases/urls.py`` names every view from here.
"""

from wegweiser.cases.views.cases import case_detail
from wegweiser.cases.views.consent import consent_add, consent_withdraw
from wegweiser.cases.views.data_rights import (
    participant_erase,
    participant_export_html,
    participant_export_json,
)
from wegweiser.cases.views.esf import esf_entry, esf_exit
from wegweiser.cases.views.followup import followup_record
from wegweiser.cases.views.participants import (
    household_link,
    participant_detail,
    participant_edit,
    participant_new,
    residence_add,
)
from wegweiser.cases.views.plan import contact_add, goal_add, goal_status, task_add, task_done
from wegweiser.cases.views.referrals import (
    referral_link,
    referral_new,
    referral_send,
    referral_withdraw,
)
from wegweiser.cases.views.referrals_received import (
    inbox,
    link_answer,
    received_accept,
    received_complete,
    received_detail,
    received_open_case,
    received_refuse,
)
from wegweiser.cases.views.start import audit_log, start
from wegweiser.cases.views.workflow import (
    case_assign,
    case_clearing,
    case_close,
    case_drop_out,
    case_enrol,
    case_followup,
    case_open,
)

__all__ = [
    "audit_log",
    "case_assign",
    "case_clearing",
    "case_close",
    "case_detail",
    "case_drop_out",
    "case_enrol",
    "case_followup",
    "case_open",
    "consent_add",
    "consent_withdraw",
    "contact_add",
    "esf_entry",
    "esf_exit",
    "followup_record",
    "goal_add",
    "goal_status",
    "household_link",
    "inbox",
    "link_answer",
    "participant_detail",
    "participant_edit",
    "participant_erase",
    "participant_export_html",
    "participant_export_json",
    "participant_new",
    "received_accept",
    "received_complete",
    "received_detail",
    "received_open_case",
    "received_refuse",
    "referral_link",
    "referral_new",
    "referral_send",
    "referral_withdraw",
    "residence_add",
    "start",
    "task_add",
    "task_done",
]

"""The counts of new work on the staff start page (what the mails of ``services/notify.py``
announce): read through the organisation-scoped selectors."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from wegweiser.accounts.permissions import user_can
from wegweiser.cases import selectors as cases
from wegweiser.cases.models import CaseStatus, ReferralStatus

#: An answer to one of the user's referrals counts as new this many days.
ANSWERED_RECENTLY_DAYS = 7


@dataclass(frozen=True)
class StartCounts:
    new_contacts: int = 0
    referrals_received: int = 0
    referrals_answered: int = 0
    followups_due: int = 0

    @property
    def total(self) -> int:
        return (
            self.new_contacts
            + self.referrals_received
            + self.referrals_answered
            + self.followups_due
        )


def start_counts(user, organisation, today: dt.date | None = None) -> StartCounts | None:
    """New contact requests nobody took over, referrals waiting for an answer, answers to the
    user's referrals of the last days, and the user's check-ins due today or overdue. ``None``
    for roles that do no casework."""
    if organisation is None or not user_can(user, organisation, "case.view"):
        return None
    today = today or timezone.localdate()
    new_contacts = (
        cases.unassigned_cases(user, organisation)
        .filter(status=CaseStatus.FIRST_CONTACT, contact_requests__isnull=False)
        .distinct()
        .count()
    )
    received = 0
    if user_can(user, organisation, "referral.receive"):
        received = (
            cases.referrals_received(user, organisation).filter(status=ReferralStatus.SENT).count()
        )
    since = timezone.now() - dt.timedelta(days=ANSWERED_RECENTLY_DAYS)
    answered = (
        cases.referrals_outbox(user, organisation)
        .filter(case__counsellor=user, answered_at__gte=since)
        .count()
    )
    due = (
        cases.followups_due_today(user, organisation, today).count()
        + cases.followups_overdue(user, organisation, today).count()
    )
    return StartCounts(new_contacts, received, answered, due)

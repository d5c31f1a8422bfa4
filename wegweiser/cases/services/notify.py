"""Notifications of new case work: scheduled after the writing transaction commits.

The services that create the event call one of the ``*_notify`` functions inside their
transaction; the mail goes out only once the transaction has committed
(``core.commit.after_commit``: a failing mail server is logged and never undoes or
breaks the write). The daily command ``notify_due_followups`` mails the check-ins that are due,
each one once. Every mail names no person (``notifications/mail.py``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.utils import timezone

from wegweiser.accounts import recipients
from wegweiser.cases.models import FollowUp, FollowUpReminder, Referral, ReferralStatus
from wegweiser.core.commit import after_commit
from wegweiser.core.i18n import pick
from wegweiser.notifications import mail


def contact_request_notify(*, organisation, reference: str, case_id) -> None:
    """A new contact request from the self-check: its organisation's counsellors and team leads
    get its reference number and a link to the case."""
    after_commit(
        mail.send,
        "contact_request",
        recipients.caseworkers(organisation),
        context={"reference": reference, "organisation": organisation.name},
        url=("cases:case", {"case_id": case_id}),
    )


def referral_received_notify(referral: Referral) -> None:
    """A referral was sent: the receiving organisation's counsellors and team leads."""
    after_commit(_referral_received, referral.pk)


def referral_answered_notify(referral: Referral) -> None:
    """A referral was accepted or refused: the counsellor of the sending case."""
    after_commit(_referral_answered, referral.pk)


def _referral_received(referral_id) -> None:
    referral = (
        Referral.objects.select_related("offer", "sending_organisation", "receiving_organisation")
        .filter(pk=referral_id)
        .first()
    )
    if referral is None:
        return
    mail.send(
        "referral_received",
        recipients.caseworkers(referral.receiving_organisation),
        context={
            "organisation": referral.receiving_organisation.name,
            "sender": referral.sending_organisation.name,
            "offer": pick(referral.offer.name),
        },
        url=("cases:received", {"referral_id": referral.pk}),
    )


def answer_recipient(referral: Referral):
    """Who hears of an answer: the case's counsellor, else whoever created the referral, as long
    as they still do casework at the sending organisation; else its team leads."""
    organisation = referral.sending_organisation
    for user in (referral.case.counsellor, referral.created_by):
        if recipients.is_caseworker(user, organisation):
            return [user]
    return list(recipients.team_leads(organisation))


def _referral_answered(referral_id) -> None:
    referral = (
        Referral.objects.select_related(
            "offer",
            "case__counsellor",
            "created_by",
            "sending_organisation",
            "receiving_organisation",
        )
        .filter(pk=referral_id)
        .first()
    )
    if referral is None or referral.status not in (ReferralStatus.ACCEPTED, ReferralStatus.REFUSED):
        return
    mail.send(
        "referral_answered",
        answer_recipient(referral),
        context={
            "accepted": referral.status == ReferralStatus.ACCEPTED,
            "receiver": referral.receiving_organisation.name,
            "offer": pick(referral.offer.name),
        },
        url=("cases:case", {"case_id": referral.case_id}),
    )


# --- the daily job -------------------------------------------------------------------------------


def due_followups_notify(*, today: dt.date | None = None) -> int:
    """Mail each counsellor the open check-ins that are due by ``today`` and were not mailed yet.

    One mail per counsellor and run (with the count); each check-in is mailed once, so running
    the command again the same day (or every day) sends nothing new. A check-in of a case
    without a counsellor goes to the organisation's team leads. Returns the number of mails.
    """
    today = today or timezone.localdate()
    already = FollowUpReminder.objects.values("followup_id")
    due = (
        FollowUp.objects.filter(done_at__isnull=True, due_date__lte=today)
        .exclude(pk__in=already)
        .select_related("case__counsellor", "case__organisation")
        .order_by("due_date")
    )
    by_recipient: dict = defaultdict(list)
    people: dict = {}
    for followup in due:
        case = followup.case
        if recipients.is_caseworker(case.counsellor, case.organisation):
            targets = [case.counsellor]
        else:
            targets = list(recipients.team_leads(case.organisation))
        for user in targets:
            by_recipient[user.pk].append(followup)
            people[user.pk] = user
    mails = 0
    for user_id, followups in by_recipient.items():
        user = people[user_id]
        wants_mail = bool(mail.wanted([user]))
        sent = mail.send(
            "followups_due", [user], context={"count": len(followups)}, url=("cases:start", {})
        )
        if wants_mail and not sent:
            continue  # the mail failed: try again on the next run
        # mailed, or the user wants no mail: either way these check-ins are done for her
        FollowUpReminder.objects.bulk_create(
            [FollowUpReminder(followup=f, recipient_id=user_id, sent_on=today) for f in followups],
            ignore_conflicts=True,
        )
        mails += len(sent)
    return mails

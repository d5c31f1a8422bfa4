"""The start page of the case management and the organisation's audit log."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from wegweiser.accounts.permissions import can
from wegweiser.cases import selectors, start_counts
from wegweiser.cases.models import CaseStatus, ReferralStatus
from wegweiser.cases.views.common import organisation
from wegweiser.core.access import requires


@requires("cases.start")
@require_safe
def start(request: HttpRequest) -> HttpResponse:
    """What the user's role in the current organisation needs first."""
    user, org, roles = request.user, organisation(request), request.roles
    context: dict = {"organisation": org, "roles": roles}
    if can(roles, "case.view"):
        query = request.GET.get("q", "").strip()[:100]
        people = selectors.people_search(user, org, query)
        context.update(
            casework=True,
            query=query,
            people=people.order_by("family_name", "given_name")[:50],
            my_cases=selectors.my_cases(user, org).order_by("participant__family_name"),
            unassigned=selectors.unassigned_cases(user, org)[:50],
            due_today=selectors.followups_due_today(user, org),
            overdue=selectors.followups_overdue(user, org),
        )
    if can(roles, "referral.receive"):
        context["inbox"] = [
            r
            for r in selectors.referrals_inbox(user, org)
            if r.status in (ReferralStatus.SENT, ReferralStatus.ACCEPTED)
        ]
    if can(roles, "referral.send"):
        context["outbox"] = selectors.referrals_outbox(user, org).exclude(
            status__in=(ReferralStatus.WITHDRAWN,)
        )[:20]
    if can(roles, "reports.aggregate"):
        counts = selectors.case_counts(user, org)
        context["counts"] = [(CaseStatus(k).label, v) for k, v in counts.items()]
    context["audit"] = can(roles, "audit.view")
    context["administration"] = can(roles, "accounts.view")
    context["notices"] = start_counts.start_counts(user, org)
    return render(request, "cases/start.html", context)


@requires("audit.view")
@require_safe
def audit_log(request: HttpRequest) -> HttpResponse:
    rows = selectors.audit_rows(request.user, organisation(request), limit=200)
    return render(request, "cases/audit_log.html", {"entries": rows})

"""The case page, and the POST views that act on a case from it (re-rendered on a refusal)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from wegweiser.cases import display, forms, selectors
from wegweiser.cases.models import (
    CASE_TRANSITIONS,
    OPEN_STATUSES,
    Case,
    CaseStatus,
    ConsentPurpose,
    Goal,
    ReferralStatus,
)
from wegweiser.cases.views.common import Page, case_or_404, shown
from wegweiser.core.access import requires
from wegweiser.core.i18n import pick
from wegweiser.programmes.citations import rule_citations
from wegweiser.programmes.selectors import engine_catalogue


def _snapshots(case) -> list:
    """The eligibility checks of ``case``, each with its round's name (not its key) and its
    reasons as stored (German or English), with the rules' public sources as titled links."""
    catalogue = engine_catalogue()
    rules = {rule.id: rule for rnd in catalogue.rounds for rule in rnd.rules}
    titles = {(r.programme.key, r.key): display.round_title(r) for r in selectors.funding_rounds()}
    lang = "en" if (get_language() or "de").startswith("en") else "de"
    snapshots = list(case.eligibility_snapshots.select_related("overridden_by"))
    for s in snapshots:
        s.round_title = titles.get((s.programme_key, s.round_key), s.round_key)
        s.reason_rows = [
            {
                "text": reason["text"],
                "citations": rule_citations([rules[reason["rule"]]], catalogue)
                if reason.get("rule") in rules
                else [],
            }
            for reason in s.reasons.get(lang) or s.reasons.get("de") or []
        ]
    return snapshots


def _origin(case: Case, today) -> dict:
    """Where the case came from (a self-check contact request or a received referral)."""
    return {
        **selectors.case_origin(case),
        "current_residence": selectors.residence_status_on(case.participant, today),
        "title_labels": forms.RESIDENCE_TITLE_LABELS,
    }


def render_case(request, case, *, status=200, **bound) -> HttpResponse:
    """The case page; ``bound`` replaces an empty form by a refused one."""
    today = timezone.localdate()
    shown(request, case)
    version = {"version": case.version}
    forms_ = {
        "assign_form": forms.VersionForm(prefix="assign", initial=version),
        "clearing_form": forms.VersionForm(prefix="clearing", initial=version),
        "followup_form": forms.FollowUpStartForm(prefix="followup", initial=version),
        "close_form": forms.CloseForm(prefix="close", initial={**version, "exit_date": today}),
        "dropout_form": forms.DropOutForm(prefix="dropout", initial=version),
        "goal_form": forms.GoalForm(prefix="goal"),
        "contact_form": forms.ContactForm(prefix="contact", initial={"date": today}),
        "task_form": forms.TaskForm(prefix="task"),
    }
    forms_.update(bound)
    participant = case.participant
    referrals = []
    for referral in case.referrals.select_related("offer", "receiving_organisation"):
        consent_ok = True
        if referral.status == ReferralStatus.DRAFT:
            consent_ok = selectors.has_consent(
                participant,
                ConsentPurpose.REFERRAL_SHARING,
                recipient=referral.receiving_organisation,
            )
        referrals.append(
            {"referral": referral, "offer": pick(referral.offer.name), "consent": consent_ok}
        )
    allowed = CASE_TRANSITIONS[case.status]
    context = {
        "case": case,
        "participant": participant,
        **_origin(case, today),
        "snapshots": _snapshots(case),
        "esf_entry": getattr(case, "esf_entry", None),
        "esf_exit": getattr(case, "esf_exit", None),
        "goals": case.goals.all(),
        "contacts": case.contacts.select_related("author"),
        "tasks": case.tasks.select_related("assignee"),
        "referrals": referrals,
        "followups": case.followups.all(),
        "today": today,
        "can_assign": case.counsellor_id != request.user.pk and case.status in OPEN_STATUSES,
        "can_clearing": CaseStatus.CLEARING in allowed,
        "can_enrol": CaseStatus.ACTIVE in allowed,
        "can_followup": CaseStatus.FOLLOWUP in allowed,
        "can_close": CaseStatus.CLOSED in allowed,
        "can_dropout": CaseStatus.DROPPED_OUT in allowed,
        "goal_statuses": Goal.Status.choices,
        **forms_,
    }
    return render(request, "cases/case.html", context, status=status)


@requires("case.view")
@require_safe
def case_detail(request: HttpRequest, case_id) -> HttpResponse:
    return render_case(request, case_or_404(request, case_id))


#: The case page, which the POST views on a case act from (``workflow``, ``plan``).
PAGE = Page(
    load=case_or_404,
    render=render_case,
    back=lambda case: redirect("cases:case", case_id=case.pk),
)

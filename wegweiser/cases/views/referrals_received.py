"""Referrals, the receiving organisation's side: the inbox, a received referral, its answers,
a case opened from it -- and the public page of the single-use answer link."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from wegweiser.accounts.permissions import can
from wegweiser.cases import forms, selectors, services
from wegweiser.cases.errors import CaseError
from wegweiser.cases.models import Referral
from wegweiser.cases.views.common import (
    Page,
    form_status,
    organisation,
    received_referral_or_404,
    refused,
)
from wegweiser.core.access import requires

#: What the user is told after an answer.
DONE = {
    "accept": gettext_lazy("Sie haben die Überweisung angenommen."),
    "refuse": gettext_lazy("Sie haben die Überweisung abgelehnt."),
    "complete": gettext_lazy("Die Überweisung ist abgeschlossen."),
}
#: The labels a page showing the consented fields of a person needs.
_LABELS = {"labels": forms.SHARED_FIELD_LABELS, "title_labels": forms.RESIDENCE_TITLE_LABELS}


@requires("referral.receive")
@require_safe
def inbox(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "cases/inbox.html",
        {"referrals": selectors.referrals_inbox(request.user, organisation(request))},
    )


def _render_received(request, referral_id, *, status=200, **bound) -> HttpResponse:
    try:
        view = selectors.referral_inbox_get(request.user, organisation(request), referral_id)
    except Referral.DoesNotExist:
        raise Http404 from None
    context = {
        "referral": view,
        "refuse_form": forms.RefuseForm(prefix="refuse"),
        "complete_form": forms.CompleteForm(prefix="complete"),
        **_LABELS,
        "can_open_case": can(request.roles, "case.create"),
        **bound,
    }
    return render(request, "cases/received.html", context, status=status)


@requires("referral.receive")
@require_safe
def received_detail(request: HttpRequest, referral_id) -> HttpResponse:
    return _render_received(request, referral_id)


#: A received referral's page, which the answers act from.
PAGE = Page(
    load=received_referral_or_404,
    render=lambda request, referral, **kwargs: _render_received(request, referral.pk, **kwargs),
    back=lambda referral: redirect("cases:received", referral_id=referral.pk),
    done=DONE,
)
received_accept = PAGE.button("referral.receive", "accept", services.referral_accept)
received_refuse = PAGE.post(
    "referral.receive", "refuse", forms.RefuseForm, services.referral_refuse
)
received_complete = PAGE.post(
    "referral.receive", "complete", forms.CompleteForm, services.referral_complete
)


@requires("referral.receive")
@require_POST
def received_open_case(request: HttpRequest, referral_id) -> HttpResponse:
    """Accept (if still open) and open a case with the consented fields, in one step."""
    referral = received_referral_or_404(request, referral_id)
    try:
        case = services.referral_case_open(referral, by=request.user, accept=True)
    except CaseError as error:
        messages.error(request, str(error))
        return redirect("cases:received", referral_id=referral.pk)
    messages.success(
        request,
        _(
            "Der Fall ist eröffnet, mit den Angaben, die die Einwilligung umfasst. "
            "Sie sind zuständig."
        ),
    )
    return redirect("cases:case", case_id=case.pk)


# --- the public answer link -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@never_cache
def link_answer(request: HttpRequest, token: str) -> HttpResponse:
    """A partner without an account answers a referral (single use, 8 days). No login: the
    token is the credential, the services act as ``SYSTEM``."""
    form = forms.LinkAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.referral_answer_by_link(
                token,
                by=services.SYSTEM,
                accept=data["decision"] == "accept",
                reason=data["reason"],
                note=data["note"],
            )
        except CaseError as error:
            refused(form, error)
        else:
            return render(
                request, "cases/link_done.html", {"accepted": data["decision"] == "accept"}
            )
    try:
        view = services.referral_link_view(token, by=services.SYSTEM)
    except CaseError as error:
        return render(request, "cases/link_invalid.html", {"message": str(error)}, status=404)
    return render(
        request,
        "cases/link_answer.html",
        {"referral": view, "form": form, **_LABELS},
        status=form_status(form, request),
    )

"""Referrals, the sending organisation's side: a new referral from the case page, sending,
withdrawing, and the answer link for a partner without an account."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from wegweiser.cases import forms, selectors, services
from wegweiser.cases.errors import CaseError
from wegweiser.cases.views.common import (
    Page,
    case_form_page,
    case_or_404,
    organisation,
    sent_referral_or_404,
    submit,
)
from wegweiser.core.access import requires
from wegweiser.core.i18n import pick

#: What the user is told after sending or withdrawing a referral.
DONE = {
    "send": gettext_lazy("Die Überweisung wurde gesendet."),
    "withdraw": gettext_lazy("Die Überweisung wurde zurückgezogen."),
}


def _offers(request: HttpRequest, query: str) -> list:
    """The offers found for ``query``, and on a POST the chosen one first if it is not among
    them (the list the form's choice is checked against)."""
    org = organisation(request)
    offers = list(selectors.referral_offers(org, query))
    if request.method == "POST":
        chosen_offer = None
        try:
            chosen = uuid.UUID(request.POST.get("offer", ""))
        except ValueError:
            chosen = None
        if chosen is not None:
            chosen_offer = selectors.referral_offers(org, limit=None).filter(pk=chosen).first()
        if chosen_offer is not None and chosen_offer not in offers:
            offers.insert(0, chosen_offer)
    return offers


@requires("referral.send")
@require_http_methods(["GET", "POST"])
def referral_new(request: HttpRequest, case_id) -> HttpResponse:
    case = case_or_404(request, case_id)
    search = forms.OfferSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    if request.method == "POST":
        query = request.POST.get("q", "")[:100]
    offers = _offers(request, query)
    choices = [(o.pk, f"{pick(o.name)} – {o.organisation.name}") for o in offers]
    form = forms.ReferralForm(request.POST or None, offers=choices)
    if submit(
        request,
        form,
        lambda offer, message: services.referral_create(
            case,
            by=request.user,
            offer=next(o for o in offers if str(o.pk) == offer),
            message=message,
        ),
        _("Die Überweisung ist als Entwurf angelegt. Senden Sie sie auf der Fallseite."),
    ):
        return redirect("cases:case", case_id=case.pk)
    return case_form_page(
        request,
        "cases/referral_new.html",
        form,
        case,
        search=search if search.is_bound else forms.OfferSearchForm(),
        query=query,
    )


#: A sent referral, on the page of its case.
SENT = Page(
    load=sent_referral_or_404,
    back=lambda referral: redirect("cases:case", case_id=referral.case_id),
    done=DONE,
)
referral_send = SENT.button("referral.send", "send", services.referral_send)
referral_withdraw = SENT.button("referral.send", "withdraw", services.referral_withdraw)


@requires("referral.send")
@require_POST
@never_cache
def referral_link(request: HttpRequest, referral_id) -> HttpResponse:
    """Create an answer link; the token is shown once on this page and never stored."""
    referral = sent_referral_or_404(request, referral_id)
    try:
        link, token = services.referral_link_create(referral, by=request.user)
    except CaseError as error:
        messages.error(request, str(error))
        return redirect("cases:case", case_id=referral.case_id)
    path = reverse("cases:link-answer", kwargs={"token": token})
    # the configured public address, not the Host header of this request (behind a proxy the
    # request may name an internal host); without the setting, the request's own address
    url = f"{settings.SITE_URL}{path}" if settings.SITE_URL else request.build_absolute_uri(path)
    return render(
        request, "cases/referral_link.html", {"referral": referral, "link": link, "url": url}
    )

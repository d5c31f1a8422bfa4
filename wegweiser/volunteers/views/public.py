"""The volunteer's answer through her link (no login): what, when and where roughly; no
personal data of the person before she accepts."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from wegweiser.core import geo
from wegweiser.volunteers import forms, services
from wegweiser.volunteers.errors import VolunteerError


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, answer_token: str) -> HttpResponse:
    booking = services.booking_by_token(answer_token)
    if booking is None or booking.status != "offered":
        return render(request, "volunteers/answer_invalid.html", status=404)
    form = forms.AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accept = form.cleaned_data["decision"] == "accept"
        try:
            booking = services.booking_answer_by_link(answer_token, accept=accept)
        except VolunteerError:
            return render(request, "volunteers/answer_invalid.html", status=404)
        return render(
            request, "volunteers/answer_done.html", {"booking": booking, "req": booking.request}
        )
    place = geo.postcode(booking.request.postcode) if booking.request.postcode else None
    return render(
        request,
        "volunteers/answer.html",
        {"booking": booking, "req": booking.request, "form": form, "place": place},
    )

"""The coordinator's own requests, without a case: an interpreting appointment or a tandem for
a person known by a pseudonym or first name and a contact; and her confirmation that such an
appointment took place."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from wegweiser.core.access import requires
from wegweiser.volunteers import forms, selectors, services
from wegweiser.volunteers.errors import VolunteerError
from wegweiser.volunteers.views.common import attempt, one_or_404, refused


def _pools(request) -> list:
    return list(
        selectors.pools_for(request.user, request.organisation).select_related("organisation")
    )


def _pool(pools, pk: str):
    return next(p for p in pools if str(p.pk) == pk)


@requires("volunteer.manage")
@require_http_methods(["GET", "POST"])
def interpreting_new(request: HttpRequest) -> HttpResponse:
    pools = _pools(request)
    form = forms.DirectInterpretingForm(
        request.POST or None, pools=pools, initial={"institution": request.organisation.name}
    )
    created = []

    def create(pool, day, time, **fields):
        starts = timezone.make_aware(dt.datetime.combine(day, time))
        created.append(
            services.coordinator_interpreting_request(
                by=request.user, pool=_pool(pools, pool), starts_at=starts, **fields
            )
        )

    if attempt(request, form, create, _("Die Anfrage ist angelegt.")):
        return redirect("volunteers:booking", booking_id=created[0].pk)
    return render(
        request,
        "volunteers/direct_new.html",
        {"form": form, "title": _("Dolmetschen anfragen ohne Fall")},
    )


@requires("volunteer.manage")
@require_http_methods(["GET", "POST"])
def tandem_new(request: HttpRequest) -> HttpResponse:
    pools = _pools(request)
    form = forms.DirectTandemForm(request.POST or None, pools=pools)
    created = []

    def create(pool, **fields):
        created.append(
            services.coordinator_tandem_request(by=request.user, pool=_pool(pools, pool), **fields)
        )

    if attempt(request, form, create, _("Die Tandem-Anfrage ist angelegt.")):
        return redirect("volunteers:tandem", tandem_id=created[0].pk)
    return render(
        request,
        "volunteers/direct_new.html",
        {"form": form, "title": _("Tandem anfragen ohne Fall")},
    )


@requires("volunteer.manage")
@require_POST
def booking_done(request: HttpRequest, booking_id) -> HttpResponse:
    booking = one_or_404(selectors.bookings_managed(request.user, request.organisation), booking_id)
    try:
        services.booking_done_direct(booking, by=request.user)
        messages.success(request, _("Gespeichert."))
    except VolunteerError as error:
        refused(request, error)
    return redirect("volunteers:booking", booking_id=booking.pk)

"""The requester's pages: an interpreter or a tandem from a case, the organisation's requests,
completion confirmed."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from wegweiser.cases import selectors as case_selectors
from wegweiser.cases.models import Case
from wegweiser.core.access import requires
from wegweiser.volunteers import forms, selectors, services
from wegweiser.volunteers.errors import VolunteerError
from wegweiser.volunteers.views.common import attempt, one_or_404, refused


def _case(request, case_id):
    try:
        return case_selectors.cases_for(request.user, request.organisation).get(pk=case_id)
    except Case.DoesNotExist:  # missing or another organisation's: the same 404
        raise Http404 from None


@requires("volunteer.request")
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest, case_id) -> HttpResponse:
    case = _case(request, case_id)
    pools = list(selectors.request_pools())
    form = forms.InterpretingRequestForm(request.POST or None, pools=pools)

    def create(pool, day, time, **fields):
        starts = timezone.make_aware(dt.datetime.combine(day, time))
        services.interpreting_request(
            by=request.user,
            organisation=request.organisation,
            pool=next(p for p in pools if str(p.pk) == pool),
            case=case,
            starts_at=starts,
            **fields,
        )

    if attempt(request, form, create, _("Die Anfrage ist an den Pool gesendet.")):
        return redirect("volunteers:requests")
    return render(request, "volunteers/request_new.html", {"form": form, "case": case})


@requires("volunteer.request")
@require_http_methods(["GET", "POST"])
def tandem_new(request: HttpRequest, case_id) -> HttpResponse:
    case = _case(request, case_id)
    pools = list(selectors.request_pools())
    form = forms.TandemRequestForm(request.POST or None, pools=pools)

    def create(pool, **fields):
        services.tandem_request(
            by=request.user,
            organisation=request.organisation,
            pool=next(p for p in pools if str(p.pk) == pool),
            case=case,
            **fields,
        )

    if attempt(request, form, create, _("Die Tandem-Anfrage ist an den Pool gesendet.")):
        return redirect("volunteers:requests")
    return render(request, "volunteers/tandem_new.html", {"form": form, "case": case})


@requires("volunteer.request")
def request_list(request: HttpRequest) -> HttpResponse:
    bookings = selectors.bookings_requested(request.user, request.organisation).order_by(
        "-request__starts_at"
    )
    tandems = selectors.tandems_requested(request.user, request.organisation)
    return render(
        request,
        "volunteers/requests.html",
        {"bookings": bookings, "tandems": tandems, "now": timezone.now()},
    )


@requires("volunteer.request")
@require_POST
def booking_done(request: HttpRequest, booking_id) -> HttpResponse:
    booking = one_or_404(
        selectors.bookings_requested(request.user, request.organisation), booking_id
    )
    action = services.booking_cancel if request.POST.get("step") == "cancel" else None
    try:
        if action is not None:
            action(booking, by=request.user)
        else:
            services.booking_done(booking, by=request.user)
        messages.success(request, _("Gespeichert."))
    except VolunteerError as error:
        refused(request, error)
    return redirect("volunteers:requests")

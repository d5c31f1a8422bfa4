"""The volunteer's own page: offers to answer, her weekly times and absences, her bookings and
tandems, and the hours, kilometres and expenses she enters for them herself."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wegweiser.core.access import requires
from wegweiser.volunteers import forms, selectors, services
from wegweiser.volunteers.errors import VolunteerError
from wegweiser.volunteers.views.common import attempt


def _answer(request) -> None:
    offer = selectors.own_offers(request.user).filter(pk=request.POST.get("booking")).first()
    if offer is None or request.POST.get("decision") not in ("accept", "decline"):
        messages.error(request, _("Bitte wählen Sie einen Vorschlag."))
        return
    try:
        services.booking_answer(offer, by=request.user, accept=request.POST["decision"] == "accept")
        messages.success(request, _("Danke für Ihre Antwort"))
    except VolunteerError as error:
        messages.error(request, str(error))


def _hours_forms(request, part: str, rows, form_class, key: str, initial) -> dict:
    """One form per booking or tandem (its own prefix, so that ids stay unique); only the one
    posted is bound."""
    posted = request.POST.get(key) if part == key else None
    return {
        row.pk: form_class(
            request.POST if posted == str(row.pk) else None,
            prefix=f"{key}-{row.pk}",
            initial=initial(row),
        )
        for row in rows
    }


def _booking_initial(booking) -> dict:
    done = getattr(booking, "assignment", None)
    if done is not None:
        return {"hours": done.hours, "km": done.km, "expenses": done.expenses}
    return {"hours": round(booking.request.duration_minutes / 60, 2), "km": 0}


@requires("volunteer.self")
@require_http_methods(["GET", "POST"])
def me(request: HttpRequest) -> HttpResponse:
    """A volunteer's own availability, offers, bookings, tandems and hours (nothing of anyone
    else)."""
    profiles = list(selectors.own_profiles(request.user).prefetch_related("slots", "languages"))
    part = request.POST.get("part", "") if request.method == "POST" else ""
    times = {
        name: forms.PART_FORMS[name](request.POST if part == name else None, prefix=name)
        for name in ("slot", "absence")
    }
    done = list(selectors.own_done_bookings(request.user))
    tandems = list(selectors.own_tandems(request.user))
    booking_forms = _hours_forms(request, part, done, forms.HoursForm, "booking", _booking_initial)
    tandem_forms = _hours_forms(
        request, part, tandems, forms.ContactHoursForm, "tandem", lambda t: {"minutes": 60}
    )
    if part in times and profiles:
        if attempt(
            request,
            times[part],
            lambda **data: services.volunteer_part_add(
                profiles[0], by=request.user, part=part, **data
            ),
            _("Gespeichert."),
        ):
            return redirect("volunteers:me")
    elif part in ("booking", "tandem"):
        rows = {str(r.pk): r for r in (done if part == "booking" else tandems)}
        row = rows.get(request.POST.get(part, ""))
        if row is None:
            messages.error(request, _("Bitte wählen Sie einen Einsatz."))
        elif attempt(
            request,
            (booking_forms if part == "booking" else tandem_forms)[row.pk],
            (
                (lambda **d: services.hours_record(row, by=request.user, **d))
                if part == "booking"
                else (lambda **d: services.tandem_hours(row, by=request.user, **d))
            ),
            _("Ihre Stunden sind eingetragen. Die Koordination sieht sie."),
        ):
            return redirect("volunteers:me")
    elif request.method == "POST":
        _answer(request)
        return redirect("volunteers:me")
    return render(
        request,
        "volunteers/me.html",
        {
            "forms": times,
            "offers": selectors.own_offers(request.user),
            "done": [(b, booking_forms[b.pk]) for b in done],
            "tandems": [(t, tandem_forms[t.pk]) for t in tandems],
            "profiles": [
                (
                    v,
                    v.bookings.exclude(status__in=["declined", "cancelled"]).select_related(
                        "request"
                    ),
                    selectors.own_hours(v),
                )
                for v in profiles
            ],
        },
    )

"""The coordinator's pages: dashboard, volunteers, a booking's proposals and steps, tandems."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from wegweiser.core.access import requires
from wegweiser.directory.maps import map_settings
from wegweiser.volunteers import forms, selectors, services, uncovered
from wegweiser.volunteers.display import reason_texts
from wegweiser.volunteers.errors import VolunteerError
from wegweiser.volunteers.views.common import attempt, one_or_404, refused

VOLUNTEER_FIELDS = [f for f in forms.VolunteerForm.base_fields]


@requires("volunteer.manage")
def dashboard(request: HttpRequest) -> HttpResponse:
    board = selectors.dashboard(request.user, request.organisation)
    pools = selectors.pools_for(request.user, request.organisation)
    kreise = uncovered.rows(board.uncovered, {p.kreis for p in pools})
    selectors.names_shown(
        request.user,
        request.organisation,
        [*board.idle, *(q.volunteer for q in board.expiring)],
        "dashboard",
    )
    return render(
        request,
        "volunteers/dashboard.html",
        {
            "board": board,
            "pools": pools,
            "kreise": kreise,
            "kreise_geojson": uncovered.geojson(kreise),
            "map": map_settings(),
        },
    )


@requires("volunteer.manage")
def volunteer_list(request: HttpRequest) -> HttpResponse:
    people = list(
        selectors.volunteers_for(request.user, request.organisation).prefetch_related("languages")
    )
    selectors.names_shown(request.user, request.organisation, people, "list")
    return render(request, "volunteers/list.html", {"volunteers": people})


@requires("volunteer.manage")
@require_http_methods(["GET", "POST"])
def volunteer_new(request: HttpRequest) -> HttpResponse:
    pools = list(selectors.pools_for(request.user, request.organisation))
    form = forms.NewVolunteerForm(
        request.POST or None,
        pools=pools,
        initial={"radius_km": 15, "max_hours_month": 10, "max_tandems": 1, "active": True},
    )
    created = []

    def create(pool, **fields):
        chosen = next(p for p in pools if str(p.pk) == pool)
        created.append(services.volunteer_create(by=request.user, pool=chosen, **fields))

    if attempt(request, form, create, _("Die Person ist angelegt.")):
        return redirect("volunteers:volunteer", volunteer_id=created[0].pk)
    return render(request, "volunteers/volunteer_new.html", {"form": form})


@requires("volunteer.manage")
@require_http_methods(["GET", "POST"])
def volunteer_detail(request: HttpRequest, volunteer_id) -> HttpResponse:
    volunteer = one_or_404(
        selectors.volunteers_for(request.user, request.organisation), volunteer_id
    )
    selectors.volunteer_shown(request.user, request.organisation, volunteer)
    part = request.POST.get("part", "") if request.method == "POST" else ""
    initial = {f: getattr(volunteer, f) for f in VOLUNTEER_FIELDS}
    form = forms.VolunteerForm(
        request.POST if part == "" and request.method == "POST" else None, initial=initial
    )
    parts = {
        name: cls(request.POST if part == name else None, prefix=name)
        for name, cls in forms.PART_FORMS.items()
    }
    if part in parts:
        if attempt(
            request,
            parts[part],
            lambda **data: services.volunteer_part_add(
                volunteer, by=request.user, part=part, **data
            ),
            _("Gespeichert."),
        ):
            return redirect("volunteers:volunteer", volunteer_id=volunteer.pk)
    elif attempt(
        request,
        form,
        lambda **data: services.volunteer_update(volunteer, by=request.user, **data),
        _("Gespeichert."),
    ):
        return redirect("volunteers:volunteer", volunteer_id=volunteer.pk)
    return render(
        request,
        "volunteers/volunteer.html",
        {"volunteer": volunteer, "form": form, "parts": parts},
    )


def _managed_booking(request, booking_id):
    return one_or_404(selectors.bookings_managed(request.user, request.organisation), booking_id)


def _hours_initial(booking) -> dict:
    done = getattr(booking, "assignment", None)
    if done is not None:
        return {"hours": done.hours, "km": done.km, "expenses": done.expenses}
    return {"hours": round(booking.request.duration_minutes / 60, 2), "km": 0}


@requires("volunteer.manage")
def booking_detail(request: HttpRequest, booking_id) -> HttpResponse:
    booking = _managed_booking(request, booking_id)
    proposals = []
    if booking.status in ("requested", "declined"):
        proposals = [(p, v, reason_texts(p)) for p, v in selectors.proposals(booking)]
    selectors.names_shown(
        request.user, request.organisation, [v for _p, v, _r in proposals], "proposals"
    )
    selectors.names_shown(request.user, request.organisation, [booking.volunteer], "booking")
    return render(
        request,
        "volunteers/booking.html",
        {
            "booking": booking,
            "req": booking.request,
            "proposals": proposals,
            "hours_form": forms.HoursForm(initial=_hours_initial(booking)),
            "link": request.session.pop(f"volunteers.link.{booking.pk}", None),
        },
    )


@requires("volunteer.manage")
@require_POST
def booking_propose(request: HttpRequest, booking_id) -> HttpResponse:
    booking = _managed_booking(request, booking_id)
    volunteers = selectors.volunteers_for(request.user, request.organisation)
    chosen = (
        volunteers.filter(pk=request.POST.get("volunteer") or None).first()
        if _is_uuid(request.POST.get("volunteer", ""))
        else None
    )
    if chosen is None:
        messages.error(request, _("Bitte wählen Sie einen Vorschlag."))
    else:
        try:
            services.booking_propose(booking, by=request.user, volunteer=chosen)
            messages.success(request, _("Vorschlag gespeichert. Fragen Sie jetzt die Person an."))
        except VolunteerError as error:
            refused(request, error)
    return redirect("volunteers:booking", booking_id=booking.pk)


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


STEPS = {
    "offer": services.booking_offer,
    "confirm": services.booking_confirm,
    "cancel": services.booking_cancel,
    "no_show": services.booking_no_show,
    "forget": services.person_forget,
}


@requires("volunteer.manage")
@require_POST
def booking_step(request: HttpRequest, booking_id) -> HttpResponse:
    booking = _managed_booking(request, booking_id)
    step = STEPS.get(request.POST.get("step", ""))
    if step is None:
        messages.error(request, _("Unbekannter Schritt."))
        return redirect("volunteers:booking", booking_id=booking.pk)
    try:
        result = step(booking, by=request.user)
    except VolunteerError as error:
        refused(request, error)
        return redirect("volunteers:booking", booking_id=booking.pk)
    if isinstance(result, tuple):  # the offer: show the link once
        path = reverse("volunteers:answer", kwargs={"answer_token": result[1]})
        request.session[f"volunteers.link.{booking.pk}"] = request.build_absolute_uri(path)
    messages.success(request, _("Gespeichert."))
    return redirect("volunteers:booking", booking_id=booking.pk)


@requires("volunteer.manage")
@require_POST
def booking_hours(request: HttpRequest, booking_id) -> HttpResponse:
    booking = _managed_booking(request, booking_id)
    form = forms.HoursForm(request.POST)
    if not attempt(
        request,
        form,
        lambda **data: services.hours_record(booking, by=request.user, **data),
        _("Stunden und Kosten gespeichert."),
    ):
        for error in form.errors.values():
            messages.error(request, " ".join(error))
    return redirect("volunteers:booking", booking_id=booking.pk)


@requires("volunteer.manage")
@require_http_methods(["GET", "POST"])
def tandem_detail(request: HttpRequest, tandem_id) -> HttpResponse:
    tandem = one_or_404(selectors.tandems_managed(request.user, request.organisation), tandem_id)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    meeting = forms.MeetingForm(request.POST if action == "meeting" else None, prefix="meeting")
    end = forms.TandemEndForm(request.POST if action == "end" else None, prefix="end")
    corrections = _corrections(request, tandem, action)
    today = timezone.localdate()
    if action == "start":
        chosen = (
            selectors.volunteers_for(request.user, request.organisation)
            .filter(pk=request.POST.get("volunteer"))
            .first()
            if _is_uuid(request.POST.get("volunteer", ""))
            else None
        )
        if chosen is None:
            messages.error(request, _("Bitte wählen Sie einen Vorschlag."))
        else:
            try:
                services.tandem_start(tandem, by=request.user, volunteer=chosen, on=today)
                messages.success(request, _("Das Tandem hat begonnen."))
                return redirect("volunteers:tandem", tandem_id=tandem.pk)
            except VolunteerError as error:
                refused(request, error)
    elif action == "forget":
        try:
            services.person_forget(tandem, by=request.user)
            messages.success(request, _("Die Angaben zur Person sind gelöscht."))
            return redirect("volunteers:tandem", tandem_id=tandem.pk)
        except VolunteerError as error:
            refused(request, error)
    elif (
        action == "meeting"
        and attempt(
            request,
            meeting,
            lambda **d: services.tandem_meeting_add(tandem, by=request.user, **d),
            _("Gespeichert."),
        )
        or action == "correct"
        and _correct(request, corrections)
        or action == "end"
        and attempt(
            request,
            end,
            lambda **d: services.tandem_end(tandem, by=request.user, **d),
            _("Das Tandem ist beendet."),
        )
    ):
        return redirect("volunteers:tandem", tandem_id=tandem.pk)
    proposals = []
    if tandem.status == "requested":
        proposals = [(p, v, reason_texts(p)) for p, v in selectors.tandem_proposals(tandem)]
    selectors.names_shown(
        request.user, request.organisation, [v for _p, v, _r in proposals], "proposals"
    )
    selectors.names_shown(request.user, request.organisation, [tandem.volunteer], "tandem")
    return render(
        request,
        "volunteers/tandem.html",
        {
            "tandem": tandem,
            "proposals": proposals,
            "meeting_form": meeting,
            "end_form": end,
            "meetings": tandem.meetings.all(),
            "corrections": corrections,
        },
    )


def _corrections(request, tandem, action: str) -> list:
    """The tandem's hours, each with its correction form (only the posted one bound)."""
    posted = request.POST.get("assignment") if action == "correct" else None
    return [
        (
            a,
            forms.HoursForm(
                request.POST if posted == str(a.pk) else None,
                prefix=f"a-{a.pk}",
                initial={"hours": a.hours, "km": a.km, "expenses": a.expenses},
            ),
        )
        for a in tandem.assignments.select_related("volunteer__pool__organisation")
    ]


def _correct(request, corrections) -> bool:
    posted = request.POST.get("assignment", "")
    found = [(a, form) for a, form in corrections if str(a.pk) == posted]
    if not found:
        messages.error(request, _("Bitte wählen Sie einen Eintrag."))
        return False
    assignment, form = found[0]
    return attempt(
        request,
        form,
        lambda **d: services.assignment_correct(assignment, by=request.user, **d),
        _("Berichtigt."),
    )


POOL_FIELDS = list(forms.PoolForm.base_fields)


@requires("volunteer.manage")
@require_http_methods(["GET", "POST"])
def pool_edit(request: HttpRequest, pool_id) -> HttpResponse:
    pool = one_or_404(selectors.pools_for(request.user, request.organisation), pool_id)
    form = forms.PoolForm(request.POST or None, initial={f: getattr(pool, f) for f in POOL_FIELDS})
    if attempt(
        request,
        form,
        lambda **data: services.pool_update(pool, by=request.user, **data),
        _("Gespeichert."),
    ):
        return redirect("volunteers:dashboard")
    return render(request, "volunteers/pool.html", {"pool": pool, "form": form})


@requires("volunteer.manage")
def volunteer_export(request: HttpRequest, volunteer_id) -> HttpResponse:
    volunteer = one_or_404(
        selectors.volunteers_for(request.user, request.organisation), volunteer_id
    )
    data = services.volunteer_export(volunteer, by=request.user)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = 'attachment; filename="ehrenamt-daten.json"'
    return response


@requires("volunteer.manage")
@require_POST
def volunteer_erase(request: HttpRequest, volunteer_id) -> HttpResponse:
    volunteer = one_or_404(
        selectors.volunteers_for(request.user, request.organisation), volunteer_id
    )
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Bitte bestätigen Sie die Löschung."))
        return redirect("volunteers:volunteer", volunteer_id=volunteer.pk)
    services.volunteer_erase(volunteer, by=request.user)
    messages.success(
        request, _("Die Angaben der Person sind gelöscht; die Stunden bleiben anonym.")
    )
    return redirect("volunteers:list")


@requires("volunteer.manage")
@require_http_methods(["GET", "POST"])
def week(request: HttpRequest) -> HttpResponse:
    """The next two weeks' open requests solved together; the coordinator takes the plan over
    (each row becomes a proposal she then offers), or not."""
    plan = selectors.week_plan(request.user, request.organisation)
    if request.method == "POST":
        taken = 0
        for booking, volunteer, _points in plan.rows:
            if volunteer is None:
                continue
            try:
                services.booking_propose(booking, by=request.user, volunteer=volunteer)
                taken += 1
            except VolunteerError as error:
                refused(request, error)
        messages.success(request, _("Vorschläge übernommen: %(n)s") % {"n": taken})
        return redirect("volunteers:dashboard")
    selectors.names_shown(
        request.user, request.organisation, [v for _b, v, _p in plan.rows], "plan"
    )
    return render(request, "volunteers/week.html", {"plan": plan})

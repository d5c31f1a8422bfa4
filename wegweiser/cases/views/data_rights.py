"""Data rights on a person's file: the export (JSON and the readable page) and the erasure."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from wegweiser.cases import display, services
from wegweiser.cases.errors import CaseError
from wegweiser.cases.views.common import participant_or_404, shown
from wegweiser.core.access import requires


@requires("participant.export")
@require_safe
def participant_export_json(request: HttpRequest, participant_id) -> HttpResponse:
    person = participant_or_404(request, participant_id)
    document = services.participant_export(person, by=request.user)
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{person.pseudonym}.json"'
    return response


@requires("participant.export")
@require_safe
def participant_export_html(request: HttpRequest, participant_id) -> HttpResponse:
    person = participant_or_404(request, participant_id)
    services.participant_export(person, by=request.user)  # checks the role, logs the export
    return render(
        request,
        "cases/export.html",
        {"participant": person, "display": display.participant_display(person)},
    )


@requires("participant.erase")
@require_http_methods(["GET", "POST"])
def participant_erase(request: HttpRequest, participant_id) -> HttpResponse:
    person = participant_or_404(request, participant_id)
    if request.method == "POST":
        try:
            outcome = services.participant_erase(person, by=request.user)
        except CaseError as error:
            messages.error(request, str(error))
            return redirect("cases:participant", participant_id=person.pk)
        if outcome == "anonymised":
            messages.success(
                request,
                _(
                    "Die Person wurde anonymisiert: Die ESF-Plus-Daten müssen noch aufbewahrt "
                    "werden, alle anderen Angaben sind gelöscht."
                ),
            )
        else:
            messages.success(request, _("Die Person und alle Angaben zu ihr wurden gelöscht."))
        return redirect("cases:start")
    shown(request, person)
    return render(request, "cases/erase.html", {"participant": person})

"""The ESF Plus entry questionnaire of a case."""

from __future__ import annotations

from functools import partial

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wegweiser.cases import forms, services
from wegweiser.cases.errors import MissingData
from wegweiser.cases.models import Case
from wegweiser.cases.views.common import case_form_page, case_or_404, refusal, submit
from wegweiser.core.access import requires


@requires("case.edit")
@require_http_methods(["GET", "POST"])
def esf_entry(request: HttpRequest, case_id) -> HttpResponse:
    case = case_or_404(request, case_id)
    existing = getattr(case, "esf_entry", None)
    initial = (
        forms.EsfEntryForm.initial_for(existing)
        if existing
        else {"collected_on": case.entry_date or timezone.localdate(), "version": 0}
    )
    form = forms.EsfEntryForm(request.POST or None, initial=initial)
    done = _("Die ESF-Plus-Eintrittsdaten sind gespeichert.")
    if submit(request, form, partial(services.esf_entry_save, case, by=request.user), done):
        return redirect("cases:case", case_id=case.pk)
    missing = refusal(form, MissingData)
    links = _missing_links(case, form, missing) if missing else []
    return case_form_page(request, "cases/esf_entry.html", form, case, missing=links)


def _missing_links(case: Case, form, error: MissingData) -> list[dict]:
    """Each missing answer or fact with a link to its field: on this form, or on the person's
    edit form (the field's id as the anchor)."""
    edit = reverse("cases:participant-edit", kwargs={"participant_id": case.participant_id})
    person_form = forms.ParticipantForm()
    links = []
    for name, where in error.missing:
        if where == "participant":
            label, url = person_form[name].label, f"{edit}#{person_form[name].auto_id}"
        else:
            label, url = form[name].label, f"#{form[name].auto_id}"
        links.append({"label": label, "url": url, "in_record": where == "participant"})
    return links


@requires("case.edit")
@require_http_methods(["GET", "POST"])
def esf_exit(request: HttpRequest, case_id) -> HttpResponse:
    """The exit questionnaire (only for a case with an exit date) and the six-month result."""
    case = case_or_404(request, case_id)
    existing = getattr(case, "esf_exit", None)
    initial = (
        forms.EsfExitForm.initial_for(existing)
        if existing
        else {"collected_on": case.exit_date or timezone.localdate(), "version": 0}
    )
    form = forms.EsfExitForm(request.POST or None, initial=initial)
    done = _("Die ESF-Plus-Austrittsdaten sind gespeichert.")
    if submit(request, form, partial(services.esf_exit_save, case, by=request.user), done):
        return redirect("cases:case", case_id=case.pk)
    survey = case.followups.filter(is_esf_long_term=True).first()
    return case_form_page(request, "cases/esf_exit.html", form, case, survey=survey)

"""The case workflow: open a case from a person's file, take it over, the transitions, and the
enrolment with its eligibility check."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from wegweiser.accounts.permissions import can
from wegweiser.cases import forms, selectors, services
from wegweiser.cases.errors import CaseError, EnrolmentRefused
from wegweiser.cases.views.cases import case_form_view
from wegweiser.cases.views.common import (
    case_form_page,
    case_or_404,
    organisation,
    participant_or_404,
    refusal,
    refused,
    submit,
)
from wegweiser.cases.views.participants import render_participant
from wegweiser.core.access import requires
from wegweiser.core.i18n import pick


@requires("case.create")
@require_POST
def case_open(request: HttpRequest, participant_id) -> HttpResponse:
    person = participant_or_404(request, participant_id)
    try:
        case = services.case_open(person, by=request.user)
    except CaseError as error:
        form = forms.VersionForm(prefix="open", initial={"version": person.version})
        refused(form, error)
        return render_participant(request, person, status=400, open_form=form)
    messages.success(request, _("Der Fall wurde eröffnet (Erstkontakt)."))
    return redirect("cases:case", case_id=case.pk)


def _transition_view(prefix: str, form_class, call: Callable, done: str):
    return case_form_view("case.transition", prefix, form_class, call, done)


#: The user takes over responsibility for the case (e.g. a new self-check contact).
case_assign = case_form_view(
    "case.edit",
    "assign",
    forms.VersionForm,
    lambda case, by, d: services.case_assign(case, by=by, counsellor=by, version=d["version"]),
    gettext_lazy("Sie sind jetzt für diesen Fall zuständig."),
)
case_clearing = _transition_view(
    "clearing",
    forms.VersionForm,
    lambda case, by, d: services.case_start_clearing(case, by=by, version=d["version"]),
    gettext_lazy("Der Fall ist jetzt im Clearing."),
)
case_followup = _transition_view(
    "followup",
    forms.FollowUpStartForm,
    lambda case, by, d: services.case_start_followup(
        case, by=by, start_date=d["start_date"], situation=d["situation"], version=d["version"]
    ),
    gettext_lazy("Die Nachbetreuung hat begonnen; die Termine sind geplant."),
)
case_close = _transition_view(
    "close",
    forms.CloseForm,
    lambda case, by, d: services.case_close(
        case, by=by, exit_date=d["exit_date"], version=d["version"]
    ),
    gettext_lazy("Der Fall ist abgeschlossen."),
)
case_drop_out = _transition_view(
    "dropout",
    forms.DropOutForm,
    lambda case, by, d: services.case_drop_out(
        case,
        by=by,
        reason=d["reason"],
        note=d["note"],
        exit_date=d["exit_date"],
        version=d["version"],
    ),
    gettext_lazy("Der Abbruch ist eingetragen."),
)


def _enrol_form(request, case, data=None):
    projects = []
    for p in selectors.enrolment_projects(organisation(request)):
        rnd = p.funding_round
        projects.append((p.pk, f"{p.name} – {pick(rnd.programme.name)}, {pick(rnd.name)}"))
    rounds = [
        (r.key, f"{pick(r.programme.name)} – {pick(r.name)}") for r in selectors.funding_rounds()
    ]
    return forms.EnrolForm(
        data,
        projects=projects,
        rounds=rounds,
        can_override=can(request.roles, "case.override_eligibility"),
        initial={"version": case.version, "entry_date": timezone.localdate()},
    )


@requires("case.enrol")
@require_http_methods(["GET", "POST"])
def case_enrol(request: HttpRequest, case_id) -> HttpResponse:
    case = case_or_404(request, case_id)
    form = _enrol_form(request, case, request.POST or None)

    def save(data):
        project = (
            selectors.enrolment_projects(organisation(request)).filter(pk=data["project"]).first()
        )
        if project is None:
            raise Http404
        return services.enrol(
            case,
            by=request.user,
            project=project,
            funding_round=project.funding_round,
            override_reason=data.get("override_reason") or None,
            entry_date=data["entry_date"],
            facts=form.facts(),
            version=data["version"],
        )

    if submit(request, form, save, _("Die Person ist aufgenommen.")):
        return redirect("cases:case", case_id=case.pk)
    refused_enrolment = refusal(form, EnrolmentRefused)
    return case_form_page(request, "cases/enrol.html", form, case, refusal=refused_enrolment)

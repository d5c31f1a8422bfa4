"""The case workflow: open a case from a person's file, take it over, the transitions, and the
enrolment with its eligibility check."""

from __future__ import annotations

from dataclasses import replace

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
from wegweiser.cases.views.cases import PAGE
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


#: What the user is told after taking over a case and after each transition.
DONE = {
    "assign": gettext_lazy("Sie sind jetzt für diesen Fall zuständig."),
    "clearing": gettext_lazy("Der Fall ist jetzt im Clearing."),
    "followup": gettext_lazy("Die Nachbetreuung hat begonnen; die Termine sind geplant."),
    "close": gettext_lazy("Der Fall ist abgeschlossen."),
    "dropout": gettext_lazy("Der Abbruch ist eingetragen."),
}
_CASE = replace(PAGE, done=DONE)


def _take_over(case, *, by, version):
    """The user takes over responsibility for the case (e.g. a new self-check contact)."""
    return services.case_assign(case, by=by, counsellor=by, version=version)


case_assign = _CASE.post("case.edit", "assign", forms.VersionForm, _take_over)
case_clearing = _CASE.post(
    "case.transition", "clearing", forms.VersionForm, services.case_start_clearing
)
case_followup = _CASE.post(
    "case.transition", "followup", forms.FollowUpStartForm, services.case_start_followup
)
case_close = _CASE.post("case.transition", "close", forms.CloseForm, services.case_close)
case_drop_out = _CASE.post("case.transition", "dropout", forms.DropOutForm, services.case_drop_out)


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

    def save(*, project, entry_date, version, override_reason="", **facts):
        chosen = selectors.enrolment_projects(organisation(request)).filter(pk=project).first()
        if chosen is None:
            raise Http404
        return services.enrol(
            case,
            by=request.user,
            project=chosen,
            funding_round=chosen.funding_round,
            override_reason=override_reason or None,
            entry_date=entry_date,
            facts=form.facts(),
            version=version,
        )

    if submit(request, form, save, _("Die Person ist aufgenommen.")):
        return redirect("cases:case", case_id=case.pk)
    refused_enrolment = refusal(form, EnrolmentRefused)
    return case_form_page(request, "cases/enrol.html", form, case, refusal=refused_enrolment)

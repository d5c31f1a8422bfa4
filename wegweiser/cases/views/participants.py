"""A person's file: intake, the file page, editing, residence history and household."""

from __future__ import annotations

from dataclasses import replace

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from wegweiser.accounts.permissions import can
from wegweiser.cases import forms, selectors, services
from wegweiser.cases.views.common import (
    Page,
    form_page,
    organisation,
    participant_or_404,
    shown,
    submit,
)
from wegweiser.core.access import requires

#: What the user is told after a change of the person's record.
DONE = {
    "residence": gettext_lazy("Der Aufenthaltsstatus wurde eingetragen."),
    "household": gettext_lazy("Der Haushalt wurde gespeichert."),
}


def _households(request, person) -> list[tuple]:
    members = (
        selectors.participants_for(request.user, organisation(request))
        .filter(household__isnull=False)
        .order_by("household_id", "family_name")
    )
    names: dict = {}
    for m in members:
        names.setdefault(m.household_id, []).append(str(m))
    return [(pk, _("Haushalt von %(names)s") % {"names": ", ".join(n)}) for pk, n in names.items()]


def render_participant(request, person, *, status=200, **bound) -> HttpResponse:
    """The file page of ``person``; ``bound`` replaces an empty form by a refused one."""
    org = organisation(request)
    shown(request, person)
    forms_ = {
        "residence_form": forms.ResidenceStatusForm(prefix="residence"),
        "consent_form": forms.ConsentForm(
            prefix="consent",
            recipients=selectors.consent_recipients(org),
            initial={"given_on": timezone.localdate()},
        ),
        "household_form": forms.HouseholdForm(
            prefix="household",
            households=_households(request, person),
            initial={"version": person.version, "relation": person.household_relation},
        ),
        "open_form": forms.VersionForm(prefix="open", initial={"version": person.version}),
    }
    forms_.update(bound)
    household = []
    if person.household_id:
        household = (
            selectors.participants_for(request.user, org)
            .filter(household_id=person.household_id)
            .exclude(pk=person.pk)
        )
    context = {
        "participant": person,
        "residence_statuses": person.residence_statuses.select_related("recorded_by"),
        "current_residence": selectors.residence_status_on(person, timezone.localdate()),
        "consents": person.consents.select_related("recipient"),
        "cases": person.cases.filter(organisation=org).select_related(
            "project", "funding_round", "counsellor"
        ),
        "household_members": household,
        "can_erase": can(request.roles, "participant.erase"),
        "title_labels": forms.RESIDENCE_TITLE_LABELS,
        "shared_labels": forms.SHARED_FIELD_LABELS,
        "contact_requests": person.contact_requests.select_related("offer"),
        **forms_,
    }
    return render(request, "cases/participant.html", context, status=status)


@requires("participant.create")
@require_http_methods(["GET", "POST"])
def participant_new(request: HttpRequest) -> HttpResponse:
    form = forms.ParticipantForm(request.POST or None)
    person = submit(
        request,
        form,
        lambda **data: services.participant_create(
            by=request.user, organisation=organisation(request), **form.service_fields()
        ),
        _("Die Person wurde angelegt."),
    )
    if person is not None:
        return redirect("cases:participant", participant_id=person.pk)
    return form_page(request, "cases/participant_form.html", form, None)


@requires("participant.edit")
@require_http_methods(["GET", "POST"])
def participant_edit(request: HttpRequest, participant_id) -> HttpResponse:
    person = participant_or_404(request, participant_id)
    form = forms.ParticipantForm(
        request.POST or None, initial=forms.ParticipantForm.initial_for(person), editing=True
    )
    if submit(
        request,
        form,
        lambda version, **data: services.participant_update(
            person, by=request.user, version=version, **form.service_fields()
        ),
        _("Die Angaben wurden gespeichert."),
    ):
        return redirect("cases:participant", participant_id=person.pk)
    return form_page(request, "cases/participant_form.html", form, person, participant=person)


@requires("participant.view")
@require_safe
def participant_detail(request: HttpRequest, participant_id) -> HttpResponse:
    person = participant_or_404(request, participant_id)
    return render_participant(request, person)


def _household_link(person, *, by, household, **data):
    """The household chosen by id: one of a member of the same organisation (404 otherwise)."""
    if household:
        member = (
            selectors.participants_for(by, person.organisation)
            .filter(household_id=household)
            .select_related("household")
            .first()
        )
        if member is None:
            raise Http404
        household = member.household
    return services.household_link(person, by=by, household=household or None, **data)


#: The file page, which the POST views of the person's file act from.
PAGE = Page(
    load=participant_or_404,
    render=render_participant,
    back=lambda person: redirect("cases:participant", participant_id=person.pk),
)
_FILE = replace(PAGE, done=DONE)
residence_add = _FILE.post(
    "participant.edit", "residence", forms.ResidenceStatusForm, services.residence_status_record
)
household_link = _FILE.post(
    "participant.edit",
    "household",
    lambda request, person: forms.HouseholdForm(
        request.POST, prefix="household", households=_households(request, person)
    ),
    _household_link,
)

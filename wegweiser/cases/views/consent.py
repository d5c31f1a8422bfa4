"""Consents on a person's file: recorded, withdrawn."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wegweiser.cases import forms, services
from wegweiser.cases.models import Consent
from wegweiser.cases.views.common import (
    act,
    child_or_404,
    organisation,
    participant_or_404,
    submit,
)
from wegweiser.cases.views.participants import recipients, render_participant
from wegweiser.core.access import requires
from wegweiser.organisations.models import Organisation


@requires("consent.record")
@require_POST
def consent_add(request: HttpRequest, participant_id) -> HttpResponse:
    person = participant_or_404(request, participant_id)
    org = organisation(request)
    form = forms.ConsentForm(request.POST, prefix="consent", recipients=recipients(org))

    def save(data):
        recipient = None
        if data["recipient"]:
            recipient = Organisation.objects.filter(pk=data["recipient"]).first()
        return services.consent_record(
            person,
            by=request.user,
            purpose=data["purpose"],
            given_on=data["given_on"],
            text_version=data["text_version"],
            channel=data["channel"],
            recipient=recipient,
            shared_fields=data["shared_fields"],
        )

    if submit(request, form, save, _("Die Einwilligung wurde erfasst.")):
        return redirect("cases:participant", participant_id=person.pk)
    return render_participant(request, person, status=400, consent_form=form)


@requires("consent.withdraw")
@require_POST
def consent_withdraw(request: HttpRequest, participant_id, consent_id) -> HttpResponse:
    person = participant_or_404(request, participant_id)
    consent: Consent = child_or_404(person.consents.all(), consent_id)
    act(
        request,
        lambda: services.consent_withdraw(consent, by=request.user),
        _("Die Einwilligung ist widerrufen."),
    )
    return redirect("cases:participant", participant_id=person.pk)

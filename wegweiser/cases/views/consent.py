"""Consents on a person's file: recorded, withdrawn."""

from __future__ import annotations

from django.shortcuts import redirect
from django.utils.translation import gettext_lazy

from wegweiser.cases import forms, services
from wegweiser.cases.views.common import (
    button_post,
    child_or_404,
    form_post,
    organisation,
    participant_or_404,
)
from wegweiser.cases.views.participants import PAGE, recipients
from wegweiser.organisations.models import Organisation


def _consent_record(request, person, data):
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


consent_add = form_post(
    "consent.record",
    PAGE,
    "consent",
    lambda request, person: forms.ConsentForm(
        request.POST, prefix="consent", recipients=recipients(organisation(request))
    ),
    _consent_record,
    gettext_lazy("Die Einwilligung wurde erfasst."),
)
consent_withdraw = button_post(
    "consent.withdraw",
    lambda request, participant_id, consent_id: child_or_404(
        participant_or_404(request, participant_id).consents.all(), consent_id
    ),
    services.consent_withdraw,
    gettext_lazy("Die Einwilligung ist widerrufen."),
    lambda consent: redirect("cases:participant", participant_id=consent.participant_id),
)

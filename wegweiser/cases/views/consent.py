"""Consents on a person's file: recorded, withdrawn."""

from __future__ import annotations

from dataclasses import replace

from django.shortcuts import redirect
from django.utils.translation import gettext_lazy

from wegweiser.cases import forms, services
from wegweiser.cases.views.common import child_or_404, organisation, participant_or_404
from wegweiser.cases.views.participants import PAGE, recipients
from wegweiser.organisations.models import Organisation


def _consent_record(person, *, by, recipient, **data):
    """The recipient chosen by id (any other organisation)."""
    chosen = Organisation.objects.filter(pk=recipient).first() if recipient else None
    return services.consent_record(person, by=by, recipient=chosen, **data)


def _consent(request, participant_id, consent_id):
    person = participant_or_404(request, participant_id)
    return child_or_404(person.consents.all(), consent_id)


consent_add = PAGE.post(
    "consent.record",
    "consent",
    lambda request, person: forms.ConsentForm(
        request.POST, prefix="consent", recipients=recipients(organisation(request))
    ),
    _consent_record,
)
#: A consent on the file page of its person.
CONSENT = replace(
    PAGE,
    load=_consent,
    back=lambda consent: redirect("cases:participant", participant_id=consent.participant_id),
    done={"withdraw": gettext_lazy("Die Einwilligung ist widerrufen.")},
)
consent_withdraw = CONSENT.button("consent.withdraw", "withdraw", services.consent_withdraw)

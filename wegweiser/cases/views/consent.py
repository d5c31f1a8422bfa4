"""Consents on a person's file: recorded, withdrawn."""

from __future__ import annotations

from dataclasses import replace

from django.utils.translation import gettext_lazy

from wegweiser.cases import forms, selectors, services
from wegweiser.cases.views.common import organisation
from wegweiser.cases.views.participants import PAGE
from wegweiser.organisations.models import Organisation

#: What the user is told after a change of a consent (on the file page).
DONE = {
    "consent": gettext_lazy("Die Einwilligung wurde erfasst."),
    "withdraw": gettext_lazy("Die Einwilligung ist widerrufen."),
}


def _consent_record(person, *, by, recipient, **data):
    """The recipient chosen by id (any other organisation)."""
    chosen = Organisation.objects.filter(pk=recipient).first() if recipient else None
    return services.consent_record(person, by=by, recipient=chosen, **data)


_FILE = replace(PAGE, done=DONE)
consent_add = _FILE.post(
    "consent.record",
    "consent",
    lambda request, person: forms.ConsentForm(
        request.POST,
        prefix="consent",
        recipients=selectors.consent_recipients(organisation(request)),
    ),
    _consent_record,
)
consent_withdraw = _FILE.button(
    "consent.withdraw", "withdraw", services.consent_withdraw, child=("consents", "consent_id")
)

"""A contact request sent from the public self-check: the only row the self-check writes.

The person's data live in the case-management models (participant, case, consent) of the
organisation that runs the chosen offer; this row links them to the reference number the
person was given, the offer and the language of the request.
"""

from __future__ import annotations

import secrets
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

#: No 0/O, 1/I/L: a reference read out on the phone must not be misheard.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_reference() -> str:
    """``SC-XXXX-XXXX``: 8 random characters (31^8 ≈ 8.5·10^11), not derived from any data."""
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"SC-{chars[:4]}-{chars[4:]}"


class ContactRequest(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(
        _("Vorgangsnummer"), max_length=16, unique=True, default=new_reference, editable=False
    )
    offer = models.ForeignKey(
        "directory.Offer",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("Angebot"),
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Organisation"),
    )
    participant = models.ForeignKey(
        "cases.Participant",
        on_delete=models.CASCADE,
        related_name="contact_requests",
        verbose_name=_("Person"),
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.CASCADE,
        related_name="contact_requests",
        verbose_name=_("Fall"),
    )
    consent = models.ForeignKey(
        "cases.Consent", on_delete=models.CASCADE, related_name="+", verbose_name=_("Einwilligung")
    )
    language = models.CharField(_("Sprache der Anfrage"), max_length=8)
    created_at = models.DateTimeField(_("gesendet am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Kontaktanfrage aus dem Selbstcheck")
        verbose_name_plural = _("Kontaktanfragen aus dem Selbstcheck")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.reference

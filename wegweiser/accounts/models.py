"""Who works for which organisation, in which role.

A user may belong to several organisations. What a role may do is decided in one place,
:mod:`wegweiser.accounts.permissions`; views ask it and deny by default.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wegweiser.organisations.models import Organisation


class Role(models.TextChoices):
    COUNSELLOR = "counsellor", _("Beratung / Fallmanagement")
    TEAM_LEAD = "team_lead", _("Teamleitung")
    NETWORK_COORDINATOR = "network_coordinator", _("Netzwerkkoordination")
    PROGRAMME_ADMIN = "programme_admin", _("Programmverwaltung")
    DATA_PROTECTION_OFFICER = "dpo", _("Datenschutzbeauftragte")
    PLATFORM_ADMIN = "platform_admin", _("Plattform-Administration")
    #: Maintains the organisation's offers in the public directory; no case management.
    OFFER_EDITOR = "offer_editor", _("Angebotspflege")
    #: Runs the organisation's volunteer pools (Lotsen, lay interpreters); no case management.
    VOLUNTEER_COORDINATOR = "volunteer_coordinator", _("Ehrenamtskoordination")
    #: A volunteer with a login: her own availability, offers and hours, nothing else.
    VOLUNTEER = "volunteer", _("Ehrenamt")
    #: Funding administration (issue 15): applies for funding for its organisation ...
    FUNDING_APPLICANT = "funding_applicant", _("Antragstellung")
    #: ... and, at the granting authority (Bewilligungsbehörde), reviews and decides.
    FUNDING_REVIEWER = "funding_reviewer", _("Bewilligungsbehörde: Prüfung")
    FUNDING_APPROVER = "funding_approver", _("Bewilligungsbehörde: Bewilligung")
    #: Sees the ESF Plus reports of the programmes its organisation takes part in: aggregates
    #: only, small cells suppressed (docs/reporting.md).
    FUNDER = "funder", _("Mittelgeber")


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("Rolle"), max_length=30, choices=Role.choices)

    class Meta:
        verbose_name = _("Mitgliedschaft")
        verbose_name_plural = _("Mitgliedschaften")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="unique_membership_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"

"""What a user wants to be told by e-mail (the reminders sent of check-ins are the case
management's: ``cases.models.FollowUpReminder``).

Notifications name no person: a mail says that something new is there (a contact request with
its reference number, a referral, an answer, check-ins that are due) and links to the page.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationSettings(models.Model):
    """One user's choice; a user without a row gets mails in German (the defaults)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_settings",
    )
    email_enabled = models.BooleanField(_("E-Mail-Benachrichtigungen"), default=True)
    language = models.CharField(
        _("Sprache der E-Mails"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    updated_at = models.DateTimeField(_("geändert"), auto_now=True)

    class Meta:
        verbose_name = _("Benachrichtigungseinstellung")
        verbose_name_plural = _("Benachrichtigungseinstellungen")

    def __str__(self) -> str:
        return str(self.user)

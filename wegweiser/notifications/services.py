"""A user's own notification settings. The mails themselves (``mail.py``) are sent by the
apps whose events they announce (``cases/services/notify.py``)."""

from __future__ import annotations

from django.db import transaction

from wegweiser.audit.models import AuditAction
from wegweiser.audit.services import audit
from wegweiser.notifications.models import NotificationSettings

# --- the user's own settings ---------------------------------------------------------------------


def settings_for(user) -> NotificationSettings:
    """The user's settings (not saved when she has none yet: the defaults)."""
    return NotificationSettings.objects.filter(user=user).first() or NotificationSettings(user=user)


@transaction.atomic
def notification_settings_save(*, by, email_enabled: bool, language: str, email: str):
    """The user's own choice of mails and language, and her address for them.

    A changed address is recorded in the audit log (field names only); the view asks for the
    password before it calls this.
    """
    prefs, _created = NotificationSettings.objects.update_or_create(
        user=by, defaults={"email_enabled": email_enabled, "language": language}
    )
    if email != by.email:
        by.email = email
        by.save(update_fields=["email"])
        audit(
            actor=by,
            organisation=None,
            action=AuditAction.UPDATE,
            obj=by,
            detail={"fields": ["email"]},
        )
    return prefs

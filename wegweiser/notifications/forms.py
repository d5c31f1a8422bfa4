"""The settings form: mails on or off, their language, the address (with the password)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from wegweiser.core.forms import AccessibleForm


class NotificationSettingsForm(AccessibleForm):
    email_enabled = forms.BooleanField(
        label=_("E-Mails senden, wenn etwas Neues für mich da ist"),
        required=False,
        help_text=_(
            "Neue Kontaktanfragen, eingegangene und beantwortete Überweisungen, fällige "
            "Nachbetreuungstermine. Die E-Mails nennen keine Personen."
        ),
    )
    language = forms.ChoiceField(label=_("Sprache der E-Mails"), choices=settings.LANGUAGES)
    email = forms.EmailField(
        label=_("E-Mail-Adresse"),
        required=False,
        help_text=_("An diese Adresse gehen die E-Mails."),
    )
    password = forms.CharField(
        label=_("Ihr Passwort"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Nur nötig, wenn Sie die E-Mail-Adresse ändern."),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        email = data.get("email")
        changed = email is not None and email.casefold() != (self.user.email or "").casefold()
        if changed and not self.user.check_password(data.get("password") or ""):
            self.add_error(
                "password",
                _("Bitte geben Sie Ihr Passwort ein, um die E-Mail-Adresse zu ändern."),
            )
        if data.get("email_enabled") and not email:
            self.add_error("email", _("Ohne E-Mail-Adresse können wir Ihnen keine E-Mails senden."))
        return data

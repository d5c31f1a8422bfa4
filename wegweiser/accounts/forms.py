"""Forms of the account pages: they validate input only; the rules are in ``services``.

The password forms are Django's, with the password rules as plain help text (Django gives them
as an HTML list, which does not belong in the help paragraph of ``core/_form_fields.html``).
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.password_validation import password_validators_help_texts
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from wegweiser.accounts.models import Role
from wegweiser.organisations.vocabulary import ORGANISATION_KINDS


def _plain_password_help(form: forms.Form) -> None:
    field = form.fields.get("new_password1")
    if field is not None:
        field.help_text = " ".join(str(t) for t in password_validators_help_texts())


class SetPasswordForm(auth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _plain_password_help(self)


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _plain_password_help(self)


class PasswordResetForm(auth_forms.PasswordResetForm):
    email = forms.EmailField(
        label=_("E-Mail-Adresse"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("Die Adresse, die bei Ihrem Konto hinterlegt ist."),
    )


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=250)
    kind = forms.ChoiceField(label=_("Art"), choices=[("", "–"), *ORGANISATION_KINDS.items()])
    email = forms.EmailField(label=_("E-Mail"), required=False)
    phone = forms.CharField(label=_("Telefon"), max_length=40, required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")


def _role_field(*, required: bool, help_text) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("Rollen"),
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        required=required,
        help_text=help_text,
        error_messages={"required": _("Bitte wählen Sie mindestens eine Rolle.")},
    )


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("E-Mail-Adresse"),
        help_text=_("An diese Adresse geht die Einladung. Sie ist auch der Benutzername."),
    )
    roles = _role_field(
        required=True,
        help_text=_("Eine Person kann mehrere Rollen haben. „Angebotspflege“ sieht keine Fälle."),
    )
    language = forms.ChoiceField(label=_("Sprache der Einladung"), choices=settings.LANGUAGES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = get_language()


class RolesForm(forms.Form):
    roles = _role_field(
        required=False,
        help_text=_("Ohne Rolle gehört die Person nicht mehr zu dieser Organisation."),
    )

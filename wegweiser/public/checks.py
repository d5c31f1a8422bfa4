"""System checks of the public pages: the operator's contacts must be set before going live."""

from django.conf import settings
from django.core.checks import Warning, register

OPERATOR_SETTINGS = ("OPERATOR_NAME", "OPERATOR_ADDRESS", "ACCESSIBILITY_EMAIL", "PRIVACY_EMAIL")


@register(deploy=True)
def operator_contacts(app_configs, **kwargs):
    missing = [name for name in OPERATOR_SETTINGS if not getattr(settings, name, "")]
    if not missing:
        return []
    variables = ", ".join(f"WEGWEISER_{name}" for name in missing)
    return [
        Warning(
            f"The operator's contacts are not set: {variables}.",
            hint=(
                "The accessibility statement needs a feedback contact (BITV 2.0), the privacy "
                "notice the controller and a privacy contact (Art. 13 GDPR); while its contact "
                "is missing, a page says that the installation is not set up."
            ),
            id="public.W001",
        )
    ]

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "wegweiser.audit"
    verbose_name = _("Protokoll")

    def ready(self):
        from wegweiser.audit import checks  # noqa: F401 (registers the system check)

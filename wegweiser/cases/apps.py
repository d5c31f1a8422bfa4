from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "wegweiser.cases"
    verbose_name = _("Fallmanagement")

    def ready(self):
        from wegweiser.cases import audit_detail

        audit_detail.register_detail_keys()

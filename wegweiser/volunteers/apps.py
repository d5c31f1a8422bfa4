from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "wegweiser.volunteers"
    verbose_name = _("Ehrenamt")

    def ready(self):
        from wegweiser.core.demo import Step, register
        from wegweiser.volunteers import audit_detail, demo

        audit_detail.register_detail_keys()
        register(Step(50, "volunteers", demo.demo_step))

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "wegweiser.cases"
    verbose_name = _("Fallmanagement")

    def ready(self):
        from wegweiser.cases import audit_detail, demo
        from wegweiser.core.demo import Step, register

        audit_detail.register_detail_keys()
        register(Step(40, "cases", demo.demo_step, refuses_rebuild=demo.rebuild_refusal))

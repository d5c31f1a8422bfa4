from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "wegweiser.reporting"
    verbose_name = _("ESF-Plus-Berichte")

    def ready(self):
        from wegweiser.audit import detail
        from wegweiser.core.demo import Step, register
        from wegweiser.reporting import demo

        formats = detail.one_of(["xlsx", "csv", "monitoring"])
        detail.register("reporting", {"report_format": formats})
        register(Step(50, "reporting", demo.demo_step))

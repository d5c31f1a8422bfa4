from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "wegweiser.organisations"
    verbose_name = _("Organisationen")

    def ready(self):
        from wegweiser.core.demo import Step, register

        register(Step(20, "regions", lambda run: run.call("load_regions")))

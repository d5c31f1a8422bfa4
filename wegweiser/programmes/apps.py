from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "wegweiser.programmes"
    label = "programmes"
    verbose_name = _("Programmkatalog")

    def ready(self):
        from wegweiser.core.demo import Step, register

        register(Step(10, "catalogue", lambda run: run.call("load_catalogue")))

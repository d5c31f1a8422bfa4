from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "wegweiser.directory"
    verbose_name = _("Verzeichnis")

    def ready(self):
        from wegweiser.core.demo import Step, register
        from wegweiser.directory import demo

        register(Step(30, "directory", demo.demo_step, add_arguments=demo.demo_arguments))

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "wegweiser.directory"
    verbose_name = _("Verzeichnis")

    def ready(self):
        from wegweiser.audit.detail import register as register_detail
        from wegweiser.core.demo import Step, register
        from wegweiser.directory import demo
        from wegweiser.directory.models import Offer

        register(Step(30, "directory", demo.demo_step, add_arguments=demo.demo_arguments))
        # the audit entries of directory writes (services.py, import_writer.py): the import a
        # write came from, an offer's new status
        register_detail(
            "directory",
            {
                "imported_from": lambda v: v in {"csv", "hsds"},
                "offer_status": lambda v: v in dict(Offer.STATUS_CHOICES),
            },
        )

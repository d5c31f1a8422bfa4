from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "wegweiser.programmes"
    label = "programmes"
    verbose_name = _("Programmkatalog")

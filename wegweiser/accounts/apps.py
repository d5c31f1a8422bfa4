from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "wegweiser.accounts"
    verbose_name = _("Konten und Rollen")

    def ready(self):
        from wegweiser.accounts.models import Role
        from wegweiser.audit.detail import is_bool, list_of, one_of, register

        # the platform administration's audit entries (services.py): role values, never a name
        # or an address
        register(
            "accounts",
            {
                "roles": list_of(one_of(Role)),
                "previous_roles": list_of(one_of(Role)),
                "new_account": is_bool,
            },
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "wegweiser.accounts"
    verbose_name = _("Konten und Rollen")

    def ready(self):
        from wegweiser.accounts import permissions, second_factor
        from wegweiser.accounts.models import Role
        from wegweiser.audit.detail import is_bool, list_of, one_of, register
        from wegweiser.core import access
        from wegweiser.core.demo import Step
        from wegweiser.core.demo import register as register_step

        # the one table of who may do what answers core.access.requires and the "may" filter
        access.use_permission_table(permissions.can)

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
        # after every step that creates demo logins: their second factor (the published key)
        register_step(Step(90, "second-factor", second_factor.demo_step))

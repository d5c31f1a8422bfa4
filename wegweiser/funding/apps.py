from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "wegweiser.funding"
    verbose_name = _("Förderverwaltung")

    def ready(self):
        from wegweiser.audit.detail import is_uuid, one_of, register
        from wegweiser.core.demo import Step
        from wegweiser.core.demo import register as register_step
        from wegweiser.funding import demo, demo_network
        from wegweiser.funding.models import Status

        register(
            "funding",
            {
                "funding_status": one_of(Status),
                "funding_project": is_uuid,
                "tranche": lambda v: isinstance(v, int) and not isinstance(v, bool) and v > 0,
            },
        )
        register_step(Step(60, "funding", demo.demo_step))
        register_step(Step(61, "funding-network", demo_network.demo_step))

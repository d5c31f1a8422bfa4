from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "wegweiser.public"
    label = "public"
    verbose_name = "Selbstcheck"

    def ready(self):
        from wegweiser.core.demo import Step, register
        from wegweiser.public import (
            checks,  # noqa: F401 (registers the system check)
            demo,
        )

        register(Step(45, "public", demo.demo_step))

from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "wegweiser.public"
    label = "public"
    verbose_name = "Selbstcheck"

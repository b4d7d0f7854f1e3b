from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "carelead.core"
    label = "core"
    verbose_name = "Core"

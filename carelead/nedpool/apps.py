from django.apps import AppConfig


class NedPoolConfig(AppConfig):
    name = "carelead.nedpool"
    label = "nedpool"
    verbose_name = "Non-executive director candidate pool"

    def ready(self) -> None:
        from carelead.nedpool import monitors, permissions  # noqa: F401 - declare permissions, register the monitor

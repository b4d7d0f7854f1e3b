from django.apps import AppConfig


class NedPoolConfig(AppConfig):
    name = "carelead.nedpool"
    label = "nedpool"
    verbose_name = "Non-executive director candidate pool"

    def ready(self) -> None:
        from carelead.nedpool import permissions  # noqa: F401 - declares this app's permissions

from django.apps import AppConfig


class EqualityConfig(AppConfig):
    name = "carelead.equality"
    label = "equality"

    def ready(self) -> None:
        from carelead.equality import permissions  # noqa: F401 - declares this app's permissions
        from carelead.equality.signals import connect

        connect()

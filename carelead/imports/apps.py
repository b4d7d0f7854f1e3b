from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "carelead.imports"
    label = "imports"

    def ready(self) -> None:
        from carelead.imports import permissions  # noqa: F401 - declares this app's permissions

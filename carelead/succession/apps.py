from django.apps import AppConfig


class SuccessionConfig(AppConfig):
    name = "carelead.succession"
    label = "succession"
    verbose_name = "Succession plans"

    def ready(self) -> None:
        from carelead.succession import permissions  # noqa: F401 - declares this app's permissions

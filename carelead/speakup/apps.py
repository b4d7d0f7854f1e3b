from django.apps import AppConfig


class SpeakUpConfig(AppConfig):
    name = "carelead.speakup"
    label = "speakup"
    verbose_name = "Speak up"

    def ready(self) -> None:
        from carelead.speakup import permissions, permissions_returns  # noqa: F401 - declares this app's permissions

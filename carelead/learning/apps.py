from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "carelead.learning"
    label = "learning"

    def ready(self) -> None:
        from carelead.learning import permissions  # noqa: F401 - declares this app's permissions

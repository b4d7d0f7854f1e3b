from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "carelead.feedback"
    label = "feedback"
    verbose_name = "360 feedback"

    def ready(self) -> None:
        from carelead.feedback import checks, permissions  # noqa: F401 - declares permissions, registers the check

from django.apps import AppConfig


class ActionPlansConfig(AppConfig):
    name = "carelead.actionplans"
    label = "actionplans"
    verbose_name = "EDI action plans"

    def ready(self) -> None:
        from carelead.actionplans import permissions  # noqa: F401 - declares this app's permissions

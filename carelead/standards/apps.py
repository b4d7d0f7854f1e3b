from django.apps import AppConfig


class StandardsConfig(AppConfig):
    name = "carelead.standards"
    label = "standards"
    verbose_name = "Standards, curriculum and the progression gate"

    def ready(self) -> None:
        from carelead.standards import permissions  # noqa: F401 - declares this app's permissions

from django.apps import AppConfig


class BoardDiversityConfig(AppConfig):
    name = "carelead.boarddiversity"
    label = "boarddiversity"
    verbose_name = "Board diversity"

    def ready(self) -> None:
        from carelead.boarddiversity import permissions  # noqa: F401 - declares this app's permissions

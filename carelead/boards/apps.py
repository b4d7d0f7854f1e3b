from django.apps import AppConfig


class BoardsConfig(AppConfig):
    name = "carelead.boards"
    label = "boards"
    verbose_name = "Boards"

    def ready(self) -> None:
        from carelead.boards import permissions  # noqa: F401 - declares this app's permissions

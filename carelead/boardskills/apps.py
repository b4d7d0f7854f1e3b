from django.apps import AppConfig


class BoardSkillsConfig(AppConfig):
    name = "carelead.boardskills"
    label = "boardskills"
    verbose_name = "Board skills"

    def ready(self) -> None:
        from carelead.boardskills import permissions  # noqa: F401 - declares this app's permissions

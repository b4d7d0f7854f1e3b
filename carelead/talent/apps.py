from django.apps import AppConfig


class TalentConfig(AppConfig):
    name = "carelead.talent"
    label = "talent"
    verbose_name = "Talent and careers"

    def ready(self) -> None:
        from carelead.talent import permissions  # noqa: F401 - declares this app's permissions

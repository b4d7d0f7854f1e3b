from django.apps import AppConfig


class TalentConfig(AppConfig):
    name = "carelead.talent"
    label = "talent"
    verbose_name = "Talent and careers"

    def ready(self) -> None:
        from carelead.talent import monitors, permissions  # noqa: F401 - permissions and the fairness monitor

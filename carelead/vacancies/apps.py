from django.apps import AppConfig


class VacanciesConfig(AppConfig):
    name = "carelead.vacancies"
    label = "vacancies"
    verbose_name = "Vacancies, recruitment and matching"

    def ready(self) -> None:
        from carelead.vacancies import monitors, permissions  # noqa: F401 - permissions and the fairness monitor

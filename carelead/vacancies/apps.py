from django.apps import AppConfig


class VacanciesConfig(AppConfig):
    name = "carelead.vacancies"
    label = "vacancies"
    verbose_name = "Vacancies, recruitment and matching"

    def ready(self) -> None:
        from carelead.vacancies import permissions  # noqa: F401 - declares this app's permissions

from django.apps import AppConfig


class AppraisalsConfig(AppConfig):
    name = "carelead.appraisals"
    label = "appraisals"
    verbose_name = "Appraisals"

    def ready(self) -> None:
        from carelead.appraisals import monitors, permissions  # noqa: F401 - permissions and the fairness monitor

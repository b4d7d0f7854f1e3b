from django.apps import AppConfig


class BoardAppraisalsConfig(AppConfig):
    name = "carelead.boardappraisals"
    label = "boardappraisals"
    verbose_name = "Board member appraisals"

    def ready(self) -> None:
        from carelead.boardappraisals import permissions  # noqa: F401 - declares this app's permissions

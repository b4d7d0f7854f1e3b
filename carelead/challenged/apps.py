from django.apps import AppConfig


class ChallengedConfig(AppConfig):
    name = "carelead.challenged"
    label = "challenged"
    verbose_name = "Challenged organisations and incentives"

    def ready(self) -> None:
        from carelead.challenged import permissions  # noqa: F401 - declares this app's permissions
        from carelead.challenged.signals import connect

        connect()

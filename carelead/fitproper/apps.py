from django.apps import AppConfig


class FitProperConfig(AppConfig):
    name = "carelead.fitproper"
    label = "fitproper"
    verbose_name = "Fit and proper person test"

    def ready(self) -> None:
        from carelead.fitproper import permissions  # noqa: F401 - declares this app's permissions

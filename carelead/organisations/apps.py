from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "carelead.organisations"
    label = "organisations"

    def ready(self) -> None:
        from carelead.organisations import permissions  # noqa: F401 - declares this app's permissions

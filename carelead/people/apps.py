from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "carelead.people"
    label = "people"

    def ready(self) -> None:
        from carelead.people import permissions  # noqa: F401 - declares this app's permissions

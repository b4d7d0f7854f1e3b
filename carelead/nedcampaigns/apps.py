from django.apps import AppConfig


class NedCampaignsConfig(AppConfig):
    name = "carelead.nedcampaigns"
    label = "nedcampaigns"
    verbose_name = "NED campaigns"

    def ready(self) -> None:
        from carelead.nedcampaigns import monitors, permissions  # noqa: F401 - declare permissions, register the monitors

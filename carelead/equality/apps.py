from django.apps import AppConfig


class EqualityConfig(AppConfig):
    name = "carelead.equality"
    label = "equality"

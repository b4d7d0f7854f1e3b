from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "carelead.learning"
    label = "learning"

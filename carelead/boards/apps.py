from django.apps import AppConfig


class BoardsConfig(AppConfig):
    name = "carelead.boards"
    label = "boards"

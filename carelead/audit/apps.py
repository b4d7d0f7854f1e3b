from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "carelead.audit"
    label = "audit"

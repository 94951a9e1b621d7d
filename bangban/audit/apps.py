from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "bangban.audit"
    label = "audit"
    verbose_name = "审计"

    def ready(self):
        from . import capture

        capture.connect()

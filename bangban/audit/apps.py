from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "bangban.audit"
    label = "audit"
    verbose_name = "审计日志"

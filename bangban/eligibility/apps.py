from django.apps import AppConfig


class EligibilityConfig(AppConfig):
    name = "bangban.eligibility"
    label = "eligibility"
    verbose_name = "产业政策核实"

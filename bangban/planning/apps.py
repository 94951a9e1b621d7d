from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "bangban.planning"
    label = "planning"
    verbose_name = "代办方案"

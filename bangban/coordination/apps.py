from django.apps import AppConfig


class CoordinationConfig(AppConfig):
    name = "bangban.coordination"
    label = "coordination"
    verbose_name = "协调联办"

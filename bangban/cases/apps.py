from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "bangban.cases"
    label = "cases"
    verbose_name = "办件台账"

from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "bangban.evaluation"
    label = "evaluation"
    verbose_name = "评价回访与问责"

from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "bangban.common"
    label = "common"
    verbose_name = "公共"

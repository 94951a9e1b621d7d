from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "bangban.catalog"
    label = "catalog"
    verbose_name = "事项清单"

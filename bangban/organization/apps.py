from django.apps import AppConfig


class OrganizationConfig(AppConfig):
    name = "bangban.organization"
    label = "organization"
    verbose_name = "区划与部门"

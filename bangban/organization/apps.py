from django.apps import AppConfig


class OrganizationConfig(AppConfig):
    name = "bangban.organization"
    label = "organization"
    verbose_name = "区划与部门"

    def ready(self):
        # the admin reads the same scoping as the pages and the API (bangban.common.scoping)
        from .selectors import register_scopes

        register_scopes()

from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "bangban.projects"
    label = "projects"
    verbose_name = "企业与项目"

    def ready(self):
        # the admin reads the same scoping as the pages and the API (bangban.common.scoping)
        from .selectors import register_scopes

        register_scopes()

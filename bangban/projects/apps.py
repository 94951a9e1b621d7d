from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "bangban.projects"
    label = "projects"
    verbose_name = "企业与项目"

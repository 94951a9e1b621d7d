from django.apps import AppConfig


class WebConfig(AppConfig):
    """The web shell on top of every app: the workbench, the menu, the demo data."""

    name = "bangban.web"
    label = "web"
    verbose_name = "工作台"

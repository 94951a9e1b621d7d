from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "bangban.planning"
    label = "planning"
    verbose_name = "代办方案"

    def ready(self):
        # planning sits above projects: it joins the commission's workflow through the hooks
        # projects offers (agreement creates the draft plan; the commission's page and API
        # show the plan), never by projects importing planning.
        from . import hooks

        hooks.register()

from django.apps import AppConfig


class CoordinationConfig(AppConfig):
    name = "bangban.coordination"
    label = "coordination"
    verbose_name = "会议协调与专业跑腿"

    def ready(self):
        # coordination sits above cases: the deadline scan (cases) calls back into it to
        # remind owner departments of overdue decisions (议定事项).
        # The admin reads the same scoping as the pages and the API (bangban.common.scoping).
        from . import hooks, selectors

        hooks.register()
        selectors.register_scopes()

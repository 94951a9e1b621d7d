from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "bangban.evaluation"
    label = "evaluation"
    verbose_name = "评价回访与问责"

    def ready(self):
        # The admin reads the same scoping as the pages and the API (bangban.common.scoping).
        from . import selectors

        selectors.register_scopes()
        # --- complaints and accountability ---
        # evaluation sits above cases: the deadline scan calls back for overdue complaints.
        from . import complaints_hooks

        complaints_hooks.register()
        # --- end complaints and accountability ---
        # --- ratings, rectifications, follow-up visits ---
        # evaluation sits above projects and cases: completing a commission schedules its
        # follow-up visit, the commission page shows its ratings, the deadline scan tells of
        # overdue rectifications (hooks those apps offer).
        from . import hooks

        hooks.register()
        # --- end ratings, rectifications, follow-up visits ---

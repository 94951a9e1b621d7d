from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "bangban.supervision"
    label = "supervision"
    verbose_name = "督查考核"

    def ready(self):
        # Each part of the app registers its scoping in its own block (several people edit
        # this file). The admin reads the same scoping as the pages and the API.
        # --- monthly report and annual evaluation ---
        from . import reports

        reports.register_scopes()
        # --- end monthly report and annual evaluation ---
        # --- dashboard and staffing ---
        from . import staffing

        staffing.register_scopes()
        # --- end dashboard and staffing ---

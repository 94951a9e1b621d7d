from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "bangban.cases"
    label = "cases"
    verbose_name = "办件台账"

    def ready(self):
        # cases sits above projects: the commission's page and API show the ledger's part,
        # and completing or terminating a commission asks the ledger, through the hooks
        # projects offers.
        # The admin reads the same scoping as the pages and the API (bangban.common.scoping).
        from . import completion, parts, selectors

        parts.register()
        completion.register()
        selectors.register_scopes()

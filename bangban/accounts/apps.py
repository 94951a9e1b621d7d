from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "bangban.accounts"
    label = "accounts"
    verbose_name = "用户与角色"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the login receiver)

        # the admin reads the same scoping as the pages and the API (bangban.common.scoping)
        from .selectors import register_scopes

        register_scopes()

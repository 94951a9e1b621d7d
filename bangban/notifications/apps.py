from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "bangban.notifications"
    label = "notifications"
    verbose_name = "消息通知"

    def ready(self):
        # the admin reads the same scoping as the pages and the API (bangban.common.scoping)
        from .selectors import register_scopes

        register_scopes()

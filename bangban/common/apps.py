from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "bangban.common"
    label = "common"
    verbose_name = "公共"

    def ready(self):
        # The Celery app becomes the current app here, so @shared_task binds to it.
        import bangban.celery  # noqa: F401

from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "bangban.documents"
    label = "documents"
    verbose_name = "文书材料"

    def ready(self) -> None:
        from . import checks  # noqa: F401 — registers the key check

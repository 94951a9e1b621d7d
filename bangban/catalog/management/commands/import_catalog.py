from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bangban.catalog.services import catalog_import_workbook, catalog_version_publish
from bangban.catalog.specs import CatalogValidationError


class Command(BaseCommand):
    help = "从 Excel 工作簿导入事项清单到草稿版本；有任何一行错误则整个文件不导入。"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--publish", action="store_true", help="导入后立即发布")

    def handle(self, *args, file, publish=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件：{file}")
        try:
            draft = catalog_import_workbook(content=path.read_bytes(), filename=path.name)
            if publish:
                draft = catalog_version_publish(version=draft)
        except CatalogValidationError as exc:
            raise CommandError(
                "导入失败，未做任何修改：\n" + "\n".join(str(e) for e in exc.errors)
            ) from exc
        state = "并发布" if publish else "到草稿"
        self.stdout.write(f"已导入{state}：第 {draft.number} 版，{draft.items.count()} 个事项。")

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bangban.catalog.models import CatalogVersion
from bangban.catalog.services import catalog_export_workbook


class Command(BaseCommand):
    help = "把事项清单导出为 Excel 工作簿（默认已发布版本）。"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--number", type=int, help="版本号（默认当前发布版本）")
        parser.add_argument("--draft", action="store_true", help="导出草稿版本")

    def handle(self, *args, file, number=None, draft=False, **options):
        versions = CatalogVersion.objects.all()
        if number is not None:
            chosen = versions.filter(number=number).first()
        elif draft:
            chosen = versions.filter(status=CatalogVersion.Status.DRAFT).first()
        else:
            chosen = versions.filter(status=CatalogVersion.Status.PUBLISHED).first()
        if chosen is None:
            raise CommandError("没有找到要导出的事项清单版本。")
        Path(file).write_bytes(catalog_export_workbook(version=chosen))
        self.stdout.write(f"已导出第 {chosen.number} 版到 {file}。")

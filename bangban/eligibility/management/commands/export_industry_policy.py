from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bangban.eligibility.models import PolicyVersion
from bangban.eligibility.services import policy_version_export


class Command(BaseCommand):
    help = "把产业政策目录的一个版本（默认当前版本）导出为 Excel 文件，可编辑后再导入。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="要写入的 Excel 文件（.xlsx）")
        parser.add_argument(
            "--policy-version", type=int, default=None, help="版本号（默认当前版本）"
        )

    def handle(self, *args, file, policy_version=None, **options):
        version = policy_version
        versions = PolicyVersion.objects.all()
        chosen = (
            versions.filter(pk=version).first()
            if version
            else versions.filter(is_current=True).first()
        )
        if chosen is None:
            raise CommandError("找不到该版本。" if version else "尚未载入产业政策目录。")
        Path(file).write_bytes(policy_version_export(version=chosen))
        self.stdout.write(f"已导出{chosen}：{chosen.entries.count()} 条 → {file}")

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from bangban.common.datafiles import read_yaml
from bangban.supervision.staffing import staffing_minimums_load


class Command(BaseCommand):
    help = "载入人员配备标准（data/supervision/staffing.yaml）。可重复执行。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="用数据文件覆盖已有记录（默认保留管理员的修改）",
        )

    def handle(self, *args, overwrite=False, **options):
        try:
            created, updated = staffing_minimums_load(
                read_yaml("supervision/staffing.yaml").get("minimums", []), overwrite=overwrite
            )
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write(f"人员配备标准：新增 {created} 条，更新 {updated} 条。")

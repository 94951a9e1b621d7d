from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from bangban.common.datafiles import read_yaml
from bangban.planning.promises import time_promises_load


class Command(BaseCommand):
    help = "载入各地公布的审批时间承诺（data/planning/time_promises.yaml）。可重复执行。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="用数据文件覆盖已有记录（默认保留管理员的修改）",
        )

    def handle(self, *args, overwrite=False, **options):
        try:
            created, updated = time_promises_load(
                read_yaml("planning/time_promises.yaml").get("promises", []),
                overwrite=overwrite,
            )
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write(f"审批时间承诺：新增 {created} 条，更新 {updated} 条。")

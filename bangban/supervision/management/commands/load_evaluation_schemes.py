from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from bangban.common.datafiles import read_yaml
from bangban.supervision.services import evaluation_schemes_load


class Command(BaseCommand):
    help = "载入年度综合评价方案（data/supervision/evaluation_schemes.yaml）。可重复执行。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="用数据文件覆盖已有记录（默认保留管理员的修改）",
        )

    def handle(self, *args, overwrite=False, **options):
        rows = read_yaml("supervision/evaluation_schemes.yaml").get("schemes", [])
        try:
            created, updated = evaluation_schemes_load(rows, overwrite=overwrite)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write(f"年度考核方案：新增 {created} 个，更新 {updated} 个。")

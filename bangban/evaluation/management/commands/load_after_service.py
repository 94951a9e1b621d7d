from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from bangban.common.datafiles import read_yaml
from bangban.evaluation.policy import DATA_FILE, after_service_policies_load


class Command(BaseCommand):
    help = "载入回访与差评整改设置（data/evaluation/after_service.yaml）。可重复执行。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="用数据文件覆盖已有记录（默认保留管理员的修改）",
        )

    def handle(self, *args, overwrite=False, **options):
        try:
            created, updated = after_service_policies_load(
                read_yaml(DATA_FILE).get("policies", []), overwrite=overwrite
            )
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write(f"回访与整改设置：新增 {created} 条，更新 {updated} 条。")

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from bangban.common.datafiles import read_yaml
from bangban.organization.services import function_holders_load, organization_load


class Command(BaseCommand):
    help = (
        "载入区划、部门、领域牵头部门和按区划的办理部门（data/organization/*.yaml）。可重复执行。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="用数据文件覆盖已有记录（默认保留管理员的修改）",
        )

    def handle(self, *args, overwrite=False, **options):
        try:
            report = organization_load(
                regions=read_yaml("organization/regions.yaml").get("regions", []),
                departments=read_yaml("organization/departments.yaml").get("departments", []),
                rules=read_yaml("organization/routing.yaml").get("rules", []),
                overwrite=overwrite,
            )
            holders = function_holders_load(
                rows=read_yaml("organization/function_holders.yaml").get("holders", []),
                overwrite=overwrite,
            )
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write(f"区划与部门：{report}")
        self.stdout.write(f"办理部门（按区划）：新增 {holders[0]}、更新 {holders[1]}")

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from bangban.common.datafiles import read_yaml
from bangban.eligibility.services import policy_entries_load

DEFAULT_FILE = "industry/policy.yaml"


class Command(BaseCommand):
    help = (
        "载入产业政策条目（默认 data/industry/policy.yaml）：按标识新增缺少的条目；"
        "已有条目保留管理员的修改，除非指定 --overwrite。可重复执行。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=DEFAULT_FILE)
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="用文件内容覆盖已有条目（管理员的修改会丢失）。",
        )

    def handle(self, *args, file=DEFAULT_FILE, overwrite=False, **options):
        data = read_yaml(file)
        try:
            result = policy_entries_load(data=data, overwrite=overwrite)
        except ValidationError as exc:
            raise CommandError(
                "产业政策条目有误，未做任何修改：\n" + "\n".join(exc.messages)
            ) from exc
        message = (
            f"产业政策条目 {result.total} 条：新增 {len(result.created)} 条，"
            f"更新 {len(result.updated)} 条，未变 {len(result.unchanged)} 条"
        )
        if result.kept:
            message += f"，保留管理员修改 {len(result.kept)} 条（{'、'.join(result.kept)}）"
        self.stdout.write(message + "。")

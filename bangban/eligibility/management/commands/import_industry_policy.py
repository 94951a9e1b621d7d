import datetime as dt
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from bangban.eligibility.services import policy_version_import
from bangban.rules import screening


def _totals(text: str) -> dict[str, int]:
    parts = [p.strip() for p in text.replace("，", ",").split(",")]
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        raise CommandError("--totals 应为三个整数：鼓励类,限制类,淘汰类（如 352,231,422）。")
    return dict(zip(screening.COUNTED_CLASSES, (int(p) for p in parts), strict=True))


class Command(BaseCommand):
    help = (
        "从 Excel 文件导入产业政策条目，作为目录的新版本并设为当前版本（核实读取当前版本）。"
        "任何一行有误，整个文件都不导入，并列出行号和列名。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Excel 文件（.xlsx），格式同 export_industry_policy")
        parser.add_argument(
            "--source", required=True, help="目录文件名称，如《产业结构调整指导目录（2024年本）》"
        )
        parser.add_argument("--date", required=True, help="目录日期（发布或施行），YYYY-MM-DD")
        parser.add_argument(
            "--totals",
            default="",
            help="官方条目总数：鼓励类,限制类,淘汰类（默认取 data/industry/catalogs.yaml）",
        )
        parser.add_argument("--note", default="", help="版本说明")

    def handle(self, *args, file, source, date, totals="", note="", **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        try:
            source_date = dt.date.fromisoformat(date)
        except ValueError:
            raise CommandError(f"目录日期“{date}”应为 YYYY-MM-DD。") from None
        try:
            version = policy_version_import(
                content=path.read_bytes(),
                file_name=path.name,
                source=source,
                source_date=source_date,
                totals=_totals(totals) if totals else None,
                note=note,
            )
        except ValidationError as exc:
            raise CommandError(
                "产业政策条目文件有误，未做任何修改：\n" + "\n".join(exc.messages)
            ) from exc
        coverage = version.coverage()
        counts = "、".join(
            f"{screening.CLASSES[name]} {coverage.held.get(name, 0)}/{total} 条"
            for name, total in coverage.totals.items()
        )
        state = "目录已完整导入" if coverage.complete else "目录尚未完整导入"
        self.stdout.write(
            f"已导入为{version}并设为当前版本：{counts}，地方规定 {coverage.regional} 条；{state}。"
        )

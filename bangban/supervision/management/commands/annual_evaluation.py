"""``manage.py annual_evaluation 2026 [--region KEY] [--out DIR]``."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bangban.organization.models import Region
from bangban.supervision import annual, exports, reports


class Command(BaseCommand):
    help = (
        "生成某年度的代办帮办服务综合评价（Excel 和 Word：帮办代办/联审联批按部门、按代办帮办员，"
        "专业跑腿按跑腿服务公司），打印文件路径。"
    )

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help="年度，如 2026")
        parser.add_argument("--region", default="", help="区划标识（regions.yaml 的 key）")
        parser.add_argument("--out", default=".", help="输出目录（默认当前目录）")

    def handle(self, *args, year, region, out, **options):
        if not 2000 <= year <= 2100:
            raise CommandError("年度应在 2000 年至 2100 年之间。")
        place = None
        if region:
            place = Region.objects.filter(key=region).first()
            if place is None:
                raise CommandError(f"找不到区划“{region}”。")
        evaluation = annual.annual_evaluation(reports.SYSTEM, year, region=place)
        for text in evaluation["missing"]:
            self.stderr.write(text)
        if not evaluation["tables"]:
            raise CommandError(f"{year}年没有考核方案，请先载入或在管理后台设置。")
        try:
            document = exports.evaluation_document(evaluation, centre=exports.centre_name(place))
        except exports.DocumentUnavailable as exc:
            raise CommandError(exc.message) from exc
        folder = Path(out)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CommandError(f"无法创建输出目录 {folder}：{exc}") from exc
        stem = f"annual-evaluation-{year}" + (f"-{place.key}" if place else "")
        for extension, content in (
            ("xlsx", exports.evaluation_workbook(evaluation)),
            ("docx", document),
        ):
            path = folder / f"{stem}.{extension}"
            try:
                path.write_bytes(content)
            except OSError as exc:
                raise CommandError(f"无法写入 {path}：{exc}") from exc
            self.stdout.write(str(path.resolve()))

"""``manage.py monthly_report 2026-10 [--region KEY] [--out DIR] [--live] [--prepare]``."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from bangban.common.exceptions import StaleVersionError
from bangban.organization.models import Region
from bangban.supervision import exports, reports, services
from bangban.supervision.models import MonthlyReport


class Command(BaseCommand):
    help = (
        "生成某月的代办帮办工作月报（Excel 和 Word），打印文件路径。指定 --region 时为该区划及其下级；"
        "该区划已生成月报时使用月报保存的数据（--live 改用实时数据）。"
        "--prepare：生成并保存月报（待审核），不指定区划时为每个有督查人员的区划。"
    )

    def add_arguments(self, parser):
        parser.add_argument("month", help="月份，格式 YYYY-MM，如 2026-10")
        parser.add_argument("--region", default="", help="区划标识（regions.yaml 的 key）")
        parser.add_argument("--out", default=".", help="输出目录（默认当前目录）")
        parser.add_argument("--live", action="store_true", help="使用实时数据")
        parser.add_argument(
            "--prepare", action="store_true", help="生成并保存月报（待审核），供督查人员审核"
        )

    def handle(self, *args, month, region, out, live, prepare, **options):
        period = reports.parse_month(month)
        if period is None:
            raise CommandError("月份格式应为 YYYY-MM，如 2026-10。")
        place = None
        if region:
            place = Region.objects.filter(key=region).first()
            if place is None:
                raise CommandError(f"找不到区划“{region}”。")
        if prepare:
            self._prepare(period, place)
        report = (
            MonthlyReport.objects.select_related("prepared_by", "reviewed_by")
            .filter(region=place, month=period.start)
            .first()
            if place is not None and not live
            else None
        )
        if report is not None:
            figures = report.figures
        else:
            figures = reports.monthly_figures(reports.SYSTEM, period, region=place)
        folder = Path(out)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CommandError(f"无法创建输出目录 {folder}：{exc}") from exc
        stem = f"monthly-report-{reports.month_key(period)}" + (f"-{place.key}" if place else "")
        status = exports.report_status(report)
        try:
            document = exports.monthly_document(
                figures,
                centre=exports.centre_name(place),
                status=status,
                prepared_by=str(report.prepared_by or "") if report else "",
            )
        except exports.DocumentUnavailable as exc:
            raise CommandError(exc.message) from exc
        written = []
        for extension, content in (
            ("xlsx", exports.monthly_workbook(figures, status=status)),
            ("docx", document),
        ):
            path = folder / f"{stem}.{extension}"
            try:
                path.write_bytes(content)
            except OSError as exc:
                raise CommandError(f"无法写入 {path}：{exc}") from exc
            written.append(path)
        for path in written:
            self.stdout.write(str(path.resolve()))

    def _prepare(self, period, place) -> None:
        regions = [place] if place is not None else services.regions_with_supervisors()
        for region in regions:
            existing = MonthlyReport.objects.filter(region=region, month=period.start).first()
            try:
                report = services.monthly_report_prepare(
                    region=region,
                    period=period,
                    expected_version=existing.version if existing else None,
                )
            except (ValidationError, StaleVersionError) as exc:
                text = "；".join(getattr(exc, "messages", None) or [str(exc)])
                self.stderr.write(f"{region.name}：{text}")
                continue
            services.monthly_report_tell_reviewers(report)
            self.stderr.write(
                f"{region.name}：已生成{period.label}月报（待审核，报送期限 {report.due_date}）。"
            )

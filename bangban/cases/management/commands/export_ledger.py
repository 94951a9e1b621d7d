"""``manage.py export_ledger FILE [--state open] [--warning red] [--user NAME]``: the ledger as
an Excel workbook (the layout of a hand-kept 台账)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from bangban.accounts.models import User
from bangban.cases.exports import ledger_workbook
from bangban.cases.models import Case
from bangban.cases.selectors import case_filter, case_list_for, warning_annotation


class Command(BaseCommand):
    help = "导出办件台账（Excel）。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="输出文件（.xlsx）")
        parser.add_argument("--state", default="", help="状态，或 open（所有未办结的）")
        parser.add_argument("--warning", default="", help="green / yellow / red")
        parser.add_argument("--user", default="", help="按该用户的可见范围导出（默认全部）")

    def handle(self, *args, **options):
        today = timezone.localdate()
        target = Path(options["file"])
        if target.suffix.lower() != ".xlsx":
            raise CommandError("输出文件应以 .xlsx 结尾。")
        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"没有用户「{options['user']}」。")
            queryset = case_list_for(user, today=today)
        else:
            queryset = (
                Case.objects.select_related(
                    "item",
                    "department",
                    "commission__project__enterprise",
                    "commission__agent",
                )
                .annotate(warning=warning_annotation(today))
                .order_by("due_date", "planned_due", "id")
            )
        filters = {"state": options["state"], "warning": options["warning"]}
        queryset = case_filter(queryset, filters, today=today)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(ledger_workbook(queryset, today=today))
        self.stdout.write(f"已导出 {queryset.count()} 个办件到 {target}")

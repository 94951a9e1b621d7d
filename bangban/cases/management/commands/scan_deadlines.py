"""``manage.py scan_deadlines [--date YYYY-MM-DD]``: raise the ledger's warnings, reminders and
escalations that are due (idempotent: a second run creates nothing new)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from bangban.cases.scan import scan_deadlines


class Command(BaseCommand):
    help = "扫描办件期限：黄色/红色预警、容缺补正提醒、超期上报（可重复运行，不重复提醒）。"

    def add_arguments(self, parser):
        parser.add_argument("--date", default="", help="按该日期扫描（默认今天），YYYY-MM-DD")

    def handle(self, *args, **options):
        today = None
        if options["date"]:
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError("日期格式应为 YYYY-MM-DD。") from None
        self.stdout.write(scan_deadlines(today=today).summary())

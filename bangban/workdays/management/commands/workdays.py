"""Ask the working-day calendar from the shell.

    manage.py workdays due 2026-09-30 5     → 2026-10-13
    manage.py workdays is 2026-10-10        → working
    manage.py workdays count 2026-01-01 2026-12-31
    manage.py workdays year 2027

A result that reaches a year whose 调休 is not confirmed ends in " provisional".
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from bangban.rules import workdays as core
from bangban.workdays.selectors import calendar_year_get, get_calendar, package_years

WEEKDAYS = "一二三四五六日"


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise CommandError(f"日期无效：“{value}”，请写成 YYYY-MM-DD，例如 2026-09-30。") from None


def _days(value: str) -> int:
    try:
        n = int(value.strip())
    except ValueError:
        raise CommandError(f"天数无效：“{value}”，请写成不小于 0 的整数。") from None
    if n < 0:
        raise CommandError(f"天数不能为负数：{n}。")
    return n


def _year(value: str) -> int:
    try:
        year = int(value.strip())
    except ValueError:
        raise CommandError(f"年份无效：“{value}”，请写成四位数字，例如 2027。") from None
    if not 1 <= year <= 9999:
        raise CommandError(f"年份超出范围：{year}。")
    return year


def _flag(provisional: bool) -> str:
    return " provisional" if provisional else ""


class Command(BaseCommand):
    requires_system_checks = []  # a read-only query; must not depend on other apps' checks
    help = "查询工作日历：到期日（due）、是否工作日（is）、工作日天数（count）、年度安排（year）。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{due,is,count,year}")
        due = sub.add_parser("due", help="START 之后第 N 个工作日（N=0：当日或下一个工作日）")
        due.add_argument("start", metavar="DATE")
        due.add_argument("n", metavar="N")
        is_ = sub.add_parser("is", help="DATE 是否工作日：working / off")
        is_.add_argument("date", metavar="DATE")
        count = sub.add_parser("count", help="(A, B] 之间的工作日天数")
        count.add_argument("a", metavar="A")
        count.add_argument("b", metavar="B")
        year = sub.add_parser("year", help="某年的放假和调休上班安排，以及是否已确认")
        year.add_argument("year", metavar="YEAR")

    def handle(self, *args, **options):
        action = options["action"]
        try:
            getattr(self, f"_{action}")(options)
        except ValueError as exc:  # e.g. a result beyond year 9999
            raise CommandError(f"无法计算：{exc}") from None

    def _due(self, options):
        start, n = _date(options["start"]), _days(options["n"])
        due = core.add_working_days(get_calendar(), start, n)
        self.stdout.write(f"{due.date.isoformat()}{_flag(due.provisional)}")

    def _is(self, options):
        day = _date(options["date"])
        cal = get_calendar()
        word = "working" if core.is_working_day(cal, day) else "off"
        self.stdout.write(f"{word}{_flag(not core.is_known(cal, day))}")

    def _count(self, options):
        a, b = _date(options["a"]), _date(options["b"])
        result = core.count_working_days(get_calendar(), a, b)
        self.stdout.write(f"{result.days}{_flag(result.provisional)}")

    def _year(self, options):
        year = _year(options["year"])
        cal = get_calendar()
        row = calendar_year_get(year=year)
        sources = []
        if year in package_years():
            sources.append("holidays 软件包")
        if row is not None and row.confirmed:
            sources.append(f"中心录入的通知{f'《{row.notice_title}》' if row.notice_title else ''}")
        if sources:
            self.stdout.write(f"{year}年：已确认（{'；'.join(sources)}）")
        else:
            self.stdout.write(f"{year}年：未确认——仅按周末计算，结果均为暂定（provisional）")
        last = dt.date(year, 12, 31)
        total = core.count_working_days(cal, dt.date(year, 1, 1) - dt.timedelta(days=1), last)
        self.stdout.write(f"工作日：{total.days} 天{_flag(total.provisional)}")
        days = core.year_exceptions(cal, year)
        for title, working in (("休息（工作日放假）", False), ("调休上班（周末上班）", True)):
            chosen = [d for d in days if d.is_working_day == working]
            self.stdout.write(f"{title}：{len(chosen)} 天")
            for info in chosen:
                name = f" {info.name}" if info.name else ""
                self.stdout.write(
                    f"  {info.date.isoformat()} 周{WEEKDAYS[info.date.weekday()]}{name}"
                )

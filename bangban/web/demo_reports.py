"""The demo of the monthly report (SPEC §7, issue #13 item 6), after the rest of the demo
world is built:

* last month's report of each region with supervisors, as the job of the 1st prepares it
  (待审核, due the 15th) — the demo supervisor (鄂尔多斯市) finds it on 月度报表;
* the month before, prepared and reviewed by the demo supervisor (已审核).

The annual evaluation needs no demo record: its schemes are reference data
(``load_evaluation_schemes``). Running it again adds nothing.
"""

from __future__ import annotations

from django.utils import timezone

from bangban.accounts.models import User
from bangban.supervision.models import MonthlyReport
from bangban.supervision.reports import previous_month
from bangban.supervision.services import (
    monthly_report_prepare,
    monthly_report_review,
    monthly_reports_prepare_due,
)


def demo_reports(users: dict[str, User]) -> list[str]:
    """Returns what it made, one line each (nothing on a rerun)."""
    lines = []
    today = timezone.localdate()
    done = monthly_reports_prepare_due(today=today)
    if done["created"]:
        lines.append(f"演示月报：生成上月月报 {done['created']} 份（待审核）。")
    supervisor = users.get("supervisor")
    if supervisor is None or supervisor.region_id is None:
        return lines
    earlier = previous_month(previous_month(today).start)
    region = supervisor.region
    if not MonthlyReport.objects.filter(region=region, month=earlier.start).exists():
        report = monthly_report_prepare(region=region, period=earlier)
        monthly_report_review(
            report=report,
            actor=supervisor,
            expected_version=report.version,
            note="数据已核对。",
        )
        lines.append(f"演示月报：{region.name}{earlier.label}月报已审核。")
    return lines

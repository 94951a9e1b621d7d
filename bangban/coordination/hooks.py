"""What coordination registers with the apps below it (from ``CoordinationConfig.ready()``).

* the deadline scan (``cases.scan.on_scan``): an open decision (议定事项) past its due date
  is overdue like a case; its owner department hears of it once per due date (the message's
  key is ``action-item:<id>:overdue:<due date>``, so a rerun of the scan sends nothing).
"""

from __future__ import annotations

import datetime as dt

from bangban.cases.scan import on_scan
from bangban.notifications.services import notify

from . import lifecycle
from .models import ActionItem


def overdue_decisions_scan(*, today: dt.date) -> int:
    """Tell each overdue decision's owner department; returns the messages queued now."""
    items = (
        ActionItem.objects.filter(status=lifecycle.OPEN, due_date__lt=today)
        .select_related("meeting", "owner_department")
        .order_by("id")
    )
    sent = 0
    for item in items:
        meeting = item.meeting
        sent += len(
            notify(
                event_key=f"action-item:{item.pk}:overdue:{item.due_date:%Y-%m-%d}",
                subject=f"议定事项超期：{item.text[:60]}",
                body=(
                    f"「{meeting.title}」（{meeting.get_kind_display()}）议定由"
                    f"{item.owner_department.name}于 {item.due_date:%Y-%m-%d} 前完成，"
                    "至今未标记完成，请尽快办理。"
                ),
                departments=[item.owner_department],
            )
        )
    return sent


def register() -> None:
    on_scan(overdue_decisions_scan)

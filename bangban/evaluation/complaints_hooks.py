"""What complaints register with the apps below (from ``EvaluationConfig.ready()``).

* the deadline scan (``cases.scan.on_scan``): an open complaint (已登记 or 核查处理中) past
  its due date is overdue; its handler — or, before it was handed over, the centre admins
  and supervisors of its region — hear of it once per due date (the message's key is
  ``complaint:<id>:overdue:<due date>``, so a rerun of the scan sends nothing).
"""

from __future__ import annotations

import datetime as dt

from bangban.accounts.models import User
from bangban.cases.scan import on_scan
from bangban.notifications.services import notify

from .complaints_parties import COORDINATOR_ROLES
from .complaints_selectors import complaints_overdue


def _coordinators_of(region_ids: set[int]) -> dict[int, list[User]]:
    """The active centre admins and supervisors of each region (one query)."""
    found: dict[int, list[User]] = {pk: [] for pk in region_ids}
    users = User.objects.filter(
        is_active=True, role__in=COORDINATOR_ROLES, region_id__in=region_ids
    ).order_by("pk")
    for user in users:
        found[user.region_id].append(user)
    return found


def overdue_complaints_scan(*, today: dt.date) -> int:
    """Tell whoever holds each overdue complaint; returns the messages queued now."""
    complaints = list(complaints_overdue(today))
    waiting = {c.region_id for c in complaints if c.handler_id is None}
    coordinators = _coordinators_of(waiting) if waiting else {}
    sent = 0
    for complaint in complaints:
        users = [complaint.handler] if complaint.handler_id else coordinators[complaint.region_id]
        if not users:
            continue
        about = complaint.subject_department.name if complaint.subject_department_id else ""
        sent += len(
            notify(
                event_key=f"complaint:{complaint.pk}:overdue:{complaint.due_date:%Y-%m-%d}",
                subject=f"投诉超期：{complaint.get_category_display()}",
                body=(
                    f"一件经{complaint.get_channel_display()}收到的投诉"
                    + (f"（涉及{about}）" if about else "")
                    + f"应于 {complaint.due_date:%Y-%m-%d} 前办结，"
                    f"目前「{complaint.get_state_display()}」，请尽快办理。"
                ),
                users=users,
            )
        )
    return sent


def register() -> None:
    on_scan(overdue_complaints_scan)

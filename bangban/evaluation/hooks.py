"""What after service (ratings, rectifications, follow-up visits) registers with the apps below
it (from ``EvaluationConfig.ready()``).

* ``projects.hooks.on_completed``: completing a commission draws whether it is sampled for a
  follow-up visit and schedules the visit (``services.visit_schedule_on_completion``), in the
  completion's transaction.
* ``projects.hooks.page_part``: the commission's page shows its ratings — the enterprise
  rates the completed commission and its completed cases there; staff see the ratings, the
  rectifications and the visits, and record a rating given on paper.
* ``cases.scan.on_scan``: a rectification still being verified or rectified after its due
  date is overdue like a case; its agent and department hear of it once per due date (the
  message's key is ``rectification:<id>:overdue:<due date>``, so a rerun sends nothing).
"""

from __future__ import annotations

import datetime as dt

from bangban.cases.scan import on_scan
from bangban.notifications.services import notify
from bangban.projects import hooks as commission_hooks

from . import lifecycle
from .models import Rectification
from .parts import ratings_card
from .services import visit_schedule_on_completion


def overdue_rectifications_scan(*, today: dt.date) -> int:
    """Tell each overdue rectification's agent and department; returns the messages queued."""
    rows = (
        Rectification.objects.filter(
            state__in=lifecycle.OPEN_RECTIFICATION_STATES, due_date__lt=today
        )
        .select_related(
            "rating", "rating__case__item", "commission__project", "agent", "department"
        )
        .order_by("id")
    )
    sent = 0
    for rect in rows:
        rating = rect.rating
        about = rating.case.item.name if rating.case_id else "代办服务"
        sent += len(
            notify(
                event_key=f"rectification:{rect.pk}:overdue:{rect.due_date:%Y-%m-%d}",
                subject=f"差评整改超期：{rect.commission.project.name}（{about}）",
                body=(
                    f"{rating.get_level_display()}的整改应于 {rect.due_date:%Y-%m-%d} 前核实、"
                    f"整改并反馈评价人，当前「{rect.get_state_display()}」，请尽快办理。"
                ),
                users=[rect.agent] if rect.agent_id else [],
                departments=[rect.department] if rect.department_id else [],
                commission=rect.commission,
            )
        )
    return sent


def register() -> None:
    commission_hooks.on_completed(visit_schedule_on_completion)
    commission_hooks.page_part(ratings_card)
    on_scan(overdue_rectifications_scan)

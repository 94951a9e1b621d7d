"""Who hears of a meeting's or a task order's step (runs after the commit, in-app).

Each history row is one event: its messages carry the key ``meeting:<id>:e<event id>`` or
``task-order:<id>:e<event id>``, so a replay queues nothing twice.

- a meeting arranged, moved to the next date or cancelled: the host and participant
  departments (and the proposer of a cancelled proposal); a proposal: the host department;
  minutes with decisions: the decisions' owner departments; a decision done: the host.
- a task order issued, reissued or cancelled: the errand company; accepted, declined or
  completed: the issuer and the commission's agent.
"""

from __future__ import annotations

from django.utils import timezone

from bangban.notifications.services import notify

from . import lifecycle
from .models import MeetingEvent, TaskOrderEvent

ANNOUNCED = frozenset({"create", lifecycle.SCHEDULE, "created_next", lifecycle.CANCEL})


def _when(meeting) -> str:
    if meeting.starts_at is None:
        return "时间待定"
    return f"{timezone.localtime(meeting.starts_at):%Y-%m-%d %H:%M}"


def meeting_event_notify(*, event_id: int):
    event = (
        MeetingEvent.objects.select_related("meeting__host_department", "action_item")
        .filter(pk=event_id)
        .first()
    )
    if event is None:
        return []
    meeting, action = event.meeting, event.action
    label = lifecycle.MEETING_EVENT_LABELS.get(action, action)
    users, departments = [], []
    if action in ANNOUNCED:
        departments = [meeting.host_department, *meeting.participants.all()]
        if action == lifecycle.CANCEL and meeting.proposed_by_id:
            users = [meeting.proposed_by]
    elif action == "propose":
        departments = [meeting.host_department]
    elif action == lifecycle.MINUTES:
        departments = [
            item.owner_department
            for item in meeting.action_items.filter(status=lifecycle.OPEN).select_related(
                "owner_department"
            )
        ]
    elif action == "item_done":
        departments = [meeting.host_department]
    users = [user for user in users if user.pk != event.actor_id]
    if not users and not departments:
        return []
    body = f"{meeting.get_kind_display()}，{_when(meeting)}，{meeting.place or '地点待定'}。"
    if event.note:
        body += event.note
    return notify(
        event_key=f"meeting:{meeting.pk}:e{event.pk}",
        subject=f"{label}：{meeting.title}",
        body=body,
        users=users,
        departments=departments,
    )


def task_order_event_notify(*, event_id: int):
    event = (
        TaskOrderEvent.objects.select_related(
            "order__company",
            "order__issued_by",
            "order__commission__project",
            "order__commission__agent",
        )
        .filter(pk=event_id)
        .first()
    )
    if event is None:
        return []
    order, action = event.order, event.action
    commission = order.commission
    users, departments = [], []
    if action in (lifecycle.ISSUE, lifecycle.REISSUE, lifecycle.REVOKE):
        departments = [order.company]
    else:
        users = [order.issued_by, commission.agent]
    users = [user for user in users if user is not None and user.pk != event.actor_id]
    label = lifecycle.TASK_ORDER_EVENT_LABELS.get(action, action)
    return notify(
        event_key=f"task-order:{order.pk}:e{event.pk}",
        subject=f"专业跑腿任务单 {order.number} {label}：{commission.project.name}",
        body=f"任务单状态：{order.get_state_display()}。{event.note}",
        users=users,
        departments=departments,
        commission=commission,
    )

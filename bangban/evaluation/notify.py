"""Who hears of a rectification's step or of a visit scheduled (runs after the commit).

Each history row is one event: its messages carry the key ``rectification:<id>:e<event id>``
(a visit: ``follow-up-visit:<id>:scheduled``), so a replay queues nothing twice.

- a rectification opened (a bad rating) or sent back: the responsible agent and department;
- answered: the enterprise's users (the answer to their rating), in-app, SMS and e-mail;
- closed: the responsible agent;
- a sampled or manual visit scheduled: the commission's agent (the return visit of a bad
  rating is made by the centre or the supervisors, who find it on the visit list).
"""

from __future__ import annotations

from bangban.accounts.models import Role, User
from bangban.notifications.services import notify

from . import lifecycle
from .models import FollowUpVisit, RectificationEvent


def _target(rating) -> str:
    commission = rating.commission
    name = commission.project.name
    if rating.case_id is not None:
        return f"{rating.case.item.name}（{name}）"
    return f"{name}的代办服务"


def rectification_event_notify(*, event_id: int):
    event = (
        RectificationEvent.objects.select_related(
            "rectification__rating__case__item",
            "rectification__commission__project",
            "rectification__agent",
            "rectification__department",
        )
        .filter(pk=event_id)
        .first()
    )
    if event is None:
        return []
    rect, action = event.rectification, event.action
    rating = rect.rating
    rating.commission = rect.commission
    target = _target(rating)
    label = lifecycle.RECTIFICATION_EVENT_LABELS.get(action, action)
    users, departments, external = [], [], False
    if action in ("open", lifecycle.REOPEN):
        users, departments = [rect.agent], [rect.department]
        body = (
            f"{rating.get_level_display()}：{rating.comment or '（未填写意见）'}。"
            f"请于 {rect.due_date:%Y-%m-%d} 前核实、整改并反馈评价人。"
        )
        if action == lifecycle.REOPEN:
            body = f"退回原因：{event.note}。请于 {rect.due_date:%Y-%m-%d} 前重新整改并反馈。"
    elif action == lifecycle.ANSWER:
        users = list(
            User.objects.filter(
                role=Role.ENTERPRISE,
                enterprise_id=rect.commission.project.enterprise_id,
                is_active=True,
            )
        )
        external = True
        body = f"您对{target}的评价已整改：{rect.answer}"
    elif action in (lifecycle.CLOSE, "visit_close"):
        users = [rect.agent]
        body = event.note
    else:
        return []
    users = [u for u in users if u is not None and u.pk != event.actor_id]
    departments = [d for d in departments if d is not None]
    if not users and not departments:
        return []
    return notify(
        event_key=f"rectification:{rect.pk}:e{event.pk}",
        subject=f"差评整改 · {label}：{target}",
        body=body,
        users=users,
        departments=departments,
        commission=rect.commission,
        external=external,
    )


def visit_scheduled_notify(*, visit_id: int):
    visit = (
        FollowUpVisit.objects.select_related("commission__project", "commission__agent")
        .filter(pk=visit_id)
        .first()
    )
    if visit is None or visit.reason == FollowUpVisit.Reason.BAD_RATING:
        return []
    agent = visit.commission.agent
    if agent is None:
        return []
    return notify(
        event_key=f"follow-up-visit:{visit.pk}:scheduled",
        subject=f"{visit.get_reason_display()}：{visit.commission.project.name}",
        body=f"请于 {visit.due_date:%Y-%m-%d} 前回访项目单位，并记录回访情况。",
        users=[agent],
        commission=visit.commission,
    )

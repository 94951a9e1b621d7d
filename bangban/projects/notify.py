"""Who hears of what happens to a commission, and what they read (runs after the commit).

Each history row is one event; its messages carry the dedupe key
``commission:<id>:t<transition id>`` so replaying the event queues nothing twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bangban.accounts.models import User
from bangban.notifications.services import notify

from . import lifecycle
from .models import Commission, CommissionTransition
from .selectors import (
    GOVERNMENT_SERVICE_WORDS,
    INVESTMENT_PROMOTION_WORDS,
    zone_departments_named,
)


def _enterprise_users(commission: Commission) -> list[User]:
    return list(User.objects.filter(enterprise_id=commission.project.enterprise_id, is_active=True))


def _sponsor(commission: Commission) -> list[User]:
    return [commission.project.sponsor] if commission.project.sponsor_id else []


def _agent(commission: Commission) -> list[User]:
    return [commission.agent] if commission.agent_id else []


def commission_event_notify(*, transition_id: int, context: Mapping[str, Any] | None = None):
    """Queue the messages of one history row; returns the rows created."""
    event = (
        CommissionTransition.objects.select_related(
            "commission",
            "commission__project",
            "commission__project__enterprise",
            "commission__project__sponsor",
            "commission__lead_department",
            "commission__agent",
            "actor",
        )
        .filter(pk=transition_id)
        .first()
    )
    if event is None:
        return []
    context = context or {}
    commission = event.commission
    project = commission.project
    title = f"{project.name}（{commission.number}）"
    users: list[User] = []
    departments = []
    copies = []
    action = event.action
    if action == lifecycle.APPLY:
        subject = f"新的代办帮办申请：{title}"
        body = (
            f"{project.enterprise.name}申请代办帮办（{commission.get_channel_display()}，"
            f"{commission.get_scope_display()}），请安排代办帮办员联系核实。"
        )
        departments = [commission.lead_department]
        users = _enterprise_users(commission)
        if commission.channel == Commission.Channel.SPONSOR:
            subject = f"招引项目推送：{title}"
            body = (
                f"{project.sponsor_department or project.sponsor}推送已签约项目“{project.name}”"
                f"（{project.enterprise.name}），牵头部门：{commission.lead_department}。"
            )
            copies = zone_departments_named(
                project.region, INVESTMENT_PROMOTION_WORDS
            ) + zone_departments_named(project.region, GOVERNMENT_SERVICE_WORDS)
            users += _sponsor(commission)
    elif action == lifecycle.ASSIGN:
        subject = f"代办帮办员：{title}"
        body = f"{title}的代办帮办员为 {commission.agent}。"
        previous = context.get("previous_agent_id")
        users = _agent(commission) + _enterprise_users(commission) + _sponsor(commission)
        if previous:
            users += list(User.objects.filter(pk=previous))
            body += "（已更换代办帮办员，原代办员不再负责本委托。）"
    elif action == lifecycle.SCREEN:
        subject = f"待发展改革部门决定：{title}"
        body = event.reason or "该项目涉及限制类产能改造，须由发展改革部门决定后继续办理。"
        users = _agent(commission) + _enterprise_users(commission)
        departments = [commission.lead_department]
    elif action in (lifecycle.VERIFY, lifecycle.RESUME_VERIFIED):
        subject = f"已核实，请签署授权委托书和承诺书：{title}"
        body = "项目已核实符合代办帮办条件。请在企业服务台在线确认授权委托书和承诺书。"
        users = _enterprise_users(commission) + _agent(commission) + _sponsor(commission)
    elif action in (lifecycle.REFUSE, lifecycle.RESUME_REFUSED):
        subject = f"不予办理：{title}"
        body = commission.refusal_explanation or event.reason
        users = _enterprise_users(commission) + _agent(commission) + _sponsor(commission)
    elif action in (
        lifecycle.CONFIRM_AUTHORIZATION,
        lifecycle.CONFIRM_COMMITMENT,
        lifecycle.RECORD_SIGNED_SCAN,
    ):
        subject = f"{lifecycle.ACTION_LABELS[action]}：{title}"
        body = f"{event.actor}：{event.reason}"
        users = _agent(commission)
    elif action == lifecycle.AGREE:
        subject = f"已签约：{title}"
        body = "授权委托书和承诺书均已签署，代办帮办员将据此制定代办帮办方案。"
        users = _enterprise_users(commission) + _agent(commission) + _sponsor(commission)
    elif action == lifecycle.TERMINATE:
        subject = f"已终止：{title}"
        body = event.reason
        users = _enterprise_users(commission) + _agent(commission) + _sponsor(commission)
        departments = [commission.lead_department]
    elif action in (lifecycle.ADJUST_PLAN, lifecycle.PLAN, lifecycle.REPLAN, lifecycle.START):
        labels = {
            lifecycle.ADJUST_PLAN: "代办帮办方案调整",
            lifecycle.PLAN: "代办帮办方案已确定",
            lifecycle.REPLAN: "办理进展",
            lifecycle.START: "开始办理",
        }
        subject = f"{labels[action]}：{title}"
        body = event.reason or f"委托状态：{event.to_state_label}。"
        users = _enterprise_users(commission) + _agent(commission) + _sponsor(commission)
    else:
        subject = f"{lifecycle.ACTION_LABELS.get(action, action)}：{title}"
        body = f"委托状态：{event.to_state_label}。"
        users = _enterprise_users(commission) + _sponsor(commission)
    users = [u for u in users if u.pk != event.actor_id]
    return notify(
        event_key=f"commission:{commission.pk}:t{event.pk}",
        subject=subject,
        body=body,
        users=users,
        departments=departments,
        copy_departments=copies,
        commission=commission,
    )

"""Who hears of what happens to a commission, and what they read (runs after the commit).

Each history row is one event; its messages carry the dedupe key
``commission:<id>:t<transition id>`` so replaying the event queues nothing twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bangban.accounts.models import Role, User
from bangban.notifications.services import notify
from bangban.organization.models import Department

from . import lifecycle
from .messages import NOTICES
from .models import Commission, CommissionTransition
from .selectors import deciding_departments, zone_departments_with

#: The zone's departments that get a copy of a sponsor push, by function (Ordos: 抄送投资促进局、
#: 政务服务局), in this order.
SPONSOR_PUSH_COPY_FUNCTIONS = (
    Department.Function.INVESTMENT_PROMOTION,
    Department.Function.AGENCY,
)

#: The plan's events (recorded by `bangban.planning`) → the key of their subject's label.
PLAN_NOTICES = {
    lifecycle.ADJUST_PLAN: "plan_adjusted",
    lifecycle.PLAN: "plan_fixed",
    lifecycle.REPLAN: "plan_replanned",
    lifecycle.START: "plan_started",
}


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
    title = NOTICES["title"].format(project=project.name, number=commission.number)
    users: list[User] = []
    departments = []
    copies = []
    action = event.action
    if action == lifecycle.APPLY:
        subject = NOTICES["apply_subject"].format(title=title)
        body = NOTICES["apply_body"].format(
            enterprise=project.enterprise.name,
            channel=commission.get_channel_display(),
            scope=commission.get_scope_display(),
        )
        departments = [commission.lead_department]
        users = _enterprise_users(commission)
        if commission.channel == Commission.Channel.SPONSOR:
            subject = NOTICES["sponsor_push_subject"].format(title=title)
            body = NOTICES["sponsor_push_body"].format(
                sponsor=project.sponsor_department or project.sponsor,
                project=project.name,
                enterprise=project.enterprise.name,
                lead=commission.lead_department,
            )
            copies = [
                department
                for function in SPONSOR_PUSH_COPY_FUNCTIONS
                for department in zone_departments_with(project.region, function)
            ]
            users += _sponsor(commission)
    elif action == lifecycle.ASSIGN:
        subject = NOTICES["assign_subject"].format(title=title)
        body = NOTICES["assign_body"].format(title=title, agent=commission.agent)
        previous = context.get("previous_agent_id")
        users = _agent(commission) + _enterprise_users(commission) + _sponsor(commission)
        if previous:
            users += list(User.objects.filter(pk=previous))
            body += NOTICES["assign_replaced"]
    elif action == lifecycle.SCREEN:
        subject = NOTICES["screen_subject"].format(title=title)
        body = event.reason or NOTICES["screen_body"]
        users = _agent(commission) + _enterprise_users(commission)
        # the development & reform department decides; the lead department is told too
        departments = [commission.lead_department, *deciding_departments(project.region)]
    elif action in (lifecycle.VERIFY, lifecycle.RESUME_VERIFIED, lifecycle.CONFIRM_ELIGIBLE):
        subject = NOTICES["verified_subject"].format(title=title)
        body = NOTICES["verified_body"]
        users = _enterprise_users(commission) + _agent(commission) + _sponsor(commission)
    elif action in (lifecycle.REFUSE, lifecycle.RESUME_REFUSED):
        subject = NOTICES["refused_subject"].format(title=title)
        body = commission.refusal_explanation or event.reason
        users = _enterprise_users(commission) + _agent(commission) + _sponsor(commission)
    elif action in (
        lifecycle.CONFIRM_AUTHORIZATION,
        lifecycle.CONFIRM_COMMITMENT,
        lifecycle.RECORD_SIGNED_SCAN,
    ):
        subject = NOTICES["letter_subject"].format(
            action=lifecycle.ACTION_LABELS[action], title=title
        )
        body = NOTICES["letter_body"].format(actor=event.actor, reason=event.reason)
        users = _agent(commission)
    elif action == lifecycle.AGREE:
        subject = NOTICES["agreed_subject"].format(title=title)
        body = NOTICES["agreed_body"]
        users = _enterprise_users(commission) + _agent(commission) + _sponsor(commission)
    elif action == lifecycle.TERMINATE:
        subject = NOTICES["terminated_subject"].format(title=title)
        body = event.reason
        users = _enterprise_users(commission) + _agent(commission) + _sponsor(commission)
        departments = [commission.lead_department]
    elif action == lifecycle.COMPLETE:
        subject = NOTICES["completed_subject"].format(title=title)
        body = NOTICES["completed_body"]
        users = _enterprise_users(commission) + _agent(commission) + _sponsor(commission)
    elif action == lifecycle.CONFIRM_COMPLETION:
        subject = NOTICES["completion_confirmed_subject"].format(title=title)
        body = event.reason
        users = _agent(commission)
    elif action == lifecycle.RECORD_COMPLETION_SCAN:
        subject = NOTICES["completion_paper_subject"].format(title=title)
        body = event.reason
        users = _enterprise_users(commission) + _agent(commission)
    elif action == lifecycle.RECORD_ORIGINALS:
        subject = NOTICES["originals_subject"].format(title=title)
        body = event.reason
        users = _enterprise_users(commission)
    elif action in PLAN_NOTICES:
        subject = NOTICES["plan_subject"].format(label=NOTICES[PLAN_NOTICES[action]], title=title)
        body = event.reason or NOTICES["state_body"].format(state=event.to_state_label)
        users = _enterprise_users(commission) + _agent(commission) + _sponsor(commission)
    else:
        subject = NOTICES["other_subject"].format(
            action=lifecycle.ACTION_LABELS.get(action, action), title=title
        )
        body = NOTICES["state_body"].format(state=event.to_state_label)
        users = _enterprise_users(commission) + _sponsor(commission)
    users = [u for u in users if u.pk != event.actor_id]
    message = {
        "event_key": f"commission:{commission.pk}:t{event.pk}",
        "subject": subject,
        "body": body,
        "commission": commission,
    }
    staff = notify(
        **message,
        users=[u for u in users if u.role != Role.ENTERPRISE],
        departments=departments,
        copy_departments=copies,
    )
    # The enterprise also hears by e-mail and SMS (where its users have an address).
    return staff + notify(
        **message, users=[u for u in users if u.role == Role.ENTERPRISE], external=True
    )

"""Who hears of a case's step, and what they read (runs after the commit; SPEC §6 办理进展反馈).

The enterprise hears of every step that matters to it; the agent of what the department did;
the department of a case arriving in its inbox or changing there. Each history row is one
event: its messages carry the key ``case:<id>:e<event id>``, so a replay queues nothing twice.
"""

from __future__ import annotations

from bangban.accounts.models import User
from bangban.notifications.services import notify

from . import lifecycle
from .models import CaseEvent

ENTERPRISE_ACTIONS = frozenset(lifecycle.ACTION_LABELS) - {
    lifecycle.MATERIALS,
    lifecycle.PREREVIEW,
}
AGENT_ACTIONS = frozenset(
    {
        lifecycle.PREREVIEW,
        lifecycle.ACCEPT,
        lifecycle.ACCEPT_GAPS,
        lifecycle.RETURN,
        lifecycle.SUSPEND,
        lifecycle.RESUME,
        lifecycle.APPROVE,
        lifecycle.REFUSE,
    }
)
DEPARTMENT_ACTIONS = frozenset({lifecycle.SUBMIT, lifecycle.SUPPLEMENT, lifecycle.WITHDRAW})


def case_event_notify(*, event_id: int, enterprise: bool = True):
    """Queue the messages of one case event; without ``enterprise`` the enterprise is left
    out (a case withdrawn because its commission was terminated: the enterprise heard of the
    termination itself)."""
    event = (
        CaseEvent.objects.select_related(
            "case__item",
            "case__department",
            "case__commission__project",
            "case__commission__agent",
        )
        .filter(pk=event_id)
        .first()
    )
    if event is None:
        return []
    case = event.case
    commission = case.commission
    action = event.action
    users = []
    if enterprise and action in ENTERPRISE_ACTIONS:
        users += list(
            User.objects.filter(enterprise_id=commission.project.enterprise_id, is_active=True)
        )
    if action in AGENT_ACTIONS and commission.agent_id:
        users.append(commission.agent)
    departments = [case.department] if action in DEPARTMENT_ACTIONS and case.department else []
    users = [user for user in users if user.pk != event.actor_id]
    enterprise = [user for user in users if user.enterprise_id]
    staff = [user for user in users if not user.enterprise_id]
    label = lifecycle.ACTION_LABELS.get(action, action)
    subject = f"{label}：{case.item.name}（{commission.project.name}）"
    body = f"事项状态：{event.get_to_state_display()}。" + (event.reason or "")
    if event.details.get("plan"):
        body += f"\n{event.details['plan']}。"
    key = f"case:{case.pk}:e{event.pk}"
    rows = notify(
        event_key=key,
        subject=subject,
        body=body,
        users=staff,
        departments=departments,
        commission=commission,
    )
    rows += notify(  # the enterprise also by e-mail and SMS where it gave them
        event_key=key,
        subject=subject,
        body=body,
        users=enterprise,
        commission=commission,
        external=True,
    )
    return rows

"""上报 (SPEC §6 "Escalation"): the table, who is the party, and the writes.

    open 待批示 —answer (the leader: instruction + deadline)→ answered 已批示
    open / answered —close (the agent of the commission or the leader: result)→ closed 已办结

An agent raises one for a commission (optionally one of its cases); the deadline scan raises
one for a case overdue by ``escalate_after_days`` working days, or a 容缺 supplement not
made by its date (``scan_key`` keeps that to once per case and due date). The leader is the
active leader nearest above the project's region (its own region first).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from bangban.accounts.models import Role, User
from bangban.common.exceptions import ActionForbidden, StaleVersionError, version_from
from bangban.common.fields import TOO_LONG
from bangban.notifications.services import notify

from .models import Escalation

RAISE = "raise"
ANSWER = "answer"
CLOSE = "close"

MESSAGES = {
    "problem": "请写明需要领导协调解决的问题。",
    "instruction": "请填写批示意见。",
    "due": "请填写办理期限（YYYY-MM-DD），且不早于今天。",
    "result": "请填写办理结果。",
    "no_leader": "该项目所在区划没有在岗的管委会领导，无法上报；请联系中心管理员设置。",
    "illegal": "该上报事项当前「{state}」，不能{action}。",
    "forbidden": "您不能{action}该上报事项。",
    "stale": "该上报事项已被他人修改，请刷新后重试。",
}


def leader_for(commission) -> User | None:
    """The active leader nearest above the project's region (deepest region path first)."""
    path = commission.project.region.path
    leaders = [
        user
        for user in User.objects.filter(role=Role.LEADER, is_active=True)
        .select_related("region")
        .order_by("id")
        if user.region_id and path.startswith(user.region.path)
    ]
    leaders.sort(key=lambda user: -len(user.region.path))
    return leaders[0] if leaders else None


# --- the table -----------------------------------------------------------------------------


def _is_leader(user, escalation: Escalation) -> bool:
    return user.role == Role.LEADER and escalation.leader_id == user.pk


def _is_owner(user, escalation: Escalation) -> bool:
    return _is_leader(user, escalation) or (
        user.role == Role.AGENT and escalation.commission.agent_id == user.pk
    )


@dataclass(frozen=True)
class EscalationAction:
    slug: str
    label: str
    sources: tuple[str, ...]
    target: str
    party: Callable[[object, Escalation], bool]


ACTIONS: tuple[EscalationAction, ...] = (
    EscalationAction(
        ANSWER, "批示", (Escalation.State.OPEN,), Escalation.State.ANSWERED, _is_leader
    ),
    EscalationAction(
        CLOSE,
        "办结",
        (Escalation.State.OPEN, Escalation.State.ANSWERED),
        Escalation.State.CLOSED,
        _is_owner,
    ),
)
BY_SLUG = {action.slug: action for action in ACTIONS}


def escalation_may(user, escalation: Escalation, slug: str) -> bool:
    action = BY_SLUG.get(slug)
    return (
        action is not None and escalation.state in action.sources and action.party(user, escalation)
    )


def escalation_allowed_actions(user, escalation: Escalation) -> list[str]:
    return [action.slug for action in ACTIONS if escalation_may(user, escalation, action.slug)]


# --- writes --------------------------------------------------------------------------------


def _notify_leader(escalation: Escalation) -> None:
    pk = escalation.pk
    transaction.on_commit(
        lambda: notify(
            event_key=f"escalation:{pk}:raised",
            subject=f"上报事项：{escalation.commission.project.name}",
            body=escalation.problem,
            users=[escalation.leader] if escalation.leader_id else [],
            commission=escalation.commission,
        )
    )


def escalation_raise(*, commission, actor, problem: str, case=None) -> Escalation:
    """An agent (of the commission) or a centre admin reports a problem to the leader."""
    problem = _limited(problem, "problem", MESSAGES["problem"])
    if not (
        (actor.role == Role.AGENT and commission.agent_id == actor.pk)
        or actor.role == Role.CENTRE_ADMIN
    ):
        raise ActionForbidden(MESSAGES["forbidden"].format(action="上报"))
    leader = leader_for(commission)
    if leader is None:
        raise ValidationError(MESSAGES["no_leader"])
    with transaction.atomic():
        escalation = Escalation.objects.create(
            commission=commission,
            case=case,
            kind=Escalation.Kind.MANUAL,
            problem=problem,
            raised_by=actor,
            leader=leader,
        )
        _notify_leader(escalation)
    return escalation


def escalation_raise_by_scan(*, case, kind: str, problem: str, key: str) -> Escalation | None:
    """The scan's escalation, once per ``key``; None when it was raised before."""
    leader = leader_for(case.commission)
    try:
        with transaction.atomic():
            escalation = Escalation.objects.create(
                commission=case.commission,
                case=case,
                kind=kind,
                problem=problem,
                leader=leader,
                scan_key=key,
            )
            _notify_leader(escalation)
    except IntegrityError:
        return None
    return escalation


def _limited(value, name: str, message: str) -> str:
    """The stripped text of a required field ``name``: empty answers ``message``, longer than
    the model field allows answers "最多 … 个字符" (nothing is cut off silently)."""
    value = str(value or "").strip()
    if not value:
        raise ValidationError({name: message})
    limit = Escalation._meta.get_field(name).max_length
    if len(value) > limit:
        raise ValidationError({name: TOO_LONG % {"limit_value": limit, "show_value": len(value)}})
    return value


def _text(data, name: str, message: str) -> str:
    return _limited(data.get(name), name, message)


def escalation_act(*, escalation: Escalation, slug: str, actor, data) -> Escalation:
    """Answer or close, validated against the table; a stale ``version`` is refused."""
    action = BY_SLUG[slug]
    with transaction.atomic():
        fresh = (
            Escalation.objects.select_for_update(of=("self",))
            .select_related("commission")
            .get(pk=escalation.pk)
        )
        expected = version_from(data.get("version"))
        if expected is not None and expected != fresh.version:
            raise StaleVersionError(MESSAGES["stale"])
        if fresh.state not in action.sources:
            raise ValidationError(
                MESSAGES["illegal"].format(state=fresh.get_state_display(), action=action.label)
            )
        if not action.party(actor, fresh):
            raise ActionForbidden(MESSAGES["forbidden"].format(action=action.label))
        now = timezone.now()
        if slug == ANSWER:
            fresh.instruction = _text(data, "instruction", MESSAGES["instruction"])
            due = data.get("instruction_due")
            try:
                due = due if isinstance(due, dt.date) else dt.date.fromisoformat(str(due))
            except ValueError:
                due = None
            if due is None or due < timezone.localdate():
                raise ValidationError({"instruction_due": MESSAGES["due"]})
            fresh.instruction_due = due
            fresh.answered_at = now
        else:
            fresh.result = _text(data, "result", MESSAGES["result"])
            fresh.closed_by = actor
            fresh.closed_at = now
        fresh.state = action.target
        fresh.version += 1
        fresh.save()
        commission = fresh.commission
        recipients = [u for u in (commission.agent, fresh.leader) if u and u.pk != actor.pk]
        pk, label = fresh.pk, action.label
        body = fresh.instruction if slug == ANSWER else fresh.result
        transaction.on_commit(
            lambda: notify(
                event_key=f"escalation:{pk}:{slug}",
                subject=f"上报事项已{label}：{commission.project.name}",
                body=body,
                users=recipients,
                commission=commission,
            )
        )
    return fresh

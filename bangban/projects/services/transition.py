"""The one transition service: the only code that changes a commission's state.

`commission_transition` locks the row, checks the version, asks the table in `lifecycle.py`,
writes the change and its history row, and queues the notifications for after the commit.
Other apps that change a commission's dependants (its plan, its cases) use the same lock and
the same check: `commission_lock`, `commission_check_allowed`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bangban.accounts.models import User

from .. import lifecycle
from ..exceptions import STALE_MESSAGE, ActionForbidden, StaleVersionError
from ..messages import ERRORS
from ..models import Commission, CommissionTransition
from ..notify import commission_event_notify
from ..selectors import commission_held_by_colleague

#: An event said to have happened more than this before it is recorded is back-filled (补录).
BACKFILL_AFTER = dt.timedelta(minutes=10)
#: How far in the future a said time may lie (clock skew) before it is refused.
CLOCK_SKEW = dt.timedelta(minutes=2)

#: Which timestamp field a target state sets.
STATE_TIMESTAMPS = {
    lifecycle.VERIFIED: "verified_at",
    lifecycle.AGREED: "agreed_at",
    lifecycle.TERMINATED: "terminated_at",
    lifecycle.COMPLETED: "completed_at",
    lifecycle.ARCHIVED: "archived_at",
}


def commission_lock(commission: Commission, expected_version: int | None) -> Commission:
    """The commission's row, locked for this transaction; refuses a stale version."""
    fresh = Commission.objects.select_for_update().select_related("project").get(pk=commission.pk)
    if expected_version is not None and int(expected_version) != fresh.version:
        raise StaleVersionError(STALE_MESSAGE)
    return fresh


def commission_check_allowed(action: str, commission: Commission, actor) -> lifecycle.Transition:
    """The table's row for `action` from the commission's state; an illegal move is a
    `ValidationError`, a role outside the row `ActionForbidden`, and so is an agent acting on
    a commission assigned to another agent (colleagues read it, they do not act on it)."""
    row = lifecycle.find(action, commission.state)
    if row is None:
        raise ValidationError(lifecycle.illegal_message(action, commission.state), code="illegal")
    if actor.role not in row.roles:
        raise ActionForbidden(lifecycle.forbidden_message(action))
    if commission_held_by_colleague(actor, commission):
        raise ActionForbidden(held_by_colleague_message(commission))
    return row


def held_by_colleague_message(commission: Commission) -> str:
    """「该委托由代办帮办员…负责，您可以查看，但不能办理…」"""
    if Commission.agent.is_cached(commission):
        agent = commission.agent
    else:
        agent = User.objects.filter(pk=commission.agent_id).first()
    return ERRORS["held_by_colleague"].format(agent=agent or "")


def said_time(occurred_at: dt.datetime | None, *, not_before: dt.datetime | None) -> tuple:
    """(occurred_at, backfilled) for a said time; refuses the future and times before `not_before`
    (the application)."""
    now = timezone.now()
    if occurred_at is None:
        return now, False
    if timezone.is_naive(occurred_at):
        occurred_at = timezone.make_aware(occurred_at)
    if occurred_at > now + CLOCK_SKEW:
        raise ValidationError({"occurred_at": ERRORS["occurred_in_future"]})
    if not_before is not None and occurred_at < not_before - CLOCK_SKEW:
        raise ValidationError(
            {"occurred_at": ERRORS["occurred_before_application"]}, code="before_application"
        )
    return occurred_at, now - occurred_at > BACKFILL_AFTER


def copy_into(target: Commission, source: Commission) -> None:
    """Let the caller's instance see what was written."""
    for field in Commission._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
    for name in ("agent", "project", "lead_department"):
        if name in source._state.fields_cache:
            target._state.fields_cache[name] = source._state.fields_cache[name]
        else:
            target._state.fields_cache.pop(name, None)


def commission_transition(
    *,
    commission: Commission,
    action: str,
    actor,
    reason: str = "",
    expected_version: int | None = None,
    occurred_at: dt.datetime | None = None,
    changes: Mapping[str, Any] | None = None,
    notify_context: Mapping[str, Any] | None = None,
) -> Commission:
    """Take `action` on `commission` as `actor`: the only way a commission changes.

    Validates the action against `lifecycle.TRANSITIONS` (illegal → ValidationError naming
    the state and the action; a role not in the row → ActionForbidden), locks the row, checks
    `expected_version` (stale → StaleVersionError), applies `changes`, writes the history row
    with the server time and the said time (`occurred_at`, back-filled when clearly earlier)
    and queues the notifications for after the commit.
    """
    with transaction.atomic():
        fresh = commission_lock(commission, expected_version)
        row = commission_check_allowed(action, fresh, actor)
        said, backfilled = said_time(occurred_at, not_before=fresh.applied_at)
        for name, value in (changes or {}).items():
            setattr(fresh, name, value)
        if row.target != fresh.state and row.target in STATE_TIMESTAMPS:
            setattr(fresh, STATE_TIMESTAMPS[row.target], said)
        from_state = fresh.state
        fresh.state = row.target
        fresh.version += 1
        fresh.full_clean()
        fresh.save()
        history = CommissionTransition.objects.create(
            commission=fresh,
            from_state=from_state,
            to_state=row.target,
            action=action,
            actor=actor,
            reason=reason,
            occurred_at=said,
            backfilled=backfilled,
        )
        notify_on_commit(history.pk, notify_context)
    copy_into(commission, fresh)
    return commission


def notify_on_commit(transition_id: int, context: Mapping[str, Any] | None = None) -> None:
    """Queue the messages of one history row for after the commit (`notify.py` says who)."""
    context = dict(context or {})
    transaction.on_commit(
        lambda: commission_event_notify(transition_id=transition_id, context=context)
    )

"""Eligibility (核实, SPEC §2 step 2): screening the project against the industry policy and,
for an upgrade of existing restricted capacity, the development & reform department's decision.
The screening itself is `bangban.eligibility`'s; these services move the commission on."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from bangban.eligibility import services as eligibility

from .. import lifecycle
from ..messages import ERRORS
from ..models import Commission
from .transition import commission_check_allowed, commission_lock, commission_transition, copy_into


def _explanation(check) -> str:
    return "\n".join(check.explanation_lines())


def commission_verify(
    *,
    commission: Commission,
    actor,
    is_new_capacity: bool,
    below_energy_benchmark: bool = False,
    in_industrial_park: bool = True,
    entries_checked: bool = False,
    expected_version: int | None = None,
    occurred_at: dt.datetime | None = None,
) -> Commission:
    """核实: screen the project against the industry policy (SPEC §2.2).

    eligible / priority → verified (priority for 鼓励类); refused → refused with the written
    explanation; an upgrade of existing restricted capacity → stays applied, flagged as
    awaiting the development & reform department's decision; eligible for an industrial
    project while the catalog is incomplete → stays applied until the agent confirms
    (`commission_confirm_eligibility`).

    A refusal issues the 不予办理告知书: when an entry it rests on is not verified against the
    official text (``PolicyEntry.verified``), the agent must have checked it
    (`entries_checked`); otherwise nothing is written and the error names the entries.
    """
    with transaction.atomic():
        fresh = commission_lock(commission, expected_version)
        commission_check_allowed(lifecycle.VERIFY, fresh, actor)
        if fresh.awaiting_decision:
            raise ValidationError(ERRORS["awaiting_decision"])
        check = eligibility.eligibility_screen(
            project=fresh.project,
            is_new_capacity=is_new_capacity,
            below_energy_benchmark=below_energy_benchmark,
            in_industrial_park=in_industrial_park,
            user=actor,
        )
        if check.outcome == "refused" and not entries_checked:
            unchecked = unverified_refusal_entries(check)
            if unchecked:
                entries = "、".join(f"“{text}”" for text in unchecked)
                raise ValidationError(
                    {"entries_checked": ERRORS["entries_unchecked"].format(entries=entries)}
                )
        return _apply_outcome(
            commission, fresh, check, actor, occurred_at=occurred_at, after_decision=False
        )


def unverified_refusal_entries(check) -> list[str]:
    """The texts of the entries a refusal rests on that are not verified against the official
    text (the built-in rule, with no entry row, is verified)."""
    rows = check.matches.filter(effect="refuse", entry__isnull=False, entry__verified=False)
    return list(dict.fromkeys(rows.order_by("position").values_list("text", flat=True)))


def _apply_outcome(commission, fresh, check, actor, *, occurred_at, after_decision: bool):
    outcome = check.outcome
    base = {"eligibility_check_id": check.pk, "awaiting_decision": False}
    explanation = _explanation(check)
    if check.awaiting_confirmation and not after_decision:
        action = lifecycle.AWAIT_CONFIRMATION
        changes = {**base, "is_priority": False}
        reason = explanation
    elif outcome in ("eligible", "priority", "approved_with_conditions"):
        action = lifecycle.RESUME_VERIFIED if after_decision else lifecycle.VERIFY
        changes = {**base, "is_priority": outcome == "priority"}
        reason = explanation
    elif outcome in ("refused", "refused_by_decision"):
        action = lifecycle.RESUME_REFUSED if after_decision else lifecycle.REFUSE
        changes = {**base, "refusal_explanation": explanation}
        reason = explanation
    elif outcome == "awaiting_decision" and not after_decision:
        action = lifecycle.SCREEN
        changes = {**base, "awaiting_decision": True}
        reason = explanation
    else:
        raise ValidationError(ERRORS["not_decided"])
    result = commission_transition(
        commission=fresh,
        action=action,
        actor=actor,
        reason=reason,
        expected_version=fresh.version,
        occurred_at=occurred_at,
        changes=changes,
    )
    copy_into(commission, result)
    return commission


def commission_awaiting_confirmation(commission: Commission) -> bool:
    """Screened eligible against an incomplete catalog, waiting for the agent's confirmation."""
    check = commission.eligibility_check if commission.eligibility_check_id else None
    return (
        commission.state == lifecycle.APPLIED and check is not None and check.awaiting_confirmation
    )


def commission_confirm_eligibility(
    *, commission: Commission, actor, note: str, expected_version: int | None = None
) -> Commission:
    """The agent confirms an eligible answer against the full official catalog (what was
    checked in `note`); the commission is then verified."""
    with transaction.atomic():
        fresh = commission_lock(commission, expected_version)
        commission_check_allowed(lifecycle.CONFIRM_ELIGIBLE, fresh, actor)
        check = commission_eligibility_check(fresh)
        if check is None or not commission_awaiting_confirmation(fresh):
            raise ValidationError(ERRORS["not_awaiting_confirmation"])
        check = eligibility.eligibility_confirm(check=check, note=note, user=actor)
        result = commission_transition(
            commission=fresh,
            action=lifecycle.CONFIRM_ELIGIBLE,
            actor=actor,
            reason=_explanation(check),
            expected_version=fresh.version,
            changes={"eligibility_check_id": check.pk, "is_priority": False},
        )
        copy_into(commission, result)
        return commission


def commission_eligibility_check(commission: Commission):
    """The eligibility check the commission was screened with (None before screening)."""
    if not commission.eligibility_check_id:
        return None
    return commission.eligibility_check


def _awaiting_check(fresh: Commission, actor):
    """The check a locked commission awaits a decision on (refused when there is none)."""
    if not fresh.awaiting_decision:
        raise ValidationError(ERRORS["not_awaiting_decision"])
    commission_check_allowed(lifecycle.RESUME_VERIFIED, fresh, actor)
    check = commission_eligibility_check(fresh)
    if check is None:
        raise ValidationError(ERRORS["no_eligibility_check"])
    return check


def commission_resume_after_decision(
    *, commission: Commission, actor, expected_version: int | None = None
) -> Commission:
    """After 发改 decided on an awaiting check: verified (approved) or refused."""
    with transaction.atomic():
        fresh = commission_lock(commission, expected_version)
        check = _awaiting_check(fresh, actor)
        return _apply_outcome(
            commission, fresh, check, actor, occurred_at=None, after_decision=True
        )


def commission_decide(
    *,
    commission: Commission,
    actor,
    approve: bool,
    reason: str,
    conditions: str = "",
    expected_version: int | None = None,
) -> Commission:
    """The development & reform department decides an awaiting check, and the commission moves on."""
    with transaction.atomic():
        fresh = commission_lock(commission, expected_version)
        check = _awaiting_check(fresh, actor)
        eligibility.eligibility_decide(
            check=check, approve=approve, reason=reason, conditions=conditions, user=actor
        )
        check.refresh_from_db()
        return _apply_outcome(
            commission, fresh, check, actor, occurred_at=None, after_decision=True
        )

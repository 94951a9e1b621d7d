"""Acceptance and agreement (SPEC §2 step 3): assigning the agent, the two letters (授权委托书,
承诺书) confirmed online or as a signed paper scan, the agreement (签约) and termination (终止单)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bangban.accounts.models import Role, User
from bangban.audit.services import audit_update
from bangban.documents.attachments import attachment_store
from bangban.rules import uploads

from .. import hooks, lifecycle
from ..exceptions import ActionForbidden
from ..messages import (
    AUTHORIZATION_LETTER,
    COMMITMENT_LETTER,
    ERRORS,
    HISTORY,
    SIGNED_SCAN_PURPOSE,
)
from ..models import AgentAssignment, Commission
from ..selectors import agent_load, agent_pool_for
from .transition import commission_check_allowed, commission_lock, commission_transition, copy_into

# --- agent assignment -----------------------------------------------------------------------


def commission_assign(
    *,
    commission: Commission,
    assigned_by,
    agent: User | None = None,
    reason: str = "",
    expected_version: int | None = None,
) -> Commission:
    """Assign (or reassign) the commission's agent.

    Without `agent`, the pool's least-loaded agent is taken (ties by username). An admin may
    pick any active agent of the pool's region subtree (recorded as an override); an agent
    may only take an unassigned commission of its own pool for itself. Reassignment ends the
    previous assignment (kept as history) and tells both agents and the enterprise.
    """
    with transaction.atomic():
        fresh = commission_lock(commission, expected_version)
        commission_check_allowed(lifecycle.ASSIGN, fresh, assigned_by)
        pool, pool_region = agent_pool_for(fresh)
        if agent is None:
            agent = agent_load(pool).first()
            if agent is None:
                raise ValidationError({"agent": ERRORS["no_agent_available"]})
        in_pool = pool.filter(pk=agent.pk).exists()
        is_override = False
        if assigned_by.role == Role.AGENT:
            if agent.pk != assigned_by.pk or not in_pool or fresh.agent_id is not None:
                raise ActionForbidden(ERRORS["agent_claims_only_own_pool"])
        elif not in_pool:
            allowed = (
                agent.role == Role.AGENT
                and agent.is_active
                and pool_region is not None
                and agent.department_id is not None
                and agent.department.region.is_within(pool_region)
            )
            if not allowed:
                where = pool_region.name if pool_region else ERRORS["agent_outside_pool_where"]
                raise ValidationError({"agent": ERRORS["agent_outside_pool"].format(where=where)})
            is_override = True
        if agent.pk == fresh.agent_id:
            raise ValidationError({"agent": ERRORS["agent_already_assigned"]})
        previous_id = fresh.agent_id
        now = timezone.now()
        audit_update(
            fresh.assignments.filter(ended_at__isnull=True),
            action="commission.assign",
            ended_at=now,
        )
        AgentAssignment.objects.create(
            commission=fresh,
            agent=agent,
            assigned_by=assigned_by,
            is_override=is_override,
            reason=reason,
            at=now,
        )
        text = HISTORY["assigned"].format(agent=agent)
        if previous_id:
            text += HISTORY["assigned_previous"].format(previous=User.objects.get(pk=previous_id))
        if reason:
            text += HISTORY["assigned_reason"].format(reason=reason)
        result = commission_transition(
            commission=fresh,
            action=lifecycle.ASSIGN,
            actor=assigned_by,
            reason=text,
            expected_version=fresh.version,
            changes={"agent": agent},
            notify_context={"previous_agent_id": previous_id},
        )
    copy_into(commission, result)
    return commission


# --- the two letters and the agreement ------------------------------------------------------


def _check_enterprise_party(commission: Commission, user) -> None:
    if user.role == Role.ENTERPRISE and commission.project.enterprise_id != user.enterprise_id:
        raise ActionForbidden(ERRORS["not_own_letters"])


def _confirm_letter(*, commission, user, action, at_field, by_field, expected_version, label):
    with transaction.atomic():
        fresh = commission_lock(commission, expected_version)
        commission_check_allowed(action, fresh, user)
        _check_enterprise_party(fresh, user)
        if fresh.agent_id is None:
            raise ValidationError(ERRORS["letters_without_agent"])
        if getattr(fresh, at_field) is not None:
            raise ValidationError(ERRORS["letter_already_confirmed"].format(label=label))
        now = timezone.now()
        fresh = commission_transition(
            commission=fresh,
            action=action,
            actor=user,
            reason=HISTORY["letter_confirmed"].format(label=label),
            expected_version=fresh.version,
            changes={at_field: now, by_field: user},
        )
        if fresh.both_letters_confirmed:
            fresh = commission_agree(commission=fresh, actor=user, expected_version=fresh.version)
    copy_into(commission, fresh)
    return commission


def commission_confirm_authorization(
    *, commission: Commission, user, expected_version: int | None = None
) -> Commission:
    """The enterprise confirms the authorization letter (授权委托书) online; with the commitment
    letter already confirmed, the commission is agreed at once."""
    return _confirm_letter(
        commission=commission,
        user=user,
        action=lifecycle.CONFIRM_AUTHORIZATION,
        at_field="authorization_confirmed_at",
        by_field="authorization_confirmed_by",
        expected_version=expected_version,
        label=AUTHORIZATION_LETTER,
    )


def commission_confirm_commitment(
    *, commission: Commission, user, expected_version: int | None = None
) -> Commission:
    """The enterprise confirms the commitment letter (承诺书) online (see above)."""
    return _confirm_letter(
        commission=commission,
        user=user,
        action=lifecycle.CONFIRM_COMMITMENT,
        at_field="commitment_confirmed_at",
        by_field="commitment_confirmed_by",
        expected_version=expected_version,
        label=COMMITMENT_LETTER,
    )


def commission_record_signed_scan(
    *, commission: Commission, actor, upload, expected_version: int | None = None
) -> Commission:
    """Staff record the scan of both letters signed and sealed on paper; the commission is agreed."""
    with transaction.atomic():
        fresh = commission_lock(commission, expected_version)
        commission_check_allowed(lifecycle.RECORD_SIGNED_SCAN, fresh, actor)
        if fresh.agent_id is None:
            raise ValidationError(ERRORS["letters_without_agent"])
        if upload is None:
            raise ValidationError({"signed_scan": ERRORS["signed_scan_missing"]})
        scan = attachment_store(
            upload=upload,
            uploaded_by=actor,
            purpose=SIGNED_SCAN_PURPOSE,
            field="signed_scan",
            kinds=uploads.SCAN_KINDS,
        )
        now = timezone.now()
        changes: dict[str, Any] = {"signed_scan": scan}
        if fresh.authorization_confirmed_at is None:
            changes |= {"authorization_confirmed_at": now, "authorization_confirmed_by": actor}
        if fresh.commitment_confirmed_at is None:
            changes |= {"commitment_confirmed_at": now, "commitment_confirmed_by": actor}
        fresh = commission_transition(
            commission=fresh,
            action=lifecycle.RECORD_SIGNED_SCAN,
            actor=actor,
            reason=HISTORY["signed_scan"].format(filename=scan.name),
            expected_version=fresh.version,
            changes=changes,
        )
        fresh = commission_agree(commission=fresh, actor=actor, expected_version=fresh.version)
    copy_into(commission, fresh)
    return commission


def commission_agree(
    *, commission: Commission, actor, expected_version: int | None = None
) -> Commission:
    """签约: both letters signed and an agent named → agreed (the plan starts from this day)."""
    with transaction.atomic():
        fresh = commission_lock(commission, expected_version)
        commission_check_allowed(lifecycle.AGREE, fresh, actor)
        if not fresh.both_letters_confirmed:
            raise ValidationError(ERRORS["agree_letters_missing"])
        if fresh.agent_id is None:
            raise ValidationError(ERRORS["agree_without_agent"])
        result = commission_transition(
            commission=fresh,
            action=lifecycle.AGREE,
            actor=actor,
            reason=HISTORY["agreed"],
            expected_version=fresh.version,
        )
        hooks.run_agreed(result)  # planning creates the draft plan (starts on this day)
    copy_into(commission, result)
    return commission


# --- termination ----------------------------------------------------------------------------


def commission_terminate(
    *,
    commission: Commission,
    actor,
    reason_category: str,
    note: str = "",
    expected_version: int | None = None,
    occurred_at: dt.datetime | None = None,
) -> Commission:
    """终止 (终止单): the project conflicts with law or policy, no longer meets the conditions,
    or the investor asks. An enterprise user may only ask for its own commission. Every open
    case of the commission is closed as withdrawn with the reason, in the same transaction
    (``hooks.on_terminated``, registered by ``cases``)."""
    note = (note or "").strip()
    if reason_category not in Commission.TerminationReason.values:
        raise ValidationError({"reason_category": ERRORS["termination_reason_missing"]})
    with transaction.atomic():
        fresh = commission_lock(commission, expected_version)
        commission_check_allowed(lifecycle.TERMINATE, fresh, actor)
        if actor.role == Role.ENTERPRISE:
            _check_enterprise_party(fresh, actor)
            if reason_category != Commission.TerminationReason.INVESTOR_REQUEST:
                raise ValidationError({"reason_category": ERRORS["termination_enterprise_reason"]})
        elif not note:
            raise ValidationError({"note": ERRORS["termination_note_missing"]})
        label = Commission.TerminationReason(reason_category).label
        reason = f"{label}" + (HISTORY["terminated_note"].format(note=note) if note else "")
        result = commission_transition(
            commission=fresh,
            action=lifecycle.TERMINATE,
            actor=actor,
            reason=reason,
            expected_version=fresh.version,
            occurred_at=occurred_at,
            changes={"termination_reason": reason_category, "termination_note": note},
        )
        hooks.run_terminated(result, actor=actor, reason=reason)  # the ledger withdraws its cases
    copy_into(commission, result)
    return commission

"""Writes of a commission's plan (SPEC §2 step 4, §5): generate, adjust, fix, re-plan.

Every change of a plan is an event of its commission (``adjust_plan``, ``plan``, ``replan``
in ``projects/lifecycle.py``), so it goes through ``commission_transition``: the commission's
row is locked, its ``version`` is the optimistic lock of the plan too, the role is checked
against the one table, and the history row (who, when, why) feeds the enterprise's view.

Who shapes a plan is :func:`plan_owner` (the commission's own agent or a centre admin): the
services refuse anyone else (``ActionForbidden``), and ``actions.plan_may`` offers the
actions with the same rule. The Chinese they show and write is in ``messages.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bangban.accounts.models import Role
from bangban.audit.services import audit_rows, audit_update
from bangban.cases import lifecycle as case_lifecycle
from bangban.cases.models import Case
from bangban.cases.services import REASON_LIMIT as CASE_REASON_LIMIT
from bangban.cases.services import case_create_many, case_transition
from bangban.catalog.models import CatalogVersion, Item, ItemKind
from bangban.organization.models import Department
from bangban.projects import lifecycle
from bangban.projects.exceptions import ActionForbidden
from bangban.projects.models import Commission
from bangban.projects.services import (
    commission_check_allowed,
    commission_lock,
    commission_transition,
)

from .catalog import CatalogUnavailable, catalog_compiled
from .compute import DROPPED_STATES, plan_outcome_for
from .messages import MESSAGES
from .models import Plan, PlanAdjustment
from .outcome import PlanOutcome

REASON_MAX = 500
#: The reason of an item added after fixing is kept on its case (``Case.added_reason``).
ADDED_REASON_MAX = Case._meta.get_field("added_reason").max_length


def plan_owner(commission: Commission, user) -> bool:
    """Only the commission's own agent, or a centre admin, shapes its plan (the one rule)."""
    return user.role == Role.CENTRE_ADMIN or (
        user.role == Role.AGENT and commission.agent_id == user.pk
    )


def plan_check_action(action: str, commission: Commission, actor) -> None:
    """The one table allows `action` now for the actor's role, and the actor owns the plan."""
    commission_check_allowed(action, commission, actor)
    if not plan_owner(commission, actor):
        raise ActionForbidden(MESSAGES["not_owner"])


def end_moved_text(before, after) -> str:
    """How a re-plan moved the expected end ("" when it did not move)."""
    if before is None or before == after:
        return ""
    return MESSAGES["end_moved"].format(before=before, after=after)


def _store_totals(plan: Plan, outcome: PlanOutcome) -> None:
    plan.total_working_days = outcome.total_working_days
    plan.serial_working_days = outcome.serial_working_days
    plan.compression = outcome.compression
    plan.end_date = outcome.end_date
    plan.critical_path = list(outcome.critical_path)
    plan.provisional = outcome.provisional
    plan.item_count = len(outcome.items)


def _start_date(commission: Commission):
    agreed = commission.agreed_at or timezone.now()
    return timezone.localdate(agreed)


def plan_create(*, commission: Commission) -> Plan | None:
    """The draft plan of a just-agreed commission, on the published catalog, starting on the
    day of agreement (SPEC §5). Returns the existing plan when there is one, None when no
    catalog is published yet (the plan page then offers to generate it later)."""
    existing = Plan.objects.filter(commission=commission).first()
    if existing is not None:
        return existing
    try:
        compiled = catalog_compiled()
    except CatalogUnavailable:
        return None
    version = CatalogVersion.objects.get(number=compiled.number)
    plan = Plan(
        commission=commission,
        catalog_version=version,
        start_date=_start_date(commission),
        attributes=commission.project.attributes(),
    )
    _store_totals(plan, plan_outcome_for(plan))
    plan.save()
    return plan


def plan_generate(*, commission: Commission, actor, expected_version: int | None = None) -> Plan:
    """Generate the draft plan of an agreed commission that has none (the catalog was not
    published when it was agreed)."""
    with transaction.atomic():
        fresh = commission_lock(commission, expected_version)
        plan_check_action(lifecycle.ADJUST_PLAN, fresh, actor)
        if Plan.objects.filter(commission=fresh).exists():
            raise ValidationError(MESSAGES["plan_exists"])
        plan = plan_create(commission=fresh)
        if plan is None:
            raise ValidationError(CatalogUnavailable.message)
        commission_transition(
            commission=fresh,
            action=lifecycle.ADJUST_PLAN,
            actor=actor,
            reason=MESSAGES["generated"],
            expected_version=fresh.version,
        )
    commission.version = fresh.version
    return plan


def _plan_locked(commission: Commission) -> Plan:
    plan = Plan.objects.select_for_update().filter(commission=commission).first()
    if plan is None:
        raise ValidationError(MESSAGES["no_plan"])
    return plan


def plan_adjust(
    *,
    commission: Commission,
    actor,
    kind: str,
    code: str,
    reason: str,
    expected_version: int | None = None,
) -> Plan:
    """The agent adds an item the conditions did not select, or removes one they did, with a
    reason; the schedule recomputes. Adding back a removed item (or removing an added one)
    withdraws the earlier adjustment; the history keeps both."""
    code = (code or "").strip().upper()
    reason = (reason or "").strip()
    errors: dict[str, str] = {}
    if kind not in PlanAdjustment.Kind.values:
        errors["kind"] = MESSAGES["kind"]
    if not code:
        errors["code"] = MESSAGES["no_code"]
    if not reason:
        errors["reason"] = MESSAGES["no_reason"]
    elif len(reason) > REASON_MAX:
        errors["reason"] = MESSAGES["reason_too_long"].format(limit=REASON_MAX)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        fresh = commission_lock(commission, expected_version)
        plan_check_action(lifecycle.ADJUST_PLAN, fresh, actor)
        plan = _plan_locked(fresh)
        if not plan.is_draft:
            raise ValidationError(MESSAGES["plan_fixed"])
        catalog = catalog_compiled(plan.catalog_version)
        entry = catalog.by_code.get(code)
        if entry is None:
            raise ValidationError(
                {"code": MESSAGES["unknown_code"].format(version=catalog.number, code=code)}
            )
        plan.attributes = fresh.project.attributes()
        current = plan_outcome_for(plan)
        active = plan.adjustments.filter(active=True, code=code).first()
        in_plan = code in current.codes
        if kind == PlanAdjustment.Kind.ADD and in_plan:
            raise ValidationError({"code": MESSAGES["already_in"].format(name=entry.name)})
        if kind == PlanAdjustment.Kind.REMOVE and not in_plan:
            raise ValidationError({"code": MESSAGES["not_in"].format(name=entry.name)})
        now = timezone.now()
        if active is not None:
            # The opposite adjustment is withdrawn: the item is back to what its condition says.
            active.active = False
            active.withdrawn_at = now
            active.save(update_fields=["active", "withdrawn_at"])
        # Withdrawing the opposite adjustment is itself the change: its row is kept, inactive.
        stands = active is None
        PlanAdjustment.objects.create(
            plan=plan,
            kind=kind,
            code=code,
            item_name=entry.name,
            reason=reason,
            actor=actor,
            at=now,
            active=stands,
            withdrawn_at=None if stands else now,
        )
        _store_totals(plan, plan_outcome_for(plan))
        plan.save()
        label = PlanAdjustment.Kind(kind).label
        commission_transition(
            commission=fresh,
            action=lifecycle.ADJUST_PLAN,
            actor=actor,
            reason=MESSAGES["adjusted"].format(
                label=label, code=code, name=entry.name, reason=reason
            ),
            expected_version=fresh.version,
        )
    commission.version = fresh.version
    return plan


def _tier_departments(planned_items) -> dict[str, int]:
    """The department (id by key) of each planned item: its tier's (e.g. 节能审查 of an energy
    project at the 能源局), or the one the function-holder table names for the project's
    region (拆改供排水设施 of a 和林格尔新区 project at the 新区规划建设局). Read by key: the
    compiled catalog is cached and keeps no row ids."""
    keys = {planned.department_key for planned in planned_items}
    return dict(Department.objects.filter(key__in=keys).values_list("key", "pk"))


def _case_limits(planned) -> dict[str, Any]:
    """The limits of the item's tier for this project, kept on the case it is created as
    (its clock reads them: ``cases.deadlines``)."""
    return {
        "promised_limit": 0 if planned.kind == ItemKind.IMMEDIATE else planned.promised_days,
        "legal_limit": planned.legal_limit_days,
        "legal_limit_unit": planned.legal_limit_unit,
    }


def _case_values(planned) -> dict[str, Any]:
    return {
        "in_scope": planned.in_scope,
        "critical": planned.critical,
        "slack": planned.slack,
        "working_days": planned.working_days,
        "provisional": planned.provisional,
        "planned_start": planned.planned_start,
        "planned_acceptance": planned.planned_acceptance,
        "planned_due": planned.planned_due,
    }


def plan_fix(*, commission: Commission, actor, expected_version: int | None = None) -> Plan:
    """确定方案: the draft becomes one case per item with its planned dates (the baseline);
    the commission moves to planned."""
    with transaction.atomic():
        fresh = commission_lock(commission, expected_version)
        plan_check_action(lifecycle.PLAN, fresh, actor)
        plan = _plan_locked(fresh)
        plan.attributes = fresh.project.attributes()
        outcome = plan_outcome_for(plan)
        if not outcome.items:
            raise ValidationError(MESSAGES["empty_plan"])
        items = dict(
            Item.objects.filter(version=plan.catalog_version, code__in=outcome.codes).values_list(
                "code", "pk"
            )
        )
        departments = _tier_departments(outcome.items)
        now = timezone.now()
        case_create_many(
            [
                Case(
                    commission=fresh,
                    item_id=items[planned.code],
                    code=planned.code,
                    baseline_start=planned.planned_start,
                    baseline_due=planned.planned_due,
                    created_at=now,
                    department_id=departments.get(planned.department_key),  # the tier's
                    service_mode=planned.service_mode,  # as the plan showed it for the region
                    **_case_limits(planned),
                    **_case_values(planned),
                )
                for planned in outcome.items
            ]
        )
        _store_totals(plan, outcome)
        plan.state = Plan.State.FIXED
        plan.fixed_at = now
        plan.fixed_by = actor
        plan.save()
        in_scope = outcome.in_scope_count
        commission_transition(
            commission=fresh,
            action=lifecycle.PLAN,
            actor=actor,
            reason=MESSAGES["fixed"].format(
                count=len(outcome.items),
                in_scope=in_scope,
                days=outcome.total_working_days,
                end=outcome.end_date,
            ),
            expected_version=fresh.version,
        )
    commission.version = fresh.version
    return plan


def plan_reschedule_locked(plan: Plan, commission: Commission) -> PlanOutcome:
    """Reschedule the cases from their actual dates as of today: nothing unfinished stays
    planned in the past, dependants follow (the baseline stays)."""
    cases = list(Case.objects.select_for_update().filter(commission=commission))
    plan.replanned_at = timezone.now()
    outcome = plan_outcome_for(plan, cases=cases, as_of=timezone.localdate(plan.replanned_at))
    by_code = {planned.code: planned for planned in outcome.items}
    changed = []
    for case in cases:
        planned = by_code.get(case.code)
        if planned is None:
            continue
        values = _case_values(planned)
        if any(getattr(case, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(case, name, value)
            changed.append(case)
    if changed:  # computed dates, not a user's edit: the cases' versions stay
        fields = list(_case_values(outcome.items[0]))
        Case.objects.bulk_update(changed, fields)
        audit_rows(changed, action="plan.replan", fields=fields)
    _store_totals(plan, outcome)
    plan.replan_count += 1
    plan.save()
    return outcome


def plan_replan(
    *,
    commission: Commission,
    actor,
    expected_version: int | None = None,
    reason: str = "",
    context: Mapping[str, Any] | None = None,
) -> Plan:
    """重新排期: the remaining items are rescheduled from the actual start and finish dates
    of the cases, as of today; planned (baseline) and actual dates are both kept."""
    with transaction.atomic():
        fresh = commission_lock(commission, expected_version)
        plan_check_action(lifecycle.REPLAN, fresh, actor)
        plan = _plan_locked(fresh)
        before = plan.end_date
        outcome = plan_reschedule_locked(plan, fresh)
        moved = end_moved_text(before, outcome.end_date)
        commission_transition(
            commission=fresh,
            action=lifecycle.REPLAN,
            actor=actor,
            reason=MESSAGES["replan_days"].format(
                reason=reason or MESSAGES["replanned"], days=outcome.total_working_days
            )
            + (
                MESSAGES["replan_moved"].format(moved=moved)
                if moved
                else MESSAGES["replan_end"].format(end=outcome.end_date)
            ),
            expected_version=fresh.version,
            notify_context=context,
        )
    commission.version = fresh.version
    return plan


def plan_reschedule_for_case(*, commission: Commission, case: Case, actor) -> str:
    """The ``cases`` hook: a case started, finished or was dropped — reschedule the rest
    (inside the case transition's transaction; the commission is already locked). Returns
    how the expected end moved ("" when it did not)."""
    plan = (
        Plan.objects.select_for_update()
        .select_related("catalog_version")
        .filter(commission=commission, state=Plan.State.FIXED)
        .first()
    )
    if plan is None:
        return ""
    before = plan.end_date
    outcome = plan_reschedule_locked(plan, commission)
    return end_moved_text(before, outcome.end_date)


# --- after fixing: an item no longer needed, an item added ----------------------------------


def _checked_input(code: str, reason: str, *, limit: int, no_reason: str) -> tuple[str, str]:
    code = (code or "").strip().upper()
    reason = (reason or "").strip()
    errors: dict[str, str] = {}
    if not code:
        errors["code"] = MESSAGES["no_code"]
    if not reason:
        errors["reason"] = MESSAGES[no_reason]
    elif len(reason) > limit:
        errors["reason"] = MESSAGES["reason_too_long"].format(limit=limit)
    if errors:
        raise ValidationError(errors)
    return code, reason


def _fixed_plan_locked(commission: Commission, actor, expected_version: int | None):
    """(the locked commission, its locked fixed plan); the actor must own the plan."""
    fresh = commission_lock(commission, expected_version)
    plan_check_action(lifecycle.REPLAN, fresh, actor)
    plan = _plan_locked(fresh)
    if plan.is_draft:
        raise ValidationError(MESSAGES["plan_not_fixed"])
    return fresh, plan


def plan_case_not_needed(
    *,
    commission: Commission,
    actor,
    code: str,
    reason: str,
    expected_version: int | None = None,
) -> Case:
    """不需办理 after fixing: the item's case (not yet submitted) is closed as not needed
    through the ledger's one transition (its history, its notifications), which re-plans the
    rest as of today through the ledger's hook. Returns the case."""
    code, reason = _checked_input(
        code, reason, limit=CASE_REASON_LIMIT, no_reason="no_reason_not_needed"
    )
    with transaction.atomic():
        fresh, _ = _fixed_plan_locked(commission, actor, expected_version)
        case = Case.objects.select_related("item").filter(commission=fresh, code=code).first()
        if case is None:
            raise ValidationError({"code": MESSAGES["no_case"].format(code=code)})
        name = case.item.name
        if case.state in case_lifecycle.CLOSED_STATES:
            raise ValidationError(
                {"code": MESSAGES["case_closed"].format(name=name, state=case.get_state_display())}
            )
        if case_lifecycle.find(case_lifecycle.NOT_NEEDED_ACTION, case.state) is None:
            raise ValidationError(
                {
                    "code": MESSAGES["case_under_way"].format(
                        name=name, state=case.get_state_display()
                    )
                }
            )
        case_transition(
            case=case, action=case_lifecycle.NOT_NEEDED_ACTION, actor=actor, reason=reason
        )
    commission.version = fresh.version
    return case


def plan_case_add(
    *,
    commission: Commission,
    actor,
    code: str,
    reason: str,
    expected_version: int | None = None,
) -> Case:
    """增加事项 after fixing: an item of the plan's catalog version the plan does not hold
    becomes a new case (its reason kept as ``added_reason`` and as an adjustment of the plan),
    and the plan is re-planned as of today. Returns the new case."""
    code, reason = _checked_input(code, reason, limit=ADDED_REASON_MAX, no_reason="no_reason")
    with transaction.atomic():
        fresh, plan = _fixed_plan_locked(commission, actor, expected_version)
        catalog = catalog_compiled(plan.catalog_version)
        entry = catalog.by_code.get(code)
        if entry is None:
            raise ValidationError(
                {"code": MESSAGES["unknown_code"].format(version=catalog.number, code=code)}
            )
        existing = Case.objects.filter(commission=fresh, code=code).first()
        if existing is not None and existing.state in DROPPED_STATES:
            raise ValidationError(
                {
                    "code": MESSAGES["case_dropped"].format(
                        name=entry.name, state=existing.get_state_display()
                    )
                }
            )
        if existing is not None or code in plan_outcome_for(plan).codes:
            raise ValidationError({"code": MESSAGES["already_in"].format(name=entry.name)})
        now = timezone.now()
        # An earlier removal (in the draft) gives way: the item is in the plan again.
        audit_update(
            plan.adjustments.filter(active=True, code=code),
            action="plan.adjust",
            active=False,
            withdrawn_at=now,
        )
        PlanAdjustment.objects.create(
            plan=plan,
            kind=PlanAdjustment.Kind.ADD,
            code=code,
            item_name=entry.name,
            reason=reason,
            actor=actor,
            at=now,
        )
        outcome = plan_reschedule_locked(plan, fresh)
        planned = outcome.item(code)
        item_id = Item.objects.values_list("pk", flat=True).get(
            version=plan.catalog_version, code=code
        )
        (case,) = case_create_many(
            [
                Case(
                    commission=fresh,
                    item_id=item_id,
                    code=code,
                    added_reason=reason,
                    baseline_start=planned.planned_start,
                    baseline_due=planned.planned_due,
                    created_at=now,
                    department_id=_tier_departments([planned]).get(planned.department_key),
                    service_mode=planned.service_mode,
                    **_case_limits(planned),
                    **_case_values(planned),
                )
            ]
        )
        commission_transition(
            commission=fresh,
            action=lifecycle.REPLAN,
            actor=actor,
            reason=MESSAGES["case_added"].format(
                code=code,
                name=entry.name,
                reason=reason,
                due=planned.planned_due,
                end=outcome.end_date,
            ),
            expected_version=fresh.version,
        )
    commission.version = fresh.version
    return case

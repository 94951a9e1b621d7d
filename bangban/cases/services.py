"""Writes of the minimal case: recording when an item actually started and finished.

Recording an actual date re-plans the commission at once (SPEC §5: the remaining items are
rescheduled from the actual finishes; planned and actual are both kept). The ledger issue
replaces this with the full state machine of SPEC §6.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bangban.planning.models import Plan
from bangban.planning.services import end_moved_text, plan_check_action, plan_reschedule_locked
from bangban.projects import lifecycle
from bangban.projects.exceptions import StaleVersionError
from bangban.projects.services import commission_lock, commission_transition

from .models import Case

CASE_STALE_MESSAGE = "该事项已被他人修改，请刷新后重试。"


def _as_date(value, field: str, label: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError({field: f"{label}应为日期（YYYY-MM-DD）。"}) from None


def case_record_progress(
    *,
    case: Case,
    actor,
    actual_start=None,
    actual_finish=None,
    expected_version: int | None = None,
) -> Case:
    """Record an item's actual start and/or finish (办结), then re-plan the rest.

    The first case started moves a planned commission to in progress. Dates may not lie in
    the future nor before the plan starts, a finish not before the start; a finished case
    is not changed again here.
    """
    start = _as_date(actual_start, "actual_start", "实际开始日期")
    finish = _as_date(actual_finish, "actual_finish", "实际办结日期")
    if start is None and finish is None:
        raise ValidationError("请填写实际开始日期或实际办结日期。")
    with transaction.atomic():
        commission = commission_lock(case.commission, None)
        plan_check_action(lifecycle.REPLAN, commission, actor)
        fresh = Case.objects.select_for_update().select_related("item").get(pk=case.pk)
        if expected_version is not None and int(expected_version) != fresh.version:
            raise StaleVersionError(CASE_STALE_MESSAGE)
        if fresh.state == Case.State.COMPLETED:
            raise ValidationError("该事项已办结，不能再修改实际日期。")
        plan = (
            Plan.objects.select_for_update()
            .select_related("catalog_version")
            .get(commission=commission)
        )
        start = start or fresh.actual_start
        if finish is not None and start is None:
            raise ValidationError({"actual_start": "请先填写实际开始日期。"})
        today = timezone.localdate()
        errors: dict[str, str] = {}
        if start is not None and start > today:
            errors["actual_start"] = "实际开始日期不能晚于今天。"
        elif start is not None and start < plan.start_date:
            errors["actual_start"] = (
                f"实际开始日期不能早于方案开始日期 {plan.start_date:%Y-%m-%d}。"
            )
        if finish is not None and finish > today:
            errors["actual_finish"] = "实际办结日期不能晚于今天。"
        elif finish is not None and start is not None and finish < start:
            errors["actual_finish"] = "实际办结日期不能早于实际开始日期。"
        if errors:
            raise ValidationError(errors)
        fresh.actual_start = start
        fresh.actual_finish = finish
        fresh.state = Case.State.COMPLETED if finish else Case.State.IN_PROGRESS
        fresh.version += 1
        fresh.save(
            update_fields=["actual_start", "actual_finish", "state", "version", "updated_at"]
        )
        if commission.state == lifecycle.PLANNED:
            commission = commission_transition(
                commission=commission,
                action=lifecycle.START,
                actor=actor,
                reason=f"{fresh.code} {fresh.item.name} 开始办理",
                expected_version=commission.version,
            )
        before = plan.end_date
        outcome = plan_reschedule_locked(plan, commission)
        done = f"{fresh.code} {fresh.item.name}"
        if finish:
            what = f"{done} 已办结（{finish:%Y-%m-%d}，原计划 {fresh.baseline_due:%Y-%m-%d}）"
        else:
            what = f"{done} 已开始办理（{start:%Y-%m-%d}）"
        moved = end_moved_text(before, outcome.end_date)
        commission_transition(
            commission=commission,
            action=lifecycle.REPLAN,
            actor=actor,
            reason=f"{what}，已按实际日期重新排期" + (f"；{moved}" if moved else ""),
            expected_version=commission.version,
        )
    case.refresh_from_db()
    return case

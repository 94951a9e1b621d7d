"""Writes of the case: recording when an item actually started and finished.

The case knows nothing of the plan above it (``planning`` sits above ``cases`` in the layers):
``planning.services.plan_record_progress`` locks the commission and the plan, calls
:func:`case_record_dates` and re-plans. The ledger issue grows this module into the full
state machine of SPEC §6.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

from bangban.common.exceptions import StaleVersionError

from .messages import MESSAGES
from .models import Case


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
        raise ValidationError({field: MESSAGES["date_format"].format(label=label)}) from None


def case_record_dates(
    *,
    case: Case,
    not_before: dt.date,
    actual_start=None,
    actual_finish=None,
    expected_version: int | None = None,
) -> Case:
    """Record an item's actual start and/or finish (办结) on the locked case row.

    Call inside a transaction (the caller holds the commission's lock). Dates may not lie in
    the future nor before ``not_before`` (the plan's start), a finish not before the start; a
    finished case is not changed again here. Returns the fresh, saved case.
    """
    start = _as_date(actual_start, "actual_start", "实际开始日期")
    finish = _as_date(actual_finish, "actual_finish", "实际办结日期")
    if start is None and finish is None:
        raise ValidationError(MESSAGES["no_date"])
    fresh = Case.objects.select_for_update().select_related("item").get(pk=case.pk)
    if expected_version is not None and int(expected_version) != fresh.version:
        raise StaleVersionError(MESSAGES["stale"])
    if fresh.state == Case.State.COMPLETED:
        raise ValidationError(MESSAGES["completed"])
    start = start or fresh.actual_start
    if finish is not None and start is None:
        raise ValidationError({"actual_start": MESSAGES["start_first"]})
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if start is not None and start > today:
        errors["actual_start"] = MESSAGES["start_future"]
    elif start is not None and start < not_before:
        errors["actual_start"] = MESSAGES["start_before_plan"].format(day=not_before)
    if finish is not None and finish > today:
        errors["actual_finish"] = MESSAGES["finish_future"]
    elif finish is not None and start is not None and finish < start:
        errors["actual_finish"] = MESSAGES["finish_before_start"]
    if errors:
        raise ValidationError(errors)
    fresh.actual_start = start
    fresh.actual_finish = finish
    fresh.state = Case.State.COMPLETED if finish else Case.State.IN_PROGRESS
    fresh.version += 1
    fresh.save(update_fields=["actual_start", "actual_finish", "state", "version", "updated_at"])
    return fresh

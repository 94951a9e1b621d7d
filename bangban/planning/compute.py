"""The planner (SPEC §5): a project's plan computed from the catalog, and the plan of a
commission. Nothing is written.

:func:`plan_compute` takes a project's attributes and a start date and returns a
:class:`~bangban.planning.outcome.PlanOutcome`. A call checks the published version with one
small query (:func:`~bangban.planning.catalog.catalog_compiled`) and takes the working-day
calendar with one more (``get_calendar``); pass ``version`` and ``calendar`` in to plan with
no query at all (a loop over many projects, the benchmark).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.utils import timezone

from bangban.cases import lifecycle as case_lifecycle
from bangban.catalog.models import CatalogVersion, ServiceMode
from bangban.organization.selectors import function_holdings_for
from bangban.rules.attributes import validate_attributes
from bangban.rules.handling import (
    COMPLETION_STAGES,
    CONSTRUCTION_PERMIT_STAGES,
    FunctionHolding,
    handling_time,
    holding_for,
    service_area,
    service_mode_in,
)
from bangban.rules.scheduler import PlanInput, PlanItem, schedule
from bangban.rules.workdays import Calendar
from bangban.workdays.selectors import get_calendar

from .calendar import calendar_adapter
from .catalog import CatalogEntry, CompiledCatalog, catalog_compiled
from .models import Plan, PlanAdjustment
from .outcome import PlannedItem, PlanOutcome

__all__ = [
    "EARLIEST_START",
    "Actuals",
    "LATEST_START",
    "PlanInputError",
    "commission_scope_codes",
    "plan_compute",
    "plan_outcome_for",
]

#: Cases in these states are no longer part of the schedule.
DROPPED_STATES = (case_lifecycle.NOT_NEEDED, case_lifecycle.WITHDRAWN)

EARLIEST_START = dt.date(2000, 1, 1)
LATEST_START = dt.date(2100, 12, 31)


class Actuals(NamedTuple):
    """What happened to an item's case: the dates re-planning starts from."""

    start: dt.date | None = None
    finish: dt.date | None = None
    acceptance: dt.date | None = None  # accepted: due = acceptance + promised + suspended
    suspended_days: int = 0


NO_ACTUALS = Actuals()


class PlanInputError(ValidationError):
    """Bad planner input: per-attribute messages and/or a start-date message (Chinese).

    A Django ``ValidationError`` whose ``message_dict`` maps each attribute name (and
    ``start_date``) to its messages; ``attribute_errors`` and ``start_date_error`` keep them
    apart for callers that nest them (the API answers ``{"attributes": {...}}``).
    """

    def __init__(self, *, attributes: Mapping[str, str] | None = None, start_date: str = ""):
        self.attribute_errors = dict(attributes or {})
        self.start_date_error = start_date
        detail = {name: [message] for name, message in self.attribute_errors.items()}
        if start_date:
            detail["start_date"] = [start_date]
        super().__init__(detail)


def _normalise(attributes: Mapping[str, Any]) -> dict[str, Any]:
    values = dict(attributes)
    code = values.get("industry_code")
    if isinstance(code, str):
        values["industry_code"] = code.strip().replace(" ", "").upper()
    return values


def plan_compute(
    *,
    attributes: Mapping[str, Any],
    start_date: dt.date,
    version: int | CatalogVersion | None = None,
    scope_codes: Iterable[str] | None = None,
    actuals: Mapping[str, tuple] | None = None,
    calendar: Calendar | None = None,
    added: Mapping[str, str] | None = None,
    removed: Iterable[str] | None = None,
    as_of: dt.date | None = None,
    region_path: str | None = None,
) -> PlanOutcome:
    """Plan a project: the items its attributes need, scheduled in parallel on working days.

    ``attributes`` use the SPEC §4 names; one left out takes its neutral value; unknown or
    ill-typed ones raise :class:`PlanInputError` naming them (as does a start date outside
    2000–2100). ``version`` (number or row) defaults to the published catalog. Items whose
    code is not in ``scope_codes`` (when given) are planned all the same with
    ``in_scope=False`` (企业自行办理). ``actuals`` maps codes to (actual start, actual
    finish[, acceptance date, suspended working days]) for re-planning (see
    :class:`Actuals`); ``as_of`` (re-planning, normally today) plans nothing unfinished
    before that day. ``calendar`` defaults to the current working-day calendar.
    ``added`` maps codes the agent added by hand to the reason given (codes unknown to the
    version are ignored; callers validate them); ``removed`` codes are left out whatever
    their conditions say. ``region_path`` (the project's region, ``Region.path``) decides
    each item's department and service mode there (:func:`entry_in_region`; one query for
    the function-holder rows; None: the catalog's departments and modes as they are).
    Raises :class:`CatalogUnavailable` when there is no catalog to plan with.
    """
    values, errors = validate_attributes(_normalise(attributes))
    date_error = ""
    if isinstance(start_date, dt.datetime) or not isinstance(start_date, dt.date):
        date_error = "开始日期应为日期（YYYY-MM-DD）。"
    elif not EARLIEST_START <= start_date <= LATEST_START:
        date_error = (
            f"开始日期应在 {EARLIEST_START.isoformat()} 至 {LATEST_START.isoformat()} 之间。"
        )
    if errors or date_error:
        raise PlanInputError(attributes=errors, start_date=date_error)

    catalog = catalog_compiled(version)
    adapter = calendar_adapter(calendar if calendar is not None else get_calendar())

    selected = list(catalog.always)
    selected.extend(entry for entry in catalog.conditional if entry.condition.evaluate(values))
    added = dict(added or {})
    if added or removed:
        gone = set(removed or ())
        chosen = {entry.code for entry in selected}
        selected = [entry for entry in selected if entry.code not in gone]
        selected.extend(
            catalog.by_code[code]
            for code in sorted(added)
            if code in catalog.by_code and code not in chosen and code not in gone
        )
        added = {code: reason for code, reason in added.items() if code not in chosen}
    # Each item in the tier the project falls in (level, department, limits, mode).
    selected = [entry.variant_for(values) if entry.tiers else entry for entry in selected]
    if region_path is not None:
        holdings = function_holdings_for(region_path)
        area = service_area(region_path, catalog.region_levels)
        selected = [entry_in_region(entry, region_path, area, holdings) for entry in selected]
    scope = None if scope_codes is None else set(scope_codes)
    actuals = actuals or {}
    plan_items = []
    for entry in selected:
        actual = Actuals(*actuals[entry.code]) if entry.code in actuals else NO_ACTUALS
        plan_items.append(
            PlanItem(
                entry.code,
                entry.name,
                entry.stage,
                entry.stage_order,
                entry.preparation_days,
                entry.promised_days,
                entry.prerequisites,
                scope is None or entry.code in scope,
                actual.start,
                actual.finish,
                actual.acceptance,
                actual.suspended_days,
            )
        )
    result = schedule(PlanInput(start_date, plan_items, as_of), adapter)

    by_code = {entry.code: entry for entry in selected}
    names = catalog.names
    items = [
        PlannedItem(
            by_code[scheduled.code],
            scheduled.ef - scheduled.es,
            scheduled.es,
            scheduled.ef,
            scheduled.planned_start,
            scheduled.planned_acceptance,
            scheduled.planned_due,
            scheduled.slack,
            scheduled.critical,
            scheduled.in_scope,
            scheduled.provisional,
            scheduled.prerequisites,
            tuple([names[code] for code in scheduled.prerequisites]),
            values,
            scheduled.actual_start,
            scheduled.actual_finish,
            added.get(scheduled.code, ""),
        )
        for scheduled in result.items
    ]
    return PlanOutcome(
        items=tuple(items),
        critical_path=tuple(result.critical_path),
        total_working_days=result.total_working_days,
        serial_working_days=result.serial_working_days,
        compression=result.compression,
        start_date=start_date,
        start_day=result.start_day,
        end_date=result.end_date,
        provisional=result.provisional,
        catalog_version=catalog.number,
        attributes=values,
        handling_to_permit=handling_time(items, CONSTRUCTION_PERMIT_STAGES),
        handling_to_completion=handling_time(items, COMPLETION_STAGES),
    )


_MODE_LABELS = dict(ServiceMode.choices)


def entry_in_region(
    entry: CatalogEntry, region_path: str, area: str, holdings: Iterable[FunctionHolding]
) -> CatalogEntry:
    """The entry as handled for a project in the region at ``region_path`` (service area
    ``area``): at the department the function-holder table names for that region or the
    nearest one above it (``holdings``; else the catalog's or tier's department), in the
    service mode that follows from where that department sits
    (:func:`bangban.rules.handling.service_mode_in`)."""
    holding = holding_for(holdings, region_path=region_path, code=entry.code, domain=entry.domain)
    department_path = holding.department_path if holding else entry.department_path
    mode = service_mode_in(
        catalog_mode=entry.service_mode,
        level=entry.level,
        kind=entry.kind,
        department_path=department_path,
        area=area,
        holding_mode=holding.service_mode if holding else "",
    )
    if holding is None and mode == entry.service_mode:
        return entry
    changes: dict[str, Any] = {
        "service_mode": mode,
        "service_mode_label": _MODE_LABELS.get(mode, mode),
    }
    if holding is not None:
        changes.update(
            department=holding.department_name,
            department_key=holding.department_key,
            department_path=holding.department_path,
        )
    return replace(entry, **changes)


# --------------------------------------------------------------------------------------
# The plan of a commission


def commission_scope_codes(commission, catalog: CompiledCatalog) -> set[str] | None:
    """The codes a commission covers (None: all of them, 全程代办)."""
    if commission.scope != commission.Scope.PARTIAL:
        return None
    stages = set(commission.scope_stages or ())
    items = {str(code).upper() for code in commission.scope_items or ()}
    return {entry.code for entry in catalog.entries if entry.stage in stages or entry.code in items}


def plan_as_of(plan) -> dt.date | None:
    """The day a fixed plan was last re-planned as of (None: never re-planned)."""
    if plan.state != Plan.State.FIXED or plan.replanned_at is None:
        return None
    return timezone.localdate(plan.replanned_at)


def _actuals_of(case) -> Actuals | None:
    accepted = case.accepted_on
    if not (case.actual_start or case.actual_finish or accepted):
        return None
    return Actuals(
        case.actual_start,
        case.actual_finish,
        accepted,
        case.days_suspended if accepted else 0,
    )


def plan_outcome_for(
    plan, *, cases=None, calendar: Calendar | None = None, as_of: dt.date | None = None
) -> PlanOutcome:
    """The schedule of a commission's plan: its catalog version, start date and attributes,
    the commission's scope, the agent's active adjustments and, once fixed, its cases (the
    items they hold, the actual dates; ``cases`` given, or read) as of the day it was last
    re-planned (``as_of`` given, or :func:`plan_as_of`: so the page shows the dates the
    re-plan wrote). Deterministic: the same inputs give the same plan.

    Queries: none when ``plan.catalog_version``, ``plan.commission`` and the adjustments and
    cases are prefetched (``selectors.commission_plan_for`` does), otherwise one each.
    """
    catalog = catalog_compiled(plan.catalog_version)
    added: dict[str, str] = {}
    removed: set[str] = set()
    for adjustment in plan.adjustments.all() if plan.pk else ():
        if not adjustment.active:
            continue
        if adjustment.kind == PlanAdjustment.Kind.ADD:
            added[adjustment.code] = adjustment.reason
        else:
            removed.add(adjustment.code)
    if cases is None:
        cases = plan.commission.cases.all() if plan.state == Plan.State.FIXED else ()
    actuals = {}
    for case in cases:
        if case.state in DROPPED_STATES:
            removed.add(case.code)
            continue
        added.setdefault(case.code, case.added_reason)  # a case is in the plan it belongs to
        actual = _actuals_of(case)
        if actual is not None:
            actuals[case.code] = actual
    project = plan.commission.project
    return plan_compute(
        attributes=plan.attributes or {},
        region_path=project.region.path if project.region_id else None,
        start_date=plan.start_date,
        version=catalog.number,
        scope_codes=commission_scope_codes(plan.commission, catalog),
        actuals=actuals,
        calendar=calendar,
        added=added,
        removed=removed,
        as_of=as_of if as_of is not None else plan_as_of(plan),
    )

"""A case's clock read from its row, and the clock columns kept on it (SPEC §6).

The arithmetic is :mod:`bangban.rules.deadlines`; this module feeds it a case (acceptance
date, promised limit, suspensions) and the configured warning policy
(``settings.BANGBAN_LEDGER``).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from bangban.catalog.models import ItemKind, LimitUnit
from bangban.rules import deadlines as core
from bangban.rules.workdays import Calendar, add_working_days, count_working_days

from .models import Case


def warning_policy() -> core.WarningPolicy:
    config = settings.BANGBAN_LEDGER
    return core.WarningPolicy(
        share=float(config["warning_share"]), min_days=int(config["warning_min_days"])
    )


def promised_days(case: Case) -> int:
    """The promised limit of the case: its tier's, taken from the plan (即办件: 0, due the day
    of acceptance); a case without one reads its item's."""
    if case.promised_limit is not None:
        return int(case.promised_limit)
    item = case.item
    if item.kind == ItemKind.IMMEDIATE:
        return 0
    return int(item.promised_limit_days or 0)


def case_limits(case: Case) -> dict:
    """The limits the case page and API show (the tier's): promised working days, legal
    days (None: no legal limit), its unit and the unit's label."""
    days, unit = legal_limit(case)
    return {
        "promised": promised_days(case),
        "legal": days,
        "legal_unit": unit,
        "legal_unit_label": LimitUnit(unit).label if unit in LimitUnit.values else unit,
    }


def legal_limit(case: Case) -> tuple[int | None, str]:
    """(days, unit) of the case's legal limit: its tier's, taken from the plan, else its
    item's; days None: the law sets no limit."""
    if case.legal_limit_unit:
        return case.legal_limit, case.legal_limit_unit
    return case.item.legal_limit_days, case.item.legal_limit_unit


def _suspensions(case: Case) -> list[core.Suspension]:
    return [core.Suspension(s.start, s.end) for s in case.suspensions.all()]


def case_clock(case: Case, cal: Calendar, today: dt.date) -> core.CaseClock | None:
    """The clock of an accepted case as of ``today`` (None before acceptance).

    Reads ``case.suspensions`` (prefetch it for lists).
    """
    if case.accepted_on is None or case.limit_days is None:
        return None
    finished = case.actual_finish if case.state == Case.State.COMPLETED else None
    return core.case_clock(
        cal,
        accepted=case.accepted_on,
        limit_days=case.limit_days,
        today=today,
        suspensions=_suspensions(case),
        finished=finished,
        policy=warning_policy(),
    )


def legal_due(case: Case, cal: Calendar, days_suspended: int) -> dt.date | None:
    """The due date by the legal limit (the tier's, :func:`legal_limit`; None when the law
    sets none), suspension added."""
    days, unit = legal_limit(case)
    if case.accepted_on is None or days is None:
        return None
    if unit == LimitUnit.CALENDAR:
        return case.accepted_on + dt.timedelta(days=int(days) + days_suspended)
    return add_working_days(cal, case.accepted_on, int(days) + days_suspended).date


def store_clock(case: Case, cal: Calendar, today: dt.date) -> None:
    """Set the clock columns (due date, yellow-from date, legal due, suspended days)."""
    clock = case_clock(case, cal, today)
    if clock is None:
        case.due_date = case.warn_from = case.legal_due = None
        case.days_suspended = 0
        case.clock_provisional = False
        case.days_used = case.legal_days = None
        return
    case.due_date = clock.due
    case.days_suspended = clock.days_suspended
    case.clock_provisional = clock.provisional
    case.warn_from = core.warning_start(
        cal, due=clock.due, limit_days=clock.limit_days, policy=warning_policy()
    )
    case.legal_due = legal_due(case, cal, clock.days_suspended)
    store_duration(case, cal)


def store_duration(case: Case, cal: Calendar) -> None:
    """Set ``days_used`` and ``legal_days`` of a completed case (None otherwise), read by the
    metrics (docs/supervision.md): the working days from acceptance to completion, and from
    acceptance to the legal due date, the suspended working days taken out of both (day 1 is
    the working day after acceptance, so a case completed the day it was accepted — a 即办件 —
    used 0). Call after the clock columns are stored (``days_suspended``, ``legal_due``)."""
    if case.state != Case.State.COMPLETED or case.accepted_on is None or not case.actual_finish:
        case.days_used = case.legal_days = None
        return
    suspended = case.days_suspended or 0
    elapsed = count_working_days(cal, case.accepted_on, case.actual_finish).days
    case.days_used = max(0, elapsed - suspended)
    if case.legal_due is None:
        case.legal_days = None
    else:
        legal = count_working_days(cal, case.accepted_on, case.legal_due).days
        case.legal_days = max(0, legal - suspended)

"""Reads of the working-day calendar — what the rest of bangban calls.

``get_calendar()`` costs one query per call: it reads the (small) override and year tables
and rebuilds the calendar only when they changed, so every process sees a centre's change
on its next call. Code that computes many dates at once (the planner) should take one
calendar and pass it on::

    cal = get_calendar()
    for case in cases:
        due = due_date(case.accepted_on, case.limit_days, calendar=cal)
"""

from __future__ import annotations

import datetime as dt
import threading

from django.db.models import QuerySet
from django.utils import timezone

from bangban.rules import workdays as core
from bangban.rules.workdays import Calendar, Count, DayInfo, Due

from .models import CalendarYear
from .source import package_data, package_known_years

__all__ = [
    "Calendar",
    "Count",
    "DayInfo",
    "Due",
    "calendar_year_get",
    "calendar_year_list",
    "day_is_working",
    "due_date",
    "get_calendar",
    "package_years",
    "working_days_between",
    "year_exceptions",
]

_lock = threading.Lock()
_cached: tuple[tuple, Calendar] | None = None


def _state() -> tuple:
    """Everything the calendar depends on in the database, in one query: the years (with
    their confirmation) joined to their overrides."""
    rows = CalendarYear.objects.order_by("year", "overrides__date").values_list(
        "year",
        "confirmed",
        "overrides__date",
        "overrides__is_working_day",
        "overrides__name",
    )
    return tuple(rows)


def _build(state: tuple) -> Calendar:
    data = package_data()
    known = set(data.known_years)
    overrides: dict[dt.date, bool] = {}
    names = dict(data.names)
    for year, confirmed, date, working, name in state:
        if confirmed:
            known.add(year)
        if date is not None:
            overrides[date] = working
            if name:
                names[date] = name
            else:
                names.pop(date, None)
    return Calendar(
        days_off=data.days_off,
        extra_working_days=data.extra_working_days,
        overrides=overrides,
        known_years=frozenset(known),
        names=names,
    )


def get_calendar() -> Calendar:
    """The current calendar: the ``holidays`` package's official years plus the years and
    single dates a centre entered. One query per call; rebuilt only after a change."""
    global _cached
    state = _state()
    cached = _cached
    if cached is not None and cached[0] == state:
        return cached[1]
    with _lock:
        cached = _cached
        if cached is None or cached[0] != state:
            cached = (state, _build(state))
            _cached = cached
    return cached[1]


def _as_date(value: dt.date) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def due_date(start: dt.date, n: int, *, calendar: Calendar | None = None) -> Due:
    """The due date of an ``n``-working-day limit starting ``start`` (day 1 is the working
    day after ``start``; ``n == 0`` is due the same day, or the next working day). An aware
    datetime counts as its local date. ``Due.provisional`` is true when the computation
    reached a year whose 调休 is not confirmed. ``ValueError`` for negative ``n``."""
    return core.add_working_days(calendar or get_calendar(), _as_date(start), n)


def working_days_between(a: dt.date, b: dt.date, *, calendar: Calendar | None = None) -> Count:
    """Working days in ``(a, b]`` — negative when ``b`` is before ``a``."""
    return core.count_working_days(calendar or get_calendar(), _as_date(a), _as_date(b))


def day_is_working(d: dt.date, *, calendar: Calendar | None = None) -> bool:
    """Whether ``d`` is a working day."""
    return core.is_working_day(calendar or get_calendar(), _as_date(d))


def year_exceptions(year: int, *, calendar: Calendar | None = None) -> list[DayInfo]:
    """The weekday days off and weekend working days of ``year``, with names."""
    return core.year_exceptions(calendar or get_calendar(), year)


def calendar_year_list() -> QuerySet[CalendarYear]:
    return CalendarYear.objects.select_related("entered_by").order_by("-year")


def calendar_year_get(*, year: int) -> CalendarYear | None:
    return CalendarYear.objects.select_related("entered_by").filter(year=year).first()


def package_years() -> range:
    """The years whose 调休 the ``holidays`` package carries (known without any notice)."""
    return package_known_years()

"""The working-day calendar as the scheduler wants it (:mod:`bangban.rules.scheduler`'s
calendar protocol over :mod:`bangban.rules.workdays`), memoised and shared per calendar."""

from __future__ import annotations

import datetime as dt

from bangban.rules import workdays as workdays_core
from bangban.rules.workdays import Calendar

__all__ = ["WorkdayCalendar", "calendar_adapter"]


class WorkdayCalendar:
    """The scheduler's calendar protocol over :mod:`bangban.rules.workdays`.

    Answers are memoised: plans of different projects starting on the same day ask for the
    same dates again and again. Use :func:`calendar_adapter` to share one adapter (and its
    memo) per calendar object.
    """

    __slots__ = ("_added", "_counted", "calendar")

    MEMO_LIMIT = 100_000

    def __init__(self, calendar: Calendar):
        self.calendar = calendar
        self._added: dict[tuple[dt.date, int], tuple[dt.date, bool]] = {}
        self._counted: dict[tuple[dt.date, dt.date], tuple[int, bool]] = {}

    def add(self, start: dt.date, n: int) -> tuple[dt.date, bool]:
        key = (start, n)
        found = self._added.get(key)
        if found is None:
            due = workdays_core.add_working_days(self.calendar, start, n)
            if len(self._added) >= self.MEMO_LIMIT:
                self._added.clear()
            found = self._added[key] = (due.date, due.provisional)
        return found

    def count(self, a: dt.date, b: dt.date) -> tuple[int, bool]:
        key = (a, b)
        found = self._counted.get(key)
        if found is None:
            counted = workdays_core.count_working_days(self.calendar, a, b)
            if len(self._counted) >= self.MEMO_LIMIT:
                self._counted.clear()
            found = self._counted[key] = (counted.days, counted.provisional)
        return found


_adapter: WorkdayCalendar | None = None


def calendar_adapter(calendar: Calendar) -> WorkdayCalendar:
    """The shared adapter of ``calendar`` (a new one when the calendar object changed:
    ``get_calendar`` returns the same object until an override or a year is entered)."""
    global _adapter
    adapter = _adapter
    if adapter is None or adapter.calendar is not calendar:
        adapter = _adapter = WorkdayCalendar(calendar)
    return adapter

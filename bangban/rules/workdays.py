"""The working-day calendar as plain data: no Django, no I/O.

A :class:`Calendar` says which dates are working days:

1. a per-date *override* (entered by a service centre) always wins;
2. otherwise, in a *known* year, the source's days off and extra (调休) working days apply;
3. otherwise Monday–Friday are working days and Saturday/Sunday are days off.

Source holidays are applied only in known years: beyond them nothing is guessed (weekends
only, plus overrides) and every result that consulted such a day is flagged ``provisional``.

Day counting follows the time-limit rule of SPEC §6: day 1 of a limit is the working day
*after* ``start``. Internally a cumulative function ``cum(x)`` — the number of working days
up to and including ordinal ``x`` — is a sorted list of working-day ordinals inside the
table range (every year that has source data or overrides) and weekday arithmetic outside
it, so :func:`add_working_days` and :func:`count_working_days` are O(log n) for any date.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

__all__ = [
    "Calendar",
    "Count",
    "DayInfo",
    "Due",
    "add_working_days",
    "count_working_days",
    "is_known",
    "is_working_day",
    "year_exceptions",
]


@dataclass(frozen=True, slots=True)
class Due:
    """The result of :func:`add_working_days`."""

    date: dt.date
    provisional: bool


@dataclass(frozen=True, slots=True)
class Count:
    """The result of :func:`count_working_days`."""

    days: int
    provisional: bool


@dataclass(frozen=True, slots=True)
class DayInfo:
    """One date whose status differs from the plain weekend rule (see :func:`year_exceptions`)."""

    date: dt.date
    is_working_day: bool
    name: str


def _weekdays_through(ordinal: int) -> int:
    """Monday–Friday ordinals in 1..``ordinal`` (ordinal 1, 0001-01-01, is a Monday)."""
    weeks, rest = divmod(ordinal, 7)
    return weeks * 5 + min(rest, 5)


def _nth_weekday_ordinal(k: int) -> int:
    """The smallest ordinal ``x`` with ``_weekdays_through(x) == k`` (inverse of the above)."""
    weeks, rest = divmod(k - 1, 5)
    return weeks * 7 + rest + 1


def _is_weekday(ordinal: int) -> bool:
    return (ordinal - 1) % 7 < 5


@dataclass(frozen=True)
class Calendar:
    """Which dates are working days. Build once, query many times (it is immutable).

    ``days_off`` and ``extra_working_days`` come from the source (e.g. the ``holidays``
    package) and are used only inside ``known_years``; ``overrides`` (date → is working day)
    always win, in any year. ``names`` optionally labels dates (e.g. 春节) for display.
    """

    days_off: frozenset[dt.date] = frozenset()
    extra_working_days: frozenset[dt.date] = frozenset()
    overrides: Mapping[dt.date, bool] = field(default_factory=dict)
    known_years: frozenset[int] = frozenset()
    names: Mapping[dt.date, str] = field(default_factory=dict, compare=False, repr=False)

    # Precomputed index (see module docstring); not part of equality or repr.
    _lo: int = field(init=False, repr=False, compare=False)
    _hi: int = field(init=False, repr=False, compare=False)
    _flags: bytes = field(init=False, repr=False, compare=False)
    _work: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _years: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _base_lo: int = field(init=False, repr=False, compare=False)
    _base_hi: int = field(init=False, repr=False, compare=False)

    __hash__ = None  # type: ignore[assignment]  # holds mappings

    def __post_init__(self) -> None:
        put = object.__setattr__
        put(self, "days_off", frozenset(self.days_off))
        put(self, "extra_working_days", frozenset(self.extra_working_days))
        put(self, "overrides", MappingProxyType(dict(self.overrides)))
        put(self, "known_years", frozenset(int(y) for y in self.known_years))
        put(self, "names", MappingProxyType(dict(self.names)))

        known = self.known_years
        years = set(known) | {d.year for d in self.overrides}
        years |= {d.year for d in self.days_off | self.extra_working_days if d.year in known}
        if years:
            lo = dt.date(min(years), 1, 1).toordinal()
            hi = dt.date(max(years), 12, 31).toordinal()
        else:
            lo, hi = 1, 0  # empty table: weekday arithmetic everywhere
        flags = bytearray(1 if _is_weekday(o) else 0 for o in range(lo, hi + 1))
        for d in self.days_off:
            if d.year in known:
                flags[d.toordinal() - lo] = 0
        for d in self.extra_working_days:
            if d.year in known:
                flags[d.toordinal() - lo] = 1
        for d, working in self.overrides.items():
            flags[d.toordinal() - lo] = 1 if working else 0
        work = tuple(lo + i for i, flag in enumerate(flags) if flag)
        put(self, "_lo", lo)
        put(self, "_hi", hi)
        put(self, "_flags", bytes(flags))
        put(self, "_work", work)
        put(self, "_years", tuple(sorted(known)))
        put(self, "_base_lo", _weekdays_through(lo - 1))
        put(self, "_base_hi", _weekdays_through(hi))

    # -- internals ---------------------------------------------------------------------

    def _working(self, ordinal: int) -> bool:
        if self._lo <= ordinal <= self._hi:
            return self._flags[ordinal - self._lo] == 1
        return _is_weekday(ordinal)

    def _cum(self, ordinal: int) -> int:
        """Working days in (table start - 1, ordinal]; negative before the table."""
        if ordinal < self._lo:
            return _weekdays_through(ordinal) - self._base_lo
        if ordinal <= self._hi:
            return bisect_right(self._work, ordinal)
        return len(self._work) + _weekdays_through(ordinal) - self._base_hi

    def _ordinal_of(self, target: int) -> int:
        """The smallest ordinal ``x`` with ``_cum(x) == target`` (always a working day)."""
        if target <= 0:
            return _nth_weekday_ordinal(target + self._base_lo)
        if target <= len(self._work):
            return self._work[target - 1]
        return _nth_weekday_ordinal(target - len(self._work) + self._base_hi)

    def _all_known(self, first: int, last: int) -> bool:
        """True when every year from ``first`` to ``last`` (inclusive) is known."""
        if first > last:
            return True
        years = self._years
        return bisect_right(years, last) - bisect_left(years, first) == last - first + 1


def _check(d: dt.date) -> int:
    if isinstance(d, dt.datetime):  # a datetime's calendar date depends on its time zone
        raise TypeError("expected a date, got a datetime; convert it to a local date first")
    return d.toordinal()


def _date(ordinal: int) -> dt.date:
    try:
        return dt.date.fromordinal(ordinal)
    except (ValueError, OverflowError):
        raise ValueError("result lies outside the supported date range") from None


def is_working_day(cal: Calendar, d: dt.date) -> bool:
    """Whether ``d`` is a working day (overrides first, then the source, then weekends)."""
    return cal._working(_check(d))


def is_known(cal: Calendar, d: dt.date) -> bool:
    """Whether ``d`` lies in a year whose holidays and 调休 are confirmed."""
    return d.year in cal.known_years


def add_working_days(cal: Calendar, start: dt.date, n: int) -> Due:
    """The ``n``-th working day after ``start``.

    Day 1 is the first working day after ``start``. ``n == 0`` means "due the same day"
    (即办件): ``start`` itself if it is a working day, else the next working day. The result
    is provisional when any date consulted — ``(start, due]``, or ``[start, due]`` for
    ``n == 0`` — lies in a year that is not known. Raises ``ValueError`` for negative ``n``.
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    s = _check(start)
    if n == 0:
        if cal._working(s):
            return Due(start, not cal._all_known(start.year, start.year))
        due = _date(cal._ordinal_of(cal._cum(s) + 1))
        return Due(due, not cal._all_known(start.year, due.year))
    due = _date(cal._ordinal_of(cal._cum(s) + n))
    first_year = _date(s + 1).year
    return Due(due, not cal._all_known(first_year, due.year))


def count_working_days(cal: Calendar, start: dt.date, end: dt.date) -> Count:
    """Working days in ``(start, end]``, so ``count(s, add(s, n).date).days == n`` for n ≥ 1.

    ``end < start`` gives the negative of ``count(end, start)`` (a deadline already passed
    reads as a negative number of days). ``end == start`` is 0. Provisional when any date in
    the half-open interval lies in a year that is not known.
    """
    a, b = _check(start), _check(end)
    if a == b:
        return Count(0, False)
    lo, hi, sign = (a, b, 1) if a < b else (b, a, -1)
    days = sign * (cal._cum(hi) - cal._cum(lo))
    return Count(days, not cal._all_known(_date(lo + 1).year, _date(hi).year))


def year_exceptions(cal: Calendar, year: int) -> list[DayInfo]:
    """The dates of ``year`` whose status differs from "Monday–Friday work": weekday days off
    and weekend working days, in date order, with their names where known."""
    out = []
    day = dt.date(year, 1, 1)
    one = dt.timedelta(days=1)
    while day.year == year:
        working = is_working_day(cal, day)
        if working != (day.weekday() < 5):
            out.append(DayInfo(day, working, cal.names.get(day, "")))
        day += one
    return out

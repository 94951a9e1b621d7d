"""When the next periodic meeting (联席会议) falls — no Django import.

A series keeps the date of its first meeting; its n-th meeting falls n periods (weeks, months
or quarters) after it, so neither a short month nor a holiday makes the series drift: a
month keeps the first meeting's day and falls back to the month's last day when the month is
shorter (31 January → 28 or 29 February, then 31 March again). The service then moves a
non-working day to the next working day with the working-day calendar.
"""

from __future__ import annotations

import calendar
import datetime as dt

WEEKLY = "weekly"
MONTHLY = "monthly"
QUARTERLY = "quarterly"

LABELS = {WEEKLY: "每周", MONTHLY: "每月", QUARTERLY: "每季度"}
MONTHS = {MONTHLY: 1, QUARTERLY: 3}


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def nth_date(start: dt.date, recurrence: str, n: int) -> dt.date:
    """The calendar date ``n`` periods after the series' first meeting on ``start`` (before
    moving off a holiday)."""
    if recurrence == WEEKLY:
        return start + dt.timedelta(days=7 * n)
    if recurrence in MONTHS:
        return add_months(start, MONTHS[recurrence] * n)
    raise ValueError(f"unknown recurrence {recurrence!r}")

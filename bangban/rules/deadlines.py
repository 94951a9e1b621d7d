"""A case's time limit on the working-day calendar (SPEC §6) — plain functions, no Django.

The counting rules, from 行政许可法 art. 42/45 as the seeds apply them:

* Day 1 of a limit is the first working day after acceptance; a limit of 0 days (即办件) is
  due the day of acceptance (the next working day when accepted on a day off).
* A suspension (中止计时: 补正, expert review, hearing, public notice) stops the clock. The
  day the clock stops still counts; counting restarts the day after it resumes, like the day
  after acceptance. So a suspension from ``s`` to ``r`` takes the working days in ``(s, r]``
  out of the count, and moves the due date by as many working days. A suspension still open
  stops the clock up to ``today``.
* Yellow when the remaining working days are at most ``max(min_days, share × limit)``, red
  once the due date has passed (both configurable, :class:`WarningPolicy`).

``provisional`` is true when any date the computation consulted lies in a year whose
holidays are not confirmed (SPEC §6: computed on weekends only and flagged).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from .workdays import Calendar, add_working_days, count_working_days

__all__ = [
    "CaseClock",
    "Suspension",
    "WarningPolicy",
    "case_clock",
    "warning_colour",
    "warning_start",
]

GREEN = "green"
YELLOW = "yellow"
RED = "red"


@dataclass(frozen=True, slots=True)
class Suspension:
    start: dt.date
    end: dt.date | None = None  # None: still suspended


@dataclass(frozen=True, slots=True)
class WarningPolicy:
    share: float = 0.2
    min_days: int = 1

    def threshold(self, limit_days: int) -> float:
        return max(float(self.min_days), self.share * limit_days)


@dataclass(frozen=True, slots=True)
class CaseClock:
    accepted: dt.date
    limit_days: int
    due: dt.date  # the promised due date, suspended days added
    days_used: int  # working days counted so far (suspended ones excluded)
    days_suspended: int  # working days the clock stood still
    remaining: int  # limit - used; negative once overdue
    overdue_days: int  # working days past the due date (0 when not overdue)
    suspended: bool  # a suspension is open
    colour: str  # green / yellow / red; green while suspended or finished
    provisional: bool


def _suspended_days(
    cal: Calendar, suspensions: Iterable[Suspension], until: dt.date
) -> tuple[int, bool, bool]:
    days = 0
    provisional = False
    open_now = False
    for suspension in suspensions:
        end = suspension.end
        if end is None:
            open_now = True
            end = until
        end = min(end, until)
        if end <= suspension.start:
            continue
        counted = count_working_days(cal, suspension.start, end)
        days += counted.days
        provisional = provisional or counted.provisional
    return days, provisional, open_now


def warning_colour(remaining: int, limit_days: int, policy: WarningPolicy) -> str:
    if remaining < 0:
        return RED
    if remaining <= policy.threshold(limit_days):
        return YELLOW
    return GREEN


def case_clock(
    cal: Calendar,
    *,
    accepted: dt.date,
    limit_days: int,
    today: dt.date,
    suspensions: Iterable[Suspension] = (),
    finished: dt.date | None = None,
    policy: WarningPolicy | None = None,
) -> CaseClock:
    """The clock of a case accepted on ``accepted`` with ``limit_days`` working days.

    ``today`` is when the clock is read; ``finished`` (the completion date) freezes it.
    """
    if limit_days < 0:
        raise ValueError(f"limit_days must be >= 0, got {limit_days}")
    policy = policy or WarningPolicy()
    until = max(accepted, min(today, finished) if finished else today)
    suspensions = list(suspensions)
    suspended, prov_s, open_now = _suspended_days(cal, suspensions, until)
    due = add_working_days(cal, accepted, limit_days + suspended)
    elapsed = count_working_days(cal, accepted, until)
    used = min(max(0, elapsed.days - suspended), limit_days)
    if until <= due.date:
        remaining = count_working_days(cal, until, due.date).days
        overdue = 0
    else:
        overdue = count_working_days(cal, due.date, until).days
        remaining = -overdue
        used = limit_days + overdue
    colour = GREEN if open_now or finished else warning_colour(remaining, limit_days, policy)
    return CaseClock(
        accepted=accepted,
        limit_days=limit_days,
        due=due.date,
        days_used=used,
        days_suspended=suspended,
        remaining=remaining,
        overdue_days=overdue,
        suspended=open_now,
        colour=colour,
        provisional=due.provisional or elapsed.provisional or prov_s,
    )


def warning_start(cal: Calendar, *, due: dt.date, limit_days: int, policy: WarningPolicy):
    """The first date on which a case due on ``due`` (and not suspended) turns yellow, so a
    query can find yellow cases by comparing stored dates."""
    threshold = policy.threshold(limit_days)
    day = due
    while count_working_days(cal, day - dt.timedelta(days=1), due).days <= threshold:
        day -= dt.timedelta(days=1)
    return day

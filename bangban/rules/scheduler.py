"""The parallel schedule of a project's approval items on working days (SPEC §5).

Pure core (no Django import). Items form a DAG through their prerequisites; an item starts
when all its prerequisites are done. All arithmetic is in working-day *offsets* from the
plan's first working day (offset 0 = the start date if it is a working day, else the next
working day); dates come from a calendar object at the very end, so this module knows nothing
about holidays.

For an item: ``es`` = the latest finish of its prerequisites (0 if none), planned acceptance
= ``es + preparation_days``, due = acceptance + ``promised_days``, ``ef`` = due. A dependent
may start on the day its prerequisite is due (day 1 of its own count is the next working
day, as with every deadline).

Re-planning: an item with ``actual_finish`` finishes at that working day (never before its
own start; a day off counts as the working day before it, while the date shown stays the day
it really finished); an item with ``actual_start`` starts there whatever its prerequisites say and
keeps its duration — such an item no longer waits for its prerequisites, so those edges are
left out of both passes. An item with ``actual_acceptance`` (accepted, under review) is due
``promised_days + suspended_days`` working days after that acceptance: the clock it has,
even when that due date is already past (overdue stays overdue). Everything downstream is
rescheduled from the actual dates.

Re-planning *as of* a day (``PlanInput.as_of``, normally today): nothing still to happen is
planned in the past. Let ``now`` be the offset of ``as_of`` (the next working day when it is
not one; 0 when it lies before the plan's first working day). An unfinished item that has
not started starts no earlier than ``now``; one started but not yet accepted is accepted no
earlier than ``now``; an accepted one keeps its clock; a finished one keeps its actual dates.
Dependants follow, as always, from their prerequisites' (moved) finishes. With ``as_of``
None, or on or before the first working day, the schedule is the plain one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from heapq import heappop, heappush
from typing import NamedTuple, Protocol

from bangban.rules.graph import CycleError, find_cycle

__all__ = [
    "CycleError",
    "PlanInput",
    "PlanItem",
    "PlanResult",
    "ScheduledItem",
    "WorkingCalendar",
    "schedule",
]


class WorkingCalendar(Protocol):
    """What the scheduler needs from a working-day calendar.

    ``add(start, n)``: the n-th working day after ``start`` (n = 0: ``start`` itself if it is
    a working day, else the next one) and whether that answer is provisional (outside the
    published holiday schedule). ``count(a, b)``: the number of working days in ``(a, b]``
    and whether it is provisional.
    """

    def add(self, start: date, n: int) -> tuple[date, bool]: ...

    def count(self, a: date, b: date) -> tuple[int, bool]: ...


@dataclass(frozen=True)
class PlanItem:
    code: str
    name: str
    stage: str
    stage_order: int
    preparation_days: int
    promised_days: int
    prerequisites: tuple[str, ...] = ()
    in_scope: bool = True  # False: the enterprise handles it itself (scheduled the same)
    actual_start: date | None = None
    actual_finish: date | None = None
    actual_acceptance: date | None = None  # accepted: due = this + promised + suspended days
    suspended_days: int = 0  # working days the accepted item's clock stood still


@dataclass(frozen=True)
class PlanInput:
    start_date: date
    items: Sequence[PlanItem]
    as_of: date | None = None  # re-plan as of this day: nothing unfinished planned before it


class ScheduledItem(NamedTuple):
    """One item of the schedule (a named tuple: immutable, cheap to build, ``_asdict()``)."""

    code: str
    name: str
    stage: str
    stage_order: int
    in_scope: bool
    preparation_days: int
    promised_days: int
    prerequisites: tuple[str, ...]  # those present in the plan, sorted
    es: int  # earliest start (working-day offset)
    ef: int  # earliest finish = due
    slack: int  # latest start - earliest start
    critical: bool
    planned_start: date
    planned_acceptance: date
    planned_due: date
    provisional: bool  # some date of this item lies outside the published calendar
    actual_start: date | None = None
    actual_finish: date | None = None
    actual_acceptance: date | None = None

    @property
    def duration(self) -> int:
        return self.ef - self.es

    @property
    def replanned(self) -> bool:
        """Whether actual dates fixed this item's start, acceptance or finish."""
        return (
            self.actual_start is not None
            or self.actual_finish is not None
            or self.actual_acceptance is not None
        )


@dataclass(frozen=True)
class PlanResult:
    items: tuple[ScheduledItem, ...]  # by es, then stage_order, then code
    critical_path: list[str]
    total_working_days: int
    serial_working_days: int
    compression: float
    start_day: date  # the working day of offset 0
    end_date: date
    provisional: bool  # any date of the plan is provisional

    def item(self, code: str) -> ScheduledItem:
        for scheduled in self.items:
            if scheduled.code == code:
                return scheduled
        raise KeyError(code)


def _cycle_among(items: Sequence[PlanItem], left: set[str]) -> list[str]:
    edges = [(p, i.code) for i in items if i.code in left for p in i.prerequisites if p in left]
    cycle = find_cycle(edges)
    assert cycle is not None  # every leftover item has a leftover prerequisite
    return cycle


def schedule(plan: PlanInput, calendar: WorkingCalendar) -> PlanResult:
    """Compute the parallel schedule, slack and critical path of ``plan``.

    Deterministic: the result does not depend on the order of the items or of their
    prerequisites. Raises :class:`CycleError` if the prerequisites (among the plan's items)
    form a cycle, ValueError on duplicate codes or negative durations.
    """
    # Items are numbered in code order, so "smallest index" is "smallest code" everywhere.
    items = sorted(plan.items, key=_code_of)
    n = len(items)
    codes = [item.code for item in items]
    index = {code: i for i, code in enumerate(codes)}
    if len(index) != n:
        duplicate = next(
            c for c, following in zip(codes, codes[1:], strict=False) if c == following
        )
        raise ValueError(f"duplicate item code {duplicate!r}")

    # Adjacency, once. Prerequisites outside the plan are dropped.
    preds_all: list[list[int]] = []
    for item in items:
        if item.preparation_days < 0 or item.promised_days < 0 or item.suspended_days < 0:
            raise ValueError(f"negative duration for item {item.code!r}")
        known = {index[p] for p in item.prerequisites if p in index}
        preds_all.append(sorted(known))
    succs_all: list[list[int]] = [[] for _ in range(n)]
    indegree = [0] * n
    for i, preds in enumerate(preds_all):
        indegree[i] = len(preds)
        for p in preds:
            succs_all[p].append(i)

    # Topological order (Kahn), ties by code.
    ready = [i for i in range(n) if not indegree[i]]  # already sorted: a valid heap
    order: list[int] = []
    while ready:
        i = heappop(ready)
        order.append(i)
        for s in succs_all[i]:
            indegree[s] -= 1
            if not indegree[s]:
                heappush(ready, s)
    if len(order) != n:
        raise CycleError(_cycle_among(items, {codes[i] for i in range(n) if indegree[i]}))

    start_day, start_provisional = calendar.add(plan.start_date, 0)

    def offset_of(day: date) -> tuple[int, bool]:
        if day <= start_day:
            return 0, False
        return calendar.count(start_day, day)

    # Re-planning as of a day: the offset before which nothing still to happen is planned.
    now = 0
    if plan.as_of is not None and plan.as_of > start_day:
        now = offset_of(calendar.add(plan.as_of, 0)[0])[0]

    # An item with an actual start (or acceptance) no longer waits for its prerequisites:
    # drop those edges.
    fixed_start = [
        item.actual_start is not None or item.actual_acceptance is not None for item in items
    ]
    preds = [() if fixed_start[i] else preds_all[i] for i in range(n)]
    succs = [[s for s in succs_all[i] if not fixed_start[s]] for i in range(n)]

    # Forward pass.
    es = [0] * n
    ef = [0] * n
    acceptance = [0] * n
    item_provisional = [False] * n
    for i in order:
        item = items[i]
        provisional = False
        unfinished = item.actual_finish is None
        if fixed_start[i]:
            began = item.actual_start or item.actual_acceptance
            start, provisional = offset_of(began)  # type: ignore[arg-type]
        else:
            start = now if unfinished else 0
            for p in preds[i]:
                if ef[p] > start:
                    start = ef[p]
        accepted = start + item.preparation_days
        if item.actual_acceptance is not None:
            accepted, accepted_provisional = offset_of(item.actual_acceptance)
            accepted = max(accepted, start)
            provisional = provisional or accepted_provisional
        elif unfinished and accepted < now:  # started, not yet accepted: not in the past
            accepted = now
        finish = accepted + item.promised_days
        if item.actual_acceptance is not None:
            finish += item.suspended_days
        if item.actual_finish is not None:
            finish, finish_provisional = offset_of(item.actual_finish)
            if finish < start:
                finish = start
            if accepted > finish:
                accepted = finish
            provisional = provisional or finish_provisional
        es[i], ef[i], acceptance[i] = start, finish, accepted
        item_provisional[i] = provisional

    total = max(ef, default=0)

    # Backward pass over the same DAG against the project's total.
    latest_start = [0] * n
    for i in reversed(order):
        latest_finish = total
        for s in succs[i]:
            if latest_start[s] < latest_finish:
                latest_finish = latest_start[s]
        latest_start[i] = latest_finish - (ef[i] - es[i])
    slack = [latest_start[i] - es[i] for i in range(n)]
    critical = [not value for value in slack]

    # One longest chain: from the first critical item (by es, then code) that no tight
    # critical prerequisite precedes, follow tight critical dependents, smallest code first.
    path: list[str] = []
    head = -1
    for i in range(n):
        if (
            critical[i]
            and (head < 0 or es[i] < es[head])
            and not any(critical[p] and ef[p] == es[i] for p in preds[i])
        ):
            head = i
    if head >= 0:
        current = head
        path.append(codes[current])
        while True:
            for s in succs[current]:  # in code order
                if critical[s] and es[s] == ef[current]:
                    current = s
                    path.append(codes[current])
                    break
            else:
                break

    # Dates: one calendar call per distinct offset.
    dates: dict[int, tuple[date, bool]] = {0: (start_day, start_provisional)}

    def day_at(offset: int) -> tuple[date, bool]:
        found = dates.get(offset)
        if found is None:
            found = dates[offset] = calendar.add(start_day, offset)
        return found

    scheduled: list[ScheduledItem] = []
    for i, item in enumerate(items):
        start_date, p1 = day_at(es[i])
        accept_date, p2 = day_at(acceptance[i])
        due_date, p3 = day_at(ef[i])
        if item.actual_finish is not None and item.actual_finish > due_date:
            # finished on a day off (a Sunday): its offset is the working day before, but the
            # date shown is the day it really finished
            due_date, p3 = item.actual_finish, False
        scheduled.append(
            ScheduledItem(
                item.code,
                item.name,
                item.stage,
                item.stage_order,
                item.in_scope,
                item.preparation_days,
                item.promised_days,
                tuple([codes[p] for p in preds_all[i]]),
                es[i],
                ef[i],
                slack[i],
                critical[i],
                start_date,
                accept_date,
                due_date,
                start_provisional or item_provisional[i] or p1 or p2 or p3,
                item.actual_start,
                item.actual_finish,
                item.actual_acceptance,
            )
        )
    scheduled.sort(key=_output_key)

    serial = sum(item.preparation_days + item.promised_days for item in items)
    end_date, end_provisional = day_at(total)
    last_finish = max((item.planned_due for item in scheduled), default=end_date)
    if last_finish > end_date:  # the last item finished on a day off
        end_date = last_finish
    return PlanResult(
        items=tuple(scheduled),
        critical_path=path,
        total_working_days=total,
        serial_working_days=serial,
        compression=round(1 - total / serial, 4) if serial else 0.0,
        start_day=start_day,
        end_date=end_date,
        provisional=end_provisional or any(s.provisional for s in scheduled),
    )


def _code_of(item: PlanItem) -> str:
    return item.code


def _output_key(item: ScheduledItem) -> tuple[int, int, str]:
    return (item.es, item.stage_order, item.code)

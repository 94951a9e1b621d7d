"""bangban.rules.scheduler: the parallel schedule on working days."""

import bisect
import random
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bangban.rules.graph import CycleError
from bangban.rules.scheduler import PlanInput, PlanItem, schedule

D = date.fromisoformat


def _days(first: str, last: str) -> set[date]:
    start, end = D(first), D(last)
    return {start + timedelta(days=i) for i in range((end - start).days + 1)}


class FakeCalendar:
    """Weekends off plus the 2026 China days off and make-up working days (调休).

    Dates after 2026-12-31 are weekday-only guesses and reported as provisional.
    """

    DAYS_OFF = (
        _days("2026-01-01", "2026-01-03")
        | _days("2026-02-15", "2026-02-23")
        | _days("2026-04-04", "2026-04-06")
        | _days("2026-05-01", "2026-05-05")
        | _days("2026-06-19", "2026-06-21")
        | _days("2026-09-25", "2026-09-27")
        | _days("2026-10-01", "2026-10-07")
    )
    WORKING_WEEKENDS = {D(d) for d in ("2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09")} | {
        D("2026-09-20"),
        D("2026-10-10"),
    }
    KNOWN_UNTIL = D("2026-12-31")

    def __init__(self):
        self.calls = 0
        day, self.days = D("2025-12-01"), []
        while day <= D("2028-12-31"):
            if self.is_working(day):
                self.days.append(day)
            day += timedelta(days=1)

    def is_working(self, day: date) -> bool:
        if day in self.WORKING_WEEKENDS:
            return True
        return day not in self.DAYS_OFF and day.weekday() < 5

    def add(self, start: date, n: int) -> tuple[date, bool]:
        self.calls += 1
        if n == 0:
            result = self.days[bisect.bisect_left(self.days, start)]
        else:
            result = self.days[bisect.bisect_right(self.days, start) + n - 1]
        return result, result > self.KNOWN_UNTIL

    def count(self, a: date, b: date) -> tuple[int, bool]:
        self.calls += 1
        n = bisect.bisect_right(self.days, b) - bisect.bisect_right(self.days, a)
        return n, b > self.KNOWN_UNTIL


CAL = FakeCalendar()

# Working days from Monday 2026-09-28 across National Day (10-01..07 off, Sat 10-10 works).
OFFSETS = {
    0: "2026-09-28",
    1: "2026-09-29",
    2: "2026-09-30",
    3: "2026-10-08",
    4: "2026-10-09",
    5: "2026-10-10",
    6: "2026-10-12",
    7: "2026-10-13",
    8: "2026-10-14",
    9: "2026-10-15",
    10: "2026-10-16",
    11: "2026-10-19",
    12: "2026-10-20",
    13: "2026-10-21",
    14: "2026-10-22",
}
START = D("2026-09-28")


def test_fake_calendar_follows_the_2026_schedule():
    for n, day in OFFSETS.items():
        assert CAL.add(START, n) == (D(day), False)
    assert CAL.add(D("2026-09-19"), 0) == (D("2026-09-20"), False)  # Sunday make-up day
    assert CAL.add(D("2026-10-01"), 0) == (D("2026-10-08"), False)
    assert CAL.count(START, D("2026-10-10")) == (5, False)
    assert CAL.count(START, D("2026-10-11")) == (5, False)
    assert CAL.add(D("2026-12-30"), 2)[1] is True


def item(code, prep, promised, *prereqs, stage_order=1, **extra):
    return PlanItem(
        code=code,
        name=f"事项{code}",
        stage="立项用地规划许可",
        stage_order=stage_order,
        preparation_days=prep,
        promised_days=promised,
        prerequisites=tuple(prereqs),
        **extra,
    )


def run(items, start=START):
    return schedule(PlanInput(start, items), CAL)


def dates_of(result, code):
    s = result.item(code)
    return str(s.planned_start), str(s.planned_acceptance), str(s.planned_due)


def test_chain_across_national_day():
    result = run([item("C", 2, 3, "B"), item("B", 0, 5, "A"), item("A", 1, 2)])
    assert [(s.code, s.es, s.ef) for s in result.items] == [("A", 0, 3), ("B", 3, 8), ("C", 8, 13)]
    assert dates_of(result, "A") == ("2026-09-28", "2026-09-29", "2026-10-08")
    assert dates_of(result, "B") == ("2026-10-08", "2026-10-08", "2026-10-14")
    assert dates_of(result, "C") == ("2026-10-14", "2026-10-16", "2026-10-21")
    assert result.total_working_days == 13
    assert result.serial_working_days == 13
    assert result.compression == 0.0
    assert result.critical_path == ["A", "B", "C"]
    assert all(s.critical and s.slack == 0 for s in result.items)
    assert result.start_day == START
    assert result.end_date == D("2026-10-21")
    assert result.provisional is False


def test_diamond():
    result = run(
        [
            item("S", 0, 2),
            item("L", 1, 4, "S"),
            item("R", 0, 2, "S"),
            item("J", 1, 1, "L", "R"),
        ]
    )
    got = {s.code: (s.es, s.ef, s.slack, s.critical) for s in result.items}
    assert got == {
        "S": (0, 2, 0, True),
        "L": (2, 7, 0, True),
        "R": (2, 4, 3, False),
        "J": (7, 9, 0, True),
    }
    assert dates_of(result, "L") == ("2026-09-30", "2026-10-08", "2026-10-13")
    assert dates_of(result, "R") == ("2026-09-30", "2026-09-30", "2026-10-09")
    assert dates_of(result, "J") == ("2026-10-13", "2026-10-14", "2026-10-15")
    assert result.total_working_days == 9
    assert result.serial_working_days == 11
    assert result.compression == round(1 - 9 / 11, 4) == 0.1818
    assert result.critical_path == ["S", "L", "J"]
    assert [s.code for s in result.items] == ["S", "L", "R", "J"]  # es, stage_order, code


def test_two_parallel_branches_and_output_order():
    result = run(
        [
            item("A1", 2, 3, stage_order=2),
            item("A2", 0, 4, "A1", stage_order=3),
            item("B1", 1, 1, stage_order=1),
            item("B2", 1, 2, "B1", stage_order=4),
        ]
    )
    assert [(s.code, s.es, s.ef, s.slack) for s in result.items] == [
        ("B1", 0, 2, 4),
        ("A1", 0, 5, 0),
        ("B2", 2, 5, 4),
        ("A2", 5, 9, 0),
    ]
    assert result.total_working_days == 9
    assert result.serial_working_days == 14
    assert result.compression == 0.3571
    assert result.critical_path == ["A1", "A2"]
    assert dates_of(result, "A2") == ("2026-10-10", "2026-10-10", "2026-10-15")
    assert dates_of(result, "B2") == ("2026-09-30", "2026-10-08", "2026-10-10")


def test_zero_duration_items():
    # 即办件: same-day items take no working day.
    result = run([item("X", 0, 0), item("Y", 0, 3, "X"), item("Z", 0, 0, "Y")])
    assert [(s.code, s.es, s.ef) for s in result.items] == [("X", 0, 0), ("Y", 0, 3), ("Z", 3, 3)]
    assert dates_of(result, "X") == ("2026-09-28",) * 3
    assert dates_of(result, "Z") == ("2026-10-08",) * 3
    assert result.critical_path == ["X", "Y", "Z"]
    assert all(s.critical for s in result.items)
    only_instant = run([item("X", 0, 0), item("Q", 0, 0)])
    assert only_instant.total_working_days == 0
    assert only_instant.serial_working_days == 0
    assert only_instant.compression == 0.0
    assert only_instant.critical_path == ["Q"]
    assert only_instant.end_date == START


def test_prerequisite_outside_the_plan_is_ignored():
    result = run([item("A", 1, 2, "ZZ99"), item("B", 0, 1, "A", "ZZ98")])
    assert result.item("A").es == 0
    assert result.item("A").prerequisites == ()
    assert result.item("B").prerequisites == ("A",)
    assert result.total_working_days == 4


def test_start_on_a_day_off():
    # Saturday 2026-09-19: offset 0 is Sunday 09-20, a make-up working day.
    result = run([item("A", 1, 2)], start=D("2026-09-19"))
    assert result.start_day == D("2026-09-20")
    assert dates_of(result, "A") == ("2026-09-20", "2026-09-21", "2026-09-23")
    result = run([item("A", 1, 2)], start=D("2026-10-03"))
    assert dates_of(result, "A") == ("2026-10-08", "2026-10-09", "2026-10-12")


def test_out_of_scope_items_are_scheduled_the_same_and_flagged():
    inside = run([item("A", 1, 2), item("B", 0, 5, "A")])
    outside = run([item("A", 1, 2, in_scope=False), item("B", 0, 5, "A")])
    assert outside.item("A").in_scope is False
    assert outside.item("B").in_scope is True
    assert (outside.item("B").es, outside.item("B").planned_due) == (
        inside.item("B").es,
        inside.item("B").planned_due,
    )
    assert outside.total_working_days == inside.total_working_days


def test_replanning_from_an_actual_finish():
    # A was planned to finish at offset 3 (10-08) but finished on Friday 10-09 (offset 4).
    result = run(
        [
            item("A", 1, 2, actual_finish=D("2026-10-09")),
            item("B", 0, 5, "A"),
            item("C", 2, 3, "B"),
        ]
    )
    assert [(s.code, s.es, s.ef) for s in result.items] == [("A", 0, 4), ("B", 4, 9), ("C", 9, 14)]
    assert result.item("A").planned_due == D("2026-10-09")
    assert result.item("A").replanned
    assert dates_of(result, "C") == ("2026-10-15", "2026-10-19", "2026-10-22")
    assert result.total_working_days == 14
    assert result.serial_working_days == 13
    assert result.compression == round(1 - 14 / 13, 4)
    # An early finish moves the dependants earlier; a finish on a day off counts the day before.
    early = run([item("A", 1, 2, actual_finish=D("2026-09-29")), item("B", 0, 5, "A")])
    assert (early.item("B").es, early.item("B").ef) == (1, 6)
    weekend = run([item("A", 1, 2, actual_finish=D("2026-10-11")), item("B", 0, 5, "A")])
    assert weekend.item("B").es == 5
    # ... but shows the day it really finished, and a plan that ends there ends that day
    assert weekend.item("A").planned_due == D("2026-10-11")
    alone = run([item("A", 1, 2, actual_finish=D("2026-10-11"))])
    assert alone.end_date == D("2026-10-11") and alone.item("A").planned_due == D("2026-10-11")


def test_actual_finish_is_clamped_to_the_items_own_start():
    result = run([item("A", 0, 5), item("B", 0, 2, "A", actual_finish=D("2026-09-29"))])
    assert (result.item("B").es, result.item("B").ef) == (5, 5)


def test_replanning_from_an_actual_start():
    # B started on 10-08 (offset 3) while A, its prerequisite, is still planned until offset 5.
    result = run(
        [
            item("A", 2, 3),
            item("B", 1, 4, "A", actual_start=D("2026-10-08")),
            item("C", 0, 1, "B"),
        ]
    )
    assert [(s.code, s.es, s.ef) for s in result.items] == [("A", 0, 5), ("B", 3, 8), ("C", 8, 9)]
    assert result.item("B").planned_start == D("2026-10-08")
    assert result.item("A").slack == 4  # B no longer waits for A
    assert result.critical_path == ["B", "C"]
    assert all(s.slack >= 0 for s in result.items)
    both = run([item("A", 2, 3, actual_start=D("2026-09-29"), actual_finish=D("2026-10-12"))])
    assert (both.item("A").es, both.item("A").ef) == (1, 6)
    assert both.item("A").planned_acceptance == D("2026-10-08")


def test_provisional_dates_beyond_the_published_calendar():
    result = run([item("A", 0, 10)], start=D("2026-12-21"))
    assert result.item("A").planned_start == D("2026-12-21")
    assert result.item("A").provisional is True
    assert result.provisional is True
    assert run([item("A", 0, 2)], start=D("2026-12-21")).provisional is False


def test_cycle_and_bad_input():
    with pytest.raises(CycleError) as info:
        run([item("A", 1, 1, "B"), item("B", 1, 1, "A"), item("C", 1, 1)])
    assert info.value.cycle == ["A", "B", "A"]
    with pytest.raises(CycleError):
        run([item("A", 1, 1, "A")])
    with pytest.raises(ValueError):
        run([item("A", 1, 1), item("A", 2, 2)])
    with pytest.raises(ValueError):
        run([item("A", -1, 1)])


def test_empty_plan():
    result = run([])
    assert result.items == ()
    assert result.total_working_days == 0
    assert result.critical_path == []
    assert result.end_date == START


def test_one_calendar_call_per_distinct_offset():
    calendar = FakeCalendar()
    items = [item(f"I{i:02d}", 1, 1) for i in range(30)]
    schedule(PlanInput(START, items), calendar)
    assert calendar.calls == 3  # offsets 0, 1, 2


# --------------------------------------------------------------------------------------
# Properties over random DAGs


@st.composite
def plans(draw, with_actuals=False, with_acceptance=False):
    n = draw(st.integers(1, 25))
    codes = draw(st.permutations([f"X{i:02d}" for i in range(n)]))
    items = []
    for i, code in enumerate(codes):
        prereqs = draw(st.lists(st.sampled_from(codes[:i]), max_size=3)) if i else []
        if draw(st.integers(0, 9)) == 0:
            prereqs.append("ZZ99")  # outside the plan
        extra = {}
        if with_actuals and draw(st.integers(0, 3)) == 0:
            day = D("2026-03-01") + timedelta(days=draw(st.integers(0, 120)))
            if draw(st.booleans()):
                extra["actual_start"] = day
            if draw(st.booleans()):
                extra["actual_finish"] = day + timedelta(days=draw(st.integers(0, 30)))
            if with_acceptance and "actual_start" in extra and draw(st.booleans()):
                extra["actual_acceptance"] = day + timedelta(days=draw(st.integers(0, 20)))
                extra["suspended_days"] = draw(st.sampled_from([0, 0, 3]))
        items.append(
            item(
                code,
                draw(st.integers(0, 10)),
                draw(st.sampled_from([0, 0, 1, 5, 10, 20, 30])),
                *prereqs,
                stage_order=draw(st.integers(1, 7)),
                in_scope=draw(st.booleans()),
                **extra,
            )
        )
    start = D("2026-01-01") + timedelta(days=draw(st.integers(0, 300)))
    return PlanInput(start, items)


def longest_path(plan):
    known = {i.code: i for i in plan.items}
    memo = {}

    def finish(code):
        if code not in memo:
            i = known[code]
            start = max((finish(p) for p in i.prerequisites if p in known), default=0)
            memo[code] = start + i.preparation_days + i.promised_days
        return memo[code]

    return max((finish(c) for c in known), default=0)


@settings(max_examples=200)
@given(plans())
def test_schedule_properties(plan):
    result = schedule(plan, CAL)
    by_code = {s.code: s for s in result.items}
    assert sorted(by_code) == sorted(i.code for i in plan.items)
    for s in result.items:
        for p in s.prerequisites:
            assert s.es >= by_code[p].ef
        assert s.ef - s.es == s.preparation_days + s.promised_days
        assert s.slack >= 0
        assert s.critical == (s.slack == 0)
        assert s.planned_start <= s.planned_acceptance <= s.planned_due <= result.end_date
        assert CAL.count(result.start_day, s.planned_due)[0] == s.ef
    durations = [i.preparation_days + i.promised_days for i in plan.items]
    assert result.total_working_days == longest_path(plan)
    assert max(durations) <= result.total_working_days <= result.serial_working_days
    assert result.serial_working_days == sum(durations)
    # The critical path is a chain of prerequisites whose durations sum to the total.
    path = [by_code[c] for c in result.critical_path]
    assert path and path[0].es == 0 and path[-1].ef == result.total_working_days
    for before, after in zip(path, path[1:], strict=False):
        assert before.code in after.prerequisites and before.ef == after.es
    assert sum(s.ef - s.es for s in path) == result.total_working_days
    assert all(s.critical for s in path)
    # Output order: es, stage_order, code.
    keys = [(s.es, s.stage_order, s.code) for s in result.items]
    assert keys == sorted(keys)


@settings(max_examples=100)
@given(plans(), st.randoms(use_true_random=False))
def test_schedule_ignores_input_order(plan, rng):
    items = [
        PlanItem(
            **{
                **i.__dict__,
                "prerequisites": tuple(rng.sample(i.prerequisites, len(i.prerequisites))),
            }
        )
        for i in plan.items
    ]
    rng.shuffle(items)
    assert schedule(PlanInput(plan.start_date, items), CAL) == schedule(plan, CAL)


@settings(max_examples=150)
@given(plans(with_actuals=True))
def test_replanned_schedule_properties(plan):
    result = schedule(plan, CAL)
    by_code = {s.code: s for s in result.items}
    for s in result.items:
        assert s.slack >= 0 and s.es <= s.ef
        if s.actual_start is None:  # only an actual start overrides the prerequisites
            assert all(s.es >= by_code[p].ef for p in s.prerequisites)
        if s.actual_finish is None:
            assert s.ef - s.es == s.preparation_days + s.promised_days
    assert result.total_working_days == max(s.ef for s in result.items)
    path = [by_code[c] for c in result.critical_path]
    assert path[-1].ef == result.total_working_days
    for before, after in zip(path, path[1:], strict=False):
        assert before.code in after.prerequisites and before.ef == after.es
    assert schedule(PlanInput(plan.start_date, list(reversed(plan.items))), CAL) == result


# --------------------------------------------------------------------------------------
# Re-planning as of a day (today)


def as_of(items, day, start=START):
    return schedule(PlanInput(start, items, as_of=D(day)), CAL)


def test_replanning_as_of_moves_the_unstarted_items_and_their_dependants():
    items = [item("A", 1, 2), item("B", 0, 5, "A"), item("C", 2, 3, "B")]
    result = as_of(items, "2026-10-12")  # offset 6
    assert [(s.code, s.es, s.ef) for s in result.items] == [
        ("A", 6, 9),
        ("B", 9, 14),
        ("C", 14, 19),
    ]
    assert dates_of(result, "A") == ("2026-10-12", "2026-10-13", "2026-10-15")
    assert result.total_working_days == 19
    assert result.critical_path == ["A", "B", "C"]
    # A day off moves to the next working day: Sunday 10-11 → Monday 10-12; 10-01 → 10-08.
    assert as_of(items, "2026-10-11") == result
    assert as_of(items, "2026-10-01").item("A").planned_start == D("2026-10-08")
    # On or before the first working day nothing moves.
    assert as_of(items, "2026-09-28") == run(items)
    assert as_of(items, "2026-01-05") == run(items)


def test_replanning_as_of_keeps_a_future_plan_and_parallel_branches_with_slack():
    # Only what lies before as_of moves: B was planned from offset 3, after as_of (offset 2).
    result = as_of([item("A", 0, 3), item("B", 0, 2, "A"), item("C", 0, 1)], "2026-09-30")
    assert [(s.code, s.es, s.ef) for s in result.items] == [("A", 2, 5), ("C", 2, 3), ("B", 5, 7)]
    assert result.item("C").slack == 4
    assert all(s.slack >= 0 for s in result.items)


def test_replanning_as_of_a_started_item_keeps_its_start_and_is_accepted_from_today():
    items = [item("A", 2, 3, actual_start=D("2026-09-28")), item("B", 0, 1, "A")]
    result = as_of(items, "2026-10-12")  # offset 6
    a = result.item("A")
    assert (a.es, a.ef) == (0, 9)
    assert (a.planned_start, a.planned_acceptance) == (D("2026-09-28"), D("2026-10-12"))
    assert (result.item("B").es, result.item("B").ef) == (9, 10)
    # Not yet late: nothing moves.
    assert as_of(items, "2026-09-29") == run(items)


def test_replanning_as_of_an_accepted_item_keeps_its_clock_even_when_overdue():
    accepted = dict(actual_start=D("2026-09-28"), actual_acceptance=D("2026-09-29"))
    items = [item("A", 2, 3, **accepted), item("B", 0, 1, "A")]
    result = as_of(items, "2026-10-14")  # offset 8
    a = result.item("A")
    assert (a.es, a.ef) == (0, 4)  # acceptance 09-29 (offset 1) + 3 promised = 10-09: overdue
    assert a.planned_acceptance == D("2026-09-29")
    assert a.planned_due == D("2026-10-09")
    assert a.replanned
    assert (result.item("B").es, result.item("B").ef) == (8, 9)  # from today, not the past
    # Suspended working days move the due date by as many.
    held = as_of([item("A", 2, 3, suspended_days=2, **accepted)], "2026-10-14").item("A")
    assert (held.ef, held.planned_due) == (6, D("2026-10-12"))
    # Without as_of the accepted clock holds as well.
    assert run(items).item("A").ef == 4


def test_replanning_as_of_keeps_finished_items():
    items = [
        item("A", 1, 2, actual_start=D("2026-09-28"), actual_finish=D("2026-09-30")),
        item("B", 0, 5, "A"),
        item("C", 0, 1, actual_finish=D("2026-10-09")),
    ]
    result = as_of(items, "2026-10-14")  # offset 8
    assert (result.item("A").es, result.item("A").ef) == (0, 2)
    assert result.item("A").planned_due == D("2026-09-30")
    assert (result.item("C").es, result.item("C").ef) == (0, 4)  # no actual start: not moved
    assert (result.item("B").es, result.item("B").ef) == (8, 13)


def _floor(result, day):
    """The first working day on or after ``day`` when it lies after the plan's start."""
    return CAL.add(day, 0)[0] if day > result.start_day else result.start_day


@settings(max_examples=200)
@given(plans(with_actuals=True, with_acceptance=True), st.integers(-60, 200))
def test_replanned_as_of_properties(plan, days):
    today = plan.start_date + timedelta(days=days)
    result = schedule(PlanInput(plan.start_date, plan.items, as_of=today), CAL)
    by_code = {s.code: s for s in result.items}
    inputs = {i.code: i for i in plan.items}
    floor = _floor(result, today)
    for s in result.items:
        given_item = inputs[s.code]
        assert s.slack >= 0 and s.es <= s.ef
        assert s.planned_start <= s.planned_acceptance <= s.planned_due <= result.end_date
        started = s.actual_start is not None or s.actual_acceptance is not None
        if not started:  # successors never start before their prerequisites finish
            assert all(s.es >= by_code[p].ef for p in s.prerequisites)
        if s.actual_finish is not None:
            continue  # finished: its actual dates
        # Nothing still to happen is planned before as_of (an accepted clock stays).
        if not started:
            assert s.planned_start >= floor
        elif s.actual_acceptance is None:
            assert s.planned_acceptance >= floor
        else:
            accepted = max(s.es, CAL.count(result.start_day, s.actual_acceptance)[0])
            if s.actual_acceptance <= result.start_day:
                accepted = s.es
            assert s.ef == accepted + given_item.promised_days + given_item.suspended_days
    assert result.total_working_days == max(s.ef for s in result.items)
    path = [by_code[c] for c in result.critical_path]
    assert path[-1].ef == result.total_working_days
    assert schedule(PlanInput(plan.start_date, list(reversed(plan.items)), today), CAL) == result


@settings(max_examples=100)
@given(plans(with_actuals=True, with_acceptance=True), st.integers(0, 400))
def test_replanning_as_of_before_the_start_changes_nothing(plan, days_before):
    today = plan.start_date - timedelta(days=days_before)
    assert schedule(PlanInput(plan.start_date, plan.items, as_of=today), CAL) == schedule(plan, CAL)


@settings(max_examples=100)
@given(plans(), st.integers(0, 200))
def test_replanning_as_of_an_unstarted_plan_shifts_it_whole(plan, days):
    # With no actual date, re-planning as of a day is the plain plan from that day on.
    today = plan.start_date + timedelta(days=days)
    moved = schedule(PlanInput(plan.start_date, plan.items, as_of=today), CAL)
    fresh = schedule(PlanInput(_floor(moved, today), plan.items), CAL)
    assert [(s.code, s.planned_start, s.planned_due) for s in moved.items] == [
        (s.code, s.planned_start, s.planned_due) for s in fresh.items
    ]


def test_forty_items_are_fast_enough():
    rng = random.Random(7)
    codes = [f"DS{i:02d}" for i in range(40)]
    items = [
        item(
            c, rng.randint(0, 10), rng.choice([0, 1, 5, 10, 20]), *rng.sample(codes[:i], min(i, 2))
        )
        for i, c in enumerate(codes)
    ]
    plan = PlanInput(START, items)
    import time

    began = time.perf_counter()
    for _ in range(200):
        schedule(plan, CAL)
    per_second = 200 / (time.perf_counter() - began)
    assert per_second >= 250  # the target is 1,000/s; a loose bound keeps slow CI green

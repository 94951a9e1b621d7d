"""A case's clock (bangban.rules.deadlines) on the 2026 calendar, worked by hand from the State
Council notice (domain-data §4.2): 中秋 09-25 (Fri) off; 国庆 10-01..07 off; Sun 09-20 and
Sat 10-10 worked."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from bangban.rules import deadlines as core
from bangban.rules.workdays import Calendar, add_working_days, count_working_days

D = dt.date
OFF_2026 = {
    D(2026, 1, 1), D(2026, 1, 2), D(2026, 1, 3),
    *(D(2026, 2, d) for d in range(15, 24)),
    D(2026, 4, 4), D(2026, 4, 5), D(2026, 4, 6),
    *(D(2026, 5, d) for d in range(1, 6)),
    D(2026, 6, 19), D(2026, 6, 20), D(2026, 6, 21),
    D(2026, 9, 25), D(2026, 9, 26), D(2026, 9, 27),
    *(D(2026, 10, d) for d in range(1, 8)),
}  # fmt: skip
WORKED_2026 = {D(2026, 1, 4), D(2026, 2, 14), D(2026, 2, 28), D(2026, 5, 9), D(2026, 9, 20), D(2026, 10, 10)}  # fmt: skip
CAL = Calendar(days_off=OFF_2026, extra_working_days=WORKED_2026, known_years={2026})
ACCEPTED = D(2026, 9, 23)  # Wednesday


def clock(today, suspensions=(), limit=10, finished=None, accepted=ACCEPTED):
    return core.case_clock(
        CAL,
        accepted=accepted,
        limit_days=limit,
        today=today,
        suspensions=suspensions,
        finished=finished,
    )


def test_ten_working_days_across_mid_autumn_and_national_day():
    # d1 09-24, (09-25..27 off) d2-d4 09-28..30, (10-01..07 off) d5 10-08, d6 10-09,
    # d7 Sat 10-10 (worked), d8 10-12, d9 10-13, d10 10-14.
    c = clock(D(2026, 10, 12))
    assert c.due == D(2026, 10, 14)
    assert (c.days_used, c.remaining, c.days_suspended) == (8, 2, 0)
    assert c.colour == core.YELLOW  # 2 left ≤ max(1, 20% of 10)
    assert not c.provisional


def test_a_suspension_in_the_middle_moves_the_due_date_by_its_working_days():
    # Suspended Tue 09-29, resumed Fri 10-09: 09-30, 10-08, 10-09 do not count (3 days).
    pause = [core.Suspension(D(2026, 9, 29), D(2026, 10, 9))]
    c = clock(D(2026, 10, 12), pause)
    assert c.days_suspended == 3
    assert c.due == D(2026, 10, 19)  # 10-14 + 3 working days: 10-15, 10-16, 10-19
    assert (c.days_used, c.remaining, c.colour) == (5, 5, core.GREEN)
    assert core.warning_start(CAL, due=c.due, limit_days=10, policy=core.WarningPolicy()) == D(
        2026, 10, 15
    )
    late = clock(D(2026, 10, 20), pause)
    assert (late.colour, late.overdue_days, late.remaining) == (core.RED, 1, -1)


def test_an_open_suspension_stops_the_clock_up_to_today_and_is_never_red():
    c = clock(D(2026, 10, 12), [core.Suspension(D(2026, 10, 8))])
    assert c.suspended and c.colour == core.GREEN
    assert c.days_suspended == 3  # 10-09, 10-10 (worked Saturday), 10-12
    assert c.due == D(2026, 10, 19)


def test_an_immediate_item_is_due_the_day_of_acceptance():
    same_day = clock(D(2026, 10, 9), limit=0, accepted=D(2026, 10, 9))
    assert (same_day.due, same_day.remaining, same_day.colour) == (D(2026, 10, 9), 0, core.YELLOW)
    next_day = clock(D(2026, 10, 10), limit=0, accepted=D(2026, 10, 9))  # Saturday, worked
    assert (next_day.colour, next_day.overdue_days) == (core.RED, 1)
    on_holiday = clock(D(2026, 10, 8), limit=0, accepted=D(2026, 10, 1))
    assert on_holiday.due == D(2026, 10, 8) and on_holiday.colour == core.YELLOW


def test_finishing_freezes_the_clock():
    c = clock(D(2026, 12, 1), limit=10, finished=D(2026, 10, 13))
    assert (c.days_used, c.remaining, c.overdue_days, c.colour) == (9, 1, 0, core.GREEN)


def test_a_year_without_holiday_data_is_provisional():
    c = clock(D(2026, 12, 30), limit=10, accepted=D(2026, 12, 24))
    assert c.provisional and c.due.year == 2027


calendars = st.builds(
    lambda off: Calendar(days_off=off, known_years={2026}),
    st.frozensets(st.dates(D(2026, 1, 1), D(2026, 12, 31)), max_size=40),
)
days = st.dates(D(2026, 1, 1), D(2026, 11, 30))


@given(calendars, days, st.integers(1, 40), st.integers(0, 15), st.integers(0, 10))
def test_suspended_working_days_move_the_due_date_by_exactly_as_many(cal, accepted, limit, a, b):
    start = add_working_days(cal, accepted, a).date
    end = add_working_days(cal, start, b).date
    today = end + dt.timedelta(days=1)
    plain = core.case_clock(cal, accepted=accepted, limit_days=limit, today=today)
    paused = core.case_clock(
        cal,
        accepted=accepted,
        limit_days=limit,
        today=today,
        suspensions=[core.Suspension(start, end)],
    )
    assert count_working_days(cal, accepted, plain.due).days == limit
    assert paused.days_suspended == b
    assert count_working_days(cal, plain.due, paused.due).days == b
    for c in (plain, paused):
        if c.overdue_days == 0:
            assert c.days_used + c.remaining == limit
        else:
            assert c.colour == core.RED and c.remaining == -c.overdue_days

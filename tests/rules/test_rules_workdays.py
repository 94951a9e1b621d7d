"""The pure core: laws (hypothesis) against a day-by-day reference, and the 2025/2026
calendar of domain-data §4."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bangban.rules.workdays import (
    Calendar,
    Count,
    Due,
    add_working_days,
    count_working_days,
    is_known,
    is_working_day,
    year_exceptions,
)
from bangban.workdays.source import package_calendar, package_known_years

D = dt.date.fromisoformat
ONE = dt.timedelta(days=1)

# -- a day-by-day reference implementation -------------------------------------------------


def ref_working(cal: Calendar, day: dt.date) -> bool:
    if day in cal.overrides:
        return cal.overrides[day]
    if day.year in cal.known_years:
        if day in cal.extra_working_days:
            return True
        if day in cal.days_off:
            return False
    return day.weekday() < 5


def ref_add(cal: Calendar, start: dt.date, n: int) -> Due:
    consulted = []
    day = start
    if n == 0:
        consulted.append(day)
        while not ref_working(cal, day):
            day += ONE
            consulted.append(day)
    else:
        left = n
        while left:
            day += ONE
            consulted.append(day)
            left -= ref_working(cal, day)
    return Due(day, any(c.year not in cal.known_years for c in consulted))


def ref_count(cal: Calendar, a: dt.date, b: dt.date) -> Count:
    sign = 1
    if b < a:
        a, b, sign = b, a, -1
    days, provisional, day = 0, False, a
    while day < b:
        day += ONE
        days += ref_working(cal, day)
        provisional |= day.year not in cal.known_years
    return Count(sign * days, provisional)


# -- strategies ---------------------------------------------------------------------------

PKG = package_calendar()
YEARS = package_known_years()

any_date = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31))
# Dates around the known range, where holidays, 调休 and year boundaries are.
near_date = st.dates(min_value=dt.date(1998, 1, 1), max_value=dt.date(2030, 12, 31))
small_n = st.integers(min_value=0, max_value=400)


@st.composite
def calendars(draw):
    """Random calendars: known years with random source days, random overrides anywhere."""
    lo, hi = 2020, 2030
    span = st.dates(min_value=dt.date(lo - 2, 1, 1), max_value=dt.date(hi + 2, 12, 31))
    known = draw(st.frozensets(st.integers(lo, hi), max_size=8))
    days_off = draw(st.frozensets(span, max_size=60))
    extra = draw(st.frozensets(span, max_size=20)) - days_off
    overrides = draw(st.dictionaries(span, st.booleans(), max_size=20))
    return Calendar(days_off, extra, overrides, known)


cal_date = st.dates(min_value=dt.date(2016, 1, 1), max_value=dt.date(2034, 12, 31))


# -- laws ---------------------------------------------------------------------------------


@given(cal=calendars(), start=cal_date, n=small_n)
def test_add_matches_day_by_day_reference(cal, start, n):
    assert add_working_days(cal, start, n) == ref_add(cal, start, n)


@given(cal=calendars(), a=cal_date, b=cal_date)
def test_count_matches_day_by_day_reference(cal, a, b):
    assert count_working_days(cal, a, b) == ref_count(cal, a, b)


@given(cal=calendars(), day=cal_date)
def test_is_working_day_matches_reference(cal, day):
    assert is_working_day(cal, day) == ref_working(cal, day)


@given(start=near_date, n=st.integers(min_value=1, max_value=2000))
def test_add_then_count_round_trips(start, n):
    due = add_working_days(PKG, start, n)
    assert count_working_days(PKG, start, due.date).days == n


@given(cal=calendars(), start=cal_date, n=st.integers(min_value=1, max_value=400))
def test_add_then_count_round_trips_on_any_calendar(cal, start, n):
    due = add_working_days(cal, start, n)
    result = count_working_days(cal, start, due.date)
    assert result == Count(n, due.provisional)


@given(start=near_date, n=small_n, m=small_n)
def test_add_is_monotonic_in_n(start, n, m):
    n, m = sorted((n, m))
    first, second = add_working_days(PKG, start, n).date, add_working_days(PKG, start, m).date
    assert first <= second
    if 1 <= n < m:
        assert first < second


@given(start=any_date, n=small_n)
def test_result_is_a_working_day_not_before_start(start, n):
    due = add_working_days(PKG, start, n)
    assert is_working_day(PKG, due.date)
    assert due.date > start if n >= 1 else due.date >= start


@given(cal=calendars(), day=cal_date, working=st.booleans(), start=cal_date)
def test_an_override_always_wins(cal, day, working, start):
    forced = Calendar(
        cal.days_off | {day},
        cal.extra_working_days | {day},
        {**cal.overrides, day: working},
        cal.known_years | {day.year},
    )
    assert is_working_day(forced, day) is working
    # ... and the arithmetic agrees with it.
    if start < day:
        before = count_working_days(forced, start, day - ONE).days
        assert count_working_days(forced, start, day).days == before + working


@given(cal=calendars(), start=cal_date, n=small_n, end=cal_date)
def test_provisional_iff_an_unknown_year_was_consulted(cal, start, n, end):
    due = add_working_days(cal, start, n)
    consulted = {(start + ONE * i).year for i in range(1, (due.date - start).days + 1)}
    if n == 0:
        consulted.add(start.year)
    assert due.provisional == bool(consulted - cal.known_years)

    lo, hi = sorted((start, end))
    consulted = {(lo + ONE * i).year for i in range(1, (hi - lo).days + 1)}
    assert count_working_days(cal, start, end).provisional == bool(consulted - cal.known_years)


@settings(max_examples=300)
@given(a=any_date, b=any_date, n=st.integers(min_value=0, max_value=100_000))
def test_never_raises_between_1900_and_2200(a, b, n):
    assert isinstance(add_working_days(PKG, a, n), Due)
    assert isinstance(count_working_days(PKG, a, b), Count)
    assert isinstance(is_working_day(PKG, a), bool)
    assert is_known(PKG, a) == (a.year in YEARS)


@given(a=any_date, b=any_date)
def test_count_is_antisymmetric(a, b):
    assert count_working_days(PKG, a, b).days == -count_working_days(PKG, b, a).days


@given(day=st.dates(min_value=dt.date(2027, 1, 1), max_value=dt.date(2200, 12, 31)))
def test_beyond_known_years_weekends_only(day):
    assert is_working_day(PKG, day) == (day.weekday() < 5)
    assert not is_known(PKG, day)


def test_negative_n_is_refused():
    with pytest.raises(ValueError):
        add_working_days(PKG, D("2026-01-05"), -1)


def test_datetimes_are_refused():
    with pytest.raises(TypeError):
        add_working_days(PKG, dt.datetime(2026, 1, 5, 9), 1)


def test_empty_calendar_is_weekends_only_and_provisional():
    cal = Calendar()
    assert add_working_days(cal, D("2026-10-01"), 2) == Due(D("2026-10-05"), True)
    assert count_working_days(cal, D("2026-10-02"), D("2026-10-05")) == Count(1, True)
    assert count_working_days(cal, D("2026-10-02"), D("2026-10-02")) == Count(0, False)


# -- the 2025 / 2026 calendar (domain-data §4) ---------------------------------------------


def test_known_years_come_from_the_package():
    assert YEARS[0] == 2001
    assert 2025 in YEARS and 2026 in YEARS
    assert 2027 not in PKG.known_years


@pytest.mark.parametrize("year", [2025, 2026])
def test_248_working_days(year):
    result = count_working_days(PKG, dt.date(year - 1, 12, 31), dt.date(year, 12, 31))
    assert result == Count(248, False)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("2026-01-01", False),
        ("2026-01-02", False),
        ("2026-01-04", True),  # Sunday, 元旦 调休
        ("2026-02-14", True),  # Saturday, 春节 调休
        ("2026-02-16", False),
        ("2026-02-23", False),
        ("2026-02-28", True),
        ("2026-03-08", False),  # 妇女节 is a Sunday anyway; half-days are ignored
        ("2026-03-09", True),
        ("2026-05-09", True),
        ("2026-09-20", True),
        ("2026-10-05", False),
        ("2026-10-07", False),
        ("2026-10-08", True),
        ("2026-10-10", True),
        ("2025-01-26", True),
        ("2025-02-08", True),
        ("2025-10-06", False),
        ("2025-10-11", True),
    ],
)
def test_days_of_2025_and_2026(day, working):
    assert is_working_day(PKG, D(day)) is working


def test_weekdays_off_2026_match_domain_data():
    listed = [
        "01-01",
        "01-02",
        "02-16",
        "02-17",
        "02-18",
        "02-19",
        "02-20",
        "02-23",
        "04-06",
        "05-01",
        "05-04",
        "05-05",
        "06-19",
        "09-25",
        "10-01",
        "10-02",
        "10-05",
        "10-06",
        "10-07",
    ]
    exceptions = year_exceptions(PKG, 2026)
    assert [e.date for e in exceptions if not e.is_working_day] == [D(f"2026-{x}") for x in listed]
    assert [e.date for e in exceptions if e.is_working_day] == [
        D(f"2026-{x}") for x in ["01-04", "02-14", "02-28", "05-09", "09-20", "10-10"]
    ]


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        ("2026-09-30", 5, "2026-10-13"),  # 国庆: 10-08, 10-09, 10-10 (Sat), 10-12, 10-13
        ("2026-02-13", 1, "2026-02-14"),  # the 调休 Saturday is day 1
        ("2026-02-14", 1, "2026-02-24"),  # over the whole 春节 block
        ("2026-01-03", 1, "2026-01-04"),  # Sunday working
        ("2026-10-01", 0, "2026-10-08"),  # 即办件 on a holiday: next working day
        ("2026-10-09", 0, "2026-10-09"),
        ("2025-09-30", 1, "2025-10-09"),
    ],
)
def test_due_dates_2025_2026(start, n, due):
    assert add_working_days(PKG, D(start), n) == Due(D(due), False)


def test_2027_is_provisional_weekends_only():
    # 2027-01-01 is a Friday: without a notice it is a working day, flagged provisional.
    assert add_working_days(PKG, D("2026-12-31"), 1) == Due(D("2027-01-01"), True)
    assert add_working_days(PKG, D("2027-02-05"), 1) == Due(D("2027-02-08"), True)
    assert count_working_days(PKG, D("2026-12-31"), D("2027-12-31")) == Count(261, True)
    # Ending on 2026-12-31 consults only 2026.
    assert add_working_days(PKG, D("2026-12-30"), 1) == Due(D("2026-12-31"), False)


def test_overrides_apply_in_unknown_years_but_stay_provisional():
    cal = Calendar(overrides={D("2027-01-01"): False}, known_years=PKG.known_years)
    assert add_working_days(cal, D("2026-12-31"), 1) == Due(D("2027-01-04"), True)


def test_source_days_outside_known_years_are_ignored():
    cal = Calendar(days_off={D("2027-01-01")}, known_years={2026})
    assert is_working_day(cal, D("2027-01-01"))

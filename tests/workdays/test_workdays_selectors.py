"""get_calendar: one query per call, rebuilt only when the tables changed."""

import datetime as dt
import zoneinfo

import pytest

from bangban.rules.workdays import Count, Due
from bangban.workdays.selectors import (
    day_is_working,
    due_date,
    get_calendar,
    working_days_between,
)
from bangban.workdays.services import calendar_year_enter_notice, day_override_set

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat


def test_one_query_per_call_and_cached(django_assert_num_queries):
    with django_assert_num_queries(1):
        first = get_calendar()
    with django_assert_num_queries(1):
        assert get_calendar() is first


def test_rebuilt_after_a_change(django_assert_num_queries, notice_2027):
    before = get_calendar()
    day_override_set(date=D("2026-10-08"), is_working_day=False)
    with django_assert_num_queries(1):
        after = get_calendar()
    assert after is not before and not day_is_working(D("2026-10-08"), calendar=after)

    day_override_set(date=D("2026-10-08"), is_working_day=True)
    assert day_is_working(D("2026-10-08"))

    assert 2027 not in get_calendar().known_years
    calendar_year_enter_notice(year=2027, text=notice_2027, title="", user=None)
    assert 2027 in get_calendar().known_years


def test_convenience_functions():
    assert due_date(D("2026-09-30"), 5) == Due(D("2026-10-13"), False)
    assert working_days_between(D("2025-12-31"), D("2026-12-31")) == Count(248, False)
    assert working_days_between(D("2026-10-13"), D("2026-09-30")) == Count(-5, False)
    with pytest.raises(ValueError):
        due_date(D("2026-09-30"), -1)


def test_an_aware_datetime_counts_as_its_local_date():
    # 2026-09-30 17:00 UTC is already 2026-10-01 01:00 in Shanghai (a holiday).
    moment = dt.datetime(2026, 9, 30, 17, tzinfo=zoneinfo.ZoneInfo("UTC"))
    assert due_date(moment, 0) == Due(D("2026-10-08"), False)


def test_a_calendar_can_be_passed_to_avoid_queries(django_assert_num_queries):
    cal = get_calendar()
    with django_assert_num_queries(0):
        for n in range(50):
            due_date(D("2026-01-01"), n, calendar=cal)
        working_days_between(D("2026-01-01"), D("2026-12-31"), calendar=cal)

"""Entering a year's notice and single-day fixes; each failing case checks nothing changed."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from bangban.rules.workdays import Due
from bangban.workdays.models import CalendarYear, DayOverride
from bangban.workdays.selectors import due_date, get_calendar, working_days_between
from bangban.workdays.services import (
    calendar_year_enter_notice,
    day_override_delete,
    day_override_set,
)

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat


def snapshot():
    return (
        list(CalendarYear.objects.order_by("year").values()),
        list(DayOverride.objects.order_by("date").values()),
    )


def test_a_valid_notice_confirms_the_year(notice_2027, django_user_model):
    user = django_user_model.objects.create_user("centre", password="x")
    assert due_date(D("2026-12-31"), 1).provisional

    year = calendar_year_enter_notice(year=2027, text=notice_2027, title="2027 年安排", user=user)

    assert year.confirmed and year.entered_by == user and year.entered_at is not None
    assert year.notice_text == notice_2027 and year.notice_title == "2027 年安排"
    assert DayOverride.objects.filter(calendar_year=year).count() == 3 + 9 + 2 + 7 + 1
    assert set(DayOverride.objects.values_list("source", flat=True)) == {"notice"}
    assert DayOverride.objects.get(date=D("2027-02-14")).name == "春节调休上班"
    # The calendar reflects it at once, and 2027 is no longer provisional.
    assert due_date(D("2026-12-31"), 1) == Due(D("2027-01-04"), False)
    assert due_date(D("2027-02-04"), 1) == Due(D("2027-02-14"), False)  # a Sunday, 调休
    assert due_date(D("2027-09-30"), 1) == Due(D("2027-10-08"), False)
    assert working_days_between(D("2026-12-31"), D("2027-12-31")).provisional is False


def test_weekday_after_the_block_is_working(notice_2027):
    calendar_year_enter_notice(year=2027, text=notice_2027, title="", user=None)
    assert due_date(D("2027-02-14"), 1) == Due(D("2027-02-15"), False)
    assert due_date(D("2027-02-12"), 1) == Due(D("2027-02-14"), False)


def test_a_bad_line_is_refused_with_its_number_and_nothing_changes(notice_2027):
    calendar_year_enter_notice(year=2027, text=notice_2027, title="旧", user=None)
    before = snapshot()
    text = "休 2027-01-01 元旦\n\n班 2027-13-01 春节调休"
    with pytest.raises(ValidationError) as info:
        calendar_year_enter_notice(year=2027, text=text, title="新", user=None)
    assert info.value.messages == ["第 3 行：日期“2027-13-01”不存在。"]
    assert snapshot() == before


def test_a_refused_first_notice_writes_nothing():
    with pytest.raises(ValidationError) as info:
        calendar_year_enter_notice(year=2028, text="休 2027-12-31 元旦", title="", user=None)
    assert "第 1 行" in info.value.messages[0]
    assert snapshot() == ([], [])
    assert due_date(D("2027-12-31"), 1).provisional


def test_a_date_both_off_and_working_is_refused():
    text = "休 2027-10-01 至 2027-10-07 国庆节\n班 2027-10-02"
    with pytest.raises(ValidationError, match="第 2 行：2027-10-02 已在第 1 行标为休息"):
        calendar_year_enter_notice(year=2027, text=text, title="", user=None)
    assert snapshot() == ([], [])


@pytest.mark.parametrize("year", [1899, 2201])
def test_years_out_of_range_are_refused(year):
    with pytest.raises(ValidationError):
        calendar_year_enter_notice(year=year, text=f"休 {year}-01-01", title="", user=None)


def test_re_entering_replaces_the_notice_but_keeps_local_fixes(notice_2027):
    calendar_year_enter_notice(year=2027, text=notice_2027, title="", user=None)
    day_override_set(date=D("2027-06-01"), is_working_day=False, name="本地节日")
    day_override_set(date=D("2027-01-04"), is_working_day=False, name="将被通知取代")
    # The corrected notice moves 元旦 and mentions 01-04.
    calendar_year_enter_notice(
        year=2027, text="休 2027-01-01 至 2027-01-04 元旦\n班 2027-01-09", title="更正", user=None
    )
    rows = dict(DayOverride.objects.values_list("date", "source"))
    assert rows == {
        D("2027-01-01"): "notice",
        D("2027-01-02"): "notice",
        D("2027-01-03"): "notice",
        D("2027-01-04"): "notice",
        D("2027-01-09"): "notice",
        D("2027-06-01"): "manual",
    }
    assert CalendarYear.objects.get(year=2027).notice_title == "更正"


def test_a_notice_leaves_other_years_alone(notice_2027):
    day_override_set(date=D("2026-06-01"), is_working_day=False, name="本地节日")
    calendar_year_enter_notice(year=2027, text=notice_2027, title="", user=None)
    assert DayOverride.objects.filter(date=D("2026-06-01")).exists()


def test_a_single_day_fix_does_not_confirm_its_year():
    override = day_override_set(date=D("2027-03-15"), is_working_day=False, name="本地节日")
    assert override.source == "manual"
    assert override.calendar_year.year == 2027 and not override.calendar_year.confirmed
    assert due_date(D("2027-03-12"), 1) == Due(D("2027-03-16"), True)


def test_overrides_win_over_the_package_in_both_directions():
    day_override_set(date=D("2026-10-08"), is_working_day=False, name="本地节日")
    day_override_set(date=D("2026-10-05"), is_working_day=True, name="临时上班")
    cal = get_calendar()
    from bangban.rules.workdays import is_working_day

    assert not is_working_day(cal, D("2026-10-08"))
    assert is_working_day(cal, D("2026-10-05"))
    assert due_date(D("2026-09-30"), 1) == Due(D("2026-10-05"), False)


def test_updating_and_deleting_a_fix():
    day_override_set(date=D("2026-10-08"), is_working_day=False)
    override = day_override_set(date=D("2026-10-08"), is_working_day=True, note="改回")
    assert DayOverride.objects.count() == 1 and override.is_working_day
    day_override_delete(override=override)
    assert not DayOverride.objects.exists()
    assert due_date(D("2026-09-30"), 1) == Due(D("2026-10-08"), False)

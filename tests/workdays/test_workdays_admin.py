"""The admin: a year's notice in one textarea (line-numbered errors), single-day fixes."""

import datetime as dt

import pytest
from django.urls import reverse

from bangban.workdays.forms import CalendarYearNoticeForm
from bangban.workdays.models import CalendarYear, DayOverride
from bangban.workdays.selectors import due_date

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat


def test_form_reports_the_line(notice_2027):
    form = CalendarYearNoticeForm(
        data={"year": 2027, "notice_title": "", "notice_text": notice_2027 + "\n休 2027-02-29"}
    )
    assert not form.is_valid()
    assert form.errors["notice_text"] == ["第 7 行：日期“2027-02-29”不存在。"]


def test_add_a_year_through_the_admin(admin_client, admin_user, notice_2027):
    url = reverse("admin:workdays_calendaryear_add")
    page = admin_client.get(url)
    assert page.status_code == 200 and "通知内容" in page.content.decode()

    response = admin_client.post(
        url, {"year": 2027, "notice_title": "2027 年安排", "notice_text": notice_2027}
    )
    assert response.status_code == 302, response.content.decode()
    year = CalendarYear.objects.get(year=2027)
    assert year.confirmed and year.entered_by == admin_user
    assert DayOverride.objects.filter(calendar_year=year).count() == 22
    assert not due_date(D("2027-01-04"), 1).provisional

    change = admin_client.get(reverse("admin:workdays_calendaryear_change", args=[year.pk]))
    assert change.status_code == 200 and "春节调休上班" in change.content.decode()
    listing = admin_client.get(reverse("admin:workdays_calendaryear_changelist"))
    assert listing.status_code == 200


def test_a_bad_notice_shows_the_line_and_saves_nothing(admin_client):
    response = admin_client.post(
        reverse("admin:workdays_calendaryear_add"),
        {"year": 2027, "notice_title": "", "notice_text": "休 2027-01-01 元旦\n班 2028-01-02"},
    )
    assert response.status_code == 200
    assert "第 2 行：日期 2028-01-02 不在 2027 年内。" in response.content.decode()
    assert not CalendarYear.objects.exists() and not DayOverride.objects.exists()


def test_change_a_year_replaces_its_notice(admin_client, notice_2027):
    admin_client.post(
        reverse("admin:workdays_calendaryear_add"),
        {"year": 2027, "notice_title": "", "notice_text": notice_2027},
    )
    year = CalendarYear.objects.get(year=2027)
    response = admin_client.post(
        reverse("admin:workdays_calendaryear_change", args=[year.pk]),
        {
            "notice_title": "更正",
            "notice_text": "休 2027-01-01 元旦",
            "overrides-TOTAL_FORMS": "0",
            "overrides-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()
    assert list(DayOverride.objects.values_list("date", flat=True)) == [D("2027-01-01")]
    assert CalendarYear.objects.get(pk=year.pk).notice_title == "更正"


def test_single_day_fix_through_the_admin(admin_client):
    response = admin_client.post(
        reverse("admin:workdays_dayoverride_add"),
        {"date": "2026-10-08", "name": "本地节日", "note": "县政府通知"},  # unchecked: 休息
    )
    assert response.status_code == 302, response.content.decode()
    override = DayOverride.objects.get()
    assert override.source == "manual" and not override.is_working_day
    assert override.calendar_year.year == 2026
    assert due_date(D("2026-09-30"), 1).date == D("2026-10-09")

    listing = admin_client.get(reverse("admin:workdays_dayoverride_changelist"))
    assert listing.status_code == 200 and "本地节日" in listing.content.decode()

    admin_client.post(
        reverse("admin:workdays_dayoverride_delete", args=[override.pk]), {"post": "yes"}
    )
    assert not DayOverride.objects.exists()
    assert due_date(D("2026-09-30"), 1).date == D("2026-10-08")

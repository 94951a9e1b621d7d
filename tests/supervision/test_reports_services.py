"""Preparing and reviewing the monthly report (services, the job of the 1st, the command's
--prepare): who may, when, the stored snapshot, 409 on a stale version, and every refusal
leaves the data as it was."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command

from bangban.accounts.models import Role, User
from bangban.common.exceptions import ActionForbidden, StaleVersionError
from bangban.notifications.models import Notification
from bangban.supervision.metrics import Period
from bangban.supervision.models import MonthlyReport
from bangban.supervision.reports import SYSTEM, due_date_of, monthly_figures
from bangban.supervision.services import (
    monthly_report_prepare,
    monthly_report_review,
    monthly_reports_prepare_due,
    report_allowed_actions,
)
from bangban.supervision.tasks import prepare_monthly_reports_task
from tests.projects.factories import AdminFactory, AgentFactory, UserFactory, region

from .conftest import at, build_metrics_world

pytestmark = pytest.mark.django_db

NOVEMBER = Period.month(2026, 11)


@pytest.fixture
def world(db):
    return build_metrics_world()


def snapshot(report: MonthlyReport) -> dict:
    report.refresh_from_db()
    return {
        "state": report.state,
        "version": report.version,
        "figures": report.figures,
        "reviewed_by_id": report.reviewed_by_id,
    }


def test_due_dates_are_the_15th_of_the_next_month():
    assert due_date_of(dt.date(2026, 10, 1)) == dt.date(2026, 11, 15)
    assert due_date_of(dt.date(2026, 12, 1)) == dt.date(2027, 1, 15)
    assert due_date_of(dt.date(2027, 2, 1)) == dt.date(2027, 3, 15)


def test_a_supervisor_prepares_a_finished_month(world):
    dongsheng = region("150602")
    report = monthly_report_prepare(
        region=dongsheng, period=NOVEMBER, actor=world.supervisor, now=at(12, 10, 9)
    )
    assert report.state == MonthlyReport.State.PREPARED
    assert report.due_date == dt.date(2026, 12, 15)
    assert report.prepared_by == world.supervisor
    assert report.month == dt.date(2026, 11, 1)
    # the snapshot is the region's figures, as its supervisors see them
    expected = monthly_figures(world.supervisor, NOVEMBER, region=dongsheng, now=at(12, 10, 9))
    assert report.figures == expected
    assert report.figures["cases"]["total"]["accepted"] == 9


def test_a_running_month_cannot_be_prepared(world):
    december = Period.month(2026, 12)
    with pytest.raises(ValidationError) as refused:
        monthly_report_prepare(
            region=region("150602"), period=december, actor=world.supervisor, now=at(12, 10)
        )
    assert "尚未结束" in str(refused.value)
    assert not MonthlyReport.objects.exists()


@pytest.mark.parametrize("role", [Role.AGENT, Role.LEADER, Role.DEPT_OFFICER, Role.ENTERPRISE])
def test_other_roles_cannot_prepare(world, role):
    user = UserFactory(role=role, region=region("150602"))
    with pytest.raises(ActionForbidden):
        monthly_report_prepare(region=region("150602"), period=NOVEMBER, actor=user)
    assert not MonthlyReport.objects.exists()


def test_nobody_prepares_or_reviews_outside_its_region(world):
    baotou = UserFactory(role=Role.SUPERVISOR, department=None, region=region("150202"))
    with pytest.raises(ActionForbidden):
        monthly_report_prepare(region=region("150602"), period=NOVEMBER, actor=baotou)
    report = monthly_report_prepare(region=region("150602"), period=NOVEMBER)
    before = snapshot(report)
    with pytest.raises(ActionForbidden):
        monthly_report_review(report=report, actor=baotou, expected_version=report.version)
    assert snapshot(report) == before
    # a city supervisor (鄂尔多斯市) may review its county's report
    city = UserFactory(role=Role.SUPERVISOR, department=None, region=region("150600"))
    monthly_report_review(report=report, actor=city, expected_version=report.version)
    assert snapshot(report)["state"] == MonthlyReport.State.REVIEWED


def test_review_by_a_supervisor_and_what_is_refused(world):
    report = monthly_report_prepare(region=region("150602"), period=NOVEMBER)
    assert report.prepared_by is None  # the job's report
    before = snapshot(report)
    with pytest.raises(ActionForbidden):
        monthly_report_review(report=report, actor=AdminFactory(), expected_version=report.version)
    with pytest.raises(StaleVersionError):
        monthly_report_review(
            report=report, actor=world.supervisor, expected_version=report.version + 1
        )
    with pytest.raises(ValidationError) as refused:
        monthly_report_review(
            report=report, actor=world.supervisor, expected_version=report.version, note="意" * 501
        )
    assert "500" in str(refused.value)
    assert snapshot(report) == before

    done = monthly_report_review(
        report=report, actor=world.supervisor, expected_version=report.version, note="数据无误"
    )
    assert done.state == MonthlyReport.State.REVIEWED
    assert done.reviewed_by == world.supervisor and done.review_note == "数据无误"
    assert done.version == before["version"] + 1
    assert done.figures == before["figures"]  # the figures stay as they were prepared

    reviewed = snapshot(report)
    with pytest.raises(ValidationError):
        monthly_report_review(report=report, actor=world.supervisor, expected_version=done.version)
    with pytest.raises(ValidationError):  # a reviewed report is never prepared again
        monthly_report_prepare(
            region=region("150602"), period=NOVEMBER, actor=world.supervisor,
            expected_version=done.version,
        )  # fmt: skip
    assert snapshot(report) == reviewed


def test_preparing_again_refreshes_the_snapshot_with_the_version(world):
    dongsheng = region("150602")
    first = monthly_report_prepare(region=dongsheng, period=NOVEMBER)
    AgentFactory()  # nothing that changes the figures; the snapshot's time does
    with pytest.raises(StaleVersionError):  # the caller saw no report: someone prepared it
        monthly_report_prepare(region=dongsheng, period=NOVEMBER, actor=world.supervisor)
    with pytest.raises(StaleVersionError):
        monthly_report_prepare(
            region=dongsheng, period=NOVEMBER, actor=world.supervisor, expected_version=9
        )
    again = monthly_report_prepare(
        region=dongsheng, period=NOVEMBER, actor=world.supervisor, expected_version=first.version
    )
    assert again.pk == first.pk
    assert again.version == first.version + 1
    assert again.prepared_by == world.supervisor


def test_the_allowed_actions_follow_the_table(world):
    dongsheng = region("150602")
    admin = AdminFactory()
    leader = UserFactory(role=Role.LEADER, department=None, region=dongsheng)
    slugs = lambda user, report, period=NOVEMBER: [  # noqa: E731
        a.slug
        for a in report_allowed_actions(
            user, region=dongsheng, period=period, report=report, today=dt.date(2026, 12, 10)
        )
    ]
    assert slugs(world.supervisor, None) == ["prepare"]
    assert slugs(admin, None) == ["prepare"]
    assert slugs(leader, None) == []
    assert slugs(world.supervisor, None, Period.month(2026, 12)) == []  # still running
    report = monthly_report_prepare(region=dongsheng, period=NOVEMBER)
    assert slugs(world.supervisor, report) == ["prepare", "review"]
    assert slugs(admin, report) == ["prepare"]
    monthly_report_review(report=report, actor=world.supervisor, expected_version=report.version)
    assert slugs(world.supervisor, report) == []


def test_the_job_of_the_first_prepares_last_month_for_each_region_with_supervisors(world):
    # supervisors: 东胜区 (the world's) and one of 包头东河区; none elsewhere
    UserFactory(role=Role.SUPERVISOR, department=None, region=region("150202"))
    UserFactory(role=Role.SUPERVISOR, department=None, region=region("150202"))
    UserFactory(role=Role.SUPERVISOR, department=None, region=region("150602"), is_active=False)
    done = monthly_reports_prepare_due(today=dt.date(2026, 12, 1))
    assert done == {"created": 2, "kept": 0}
    reports = MonthlyReport.objects.order_by("region__key")
    assert [(r.region.key, r.month, r.due_date, r.state) for r in reports] == [
        ("150202", dt.date(2026, 11, 1), dt.date(2026, 12, 15), "prepared"),
        ("150602", dt.date(2026, 11, 1), dt.date(2026, 12, 15), "prepared"),
    ]
    # 东河区's report sees only 东河区 (KX, accepted 11-02 and approved 11-03)
    donghe = reports[0].figures["cases"]["total"]
    assert (donghe["accepted"], donghe["completed"]) == (1, 1)
    # each region's active supervisors are told once (东河区: two; 东胜区: the world's one)
    told = Notification.objects.filter(subject__contains="月报已生成").order_by("id")
    donghe_supervisors = set(
        User.objects.filter(role=Role.SUPERVISOR, region__key="150202").values_list("pk", flat=True)
    )
    assert {n.recipient_user_id for n in told if "东河区" in n.subject} == donghe_supervisors
    assert len(donghe_supervisors) == 2
    assert [n.recipient_user_id for n in told if "东胜区" in n.subject] == [world.supervisor.pk]
    assert all("2026年11月" in n.subject and "2026-12-15 前审核" in n.subject for n in told)
    # run again: nothing new, nobody told twice
    assert monthly_reports_prepare_due(today=dt.date(2026, 12, 1)) == {"created": 0, "kept": 2}
    assert Notification.objects.filter(subject__contains="月报已生成").count() == 3


def test_the_task_is_scheduled_on_the_first_and_runs(world):
    entry = settings.CELERY_BEAT_SCHEDULE["prepare-monthly-reports"]
    assert entry["task"] == "bangban.prepare_monthly_reports"
    schedule = entry["schedule"]
    assert isinstance(schedule, crontab)
    assert schedule.day_of_month == {1}
    result = prepare_monthly_reports_task.apply().get()
    assert "月报" in result
    last = Period.month(*_last_month())
    assert MonthlyReport.objects.filter(region__key="150602", month=last.start).exists()


def _last_month() -> tuple[int, int]:
    from django.utils import timezone

    first = timezone.localdate().replace(day=1)
    last = first - dt.timedelta(days=1)
    return last.year, last.month


def test_the_command_prepares_too(world, tmp_path):
    err = io.StringIO()
    call_command(
        "monthly_report", "2026-11", "--prepare", "--out", str(tmp_path),
        stdout=io.StringIO(), stderr=err,
    )  # fmt: skip
    assert "东胜区：已生成2026年11月月报" in err.getvalue()
    assert MonthlyReport.objects.get(region__key="150602").state == "prepared"
    # again: prepared again with its version, not refused
    call_command(
        "monthly_report", "2026-11", "--prepare", "--region", "150602", "--out", str(tmp_path),
        stdout=io.StringIO(), stderr=err,
    )  # fmt: skip
    assert MonthlyReport.objects.get(region__key="150602").version == 2
    # the region's supervisor was told once, though the report was prepared twice
    told = Notification.objects.filter(subject__contains="月报已生成")
    assert [n.recipient_user_id for n in told] == [world.supervisor.pk]


def test_the_command_refuses_bad_input(db, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("monthly_report", "2026-13", "--out", str(tmp_path))
    with pytest.raises(CommandError, match="找不到区划"):
        call_command("monthly_report", "2026-10", "--region", "nowhere", "--out", str(tmp_path))
    assert SYSTEM.is_superuser and SYSTEM.region_id is None

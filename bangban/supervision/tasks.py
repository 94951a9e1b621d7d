"""Supervision's background job: on the 1st of each month, last month's report of each region
that has supervisors is prepared for review (state 待审核, due the 15th) —
``CELERY_BEAT_SCHEDULE["prepare-monthly-reports"]`` in settings; without a broker run
``manage.py monthly_report --prepare`` from cron instead."""

from __future__ import annotations

from celery import shared_task

from .services import monthly_reports_prepare_due


@shared_task(name="bangban.prepare_monthly_reports")
def prepare_monthly_reports_task() -> str:
    done = monthly_reports_prepare_due()
    return f"月报：新生成 {done['created']} 份，已有 {done['kept']} 份。"

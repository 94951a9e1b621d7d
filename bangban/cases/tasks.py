"""The ledger's background job: the daily deadline scan (``CELERY_BEAT_SCHEDULE`` in settings)."""

from __future__ import annotations

from celery import shared_task

from .scan import scan_deadlines


@shared_task(name="bangban.scan_deadlines")
def scan_deadlines_task() -> str:
    return scan_deadlines().summary()

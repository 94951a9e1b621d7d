"""Background jobs: inline by default, on a real Redis-backed worker when one is configured."""

import os

import pytest

from bangban.celery import app as celery_app
from bangban.common.tasks import ping


def test_tasks_run_inline_without_a_broker(settings):
    assert settings.CELERY_TASK_ALWAYS_EAGER is True
    assert ping.delay().get(timeout=5) == "pong"


@pytest.mark.redis
def test_task_round_trip_through_redis_worker():
    url = os.environ.get("BANGBAN_TEST_REDIS_URL")
    if not url:
        pytest.skip(
            "BANGBAN_TEST_REDIS_URL not set: Redis tests run from .ci/run when Redis is reachable"
        )
    from celery.contrib.testing.worker import start_worker

    keys = ("broker_url", "result_backend", "task_always_eager")
    previous = {key: celery_app.conf.get(key) for key in keys}
    celery_app.conf.update(broker_url=url, result_backend=url, task_always_eager=False)
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, loglevel="WARNING"):
            assert ping.delay().get(timeout=20) == "pong"
    finally:
        celery_app.conf.update(previous)

"""Several workers deliver at the same instant, in threads, against a database that really
locks (tests/concurrency.py: PostgreSQL, or SQLite in a file); each message goes out once."""

import threading
import time

import pytest

from bangban.notifications.models import Channel, Notification, State
from bangban.notifications.senders import register_sender
from bangban.notifications.services import notification_deliver_pending
from tests.projects.factories import AgentFactory

concurrency = pytest.importorskip("tests.concurrency")
concurrent_db = concurrency.concurrent_db

WORKERS = 4
MESSAGES = 12


class SlowRecorder:
    def __init__(self):
        self.sent: list[int] = []
        self.lock = threading.Lock()

    def send(self, notification):
        time.sleep(0.01)  # long enough for the other workers to try the same rows
        with self.lock:
            self.sent.append(notification.pk)


def test_concurrent_deliveries_send_each_message_once(concurrent_db):
    recorder = SlowRecorder()
    register_sender(Channel.SMS, recorder)
    agent = AgentFactory()
    ids = [  # queued, as notify leaves them (written directly: notify would hand them over)
        Notification.objects.create(
            recipient_user=agent, channel=Channel.SMS, subject=f"消息{i}", dedupe_key=f"w{i}"
        ).pk
        for i in range(MESSAGES)
    ]
    results = concurrency.run_concurrently([notification_deliver_pending] * WORKERS)
    assert not [r for r in results if isinstance(r, BaseException)], results
    assert sum(results) == MESSAGES
    assert sorted(recorder.sent) == sorted(ids)  # each once
    assert set(Notification.objects.filter(pk__in=ids).values_list("state", flat=True)) == {
        State.SENT
    }

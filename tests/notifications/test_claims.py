"""Never sent twice: a row is sent only by the call whose conditional UPDATE claimed it."""

import pytest

from bangban.notifications import services
from bangban.notifications.models import Channel, Notification, State
from bangban.notifications.senders import register_sender
from bangban.notifications.services import notification_deliver_pending, notify
from tests.projects.factories import AgentFactory

pytestmark = pytest.mark.django_db


class Recorder:
    """A sender that records the rows it sends; `during` runs inside each send."""

    def __init__(self, during=None):
        self.sent: list[int] = []
        self.during = during

    def send(self, notification):
        if self.during is not None:
            self.during()
        self.sent.append(notification.pk)


def queue(n: int, key: str = "c") -> list[Notification]:
    agent = AgentFactory()
    return [
        notify(event_key=f"{key}{i}", subject=f"消息{i}", users=[agent], channels=["sms"])[0]
        for i in range(n)
    ]


def test_a_claimed_row_is_not_claimed_again():
    recorder = Recorder()
    register_sender(Channel.SMS, recorder)
    row = queue(1)[0]
    claimed = services._claim(row.pk)  # worker A claims, and has not sent yet
    assert claimed is not None and claimed[0].pk == row.pk
    assert services._claim(row.pk) is None  # worker B's claim changes nothing
    assert notification_deliver_pending() == 0  # nor does a whole run of worker B
    assert recorder.sent == []
    assert services._send(*claimed) is True  # worker A sends
    assert notification_deliver_pending() == 0
    assert recorder.sent == [row.pk]


def test_a_second_worker_running_at_the_same_moment_sends_nothing_twice():
    inner_results = []
    started = []

    def second_worker():
        if not started:  # once, while the first worker sends its first row
            started.append(True)
            inner_results.append(notification_deliver_pending())

    recorder = Recorder(during=second_worker)
    register_sender(Channel.SMS, recorder)
    rows = queue(3)
    outer = notification_deliver_pending()
    # the second run skipped the row in flight and took the two others; the first run then
    # found them taken
    assert (outer, inner_results) == (1, [2])
    assert sorted(recorder.sent) == sorted(r.pk for r in rows)  # each once
    assert set(Notification.objects.values_list("state", flat=True)) == {State.SENT}


def test_a_lost_claim_never_overwrites_the_new_claimers_outcome(travel):
    recorder = Recorder()
    register_sender(Channel.SMS, recorder)
    row = queue(1)[0]
    stale, stale_token = services._claim(row.pk)  # worker A, then it hangs
    travel(services.CLAIM_LEASE.total_seconds() + 1)  # the lease runs out
    assert notification_deliver_pending() == 1  # worker B takes the row over and sends it
    services._finish(stale, stale_token, state=State.FAILED, last_error="A 超时")
    row.refresh_from_db()
    assert (row.state, row.last_error, row.attempts) == (State.SENT, "", 1)
    assert recorder.sent == [row.pk]

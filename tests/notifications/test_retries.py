"""Retries with exponential backoff, giving up after MAX_ATTEMPTS; never sent twice."""

import pytest
from django.utils import timezone

from bangban.notifications.models import Channel, Notification, State
from bangban.notifications.senders import register_sender
from bangban.notifications.services import (
    MAX_ATTEMPTS,
    RETRY_CAP,
    notification_deliver_pending,
    notify,
    retry_delay,
)
from tests.projects.factories import AgentFactory, EnterpriseUserFactory

pytestmark = pytest.mark.django_db


class Broken:
    def __init__(self):
        self.calls = 0

    def send(self, notification):
        self.calls += 1
        raise RuntimeError("网关超时")


def test_the_wait_doubles_and_is_capped():
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert retry_delay(30) == RETRY_CAP


def test_each_failure_waits_longer_until_the_message_is_given_up(travel):
    broken = Broken()
    register_sender(Channel.EMAIL, broken)
    row = notify(event_key="r1", subject="邮件", users=[AgentFactory()], channels=["email"])[0]
    waits = []
    for attempt in range(1, MAX_ATTEMPTS + 1):
        assert notification_deliver_pending() == 0
        row.refresh_from_db()
        assert (row.attempts, row.last_error) == (attempt, "网关超时")
        if row.next_attempt_at is not None:
            waits.append(round((row.next_attempt_at - timezone.now()).total_seconds() / 60))
            assert notification_deliver_pending() == 0  # not due yet: not tried
            assert broken.calls == attempt
            travel((row.next_attempt_at - timezone.now()).total_seconds() + 1)
    assert waits == [1, 2, 4, 8]
    assert row.state == State.FAILED and row.next_attempt_at is None
    travel(30 * 24 * 3600)
    assert notification_deliver_pending() == 0
    assert broken.calls == MAX_ATTEMPTS


def test_replaying_an_event_and_delivering_again_sends_nothing_more(
    fake_sms, mailoutbox, on_commit
):
    user = EnterpriseUserFactory(email="qiye@example.com", mobile="13900000021")
    for _ in range(2):
        with on_commit():
            notify(
                event_key="r2", subject="已受理", body="项目已受理。", users=[user], external=True
            )
    assert notification_deliver_pending() == 0
    assert notification_deliver_pending() == 0
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["qiye@example.com"]
    assert fake_sms == [("13900000021", "已受理：项目已受理。")]
    assert Notification.objects.filter(recipient_user=user).count() == 3


def test_external_rows_go_out_after_the_commit_only(fake_sms, mailoutbox):
    user = EnterpriseUserFactory(email="qiye@example.com", mobile="13900000022")
    rows = notify(event_key="r3", subject="已受理", users=[user], external=True)
    assert {r.channel: r.state for r in rows} == {
        Channel.IN_APP: State.SENT,  # stored is delivered
        Channel.EMAIL: State.QUEUED,
        Channel.SMS: State.QUEUED,
    }
    assert mailoutbox == [] and fake_sms == []
    assert notification_deliver_pending() == 2
    assert len(mailoutbox) == 1 and len(fake_sms) == 1


def test_departments_stay_in_app_with_external(on_commit):
    from tests.projects.factories import department

    with on_commit():
        rows = notify(event_key="r4", subject="新申请", departments=[department()], external=True)
    assert [(r.channel, r.state) for r in rows] == [(Channel.IN_APP, State.SENT)]

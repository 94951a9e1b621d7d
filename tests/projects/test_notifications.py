"""The outbox: one row per recipient and channel, never twice; pluggable senders."""

import pytest

from bangban.notifications.models import Channel, Notification
from bangban.notifications.selectors import notification_list_for, notification_unread_count
from bangban.notifications.senders import register_sender
from bangban.notifications.services import (
    notification_deliver_pending,
    notification_mark_read,
    notify,
)

from .factories import AgentFactory, department

pytestmark = pytest.mark.django_db


def test_the_same_event_is_never_queued_twice():
    agent = AgentFactory()
    first = notify(
        event_key="e1", subject="新申请", users=[agent, agent], departments=[department()]
    )
    assert len(first) == 2
    assert notify(event_key="e1", subject="新申请", users=[agent], departments=[department()]) == []
    assert Notification.objects.count() == 2
    assert all(n.sent_at is not None for n in first)  # in-app: stored is delivered


def test_a_user_sees_its_own_and_its_departments_messages():
    agent = AgentFactory()
    other = AgentFactory(department=department("dongsheng-zjj"))
    notify(event_key="e2", subject="给我", users=[agent])
    notify(event_key="e3", subject="给部门", departments=[agent.department])
    notify(event_key="e4", subject="给别人", users=[other])
    assert {n.subject for n in notification_list_for(agent)} == {"给我", "给部门"}
    assert notification_unread_count(agent) == 2
    assert notification_mark_read(user=agent) == 2
    assert notification_unread_count(agent) == 0
    assert notification_unread_count(other) == 1


def test_sms_waits_for_a_sender_and_is_retried_when_one_is_registered():
    agent = AgentFactory(mobile="13900000005")
    sent = []

    class FakeSms:
        def send(self, notification):
            sent.append(notification.recipient_user.mobile)

    rows = notify(event_key="e5", subject="短信", users=[agent], channels=[Channel.SMS])
    assert rows[0].sent_at is None
    register_sender(Channel.SMS, FakeSms())
    try:
        assert notification_deliver_pending() == 1
        assert notification_deliver_pending() == 0  # never sent twice
    finally:
        register_sender(Channel.SMS, None)
    assert sent == ["13900000005"]


def test_a_failing_sender_keeps_the_message_for_later():
    agent = AgentFactory()

    class Broken:
        def send(self, notification):
            raise RuntimeError("网关超时")

    register_sender(Channel.EMAIL, Broken())
    try:
        row = notify(event_key="e6", subject="邮件", users=[agent], channels=[Channel.EMAIL])[0]
    finally:
        register_sender(Channel.EMAIL, None)
    row.refresh_from_db()
    assert row.sent_at is None and row.attempts == 1 and row.last_error == "网关超时"

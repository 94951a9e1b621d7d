"""The outbox: one row per recipient and channel, never twice; pluggable senders."""

import pytest

from bangban.notifications.models import Notification
from bangban.notifications.selectors import notification_list_for, notification_unread_count
from bangban.notifications.services import (
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


# Delivery (senders, retries, claims, e-mail to a real SMTP server): tests/notifications.

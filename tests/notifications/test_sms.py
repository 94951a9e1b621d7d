"""SMS behind a provider interface: the logging default, a configured provider, no mobile."""

import logging

import pytest

from bangban.notifications.models import Channel, Notification, State
from bangban.notifications.services import notification_deliver_pending, notify
from tests.projects.factories import EnterpriseUserFactory, department

pytestmark = pytest.mark.django_db

SUBJECT = "补正通知"
BODY = "请补正《安全预评价报告》。"


def test_the_default_provider_logs_the_text_with_the_mobile_masked(on_commit, caplog):
    user = EnterpriseUserFactory(mobile="13900000011")
    with caplog.at_level(logging.INFO, logger="bangban.sms"), on_commit():
        rows = notify(event_key="s1", subject=SUBJECT, body=BODY, users=[user], external=True)
    assert sorted(r.channel for r in rows) == [Channel.IN_APP, Channel.SMS]  # no e-mail
    logged = [r.getMessage() for r in caplog.records if r.name == "bangban.sms"]
    assert logged == ["短信 139****0011：补正通知：请补正《安全预评价报告》。"]
    row = Notification.objects.get(channel=Channel.SMS)
    assert (row.state, row.attempts) == (State.SENT, 1)


def test_the_configured_provider_gets_the_mobile_and_the_text(fake_sms, on_commit):
    user = EnterpriseUserFactory(mobile="13900000012", email="a@example.com")
    with on_commit():
        rows = notify(event_key="s2", subject=SUBJECT, body=BODY, users=[user], external=True)
    assert sorted(r.channel for r in rows) == [Channel.EMAIL, Channel.IN_APP, Channel.SMS]
    assert fake_sms == [("13900000012", "补正通知：请补正《安全预评价报告》。")]


def test_a_failing_provider_keeps_the_message_queued(settings, on_commit):
    settings.BANGBAN_SMS_PROVIDER = "tests.notifications.fakes.DownSmsProvider"
    user = EnterpriseUserFactory(mobile="13900000013")
    with on_commit():
        notify(event_key="s3", subject=SUBJECT, users=[user], external=True)
    row = Notification.objects.get(channel=Channel.SMS)
    assert (row.state, row.attempts, row.last_error) == (State.QUEUED, 1, "短信网关无响应")


def test_no_mobile_or_a_department_is_skipped(fake_sms):
    user = EnterpriseUserFactory(mobile="")
    rows = notify(
        event_key="s4",
        subject=SUBJECT,
        users=[user],
        departments=[department()],
        channels=[Channel.SMS],
    )
    assert notification_deliver_pending() == 0
    reasons = {
        (r.recipient_user_id is not None, r.state, r.last_error)
        for r in Notification.objects.filter(pk__in=[r.pk for r in rows])
    }
    assert reasons == {
        (True, State.SKIPPED, "接收人无手机号码"),
        (False, State.SKIPPED, "接收部门无手机号码，部门消息只在站内送达"),
    }
    assert fake_sms == []

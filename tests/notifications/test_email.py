"""E-mail through Django's SMTP backend to a real SMTP server on 127.0.0.1 (aiosmtpd)."""

import pytest
from django.utils import timezone

from bangban.notifications.models import Channel, Notification, State
from bangban.notifications.services import notification_deliver_pending, notify
from tests.projects.factories import EnterpriseUserFactory

from .fakes import smtp_server

pytestmark = pytest.mark.django_db

SUBJECT = "项目已受理：鄂尔多斯煤化工一期"
BODY = "您的项目“鄂尔多斯煤化工一期”已受理，请于 5 个工作日内补正《环评报告表》。"


def enterprise_user(**extra):
    return EnterpriseUserFactory(email="qiye@example.com", **extra)


def test_an_email_reaches_the_smtp_server_with_its_chinese_subject_and_body(smtp_port, on_commit):
    user = enterprise_user()
    with smtp_server(smtp_port) as inbox, on_commit():
        rows = notify(event_key="m1", subject=SUBJECT, body=BODY, users=[user], external=True)
    assert sorted(r.channel for r in rows) == [Channel.EMAIL, Channel.IN_APP]  # no mobile
    assert len(inbox.envelopes) == 1
    assert inbox.envelopes[0].rcpt_tos == ["qiye@example.com"]
    message = inbox.messages[0]
    assert message["To"] == "qiye@example.com"
    # Django folds the encoded subject onto a continuation line; Python's parser keeps the
    # folding space, which mail clients drop.
    assert message["Subject"].strip() == SUBJECT
    assert message["From"].addresses[0].addr_spec == "noreply@localhost"
    assert message["From"].addresses[0].display_name == "帮办"
    assert message.get_content_charset() == "utf-8"
    assert BODY in message.get_content()
    row = Notification.objects.get(channel=Channel.EMAIL)
    assert (row.state, row.attempts, row.last_error) == (State.SENT, 1, "")
    assert row.sent_at is not None and row.next_attempt_at is None and row.claim_token == ""


def test_server_down_the_row_waits_with_backoff_then_goes_out_once(smtp_port, on_commit, travel):
    user = enterprise_user()
    with on_commit():  # nothing listens on the port: connection refused
        notify(event_key="m2", subject=SUBJECT, body=BODY, users=[user], external=True)
    row = Notification.objects.get(channel=Channel.EMAIL)
    assert (row.state, row.attempts, row.sent_at) == (State.QUEUED, 1, None)
    assert row.last_error  # the connection error, kept for the admin
    assert row.next_attempt_at > timezone.now() + timezone.timedelta(seconds=50)
    with smtp_server(smtp_port) as inbox:
        assert notification_deliver_pending() == 0  # the server is up, but the wait is not over
        assert inbox.envelopes == []
        travel(61)
        assert notification_deliver_pending() == 1
        assert notification_deliver_pending() == 0
        travel(3600)
        assert notification_deliver_pending() == 0
    assert len(inbox.envelopes) == 1
    assert inbox.messages[0]["Subject"].strip() == SUBJECT
    row.refresh_from_db()
    assert (row.state, row.attempts, row.last_error) == (State.SENT, 2, "")


def test_a_user_without_email_is_skipped_and_never_retried(smtp_port, travel):
    user = EnterpriseUserFactory(email="")
    external = notify(event_key="m3", subject=SUBJECT, users=[user], external=True)
    assert [r.channel for r in external] == [Channel.IN_APP]  # no address: no e-mail row
    with smtp_server(smtp_port) as inbox:
        row = notify(event_key="m4", subject=SUBJECT, users=[user], channels=[Channel.EMAIL])[0]
        assert notification_deliver_pending() == 0
        row.refresh_from_db()
        assert (row.state, row.last_error, row.attempts) == (State.SKIPPED, "接收人无电子邮箱", 0)
        assert row.next_attempt_at is None
        travel(24 * 3600)
        assert notification_deliver_pending() == 0
    assert inbox.envelopes == []
    row.refresh_from_db()
    assert row.state == State.SKIPPED


def test_a_department_gets_no_email(mailoutbox):
    from tests.projects.factories import department

    row = notify(event_key="m5", subject=SUBJECT, departments=[department()], channels=["email"])[0]
    assert notification_deliver_pending() == 0
    row.refresh_from_db()
    assert row.state == State.SKIPPED
    assert row.last_error == "接收部门无电子邮箱，部门消息只在站内送达"
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("reply", "state", "attempts"),
    [
        ("550 5.1.1 No such user", State.SKIPPED, 0),  # permanent: never retried
        ("450 4.2.1 Mailbox busy", State.QUEUED, 1),  # temporary: tried again later
    ],
)
def test_a_refused_address(smtp_port, on_commit, reply, state, attempts):
    user = EnterpriseUserFactory(email="nobody@example.com")
    with smtp_server(smtp_port, refuse={"nobody@example.com": reply}) as inbox, on_commit():
        notify(event_key="m6", subject=SUBJECT, users=[user], external=True)
    row = Notification.objects.get(channel=Channel.EMAIL)
    assert (row.state, row.attempts) == (state, attempts)
    assert inbox.envelopes == []
    if state == State.SKIPPED:
        assert row.last_error == "邮件服务器拒收地址 nobody@example.com"
    else:
        assert row.next_attempt_at is not None and "Mailbox busy" in row.last_error

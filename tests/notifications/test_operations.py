"""Running the outbox: the admin (state, attempts, «立即重试»), the command, the Celery task,
the beat schedule and the mail settings read from the environment."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

from bangban.accounts.models import User
from bangban.notifications.models import Channel, Notification, State
from bangban.notifications.senders import register_sender
from bangban.notifications.services import notify
from bangban.notifications.tasks import deliver_pending_notifications
from tests.projects.factories import EnterpriseUserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/notifications/notification/"


class Broken:
    def send(self, notification):
        raise RuntimeError("网关超时")


def failed_email(user) -> Notification:
    row = notify(event_key="o1", subject="已受理", users=[user], channels=[Channel.EMAIL])[0]
    Notification.objects.filter(pk=row.pk).update(
        state=State.FAILED, attempts=5, last_error="网关超时", next_attempt_at=None
    )
    return row


def test_the_admin_shows_state_attempts_error_and_next_attempt(admin_client):
    failed_email(EnterpriseUserFactory(email="qiye@example.com"))
    page = admin_client.get(CHANGELIST).content.decode()
    for text in ("状态", "发送次数", "最近错误", "下次尝试", "发送失败", "网关超时", "立即重试"):
        assert text in page


def test_retry_now_sends_a_failed_message(admin_client, mailoutbox, on_commit):
    row = failed_email(EnterpriseUserFactory(email="qiye@example.com"))
    with on_commit():
        response = admin_client.post(
            CHANGELIST, {"action": "retry_now", "_selected_action": [row.pk]}, follow=True
        )
    assert "已安排立即重试 1 条消息。" in response.content.decode()
    row.refresh_from_db()
    assert (row.state, row.attempts, row.last_error) == (State.SENT, 6, "")
    assert [m.to for m in mailoutbox] == [["qiye@example.com"]]
    with on_commit():  # a sent message is never retried
        response = admin_client.post(
            CHANGELIST, {"action": "retry_now", "_selected_action": [row.pk]}, follow=True
        )
    assert "所选消息均已发送，无需重试。" in response.content.decode()
    assert len(mailoutbox) == 1


def test_retry_now_of_a_skipped_message_sends_it_once_the_address_exists(admin_client, on_commit):
    user = EnterpriseUserFactory(email="")
    row = notify(event_key="o2", subject="已受理", users=[user], channels=[Channel.EMAIL])[0]
    deliver_pending_notifications.delay()
    row.refresh_from_db()
    assert row.state == State.SKIPPED
    User.objects.filter(pk=user.pk).update(email="qiye@example.com")
    with on_commit():
        admin_client.post(CHANGELIST, {"action": "retry_now", "_selected_action": [row.pk]})
    row.refresh_from_db()
    assert row.state == State.SENT


def test_the_command_delivers_and_reports(mailoutbox):
    notify(
        event_key="o3",
        subject="已受理",
        users=[EnterpriseUserFactory(email="a@example.com")],
        external=True,
    )
    register_sender(Channel.SMS, Broken())
    notify(
        event_key="o4",
        subject="已受理",
        users=[EnterpriseUserFactory(mobile="13900000031")],
        external=True,
    )
    out = io.StringIO()
    call_command("deliver_notifications", stdout=out)
    assert out.getvalue().strip() == "本次发出 1 条消息；待发送 1 条，发送失败 0 条。"
    assert len(mailoutbox) == 1


def test_the_task_delivers_and_is_on_the_beat_schedule(mailoutbox):
    notify(
        event_key="o5",
        subject="已受理",
        users=[EnterpriseUserFactory(email="a@example.com")],
        external=True,
    )
    assert deliver_pending_notifications.delay().get() == 1
    assert len(mailoutbox) == 1
    entry = django_settings.CELERY_BEAT_SCHEDULE["deliver-pending-notifications"]
    assert entry == {"task": deliver_pending_notifications.name, "schedule": 60.0}


def mail_settings(tmp_path: Path, **env) -> list[str]:
    """EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT, DEFAULT_FROM_EMAIL as a fresh process reads them."""
    clean = {k: v for k, v in os.environ.items() if "EMAIL" not in k}
    script = (
        "from django.conf import settings as s;"
        "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.DEFAULT_FROM_EMAIL, sep='|')"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "bangban.settings",
            "BANGBAN_DATA_DIR": str(tmp_path),
            **env,
        },
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(django_settings.BASE_DIR),
    )
    return result.stdout.strip().split("|")


def test_without_a_mail_host_e_mails_go_to_files(tmp_path):
    backend, _, _, sender = mail_settings(tmp_path)
    assert backend == "django.core.mail.backends.filebased.EmailBackend"
    assert sender == "帮办 <noreply@localhost>"


def test_a_mail_host_from_the_environment_means_smtp(tmp_path):
    assert mail_settings(tmp_path, BANGBAN_EMAIL_HOST="smtp.example.gov.cn", EMAIL_PORT="465") == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.gov.cn",
        "465",
        "帮办 <noreply@localhost>",
    ]

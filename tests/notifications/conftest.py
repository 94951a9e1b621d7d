from datetime import timedelta

import pytest

from bangban.notifications.models import Channel
from bangban.notifications.senders import register_sender

from .fakes import FakeSmsProvider, free_port


@pytest.fixture(autouse=True)
def _default_senders():
    """Every test starts and ends with the default sender of each channel."""
    FakeSmsProvider.outbox.clear()
    yield
    for channel in Channel.values:
        register_sender(channel, None)


@pytest.fixture
def smtp_port(settings) -> int:
    """Django sends through SMTP to 127.0.0.1:<port>; no server listens there yet."""
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    return port


@pytest.fixture
def fake_sms(settings):
    settings.BANGBAN_SMS_PROVIDER = "tests.notifications.fakes.FakeSmsProvider"
    return FakeSmsProvider.outbox


@pytest.fixture
def travel(monkeypatch):
    """travel(seconds): the clock (django.utils.timezone.now) jumps ahead by that much."""
    from django.utils import timezone

    real_now = timezone.now
    offset = {"seconds": 0.0}

    def now():
        return real_now() + timedelta(seconds=offset["seconds"])

    monkeypatch.setattr(timezone, "now", now)

    def jump(seconds: float) -> None:
        offset["seconds"] += seconds

    return jump

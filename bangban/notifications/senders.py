"""Pluggable delivery: one sender per channel, each with a default that needs no service.

- in-app: storing the row is the delivery;
- e-mail: Django's mail backend (`settings.EMAIL_BACKEND`: SMTP in production; without a
  configured host, files under `BANGBAN_DATA_DIR/mail`), sent to the user's `email`;
- SMS: the provider named by the dotted path in `settings.BANGBAN_SMS_PROVIDER` (any class
  with `send(mobile, text)`, see `SmsProvider`), sent to the user's `mobile`; the default
  `LoggingSmsProvider` writes the message to the logger "bangban.sms".

`register_sender` installs another sender for a channel (a test, a special gateway); with
None it puts the channel's default back.

A sender raises `Undeliverable(reason)` when the message cannot go out on its channel at all
(the recipient has no e-mail address, a department has no mobile): the row is marked skipped
and never retried. Any other exception means "try again later".
"""

from __future__ import annotations

import functools
import logging
import smtplib
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.module_loading import import_string

from .messages import EMAIL_FOOTER, SKIPPED
from .models import Channel, Notification

sms_logger = logging.getLogger("bangban.sms")


class Undeliverable(Exception):
    """The message cannot be sent on its channel; `reason` (Chinese) says why."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class Sender(Protocol):
    def send(self, notification: Notification) -> None:
        """Deliver one message; raise `Undeliverable` to skip it, anything else to retry."""


class SmsProvider(Protocol):
    def send(self, mobile: str, text: str) -> None:
        """Send `text` to the 11-digit `mobile`; raise to have it retried later."""


class InAppSender:
    """The message is in the recipient's list as soon as it is stored."""

    def send(self, notification: Notification) -> None:
        return None


class EmailSender:
    """One e-mail to the recipient user's address, From `DEFAULT_FROM_EMAIL`."""

    def send(self, notification: Notification) -> None:
        user = notification.recipient_user
        if user is None:
            raise Undeliverable(SKIPPED["department_email"])
        if not user.email:
            raise Undeliverable(SKIPPED["no_email"])
        message = EmailMessage(
            subject=" ".join(notification.subject.split()),  # a header: one line
            body=f"{notification.body or notification.subject}\n\n{EMAIL_FOOTER}",
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[user.email],
        )
        try:
            message.send(fail_silently=False)
        except smtplib.SMTPRecipientsRefused as exc:
            if all(code >= 500 for code, _ in exc.recipients.values()):  # permanent: 5xx
                raise Undeliverable(SKIPPED["email_refused"].format(email=user.email)) from exc
            raise  # 4xx: try again later


class SmsSender:
    """One text to the recipient user's mobile, through the configured provider."""

    def send(self, notification: Notification) -> None:
        user = notification.recipient_user
        if user is None:
            raise Undeliverable(SKIPPED["department_sms"])
        if not user.mobile:
            raise Undeliverable(SKIPPED["no_mobile"])
        sms_provider().send(user.mobile, sms_text(notification))


def sms_text(notification: Notification) -> str:
    if notification.body:
        return f"{notification.subject}：{notification.body}"
    return notification.subject


class LoggingSmsProvider:
    """Sends nothing: logs the text (mobile masked) to "bangban.sms". The default, so a run
    without an SMS gateway still shows what would have been sent."""

    def send(self, mobile: str, text: str) -> None:
        sms_logger.info("短信 %s：%s", mask_mobile(mobile), text)


def mask_mobile(mobile: str) -> str:
    """138****5678: enough to tell numbers apart in a log, not enough to call."""
    return f"{mobile[:3]}****{mobile[-4:]}" if len(mobile) >= 8 else "****"


def sms_provider() -> SmsProvider:
    """The provider of `settings.BANGBAN_SMS_PROVIDER` (one instance per dotted path)."""
    return _provider(settings.BANGBAN_SMS_PROVIDER)


@functools.cache
def _provider(path: str) -> SmsProvider:
    return import_string(path)()


_DEFAULTS: dict[str, Sender] = {
    Channel.IN_APP: InAppSender(),
    Channel.EMAIL: EmailSender(),
    Channel.SMS: SmsSender(),
}
_SENDERS: dict[str, Sender] = dict(_DEFAULTS)


def register_sender(channel: str, sender: Sender | None) -> None:
    """Install the sender of `channel`; with None, put the channel's default back."""
    if sender is not None:
        _SENDERS[channel] = sender
    elif channel in _DEFAULTS:
        _SENDERS[channel] = _DEFAULTS[channel]
    else:
        _SENDERS.pop(channel, None)


def sender_for(channel: str) -> Sender | None:
    return _SENDERS.get(channel)

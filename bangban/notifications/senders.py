"""Pluggable delivery: one sender per channel.

Only in-app delivery exists now (storing the row is the delivery). An SMS or e-mail sender
is registered with `register_sender`; until one is, rows of that channel stay queued
(`sent_at` empty) and are picked up by `notification_deliver_pending` once it is.
"""

from __future__ import annotations

from typing import Protocol

from .models import Channel, Notification


class Sender(Protocol):
    def send(self, notification: Notification) -> None:
        """Deliver one message; raise to have it retried later."""


class InAppSender:
    """The message is in the recipient's list as soon as it is stored."""

    def send(self, notification: Notification) -> None:
        return None


_SENDERS: dict[str, Sender] = {Channel.IN_APP: InAppSender()}


def register_sender(channel: str, sender: Sender | None) -> None:
    """Install (or, with None, remove) the sender of `channel`."""
    if sender is None:
        _SENDERS.pop(channel, None)
    else:
        _SENDERS[channel] = sender


def sender_for(channel: str) -> Sender | None:
    return _SENDERS.get(channel)

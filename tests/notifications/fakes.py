"""Stand-ins for the outside world: an SMTP server on 127.0.0.1 (aiosmtpd) and SMS providers."""

from __future__ import annotations

import contextlib
import email
import email.policy
import socket
from collections.abc import Iterator
from email.message import EmailMessage

from aiosmtpd.controller import Controller


def free_port() -> int:
    """A TCP port nothing listens on (until someone starts listening)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """The aiosmtpd handler: keeps every message the server accepts."""

    def __init__(self, refuse: dict[str, str] | None = None) -> None:
        self.envelopes = []
        self.refuse = refuse or {}  # address -> the SMTP reply to its RCPT TO

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    @property
    def messages(self) -> list[EmailMessage]:
        return [
            email.message_from_bytes(e.content, policy=email.policy.default) for e in self.envelopes
        ]


@contextlib.contextmanager
def smtp_server(port: int, refuse: dict[str, str] | None = None) -> Iterator[Inbox]:
    """A real SMTP server listening on 127.0.0.1:`port` for the block; it answers RCPT TO of
    the addresses of `refuse` with the reply given there."""
    inbox = Inbox(refuse)
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()


class FakeSmsProvider:
    """Named in BANGBAN_SMS_PROVIDER by the tests; records instead of sending."""

    outbox: list[tuple[str, str]] = []

    def send(self, mobile: str, text: str) -> None:
        FakeSmsProvider.outbox.append((mobile, text))


class DownSmsProvider:
    """A gateway that is down."""

    def send(self, mobile: str, text: str) -> None:
        raise ConnectionError("短信网关无响应")

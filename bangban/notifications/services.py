"""Writes of the outbox: queue messages once, deliver them, mark them read."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Channel, Notification
from .senders import sender_for

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


def notify(
    *,
    event_key: str,
    subject: str,
    body: str = "",
    users: Iterable = (),
    departments: Iterable = (),
    copy_departments: Iterable = (),
    commission=None,
    channels: Iterable[str] = (Channel.IN_APP,),
) -> list[Notification]:
    """Queue one message per recipient and channel for the event `event_key`, then deliver.

    `event_key` names the event (e.g. ``commission:12:transition:40``); with the recipient
    and the channel it makes the row's dedupe key, so calling this twice for one event queues
    nothing the second time. Returns the rows created now.
    """
    recipients: list[tuple[str, object, bool]] = []
    seen: set[str] = set()
    for user in users:
        if user is not None and f"u{user.pk}" not in seen:
            seen.add(f"u{user.pk}")
            recipients.append((f"u{user.pk}", user, False))
    for group, is_copy in ((departments, False), (copy_departments, True)):
        for department in group:
            if department is not None and f"d{department.pk}" not in seen:
                seen.add(f"d{department.pk}")
                recipients.append((f"d{department.pk}", department, is_copy))
    created: list[Notification] = []
    for channel in channels:
        for tag, recipient, is_copy in recipients:
            key = f"{event_key}:{channel}:{tag}"[:200]
            row = Notification(
                channel=channel,
                subject=subject[:200],
                body=body,
                commission=commission,
                is_copy=is_copy,
                dedupe_key=key,
            )
            if tag.startswith("u"):
                row.recipient_user = recipient
            else:
                row.recipient_department = recipient
            try:
                with transaction.atomic():
                    row.save()
            except IntegrityError:
                continue  # already queued for this event: never twice
            created.append(row)
    for row in created:
        _deliver(row)
    return created


def _deliver(row: Notification) -> None:
    sender = sender_for(row.channel)
    if sender is None or row.sent_at is not None:
        return
    row.attempts += 1
    try:
        sender.send(row)
    except Exception as exc:  # noqa: BLE001 - a sender's failure must not lose the message
        logger.warning("delivery of notification %s failed: %s", row.pk, exc)
        row.last_error = str(exc)[:300]
        row.save(update_fields=["attempts", "last_error"])
        return
    row.sent_at = timezone.now()
    row.last_error = ""
    row.save(update_fields=["attempts", "sent_at", "last_error"])


def notification_deliver_pending(*, limit: int = 500) -> int:
    """Try again every queued message whose channel has a sender; returns how many went out."""
    sent = 0
    rows = Notification.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS).order_by(
        "id"
    )[:limit]
    for row in rows:
        _deliver(row)
        sent += row.sent_at is not None
    return sent


def notification_mark_read(*, user, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's messages (all, or those ids) read; returns how many changed."""
    from .selectors import notification_list_for

    queryset = notification_list_for(user).filter(read_at__isnull=True)
    if notification_ids is not None:
        queryset = queryset.filter(pk__in=list(notification_ids))
    return Notification.objects.filter(pk__in=queryset.values("pk")).update(read_at=timezone.now())

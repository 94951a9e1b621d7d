"""The outbox's background job: deliver the due messages (every minute by the beat schedule,
`CELERY_BEAT_SCHEDULE` in settings, and right after `notify` queues e-mail or SMS)."""

from __future__ import annotations

from celery import shared_task

from .services import notification_deliver, notification_deliver_pending


@shared_task(name="bangban.deliver_pending_notifications")
def deliver_pending_notifications(ids: list[int] | None = None) -> int:
    """Send the due queued messages (only those of `ids` when given); returns how many went out."""
    if ids is None:
        return notification_deliver_pending()
    return notification_deliver(ids=ids)

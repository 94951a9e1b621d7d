"""Writes of the outbox: queue messages once, deliver each at most once, retry, mark read.

SPEC §6: sending is pluggable (`senders.py`), retried and never sent twice.

- `notify` writes one row per recipient and channel; the unique `dedupe_key` makes a replayed
  event queue nothing. In-app rows are written already sent. E-mail and SMS rows are queued
  and handed, once the transaction commits, to the Celery task `deliver_pending_notifications`
  (inline when Celery runs eager, i.e. without a broker); the beat schedule runs it every
  minute as well, for retries and for anything the hand-over missed.
- `notification_deliver` claims each due row with one conditional UPDATE (queued, due, no
  live claim) that stamps a token of its own, and sends it only if that UPDATE changed it:
  two workers never send the same row. The outcome is written only where the token stands.
- A failed send is retried after RETRY_BASE × 2^(attempts − 1), at most RETRY_CAP, until
  MAX_ATTEMPTS; then the row is failed. A row whose recipient has no address for its channel
  is skipped (`Undeliverable`) and never retried. The admin's «立即重试» re-queues rows.
- A claim lasts CLAIM_LEASE, far longer than a send may take (EMAIL_TIMEOUT); only a worker
  killed in the middle of a send leaves a claim to expire, and the row is then tried again.
"""

from __future__ import annotations

import functools
import logging
import uuid
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from .messages import SKIPPED
from .models import Channel, Notification, State
from .senders import Undeliverable, sender_for

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
RETRY_BASE = timedelta(minutes=1)
RETRY_CAP = timedelta(hours=1)
CLAIM_LEASE = timedelta(minutes=10)


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
    external: bool = False,
) -> list[Notification]:
    """Queue one message per recipient and channel for the event `event_key`, then deliver.

    `event_key` names the event (e.g. ``commission:12:transition:40``); with the recipient
    and the channel it makes the row's dedupe key, so calling this twice for one event queues
    nothing the second time. With `external`, each user also gets an e-mail when it has an
    address and an SMS when it has a mobile (departments stay in-app). Returns the rows
    created now; the e-mail and SMS rows go out after the commit.
    """
    channels = list(channels)
    recipients = _recipients(users, departments, copy_departments)
    content = {"subject": subject[:200], "body": body, "commission": commission}
    now = timezone.now()
    created: list[Notification] = []
    for channel, tag, recipient, is_copy in _deliveries(recipients, channels, external):
        row = _row(event_key, channel, tag, recipient, is_copy, content, now)
        if _insert_once(row):
            created.append(row)
    queued = [row.pk for row in created if row.state == State.QUEUED]
    if queued:
        _schedule_delivery(queued)
    return created


def _recipients(users, departments, copy_departments) -> list[tuple[str, object, bool]]:
    """(tag, user or department, is_copy), each recipient once, users first."""
    recipients: list[tuple[str, object, bool]] = []
    seen: set[str] = set()
    groups = ((users, "u", False), (departments, "d", False), (copy_departments, "d", True))
    for group, prefix, is_copy in groups:
        for recipient in group:
            if recipient is not None and f"{prefix}{recipient.pk}" not in seen:
                seen.add(f"{prefix}{recipient.pk}")
                recipients.append((f"{prefix}{recipient.pk}", recipient, is_copy))
    return recipients


def _deliveries(recipients, channels, external) -> Iterator[tuple[str, str, object, bool]]:
    for channel in channels:
        for tag, recipient, is_copy in recipients:
            yield channel, tag, recipient, is_copy
    if not external:
        return
    for tag, user, is_copy in recipients:
        if tag.startswith("u"):
            for channel in _addressed_channels(user):
                if channel not in channels:
                    yield channel, tag, user, is_copy


def _addressed_channels(user) -> list[str]:
    """The external channels the user has an address for."""
    return [
        channel
        for channel, address in ((Channel.EMAIL, user.email), (Channel.SMS, user.mobile))
        if address
    ]


def _row(event_key, channel, tag, recipient, is_copy, content, now) -> Notification:
    row = Notification(
        channel=channel, is_copy=is_copy, dedupe_key=f"{event_key}:{channel}:{tag}"[:200], **content
    )
    if tag.startswith("u"):
        row.recipient_user = recipient
    else:
        row.recipient_department = recipient
    if channel == Channel.IN_APP:  # stored is delivered
        row.state, row.sent_at, row.attempts, row.next_attempt_at = State.SENT, now, 1, None
    else:
        row.next_attempt_at = now
    return row


def _insert_once(row: Notification) -> bool:
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        return False  # already queued for this event: never twice
    return True


def _schedule_delivery(ids: list[int]) -> None:
    transaction.on_commit(functools.partial(_hand_over, ids))


def _hand_over(ids: list[int]) -> None:
    from .tasks import deliver_pending_notifications

    try:
        deliver_pending_notifications.delay(ids=ids)
    except Exception:  # noqa: BLE001 - the rows stay queued; the beat schedule sends them
        logger.exception("notifications %s not handed to the worker; left for the schedule", ids)


def notification_deliver(*, ids: Iterable[int] | None = None, limit: int = 500) -> int:
    """Send the due queued messages (of `ids`, or any), each one this call manages to claim.

    Returns how many went out. Safe to run in several workers at once: each row is sent by
    the one call whose claim took it. Rows are claimed one at a time, just before their
    send, so a claim's lease covers one send, never a whole batch.
    """
    sent = 0
    for pk in _due_ids(ids=ids, limit=limit):
        claimed = _claim(pk)
        if claimed is not None:
            sent += _send(*claimed)
    return sent


def notification_deliver_pending(*, limit: int = 500) -> int:
    """Send every queued message that is due; returns how many went out."""
    return notification_deliver(limit=limit)


def _claimable(now: datetime) -> Q:
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    return Q(state=State.QUEUED) & due & free


def _due_ids(*, ids: Iterable[int] | None, limit: int) -> list[int]:
    due = Notification.objects.filter(_claimable(timezone.now()))
    if ids is not None:
        due = due.filter(pk__in=list(ids))
    return list(due.order_by("id").values_list("pk", flat=True)[:limit])


def _claim(pk: int) -> tuple[Notification, str] | None:
    """Claim one row with a conditional UPDATE; (the row, the token) when this call got it.

    The database applies the UPDATE's condition to the row's current version (PostgreSQL
    re-checks it after waiting for a concurrent writer; SQLite has one writer at a time), so
    of two calls claiming the same row at once, one updates it and the other updates nothing.
    """
    now = timezone.now()
    token = uuid.uuid4().hex
    claimed = Notification.objects.filter(_claimable(now), pk=pk).update(
        claim_token=token, claimed_until=now + CLAIM_LEASE
    )
    if not claimed:
        return None
    row = (
        Notification.objects.select_related("recipient_user", "recipient_department")
        .filter(pk=pk, claim_token=token)
        .first()
    )
    return None if row is None else (row, token)


def _send(row: Notification, token: str) -> bool:
    """Send one claimed row and record the outcome; True when it went out."""
    sender = sender_for(row.channel)
    try:
        if sender is None:
            raise Undeliverable(SKIPPED["no_sender"])
        sender.send(row)
    except Undeliverable as exc:
        _finish(row, token, state=State.SKIPPED, last_error=exc.reason, next_attempt_at=None)
        return False
    except Exception as exc:  # noqa: BLE001 - a sender's failure must not lose the message
        logger.warning("delivery of notification %s failed: %s", row.pk, exc)
        _finish(row, token, **_after_failure(row.attempts + 1, exc))
        return False
    _finish(
        row,
        token,
        state=State.SENT,
        sent_at=timezone.now(),
        attempts=row.attempts + 1,
        last_error="",
        next_attempt_at=None,
    )
    return True


def _after_failure(attempts: int, exc: Exception) -> dict:
    """The row's fields after its `attempts`-th failed send: due again later, or failed."""
    fields = {"attempts": attempts, "last_error": (str(exc) or type(exc).__name__)[:300]}
    if attempts >= MAX_ATTEMPTS:
        return {**fields, "state": State.FAILED, "next_attempt_at": None}
    return {**fields, "next_attempt_at": timezone.now() + retry_delay(attempts)}


def retry_delay(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failure: 1, 2, 4, 8 … minutes, at most RETRY_CAP."""
    return min(RETRY_BASE * 2 ** max(attempts - 1, 0), RETRY_CAP)


def _finish(row: Notification, token: str, **fields) -> None:
    """Record the outcome where this call's claim still stands, and release the claim."""
    updated = Notification.objects.filter(pk=row.pk, claim_token=token).update(
        claim_token="", claimed_until=None, **fields
    )
    for name, value in fields.items():
        setattr(row, name, value)
    if not updated:
        logger.error(
            "notification %s: claim lost before the outcome %s was recorded", row.pk, fields
        )


def notification_retry(*, ids: Iterable[int]) -> int:
    """Queue the chosen unsent messages for an attempt now (admin «立即重试»); returns how many."""
    chosen = list(
        Notification.objects.filter(pk__in=list(ids))
        .exclude(state=State.SENT)
        .values_list("pk", flat=True)
    )
    count = (
        Notification.objects.filter(pk__in=chosen)
        .exclude(state=State.SENT)
        .update(state=State.QUEUED, next_attempt_at=timezone.now())
    )
    if chosen:
        _schedule_delivery(chosen)
    return count


def notification_mark_read(*, user, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's messages (all, or those ids) read; returns how many changed."""
    from .selectors import notification_list_for

    queryset = notification_list_for(user).filter(read_at__isnull=True)
    if notification_ids is not None:
        queryset = queryset.filter(pk__in=list(notification_ids))
    return Notification.objects.filter(pk__in=queryset.values("pk")).update(read_at=timezone.now())

"""Writing the audit chain: :func:`audit_record` appends one record; :func:`audit_rows` and
:func:`audit_update` record the bulk writes that send no signals (``bulk_create``,
``bulk_update``, ``QuerySet.update``).

Appends are serialised, so two writers never fork the chain: on PostgreSQL the appending
transaction takes a transaction-level advisory lock before reading the last record (held
until it commits or rolls back); on SQLite every transaction is IMMEDIATE (settings), so the
transaction that appends already holds the database's write lock. A record is written inside
the caller's transaction: when the caller's write rolls back, so does its record, and the
sequence stays gapless."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

from .chain import GENESIS_HASH, canonical_address, jsonable, record_hash
from .context import get_context, request_address, request_user
from .diff import MASK, changes_of, is_masked
from .models import AuditRecord

#: The key of the PostgreSQL advisory lock that serialises appends (any constant no other
#: code of ours uses; "audit" in ASCII).
ADVISORY_LOCK_KEY = 0x6175646974


def audit_record(
    *,
    actor=None,
    action: str,
    obj=None,
    summary: str = "",
    changes: dict | None = None,
    request=None,
    object_type: str = "",
    object_id: str = "",
) -> AuditRecord:
    """Append one record to the audit chain and return it.

    ``actor`` defaults to the user of ``request`` or of the current audit context (the
    request being answered, see ``bangban.audit.context``); None with no context is the
    system itself. ``obj`` (a model instance) names the object; without one, ``object_type``
    ("app_label.model") and ``object_id`` may. ``changes`` holds plain values, e.g.
    ``{"state": {"old": "draft", "new": "submitted"}}``; it is stored as JSON."""
    context = get_context()
    request = request if request is not None else context.request
    if actor is None:
        actor = context.actor if context.actor is not None else request_user(request)
    if obj is not None:
        object_type = obj._meta.label_lower
        object_id = "" if obj.pk is None else str(obj.pk)
    record = AuditRecord(
        actor_id=getattr(actor, "pk", None),
        actor_username=actor.get_username() if actor is not None else "",
        remote_addr=canonical_address(request_address(request)) if request is not None else "",
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        summary=summary,
        changes=jsonable(changes or {}),
    )
    with transaction.atomic(savepoint=False):
        connection = transaction.get_connection()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])
        last = AuditRecord.objects.order_by("-sequence").values_list("sequence", "hash").first()
        record.sequence, record.prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS_HASH)
        record.at = timezone.now()
        record.hash = record_hash(record)
        record.save(force_insert=True)
    return record


# --- writes that send no signals ---------------------------------------------------------------


def audit_rows(
    rows: Iterable[Model], *, action: str, created: bool = False, fields=None, summary: str = ""
) -> AuditRecord | None:
    """Record rows written by ``bulk_create`` (``created=True``) or ``bulk_update`` (the
    ``fields`` written), which send no signals: one record for the batch, each row's id with
    its changes — old values from what the rows held when they were loaded, no extra read.
    Call it right after the bulk write, in the same transaction."""
    rows = list(rows)
    if not rows:
        return None
    by_row: dict[str, dict] = {}
    for row in rows:
        changes, _labels = changes_of(row, created=created, fields=fields)
        if changes or created:
            by_row[str(row.pk)] = changes
    if not by_row:
        return None
    return _batch_record(type(rows[0]), action, by_row, created, summary)


def audit_update(queryset: QuerySet, *, action: str, summary: str = "", **values) -> int:
    """``queryset.update(**values)``, recorded: reads the matching rows' ids and old values
    of the fields (one query), updates, and appends one record with each row's old and new
    values. Returns the number of rows updated, as ``update`` does."""
    model = queryset.model
    names = list(values)
    new = {name: jsonable(_plain(value)) for name, value in values.items()}
    with transaction.atomic(savepoint=False):
        before = list(queryset.values("pk", *names))
        count = queryset.update(**values)
        by_row = {}
        for row in before:
            changes = {}
            for name in names:
                old = jsonable(row[name])
                if old != new[name]:
                    changes[name] = (
                        {"old": MASK, "new": MASK}
                        if is_masked(name)
                        else {"old": old, "new": new[name]}
                    )
            if changes:
                by_row[str(row["pk"])] = changes
        if by_row:
            _batch_record(model, action, by_row, False, summary)
    return count


def _plain(value):
    """A model instance as its key (what ``update`` stores); an expression as its text."""
    if isinstance(value, Model):
        return value.pk
    if hasattr(value, "resolve_expression"):
        return str(value)
    return value


def _batch_record(model, action: str, by_row: dict, created: bool, summary: str) -> AuditRecord:
    meta = model._meta
    if not summary:
        verb = "新建" if created else "修改"
        summary = f"{verb}{meta.verbose_name} {len(by_row)} 条"
    return audit_record(
        action=action,
        object_type=meta.label_lower,
        object_id=next(iter(by_row)) if len(by_row) == 1 else "",
        summary=summary,
        changes={"rows": by_row},
    )

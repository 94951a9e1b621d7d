"""The chain itself: how a record is serialised and hashed, and how the chain is checked.

A record's hash is SM3 (GB/T 32905) over the canonical JSON of its content — sequence, time
(UTC, microseconds), actor id and name, address, action, object, summary, changes — and the
previous record's hash. Canonical = sorted keys, no spaces, UTF-8. Changing any stored value
of a record, deleting one or inserting one breaks the chain at that point."""

from __future__ import annotations

import datetime
import decimal
import ipaddress
import json
import uuid
from dataclasses import dataclass

from django.db.models.fields.files import FieldFile

from bangban.common.hashing import sm3_hex

from .models import AuditRecord

#: The ``prev_hash`` of the first record of a chain.
GENESIS_HASH = "0" * 64


def jsonable(value):
    """``value`` as plain JSON that survives a round trip through every database's JSON
    column unchanged (so the hash recomputed from the stored record is the one written):
    numbers that are not ints (floats, decimals) become strings, dates ISO text."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, (float, decimal.Decimal)):
        return str(value)
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.UTC)
        return value.isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return str(value.total_seconds())
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, (uuid.UUID, ipaddress.IPv4Address, ipaddress.IPv6Address)):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [jsonable(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items
    return str(value)


def canonical_address(value: str | None) -> str:
    """A remote address in one spelling (IPv6 compressed, lower case); "" when not an IP."""
    if not value:
        return ""
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return ""


def canonical_bytes(record: AuditRecord) -> bytes:
    """The bytes the record's hash covers (its content and ``prev_hash``)."""
    content = {
        "sequence": record.sequence,
        "at": record.at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
        "actor_id": record.actor_id,
        "actor_username": record.actor_username,
        "remote_addr": record.remote_addr,
        "action": record.action,
        "object_type": record.object_type,
        "object_id": record.object_id,
        "summary": record.summary,
        "changes": record.changes,
        "prev_hash": record.prev_hash,
    }
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8")


def record_hash(record: AuditRecord) -> str:
    return sm3_hex(canonical_bytes(record))


@dataclass(frozen=True)
class ChainReport:
    """What :func:`verify_chain` found: the number of intact records and, when the chain is
    broken, the first record at which it breaks and why."""

    checked: int
    broken: AuditRecord | None = None
    reason: str = ""

    @property
    def intact(self) -> bool:
        return self.broken is None


def verify_chain(*, chunk_size: int = 2000) -> ChainReport:
    """Walk the whole chain in sequence order and recompute every hash.

    A record is broken when its sequence does not follow the previous one (a record was
    deleted or inserted), its ``prev_hash`` is not the previous record's hash (the previous
    record was altered and re-sealed, or removed), or its own hash does not match its content
    (the record itself was altered)."""
    previous: AuditRecord | None = None
    checked = 0
    for record in AuditRecord.objects.order_by("sequence").iterator(chunk_size=chunk_size):
        if previous is None:
            if record.sequence != 1:
                return ChainReport(checked, record, f"链首序号应为 1，实为 {record.sequence}")
            if record.prev_hash != GENESIS_HASH:
                return ChainReport(checked, record, "链首的前一条哈希不是初始值")
        else:
            if record.sequence != previous.sequence + 1:
                return ChainReport(
                    checked,
                    record,
                    f"序号不连续：上一条为 {previous.sequence}，缺少或多出记录",
                )
            if record.prev_hash != previous.hash:
                return ChainReport(
                    checked,
                    record,
                    f"前一条哈希与第 {previous.sequence} 条记录的哈希不符",
                )
        if record_hash(record) != record.hash:
            return ChainReport(checked, record, "记录内容与其哈希不符（记录被改动）")
        checked += 1
        previous = record
    return ChainReport(checked)

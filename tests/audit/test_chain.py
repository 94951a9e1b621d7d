"""The chain: each record sealed with SM3 over its content and the previous hash; verify_audit
walks it and names the first broken record."""

import datetime as dt
from decimal import Decimal

import pytest
from cryptography.hazmat.primitives import hashes
from django.db import transaction

from bangban.audit.chain import GENESIS_HASH, record_hash
from bangban.audit.models import AuditRecord
from bangban.audit.services import audit_record

from .helpers import tamper, verify

pytestmark = pytest.mark.django_db


def sm3(data: bytes) -> str:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


def test_sm3_is_the_standard_one():
    # GB/T 32905-2016, appendix A.1: SM3("abc")
    assert sm3(b"abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


def append(n: int, prefix: str = "test.append") -> list[AuditRecord]:
    return [audit_record(action=f"{prefix}.{i}", summary=f"第 {i} 条") for i in range(n)]


def test_appended_records_follow_each_other_and_link_their_hashes():
    before = AuditRecord.objects.order_by("-sequence").first()
    first, second, third = append(3)
    start = before.sequence + 1 if before else 1
    assert [first.sequence, second.sequence, third.sequence] == [start, start + 1, start + 2]
    assert first.prev_hash == (before.hash if before else GENESIS_HASH)
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    assert len({first.hash, second.hash, third.hash}) == 3


def test_the_hash_covers_the_canonical_json_of_the_content_and_the_previous_hash():
    record = audit_record(
        action="test.hand",
        summary="手工核对",
        object_type="projects.project",
        object_id="7",
        changes={"amount": {"old": Decimal("1.50"), "new": None}, "day": dt.date(2025, 1, 2)},
    )
    stored = AuditRecord.objects.get(pk=record.pk)
    at = stored.at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")
    expected_text = (
        '{"action":"test.hand","actor_id":null,"actor_username":"","at":"' + at + '",'
        '"changes":{"amount":{"new":null,"old":"1.50"},"day":"2025-01-02"},'
        '"object_id":"7","object_type":"projects.project",'
        '"prev_hash":"' + stored.prev_hash + '","remote_addr":"",'
        '"sequence":' + str(stored.sequence) + ',"summary":"手工核对"}'
    )
    assert stored.hash == sm3(expected_text.encode("utf-8"))
    assert record_hash(stored) == stored.hash


def test_verify_audit_reports_an_intact_chain_with_its_length():
    append(4)
    intact, output = verify()
    assert intact, output
    assert output == f"审计链完整：{AuditRecord.objects.count()} 条记录"


def test_a_tampered_record_is_named_by_verify_audit():
    records = append(5, "test.tamper")
    victim = records[2]
    tamper("UPDATE audit_auditrecord SET summary = %s WHERE id = %s", ["改过的摘要", victim.pk])

    intact, message = verify()

    assert not intact
    assert f"序号 {victim.sequence}，ID {victim.pk}，" in message
    assert "动作 test.tamper.2" in message
    assert "记录内容与其哈希不符" in message


def test_a_tampered_and_resealed_record_breaks_the_link_to_the_next_one():
    records = append(4, "test.reseal")
    victim = records[1]
    victim.actor_username = "冒名者"
    forged = record_hash(victim)  # the intruder recomputes the record's own hash
    tamper(
        "UPDATE audit_auditrecord SET actor_username = %s, hash = %s WHERE id = %s",
        ["冒名者", forged, victim.pk],
    )

    intact, message = verify()

    assert not intact
    following = records[2]
    assert f"序号 {following.sequence}，ID {following.pk}，" in message
    assert f"前一条哈希与第 {victim.sequence} 条记录的哈希不符" in message


def test_a_deleted_record_leaves_a_gap_that_verify_audit_names():
    records = append(4, "test.delete")
    tamper("DELETE FROM audit_auditrecord WHERE id = %s", [records[1].pk])

    intact, message = verify()

    assert not intact
    assert f"序号 {records[2].sequence}，ID {records[2].pk}，" in message
    assert "序号不连续" in message


def test_a_record_rolls_back_with_the_write_it_belongs_to_and_leaves_no_gap():
    before = AuditRecord.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(action="test.rolled_back")
        raise RuntimeError("the write failed")
    assert AuditRecord.objects.count() == before
    after = audit_record(action="test.after_rollback")
    previous = AuditRecord.objects.exclude(pk=after.pk).order_by("-sequence").first()
    assert after.sequence == (previous.sequence + 1 if previous else 1)
    assert verify()[0]

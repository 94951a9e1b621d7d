"""manage.py backup / restore: database dump, encrypted files as they are, a manifest of SM3
digests, row counts and key ids; restore checks it all and refuses what does not match."""

import base64
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from bangban.audit.models import AuditRecord
from bangban.common.hashing import sm3_hex
from bangban.documents.backup import row_counts
from bangban.documents.models import Attachment
from bangban.projects import services
from bangban.projects.models import Commission
from bangban.rules import filecrypt
from tests.projects.factories import AgentFactory, CommissionFactory, EnterpriseUserFactory

from . import files
from .conftest import KEY_A, KEY_B

# Transactional: a restore flushes the database (TRUNCATE on PostgreSQL), which PostgreSQL
# refuses inside the test's own transaction while deferred foreign-key checks are pending.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def stored(reference_data, media, master_key):
    agent = AgentFactory()
    owner = EnterpriseUserFactory()
    commission = CommissionFactory(
        state="verified", agent=agent, project__enterprise=owner.enterprise
    )
    upload = SimpleUploadedFile("签字盖章件.pdf", files.pdf(files.SECRET))
    services.commission_record_signed_scan(commission=commission, actor=agent, upload=upload)
    commission.refresh_from_db()
    return commission


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_backup_then_restore_into_an_empty_database(stored, settings, tmp_path):
    before = row_counts()
    assert before["projects.commission"] >= 1 and before["documents.attachment"] == 1
    scan = stored.signed_scan
    with scan.file.open("rb") as handle:
        encrypted = handle.read()

    target = tmp_path / "backup"
    run("backup", str(target))
    manifest = json.loads((target / "manifest.json").read_text())
    assert manifest["rows"] == before
    media_copy = target / "media" / scan.file.name
    assert media_copy.read_bytes() == encrypted  # copied as stored: encrypted
    assert manifest["files"][f"media/{scan.file.name}"] == sm3_hex(encrypted)
    assert manifest["files"]["db.json"] == sm3_hex((target / "db.json").read_bytes())
    assert manifest["file_keys"]["used"] == [filecrypt.key_id(bytes.fromhex(KEY_A))]
    everything = b"".join(p.read_bytes() for p in target.rglob("*") if p.is_file())
    assert KEY_A.encode() not in everything and bytes.fromhex(KEY_A) not in everything
    assert files.SECRET.encode() not in everything

    # a database that holds rows is refused
    with pytest.raises(CommandError, match="数据库不是空的"):
        run("restore", str(target))

    call_command("flush", interactive=False, verbosity=0)
    assert not any(row_counts().values())
    settings.MEDIA_ROOT = tmp_path / "new-media"  # a new machine: no files yet
    output = run("restore", str(target))
    assert "行数与备份清单一致" in output
    # every row is back, and the audit chain carries one more record: the restore itself
    after = row_counts()
    assert after["audit.auditrecord"] == before["audit.auditrecord"] + 1
    assert {**after, "audit.auditrecord": before["audit.auditrecord"]} == before
    last = AuditRecord.objects.order_by("-sequence").first()
    assert (last.action, last.actor_id) == ("backup.restore", None)
    assert last.sequence == before["audit.auditrecord"] + 1
    assert last.changes["rows"] == sum(before.values())
    assert last.changes["files"] == 1 and last.changes["flushed_first"] is False
    assert "审计链完整" in run("verify_audit")
    restored = Commission.objects.get(pk=stored.pk).signed_scan
    with restored.file.open("rb") as handle:
        assert handle.read() == encrypted
    assert (tmp_path / "new-media" / scan.file.name).is_file()
    # and it decrypts to the original bytes
    data_key = filecrypt.unwrap(
        {restored.key_id: bytes.fromhex(KEY_A)},
        restored.key_id,
        base64.b64decode(restored.wrapped_key),
    )
    assert filecrypt.decrypt(data_key, encrypted) == files.pdf(files.SECRET)


def test_a_damaged_file_in_the_backup_is_refused_by_name(stored, tmp_path):
    target = tmp_path / "backup"
    run("backup", str(target))
    name = stored.signed_scan.file.name
    damaged = target / "media" / name
    content = bytearray(damaged.read_bytes())
    content[50] ^= 1
    damaged.write_bytes(bytes(content))
    before = row_counts()
    with pytest.raises(CommandError) as info:
        run("restore", str(target), "--force")
    assert f"media/{name}" in str(info.value) and "损坏" in str(info.value)
    assert row_counts() == before  # nothing flushed, nothing loaded


def test_a_backup_whose_keys_are_not_configured_is_refused(stored, settings, tmp_path):
    target = tmp_path / "backup"
    run("backup", str(target))
    settings.BANGBAN_FILE_MASTER_KEY = KEY_B  # the old key was not kept
    with pytest.raises(CommandError) as info:
        run("restore", str(target), "--force")
    assert stored.signed_scan.key_id in str(info.value)
    settings.BANGBAN_FILE_OLD_MASTER_KEYS = [KEY_A]  # given back: it goes through
    assert "行数与备份清单一致" in run("restore", str(target), "--force")
    assert Attachment.objects.get().key_id == filecrypt.key_id(bytes.fromhex(KEY_A))


def test_the_backup_directory_must_be_new_or_empty(db, tmp_path):
    (tmp_path / "old.txt").write_text("x")
    with pytest.raises(CommandError, match="不是空的"):
        run("backup", str(tmp_path))

"""Backup and restore of the whole platform: the database and the encrypted files.

``manage.py backup DIR`` writes

* ``db.json`` — every app's rows (``dumpdata`` with natural foreign keys, the base managers;
  content types, permissions and sessions left out: ``migrate`` recreates the first two, the
  last are not worth keeping), times to the microsecond (``serializer.py``: Django's own
  JSON cuts them to milliseconds, which broke every restored audit record's hash);
* ``media/…`` — every attachment's stored file exactly as it lies on disk, i.e. *encrypted*
  (nothing is decrypted to make a backup);
* ``manifest.json`` — the SM3 digest of each of those files, the row count of every model, and
  the ids of the master keys that wrap the files' data keys (a key id is a one-way digest of
  the key, docs/files.md): never a key.

``manage.py restore DIR`` checks every digest (a damaged file is named), checks that the
master keys configured now unwrap every file's data key, refuses a database that already holds
rows (unless ``--force``, which flushes it first), loads the rows, compares the counts with the
manifest (all in one transaction), then copies the files into place. Last it appends one
audit record, ``backup.restore`` (the rows it loaded are no one's writes and are not recorded
one by one; they bring back the audit chain of the original writes, which this record
continues).
"""

from __future__ import annotations

import binascii
import json
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from bangban.audit.services import audit_record
from bangban.common.hashing import sm3_hex
from bangban.rules.filecrypt import FileCryptoError

from . import crypto, serializer
from .models import Attachment

FORMAT = "bangban-backup/1"
DUMP = "db.json"
MANIFEST = "manifest.json"
MEDIA = "media"
#: Not dumped: recreated by ``migrate`` (content types, permissions) or not worth keeping.
EXCLUDED_APPS = ("contenttypes", "sessions")
EXCLUDED_MODELS = ("auth.permission",)


class BackupError(Exception):
    """A backup or restore that cannot go on; the message (Chinese) says why."""


def _dumped_models() -> list:
    return [
        model
        for model in apps.get_models()
        if model._meta.managed
        and not model._meta.proxy
        and model._meta.app_label not in EXCLUDED_APPS
        and model._meta.label_lower not in EXCLUDED_MODELS
    ]


def row_counts() -> dict[str, int]:
    return {
        model._meta.label_lower: model._base_manager.count()
        for model in sorted(_dumped_models(), key=lambda m: m._meta.label_lower)
    }


def _sm3_file(path: Path) -> str:
    return sm3_hex(path.read_bytes())


def backup_write(directory: Path) -> dict:
    """Write a backup into `directory` (new or empty); returns the manifest."""
    directory = Path(directory)
    if directory.exists() and any(directory.iterdir()):
        raise BackupError(f"备份目录 {directory} 不是空的。")
    (directory / MEDIA).mkdir(parents=True, exist_ok=True)
    serializers.register_serializer(serializer.FORMAT, serializer.__name__)
    with transaction.atomic():  # one consistent picture of rows and files
        call_command(
            "dumpdata",
            *[f"--exclude={label}" for label in (*EXCLUDED_APPS, *EXCLUDED_MODELS)],
            format=serializer.FORMAT,  # Django's JSON, times to the microsecond
            natural_foreign=True,
            use_base_manager=True,
            output=str(directory / DUMP),
            verbosity=0,
        )
        counts = row_counts()
        files = {DUMP: _sm3_file(directory / DUMP)}
        key_ids: set[str] = set()
        plain = 0
        for row in Attachment.objects.exclude(file="").only("file", "key_id").iterator():
            if not default_storage.exists(row.file.name):
                raise BackupError(f"附件 {row.pk} 的文件 {row.file.name} 不存在，无法备份。")
            target = directory / MEDIA / row.file.name
            target.parent.mkdir(parents=True, exist_ok=True)
            with default_storage.open(row.file.name, "rb") as handle:
                target.write_bytes(handle.read())  # as stored: encrypted, never decrypted
            files[f"{MEDIA}/{row.file.name}"] = _sm3_file(target)
            if row.key_id:
                key_ids.add(row.key_id)
            else:
                plain += 1
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "database": connection.vendor,
        "rows": counts,
        "files": files,
        "file_keys": {"current": crypto.keyring().current_id, "used": sorted(key_ids)},
        "plain_files": plain,
    }
    (directory / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
    return manifest


def _read_manifest(directory: Path) -> dict:
    path = directory / MANIFEST
    if not path.is_file():
        raise BackupError(f"{directory} 中没有备份清单 {MANIFEST}。")
    try:
        manifest = json.loads(path.read_text())
    except (ValueError, UnicodeDecodeError):
        raise BackupError(f"备份清单 {MANIFEST} 已损坏。") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"不认识的备份格式：{manifest.get('format')!r}。")
    return manifest


def backup_verify(directory: Path) -> dict:
    """The manifest, once every file's SM3 matches and the current keys unwrap every data key."""
    directory = Path(directory)
    manifest = _read_manifest(directory)
    root = directory.resolve()
    for relative, digest in manifest["files"].items():
        path = (directory / relative).resolve()
        if root not in path.parents:
            raise BackupError(f"备份清单中的路径不合法：{relative}。")
        if not path.is_file():
            raise BackupError(f"备份中缺少文件：{relative}。")
        if _sm3_file(path) != digest:
            raise BackupError(f"备份文件已损坏（SM3 摘要与清单不符）：{relative}。")
    try:
        keys = crypto.keyring()
    except ImproperlyConfigured as exc:
        raise BackupError(str(exc)) from None
    rows = json.loads((directory / DUMP).read_text())
    unusable: dict[str, int] = {}
    for row in rows:
        if row.get("model") != "documents.attachment" or not row["fields"].get("key_id"):
            continue
        fields = row["fields"]
        try:
            crypto.unwrap(fields["key_id"], fields["wrapped_key"], keys)
        except (FileCryptoError, ValueError, binascii.Error):
            unusable[fields["key_id"]] = unusable.get(fields["key_id"], 0) + 1
    if unusable:
        listed = "、".join(f"{kid}（{n} 个文件）" for kid, n in sorted(unusable.items()))
        raise BackupError(
            f"当前配置的主密钥解不开这些文件的数据密钥：主密钥 {listed}。"
            "请在 BANGBAN_FILE_MASTER_KEY 或 BANGBAN_FILE_OLD_MASTER_KEYS 中提供备份时的主密钥。"
        )
    return manifest


def backup_restore(directory: Path, *, force: bool = False) -> dict[str, int]:
    """Restore the backup in `directory` into this (empty) database and media storage; returns
    the row counts per model (equal to the manifest's)."""
    directory = Path(directory)
    manifest = backup_verify(directory)
    occupied = {label: n for label, n in row_counts().items() if n}
    if occupied and not force:
        listed = "、".join(f"{label}（{n}）" for label, n in sorted(occupied.items())[:5])
        raise BackupError(
            f"数据库不是空的：{listed} 等已有数据。恢复只能恢复到空数据库；"
            "确需覆盖请加 --force（先清空数据库）。"
        )
    with transaction.atomic():
        if occupied:
            call_command("flush", interactive=False, verbosity=0)
        call_command("loaddata", str(directory / DUMP), verbosity=0)
        counts = row_counts()
        expected = manifest["rows"]
        wrong = {
            label: (expected.get(label, 0), counts.get(label, 0))
            for label in set(expected) | set(counts)
            if expected.get(label, 0) != counts.get(label, 0)
        }
        if wrong:
            listed = "、".join(f"{k}：清单 {a}，恢复后 {b}" for k, (a, b) in sorted(wrong.items()))
            raise BackupError(f"恢复后的行数与备份清单不符（已撤销）：{listed}。")
    for relative in manifest["files"]:
        if not relative.startswith(f"{MEDIA}/"):
            continue
        name = relative[len(MEDIA) + 1 :]
        if default_storage.exists(name):
            default_storage.delete(name)
        saved = default_storage.save(name, ContentFile((directory / relative).read_bytes()))
        if saved != name:
            raise BackupError(f"文件 {name} 无法按原名恢复（存成了 {saved}）。")
    media_files = sum(1 for relative in manifest["files"] if relative.startswith(f"{MEDIA}/"))
    audit_record(
        action="backup.restore",
        summary=f"从备份恢复（备份时间 {manifest.get('created_at', '未知')}）："
        f"{sum(counts.values())} 行数据，{media_files} 个附件文件",
        changes={
            "backup_created_at": manifest.get("created_at", ""),
            "manifest_sm3": _sm3_file(directory / MANIFEST),
            "rows": sum(counts.values()),
            "files": media_files,
            "flushed_first": bool(occupied),
        },
    )
    return counts

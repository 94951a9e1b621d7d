"""The master keys of stored files (from settings) and the envelope of one file.

The pure SM4-GCM functions are :mod:`bangban.rules.filecrypt`; this module adds where the keys
come from (``BANGBAN_FILE_MASTER_KEY``, ``BANGBAN_FILE_OLD_MASTER_KEYS``) and how an
attachment row stores its wrapped key (base64 in ``wrapped_key``, the master key's id in
``key_id``; an empty ``key_id`` is a legacy plain file).
"""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.db import transaction

from bangban.rules import filecrypt


@dataclass(frozen=True)
class Keyring:
    current: bytes
    by_id: dict[str, bytes]

    @property
    def current_id(self) -> str:
        return filecrypt.key_id(self.current)


def keyring() -> Keyring:
    """The current master key and every known one by id (ImproperlyConfigured when malformed)."""
    try:
        current = filecrypt.parse_master_key(settings.BANGBAN_FILE_MASTER_KEY)
        old = [filecrypt.parse_master_key(k) for k in settings.BANGBAN_FILE_OLD_MASTER_KEYS]
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"BANGBAN_FILE_MASTER_KEY / BANGBAN_FILE_OLD_MASTER_KEYS: {exc}"
        ) from None
    by_id = {filecrypt.key_id(key): key for key in [*old, current]}
    return Keyring(current=current, by_id=by_id)


def stored_name() -> str:
    """A random name on disk: the real name is in the database, not in the file system."""
    return f"{uuid.uuid4().hex}.sm4"


def seal(content: bytes) -> tuple[bytes, str, str]:
    """(encrypted blob, key id, wrapped data key as base64) for `content` under a new data key."""
    data_key = filecrypt.new_data_key()
    kid, wrapped = filecrypt.wrap(keyring().current, data_key)
    return filecrypt.encrypt(data_key, content), kid, base64.b64encode(wrapped).decode()


def unwrap(kid: str, wrapped_key: str, keys: Keyring | None = None) -> bytes:
    keys = keys or keyring()
    return filecrypt.unwrap(keys.by_id, kid, base64.b64decode(wrapped_key))


def open_blob(*, key_id: str, wrapped_key: str, blob: bytes) -> bytes:
    """The content of a stored file (a legacy plain one, empty `key_id`, as it is)."""
    if not key_id:
        return blob
    return filecrypt.decrypt(unwrap(key_id, wrapped_key), blob)


def rewrap(kid: str, wrapped_key: str, keys: Keyring) -> tuple[str, str]:
    """The same data key wrapped under the current master key (base64)."""
    new_id, wrapped = filecrypt.rewrap(keys.by_id, kid, base64.b64decode(wrapped_key), keys.current)
    return new_id, base64.b64encode(wrapped).decode()


def encrypt_plain_rows(queryset) -> int:
    """Encrypt in place the files of `queryset`'s legacy rows (``key_id`` empty): each gets an
    encrypted copy under a random name and its wrapped key; the plain file is deleted once the
    transaction commits (a rollback leaves it, and the row pointing at it). Used by the data
    migration ``documents.0002`` and by ``manage.py encrypt_attachments``."""
    count = 0
    for row in queryset.filter(key_id="").exclude(file=""):
        old_name, storage = row.file.name, row.file.storage
        if not storage.exists(old_name):
            continue  # a row whose file is lost stays as it is (its download answers 404)
        with storage.open(old_name, "rb") as handle:
            plain = handle.read()
        blob, row.key_id, row.wrapped_key = seal(plain)
        row.file.save(stored_name(), ContentFile(blob), save=False)
        row.save(update_fields=["file", "key_id", "wrapped_key"])
        transaction.on_commit(lambda name=old_name, s=storage: s.delete(name))
        count += 1
    return count

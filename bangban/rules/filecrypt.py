"""Encryption of stored files with SM4-GCM (GB/T 32907, GB/T 39786-2021): pure functions on bytes.

Envelope encryption. Each file has its own random 128-bit *data key*; the content is encrypted
with it, and the data key is *wrapped* (encrypted, SM4-GCM too) by a *master key* that lives
outside the database (the environment or a key file). Several master keys may coexist: each
has a *key id* derived from it, stored next to the wrapped key, so rotating the master key
only re-wraps the data keys (:func:`rewrap`) and never touches the content.

Layouts (all binary):

* stored file: ``MAGIC (4) | nonce (12) | tag (16) | ciphertext`` — the magic is also the
  associated data, so a file is told apart from a legacy plain one and its header is bound;
* wrapped key: ``nonce (12) | tag (16) | encrypted data key (16)``, associated data the key id,
  so a wrapped key cannot be presented as belonging to another master key.

No Django import: the callers (``bangban.documents``) pass the keys in.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

MAGIC = b"BBF1"
KEY_BYTES = 16  # SM4 keys are 128 bits
NONCE_BYTES = 12
TAG_BYTES = 16
HEADER_BYTES = len(MAGIC) + NONCE_BYTES + TAG_BYTES
WRAPPED_BYTES = NONCE_BYTES + TAG_BYTES + KEY_BYTES
_KEY_ID_LABEL = b"bangban file master key id v1"


class FileCryptoError(ValueError):
    """A key that is missing or wrong, or content that was altered (the GCM tag does not match)."""


def new_data_key() -> bytes:
    return os.urandom(KEY_BYTES)


def parse_master_key(text: str) -> bytes:
    """A master key given as 32 hexadecimal digits (blanks ignored); ValueError otherwise."""
    cleaned = "".join((text or "").split())
    try:
        key = bytes.fromhex(cleaned)
    except ValueError:
        raise ValueError("the master key must be hexadecimal") from None
    if len(key) != KEY_BYTES:
        raise ValueError(f"the master key must be {KEY_BYTES * 2} hexadecimal digits")
    return key


def key_id(master_key: bytes) -> str:
    """16 hex digits of SM3(label ‖ key): names the key, reveals nothing usable about it."""
    digest = hashes.Hash(hashes.SM3())
    digest.update(_KEY_ID_LABEL + master_key)
    return digest.finalize().hex()[:16]


def _seal(key: bytes, plain: bytes, aad: bytes) -> tuple[bytes, bytes, bytes]:
    nonce = os.urandom(NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(aad)
    cipher = encryptor.update(plain) + encryptor.finalize()
    return nonce, encryptor.tag, cipher


def _open(key: bytes, nonce: bytes, tag: bytes, cipher: bytes, aad: bytes) -> bytes:
    try:
        decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
        decryptor.authenticate_additional_data(aad)
        return decryptor.update(cipher) + decryptor.finalize()
    except (InvalidTag, ValueError) as exc:
        raise FileCryptoError("wrong key or altered content") from exc


def is_encrypted(blob: bytes) -> bool:
    return blob[: len(MAGIC)] == MAGIC and len(blob) >= HEADER_BYTES


def encrypt(data_key: bytes, content: bytes) -> bytes:
    nonce, tag, cipher = _seal(data_key, content, MAGIC)
    return MAGIC + nonce + tag + cipher


def decrypt(data_key: bytes, blob: bytes) -> bytes:
    if not is_encrypted(blob):
        raise FileCryptoError("not an encrypted file")
    nonce = blob[len(MAGIC) : len(MAGIC) + NONCE_BYTES]
    tag = blob[len(MAGIC) + NONCE_BYTES : HEADER_BYTES]
    return _open(data_key, nonce, tag, blob[HEADER_BYTES:], MAGIC)


def wrap(master_key: bytes, data_key: bytes) -> tuple[str, bytes]:
    """(key id, wrapped data key) under `master_key`."""
    kid = key_id(master_key)
    nonce, tag, cipher = _seal(master_key, data_key, kid.encode())
    return kid, nonce + tag + cipher


def unwrap(keys: Mapping[str, bytes], kid: str, wrapped: bytes) -> bytes:
    """The data key wrapped under the master key `kid`, looked up in `keys` (id → key)."""
    master = keys.get(kid)
    if master is None:
        raise FileCryptoError(f"master key {kid} is not available")
    if len(wrapped) != WRAPPED_BYTES:
        raise FileCryptoError("malformed wrapped key")
    nonce, tag = wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES : NONCE_BYTES + TAG_BYTES]
    data_key = _open(master, nonce, tag, wrapped[NONCE_BYTES + TAG_BYTES :], kid.encode())
    if len(data_key) != KEY_BYTES:
        raise FileCryptoError("malformed wrapped key")
    return data_key


def rewrap(
    keys: Mapping[str, bytes], kid: str, wrapped: bytes, current: bytes
) -> tuple[str, bytes]:
    """The same data key wrapped under `current` instead (the content stays as it is)."""
    return wrap(current, unwrap(keys, kid, wrapped))

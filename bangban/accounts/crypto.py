"""Encryption of the TOTP secrets at rest: SM4-GCM (GB/T 32907, GB/T 39786) under a key
derived with HKDF-SM3 from the project's SECRET_KEY. Changing SECRET_KEY makes the stored
secrets unreadable: every enrolled user then enrols again (docs/login.md)."""

from __future__ import annotations

import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

_INFO = b"bangban totp secret v1"
_NONCE = 12
_TAG = 16


class SecretUnreadable(Exception):
    """The stored secret does not decrypt (tampered, or SECRET_KEY changed)."""


def _key() -> bytes:
    return HKDF(algorithm=hashes.SM3(), length=16, salt=None, info=_INFO).derive(
        settings.SECRET_KEY.encode()
    )


def encrypt_secret(secret: str) -> str:
    nonce = os.urandom(_NONCE)
    encryptor = Cipher(algorithms.SM4(_key()), modes.GCM(nonce)).encryptor()
    body = encryptor.update(secret.encode()) + encryptor.finalize()
    return "sm4gcm:" + base64.b64encode(nonce + body + encryptor.tag).decode()


def decrypt_secret(stored: str) -> str:
    scheme, _, payload = stored.partition(":")
    if scheme != "sm4gcm":
        raise SecretUnreadable(stored[:10])
    raw = base64.b64decode(payload)
    nonce, body, tag = raw[:_NONCE], raw[_NONCE:-_TAG], raw[-_TAG:]
    decryptor = Cipher(algorithms.SM4(_key()), modes.GCM(nonce, tag)).decryptor()
    try:
        return (decryptor.update(body) + decryptor.finalize()).decode()
    except InvalidTag as exc:
        raise SecretUnreadable("tag") from exc

"""SM4-GCM envelope encryption (bangban.rules.filecrypt): pure functions on bytes."""

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from hypothesis import given
from hypothesis import strategies as st

from bangban.rules import filecrypt

MASTER = bytes.fromhex("00112233445566778899aabbccddeeff")
OTHER = bytes.fromhex("f0e1d2c3b4a5968778695a4b3c2d1e0f")


@given(st.binary(max_size=5000))
def test_encrypt_then_decrypt_gives_the_content_back(content):
    key = filecrypt.new_data_key()
    blob = filecrypt.encrypt(key, content)
    assert filecrypt.is_encrypted(blob)
    assert len(blob) == filecrypt.HEADER_BYTES + len(content)
    assert filecrypt.decrypt(key, blob) == content


def test_the_blob_is_sm4_gcm_as_an_independent_decryptor_reads_it():
    key = filecrypt.new_data_key()
    blob = filecrypt.encrypt(key, b"plain text of a scan")
    nonce, tag, cipher = blob[4:16], blob[16:32], blob[32:]
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(b"BBF1")
    assert decryptor.update(cipher) + decryptor.finalize() == b"plain text of a scan"


def test_a_changed_byte_or_a_wrong_key_is_refused():
    key = filecrypt.new_data_key()
    blob = bytearray(filecrypt.encrypt(key, b"x" * 100))
    blob[40] ^= 1
    with pytest.raises(filecrypt.FileCryptoError):
        filecrypt.decrypt(key, bytes(blob))
    blob[40] ^= 1
    with pytest.raises(filecrypt.FileCryptoError):
        filecrypt.decrypt(filecrypt.new_data_key(), bytes(blob))


def test_wrap_unwrap_and_rewrap():
    data_key = filecrypt.new_data_key()
    kid, wrapped = filecrypt.wrap(MASTER, data_key)
    assert kid == filecrypt.key_id(MASTER) and len(kid) == 16
    assert kid != filecrypt.key_id(OTHER)
    assert len(wrapped) == filecrypt.WRAPPED_BYTES and data_key not in wrapped
    keys = {kid: MASTER}
    assert filecrypt.unwrap(keys, kid, wrapped) == data_key
    new_kid, rewrapped = filecrypt.rewrap(keys, kid, wrapped, OTHER)
    assert new_kid == filecrypt.key_id(OTHER) and rewrapped != wrapped
    assert filecrypt.unwrap({new_kid: OTHER}, new_kid, rewrapped) == data_key
    with pytest.raises(filecrypt.FileCryptoError):  # the old key is not known
        filecrypt.unwrap({new_kid: OTHER}, kid, wrapped)
    with pytest.raises(filecrypt.FileCryptoError):  # a wrapped key bound to another key id
        filecrypt.unwrap({new_kid: MASTER}, new_kid, wrapped)


def test_master_keys_are_32_hex_digits():
    assert filecrypt.parse_master_key(" 0011 2233445566778899aabbccddeeff\n") == MASTER
    for bad in ["", "00112233", "zz112233445566778899aabbccddeeff", "00" * 32]:
        with pytest.raises(ValueError):
            filecrypt.parse_master_key(bad)

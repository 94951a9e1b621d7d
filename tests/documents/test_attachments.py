"""The attachment service: files are encrypted on disk, every read is recorded, keys rotate
without re-encrypting content, legacy plain files are encrypted in place."""

import base64
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from bangban.common.hashing import sm3_hex
from bangban.documents import crypto
from bangban.documents.attachments import (
    attachment_keys_rotate,
    attachment_read,
    attachment_store,
    download_disposition,
)
from bangban.documents.models import Attachment, AttachmentAccess
from bangban.rules import filecrypt, uploads
from tests.projects.factories import AgentFactory

from . import files
from .conftest import KEY_A, KEY_B

pytestmark = pytest.mark.django_db


def store(content: bytes, name="材料.pdf", **kwargs) -> Attachment:
    return attachment_store(
        upload=SimpleUploadedFile(name, content), uploaded_by=kwargs.pop("by", None), **kwargs
    )


def raw(attachment: Attachment) -> bytes:
    with attachment.file.storage.open(attachment.file.name, "rb") as handle:
        return handle.read()


def read(attachment: Attachment, user=None) -> bytes:
    return attachment_read(
        attachment, user=user, address="10.0.0.8", channel="web", commission_pk=None
    )


def test_the_file_on_disk_does_not_hold_the_plain_text(media, master_key):
    content = files.pdf(files.SECRET)
    assert files.SECRET.encode() in content  # the PDF carries it uncompressed
    attachment = store(content)
    on_disk = raw(attachment)
    assert files.SECRET.encode() not in on_disk and b"%PDF" not in on_disk
    assert on_disk.startswith(filecrypt.MAGIC) and len(on_disk) == len(content) + 32
    # the name on disk says nothing either; the real name is in the row
    assert attachment.file.name.endswith(".sm4") and "材料" not in attachment.file.name
    assert attachment.name == "材料.pdf" and attachment.kind == "pdf"
    assert attachment.size == len(content) and attachment.digest == sm3_hex(content)
    assert attachment.key_id == filecrypt.key_id(bytes.fromhex(KEY_A))
    assert list(media.rglob("*.pdf")) == []


def test_a_read_decrypts_and_is_recorded(media, master_key):
    content = files.docx("委托材料正文")
    attachment = store(content, name="说明.docx")
    reader = AgentFactory()
    assert read(attachment, reader) == content
    access = AttachmentAccess.objects.get()
    assert (access.attachment, access.user, access.address, access.channel) == (
        attachment,
        reader,
        "10.0.0.8",
        "web",
    )


def test_an_altered_file_is_refused_and_the_attempt_stays_recorded(media, master_key):
    attachment = store(files.pdf())
    blob = bytearray(raw(attachment))
    blob[-1] ^= 0xFF
    path = attachment.file.path
    with open(path, "wb") as handle:
        handle.write(bytes(blob))
    with pytest.raises(filecrypt.FileCryptoError):
        read(attachment)
    assert AttachmentAccess.objects.count() == 1


def test_rotation_rewraps_the_data_keys_and_leaves_the_content_alone(settings, media, master_key):
    first, second = store(files.pdf()), store(files.image(), name="a.png")
    blobs = {a.pk: raw(a) for a in (first, second)}
    wrapped = {a.pk: a.wrapped_key for a in (first, second)}
    settings.BANGBAN_FILE_MASTER_KEY = KEY_B
    settings.BANGBAN_FILE_OLD_MASTER_KEYS = [KEY_A]
    out = io.StringIO()
    call_command("rotate_file_keys", stdout=out)
    assert "2 个文件" in out.getvalue()
    new_id = filecrypt.key_id(bytes.fromhex(KEY_B))
    for attachment in Attachment.objects.all():
        assert attachment.key_id == new_id
        assert attachment.wrapped_key != wrapped[attachment.pk]
        assert raw(attachment) == blobs[attachment.pk]  # not re-encrypted
    # readable with the new key alone
    settings.BANGBAN_FILE_OLD_MASTER_KEYS = []
    assert read(Attachment.objects.get(pk=first.pk)) == files.pdf()
    assert attachment_keys_rotate() == (0, 0)  # nothing left to move


def test_rotation_without_the_old_key_changes_nothing_and_names_the_key(
    settings, media, master_key
):
    attachment = store(files.pdf())
    settings.BANGBAN_FILE_MASTER_KEY = KEY_B
    with pytest.raises(CommandError) as info:
        call_command("rotate_file_keys", stdout=io.StringIO())
    assert attachment.key_id in str(info.value)
    assert Attachment.objects.get().wrapped_key == attachment.wrapped_key


def test_an_oversize_upload_is_refused_before_its_content_is_read(media, master_key):
    class Unread(io.BytesIO):
        def read(self, *args):
            raise AssertionError("read")

    upload = SimpleUploadedFile("big.pdf", b"")
    upload.file = Unread()
    upload.size = uploads.MAX_UPLOAD_BYTES + 1
    with pytest.raises(ValidationError) as info:
        attachment_store(upload=upload, uploaded_by=None, field="scan")
    assert info.value.message_dict == {"scan": ["文件过大（10.0 MB），不能超过 10 MB。"]}
    assert not Attachment.objects.exists()


def test_the_service_refuses_a_polyglot_and_a_fake_docx(media, master_key):
    with pytest.raises(ValidationError) as info:
        store(files.polyglot_pdf())
    assert info.value.message_dict == {"file": [uploads.MESSAGES["polyglot"]]}
    with pytest.raises(ValidationError):
        store(files.zip_of({"word/document.xml": b"<w:document/>"}), name="合同.docx")
    assert not Attachment.objects.exists()


def test_a_request_over_the_limit_answers_413_before_the_body_is_read(db):
    answer = Client().generic(
        "POST",
        "/api/v1/commissions/1/signed-scan/",
        data=b"x",
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(uploads.MAX_UPLOAD_BYTES + 2 * 1024 * 1024),
    )
    assert answer.status_code == 413
    assert answer.json() == {"detail": "上传的文件过大：单个文件不能超过 10 MB。"}


def test_downloads_are_attachments_with_the_real_name_in_rfc5987_form():
    assert download_disposition("签字件.pdf", "pdf") == (
        "attachment; filename=\"file.pdf\"; filename*=UTF-8''%E7%AD%BE%E5%AD%97%E4%BB%B6.pdf"
    )
    assert download_disposition("scan_2.png", "png") == (
        "attachment; filename=\"scan_2.png\"; filename*=UTF-8''scan_2.png"
    )


def test_legacy_plain_files_are_encrypted_in_place(
    media, master_key, django_capture_on_commit_callbacks
):
    content = files.pdf()
    legacy = Attachment(name="旧.pdf", kind="pdf", size=len(content), digest=sm3_hex(content))
    legacy.file.save("old-plain.pdf", ContentFile(content), save=False)
    legacy.save()
    old_name = legacy.file.name
    assert read(legacy) == content  # still readable before
    with django_capture_on_commit_callbacks(execute=True):
        assert crypto.encrypt_plain_rows(Attachment.objects.all()) == 1
    legacy.refresh_from_db()
    assert legacy.is_encrypted and files.SECRET.encode() not in raw(legacy)
    assert not legacy.file.storage.exists(old_name)  # the plain copy is gone
    assert read(legacy) == content
    assert base64.b64decode(legacy.wrapped_key) and legacy.digest == sm3_hex(content)

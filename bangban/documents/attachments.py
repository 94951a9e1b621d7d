"""The one attachment service: store an uploaded file, read a stored one, serve it.

Storing: the declared size is checked before the content is read, the type by parsing
(:mod:`bangban.rules.uploads`), the name is sanitised, the SM3 digest of the content is kept,
and the content is encrypted (SM4-GCM, :mod:`bangban.documents.crypto`) under a random name.

Reading: :func:`attachment_read` decrypts and writes an :class:`AttachmentAccess` (who, when,
from where, which file, for which commission) in its own transaction — every read is recorded,
the enterprise's commission page lists them (:func:`attachment_accesses_for_commission`).
:func:`attachment_response` is the download a view returns: ``Content-Disposition:
attachment`` (RFC 6266/5987 ``filename*``), ``nosniff``, the content type of its parsed kind.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpResponse

from bangban.common.hashing import sm3_hex
from bangban.rules import uploads
from bangban.rules.filecrypt import FileCryptoError

from . import crypto
from .models import Attachment, AttachmentAccess

#: The content type a stored file is served with, by its kind (decided by parsing its content).
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
}

#: How much of a read's ``subject`` is kept (the column's length).
SUBJECT_LENGTH = AttachmentAccess._meta.get_field("subject").max_length


def attachment_store(
    *,
    upload,
    uploaded_by,
    purpose: str = "",
    field: str = "file",
    kinds: tuple[str, ...] = uploads.DOCUMENT_KINDS,
) -> Attachment:
    """Check and store `upload` encrypted; a bad file is a ValidationError on `field` (Chinese)."""
    problem = uploads.size_problem(getattr(upload, "size", None))  # before reading a byte
    if problem:
        raise ValidationError({field: problem})
    content = uploads.read_upload(upload)
    verdict = uploads.inspect(content, kinds=kinds)
    problem = uploads.size_problem(len(content)) or verdict.problem
    if problem:
        raise ValidationError({field: problem})
    blob, key_id, wrapped_key = crypto.seal(content)
    attachment = Attachment(
        name=uploads.safe_filename(getattr(upload, "name", "") or "file", kind=verdict.kind),
        kind=verdict.kind,
        size=len(content),
        digest=sm3_hex(content),
        purpose=purpose[:60],
        uploaded_by=uploaded_by,
        key_id=key_id,
        wrapped_key=wrapped_key,
    )
    attachment.file.save(crypto.stored_name(), ContentFile(blob), save=False)
    attachment.save()
    return attachment


def download_disposition(name: str, kind: str) -> str:
    """``attachment`` with an ASCII ``filename`` for old clients and the real name as RFC 5987
    ``filename*`` (UTF-8, percent-encoded): 「签字件.pdf」 stays 「签字件.pdf」 when saved."""
    fallback = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "file"
    if not fallback.lower().endswith(f".{kind}"):
        fallback = f"file.{kind}"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def client_address(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def attachment_read(
    attachment: Attachment,
    *,
    user,
    address: str | None,
    channel: str,
    commission_pk: int | None,
    subject: str = "",
) -> bytes:
    """The content of `attachment`, decrypted; the read is recorded first (its own transaction,
    so a failed decryption still leaves the attempt on record)."""
    with transaction.atomic():
        AttachmentAccess.objects.create(
            attachment=attachment,
            user=user if getattr(user, "is_authenticated", False) else None,
            address=address,
            channel=channel,
            commission_pk=commission_pk,
            subject=(subject or attachment.purpose)[:SUBJECT_LENGTH],
        )
    with attachment.file.open("rb") as handle:
        blob = handle.read()
    return crypto.open_blob(key_id=attachment.key_id, wrapped_key=attachment.wrapped_key, blob=blob)


def attachment_response(
    request,
    attachment: Attachment,
    *,
    commission_pk: int | None,
    subject: str = "",
    channel: str = AttachmentAccess.Channel.WEB,
) -> HttpResponse:
    """The download of `attachment` for `request.user` (the caller has checked that the user may
    see the object it belongs to), recorded as a read."""
    content = attachment_read(
        attachment,
        user=request.user,
        address=client_address(request),
        channel=channel,
        commission_pk=commission_pk,
        subject=subject,
    )
    response = HttpResponse(
        content, content_type=CONTENT_TYPES.get(attachment.kind, "application/octet-stream")
    )
    response["Content-Disposition"] = download_disposition(attachment.name, attachment.kind)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def attachment_keys_rotate() -> tuple[int, int]:
    """Re-wrap every file's data key under the current master key; the content is not touched.

    Returns (re-wrapped, still plain). Every key must be available (the current one or one of
    BANGBAN_FILE_OLD_MASTER_KEYS); otherwise nothing changes and the missing key ids are named.
    One transaction: all keys move or none."""
    keys = crypto.keyring()
    stale = Attachment.objects.exclude(key_id="").exclude(key_id=keys.current_id)
    missing = sorted(
        set(stale.exclude(key_id__in=list(keys.by_id)).values_list("key_id", flat=True))
    )
    if missing:
        raise ValidationError(
            f"缺少主密钥 {'、'.join(missing)}：请在 BANGBAN_FILE_OLD_MASTER_KEYS 中提供，未做任何修改。"
        )
    with transaction.atomic():
        rows = list(stale.select_for_update().only("id", "key_id", "wrapped_key"))
        for row in rows:
            try:
                row.key_id, row.wrapped_key = crypto.rewrap(row.key_id, row.wrapped_key, keys)
            except (FileCryptoError, ValueError) as exc:
                raise ValidationError(
                    f"附件 {row.pk} 的数据密钥无法解开（已损坏或被改动），未做任何修改。"
                ) from exc
        Attachment.objects.bulk_update(rows, ["key_id", "wrapped_key"], batch_size=500)
    return len(rows), Attachment.objects.filter(key_id="").count()


def attachment_accesses_for_commission(commission_pk: int, *, limit: int = 200) -> list:
    """The reads of the files of one commission, newest first (one query)."""
    return list(
        AttachmentAccess.objects.filter(commission_pk=commission_pk)
        .select_related("user", "attachment")
        .order_by("-at", "-id")[:limit]
    )

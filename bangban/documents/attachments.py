"""The one attachment service: store an uploaded file, open a stored one.

Size and type are checked by content (:mod:`bangban.rules.uploads`), the name is sanitised,
the SM3 digest of the content is kept. Callers pass Django's uploaded file objects.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from bangban.common.hashing import sm3_hex
from bangban.rules import uploads

from .models import Attachment

#: The content type a stored file is served with, by its kind (sniffed from its content).
CONTENT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}


def attachment_store(*, upload, uploaded_by, purpose: str = "", field: str = "file") -> Attachment:
    """Check and store `upload`; a bad file is a ValidationError on `field` (Chinese)."""
    problem = uploads.check_upload(upload)
    if problem:
        raise ValidationError({field: problem})
    upload.seek(0)
    content = upload.read()
    kind = uploads.sniff(content[:16]) or "bin"
    name = uploads.safe_filename(getattr(upload, "name", "") or "file", kind=kind)
    attachment = Attachment(
        name=name,
        kind=kind,
        size=len(content),
        digest=sm3_hex(content),
        purpose=purpose[:60],
        uploaded_by=uploaded_by,
    )
    attachment.file.save(name, ContentFile(content), save=False)
    attachment.save()
    return attachment


def attachment_read(attachment: Attachment) -> bytes:
    """The stored content (the security issue logs the read and decrypts here)."""
    with attachment.file.open("rb") as handle:
        return handle.read()

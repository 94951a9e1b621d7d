"""Checks for uploaded files (SPEC §8: size limit, type checked by content, names sanitised).

Pure functions over a file-like object and a name; no Django import.
"""

from __future__ import annotations

import os
import re
import unicodedata

MAX_UPLOAD_BYTES = 10 * 1024 * 1024

#: What a file must start with, by the extension it will be stored under.
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "jpg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}
_ALIASES = {"jpeg": "jpg"}


def sniff(head: bytes) -> str | None:
    """The kind (pdf/jpg/png) whose magic bytes `head` starts with, else None."""
    for kind, signatures in SIGNATURES.items():
        if any(head.startswith(sig) for sig in signatures):
            return kind
    return None


def check_upload(upload) -> str | None:
    """None when `upload` is a PDF, JPEG or PNG of at most 10 MB; otherwise a Chinese message.

    The content decides, not the name or the browser's content type.
    """
    size = getattr(upload, "size", None)
    if size is None:
        return None  # an already stored file: checked when it was uploaded
    if size > MAX_UPLOAD_BYTES:
        return f"文件过大（{size / 1024 / 1024:.1f} MB），不能超过 10 MB。"
    if size == 0:
        return "文件是空的。"
    position = upload.tell() if hasattr(upload, "tell") else None
    try:
        upload.seek(0)
        head = upload.read(16)
    finally:
        if position is not None:
            upload.seek(position)
    if isinstance(head, str):
        head = head.encode("latin-1", "replace")
    if sniff(head) is None:
        return "只能上传 PDF、JPEG 或 PNG 文件（按文件内容判断）。"
    return None


_UNSAFE = re.compile(r"[^\w.\-\u4e00-\u9fff]+")


def safe_filename(name: str, *, kind: str | None = None, max_length: int = 80) -> str:
    """A file name without directories, control characters or shell-special characters.

    Keeps letters, digits, CJK, dot, dash and underscore; the extension is lower-cased (and
    replaced by `kind` when given, so the stored name matches the content).
    """
    name = unicodedata.normalize("NFKC", os.path.basename((name or "").replace("\\", "/")))
    stem, _, ext = name.rpartition(".")
    if not stem:
        stem, ext = ext, ""
    ext = (kind or _ALIASES.get(ext.lower(), ext.lower()))[:8]
    stem = _UNSAFE.sub("_", stem).strip("._-") or "file"
    stem = stem[: max_length - len(ext) - 1]
    return f"{stem}.{ext}" if ext else stem

"""Checks for uploaded files (SPEC §8: size limit, type checked by parsing, names sanitised).

Pure functions over bytes, a file-like object and a name; no Django import.

* The size is checked first, from the upload's declared ``size`` (the request's own
  Content-Length is refused earlier by ``bangban.documents.middleware``), before any byte of the
  content is read.
* The type is decided by *parsing* the content, never by the name or the browser's content
  type: a PDF must have its header, a cross-reference (``startxref`` pointing at ``xref`` … or an
  xref stream) and ``%%EOF``; a JPEG or PNG must open and verify in Pillow; a Word or Excel file
  must be an OOXML package whose ``[Content_Types].xml`` declares its main part (no macros); a ZIP
  may hold only such files (no archive inside, member count and total unpacked size bounded,
  every member read with a budget, so a zip bomb stops at the budget).
* A file whose first bytes carry HTML or script markers (``<html``, ``<script`` …) is refused
  whatever it claims to be: a PDF+HTML polyglot would otherwise be rendered as a page.

:func:`inspect` is the parser: for *any* bytes it returns an :class:`UploadCheck` — a kind, or
one of the Chinese messages of :data:`MESSAGES` — and raises nothing else.
"""

from __future__ import annotations

import io
import os
import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
#: A ZIP (or an Office file, itself a ZIP) may unpack to at most this much, all members together.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_ARCHIVE_MEMBERS = 200
#: An image may have at most this many pixels (a 600 dpi A3 scan has about 70 million).
MAX_IMAGE_PIXELS = 80_000_000
#: How far into a file HTML or script markers are looked for (browsers sniff the first 1445 bytes).
POLYGLOT_WINDOW = 4096

#: What a file must start with to be parsed as a kind (the parser then decides).
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "jpg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "zip": (b"PK\x03\x04",),
}
_ALIASES = {"jpeg": "jpg"}

#: Signed scans (letters, slips): a PDF or an image.
SCAN_KINDS: tuple[str, ...] = ("pdf", "jpg", "png")
#: Materials and result documents: also Word, Excel and a ZIP of any of these.
DOCUMENT_KINDS: tuple[str, ...] = ("pdf", "jpg", "png", "docx", "xlsx", "zip")
KIND_LABELS = {
    "pdf": "PDF",
    "jpg": "JPEG",
    "png": "PNG",
    "docx": "Word（docx）",
    "xlsx": "Excel（xlsx）",
    "zip": "ZIP 压缩包",
}

MESSAGES = {
    "too_large": "文件过大（{size:.1f} MB），不能超过 {limit} MB。",
    "empty": "文件是空的。",
    "kind": "只能上传 {kinds} 文件（按文件内容判断）。",
    "polyglot": "文件中含有网页或脚本代码，不能上传。",
    "pdf": "PDF 文件不完整或已损坏（缺少文件头、交叉引用表或结束标记），请重新扫描或导出。",
    "image": "图片文件已损坏或无法识别，请重新扫描或导出。",
    "image_too_large": "图片像素过多（超过 {limit} 万像素），请降低扫描分辨率。",
    "office": "Word/Excel 文件已损坏或不是 docx/xlsx 格式（请另存为 .docx 或 .xlsx）。",
    "macro": "不能上传含宏的 Office 文件（请另存为 .docx 或 .xlsx）。",
    "zip": "压缩包已损坏或无法读取。",
    "zip_encrypted": "压缩包设有密码，不能上传。",
    "zip_nested": "压缩包中不能再含压缩包。",
    "zip_too_large": "压缩包解压后过大（超过 {limit} MB）或文件过多（超过 {count} 个）。",
    "zip_member": "压缩包中的「{name}」不符合要求：{problem}",
}

_HTML_MARKERS = (
    b"<!doctype",
    b"<html",
    b"<head",
    b"<body",
    b"<script",
    b"<iframe",
    b"<svg",
    b"<object",
    b"<embed",
    b"<meta",
)
_WORD_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_EXCEL_MAIN = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_PDF_HEADER = re.compile(rb"%PDF-[12]\.\d")
_STARTXREF = re.compile(rb"startxref\s+(\d{1,12})\s+%%EOF\s*\Z")
_XREF_STREAM = re.compile(rb"\s*\d{1,10}\s+\d{1,5}\s+obj\b")


@dataclass(frozen=True)
class UploadCheck:
    """The parser's verdict: `kind` when the content is acceptable, else a Chinese `problem`."""

    kind: str | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def _refuse(key: str, **values) -> UploadCheck:
    return UploadCheck(problem=MESSAGES[key].format(**values))


def kinds_message(kinds: tuple[str, ...]) -> str:
    labels = [KIND_LABELS[kind] for kind in kinds]
    joined = labels[0] if len(labels) == 1 else "、".join(labels[:-1]) + " 或 " + labels[-1]
    return MESSAGES["kind"].format(kinds=joined)


def sniff(head: bytes) -> str | None:
    """The family (pdf/jpg/png/zip) whose magic bytes `head` starts with, else None (a hint only:
    :func:`inspect` decides)."""
    for kind, signatures in SIGNATURES.items():
        if any(head.startswith(sig) for sig in signatures):
            return kind
    return None


def is_polyglot(content: bytes) -> bool:
    head = content[:POLYGLOT_WINDOW].lower()
    return any(marker in head for marker in _HTML_MARKERS)


def inspect(content: bytes, *, kinds: tuple[str, ...] = DOCUMENT_KINDS) -> UploadCheck:
    """Parse `content` and say which of `kinds` it is, or why it is refused. Never raises."""
    try:
        return _inspect(bytes(content), kinds=kinds, budget=[MAX_UNPACKED_BYTES], nested=False)
    except Exception:  # noqa: BLE001 — a parser library's surprise is a damaged file, not a 500
        return _refuse("zip" if bytes(content[:4]) == b"PK\x03\x04" else "image")


def _inspect(content: bytes, *, kinds, budget: list[int], nested: bool) -> UploadCheck:
    if not content:
        return _refuse("empty")
    if is_polyglot(content):
        return _refuse("polyglot")
    family = sniff(content[:16])
    if family == "zip" and not {"docx", "xlsx", "zip"} & set(kinds):
        return UploadCheck(problem=kinds_message(kinds))
    if family == "zip":
        result = _inspect_zip(content, kinds=kinds, budget=budget, nested=nested)
    elif family is None or family not in kinds:
        return UploadCheck(problem=kinds_message(kinds))
    elif family == "pdf":
        result = UploadCheck(kind="pdf") if _pdf_parses(content) else _refuse("pdf")
    else:
        result = _inspect_image(content, family)
    if result.kind is not None and result.kind not in kinds:
        return UploadCheck(problem=kinds_message(kinds))
    return result


def _pdf_parses(content: bytes) -> bool:
    """Header at the start; the file ends with ``startxref N %%EOF``; N points inside the file at
    a cross-reference table (``xref`` … ``trailer``) or a cross-reference stream object."""
    if not _PDF_HEADER.match(content):
        return False
    tail = content[-2048:]
    match = _STARTXREF.search(tail)
    if match is None:
        return False
    offset = int(match.group(1))
    end = len(content) - len(tail) + match.start()
    if not 0 < offset < end:
        return False
    at = content[offset:end]
    if at.lstrip().startswith(b"xref"):
        return b"trailer" in at
    head = _XREF_STREAM.match(at)
    return head is not None and b"/XRef" in at[: head.end() + 1024]


def _inspect_image(content: bytes, family: str) -> UploadCheck:
    from PIL import Image  # Pillow: only here, so importing the rules stays light

    expected = {"jpg": "JPEG", "png": "PNG"}[family]
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(content), formats=[expected]) as image:
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    return _refuse("image_too_large", limit=MAX_IMAGE_PIXELS // 10_000)
                image.verify()
            with Image.open(io.BytesIO(content), formats=[expected]) as image:
                image.load()  # decode it all: a truncated or garbled image fails here
        except Exception:  # noqa: BLE001 — Pillow raises many types for bad input
            return _refuse("image")
    return UploadCheck(kind=family)


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: list[int]) -> bytes:
    """The member's bytes, read in chunks against the shared budget (declared sizes may lie)."""
    chunks = []
    with archive.open(info) as handle:
        while True:
            chunk = handle.read(64 * 1024)
            if not chunk:
                break
            budget[0] -= len(chunk)
            if budget[0] < 0:
                raise _OverBudget
            chunks.append(chunk)
    return b"".join(chunks)


class _OverBudget(Exception):
    pass


def _too_large() -> UploadCheck:
    return _refuse(
        "zip_too_large", limit=MAX_UNPACKED_BYTES // 1024 // 1024, count=MAX_ARCHIVE_MEMBERS
    )


def _inspect_zip(content: bytes, *, kinds, budget: list[int], nested: bool) -> UploadCheck:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        infos = archive.infolist()
    except Exception:  # noqa: BLE001
        return _refuse("zip")
    if len(infos) > MAX_ARCHIVE_MEMBERS or sum(i.file_size for i in infos) > budget[0]:
        return _too_large()
    if any(info.flag_bits & 0x1 for info in infos):
        return _refuse("zip_encrypted")
    names = {info.filename for info in infos}
    try:
        if "[Content_Types].xml" in names:
            return _inspect_ooxml(archive, infos, names, budget)
        if nested:
            return _refuse("zip_nested")
        if "zip" not in kinds:
            return UploadCheck(problem=kinds_message(kinds))
        member_kinds = tuple(kind for kind in kinds if kind != "zip")
        files = [info for info in infos if not info.is_dir()]
        if not files:
            return _refuse("zip")
        for info in files:
            data = _read_member(archive, info, budget)
            verdict = _inspect(data, kinds=member_kinds, budget=budget, nested=True)
            if not verdict.ok:
                name = "/".join(safe_filename(p) for p in info.filename.split("/") if p)
                return _refuse("zip_member", name=name[:100], problem=verdict.problem)
    except _OverBudget:
        return _too_large()
    except Exception:  # noqa: BLE001 — bad CRC, unsupported compression, truncated data
        return _refuse("zip")
    return UploadCheck(kind="zip")


def _inspect_ooxml(archive, infos, names: set[str], budget: list[int]) -> UploadCheck:
    lowered = {name.lower() for name in names}
    if any(name.endswith("vbaproject.bin") for name in lowered):
        return _refuse("macro")
    types = b""
    for info in infos:  # read every part: a damaged one fails its CRC here
        data = _read_member(archive, info, budget)
        if info.filename == "[Content_Types].xml":
            types = data
    if b"macroEnabled" in types or b"vbaProject" in types:
        return _refuse("macro")
    if _WORD_MAIN in types and "word/document.xml" in names:
        return UploadCheck(kind="docx")
    if _EXCEL_MAIN in types and "xl/workbook.xml" in names:
        return UploadCheck(kind="xlsx")
    return _refuse("office")


def size_problem(size: int | None) -> str | None:
    """The Chinese message for a declared size over the limit (or empty), else None."""
    if size is None:
        return None
    if size > MAX_UPLOAD_BYTES:
        return MESSAGES["too_large"].format(
            size=size / 1024 / 1024, limit=MAX_UPLOAD_BYTES // 1024 // 1024
        )
    if size == 0:
        return MESSAGES["empty"]
    return None


def read_upload(upload) -> bytes:
    """All of `upload` (at most the limit plus one byte), from its start; the position is kept."""
    position = upload.tell() if hasattr(upload, "tell") else None
    try:
        upload.seek(0)
        content = upload.read(MAX_UPLOAD_BYTES + 1)
    finally:
        if position is not None:
            upload.seek(position)
    if isinstance(content, str):
        content = content.encode("utf-8")
    return content


def check_upload(upload, *, kinds: tuple[str, ...] = SCAN_KINDS) -> str | None:
    """None when `upload` is one of `kinds` (by parsing) within the size limit; else a Chinese
    message. The declared size is checked before a byte is read."""
    size = getattr(upload, "size", None)
    if size is None:
        return None  # an already stored file: checked when it was uploaded
    problem = size_problem(size)
    if problem:
        return problem
    content = read_upload(upload)
    problem = size_problem(len(content))  # the declared size may have lied
    return problem or inspect(content, kinds=kinds).problem


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
    ext = _UNSAFE.sub("", ext)
    stem = _UNSAFE.sub("_", stem).strip("._-") or "file"
    stem = stem[: max_length - len(ext) - 1]
    return f"{stem}.{ext}" if ext else stem

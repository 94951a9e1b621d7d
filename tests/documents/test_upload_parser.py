"""The upload parser (bangban.rules.uploads): the type is decided by parsing, not by magic bytes;
polyglots, fakes, macros and zip bombs are refused; arbitrary bytes never make it raise."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bangban.rules import uploads

from . import files

ALL = uploads.DOCUMENT_KINDS


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (files.HAND_PDF, "pdf"),
        (files.pdf(), "pdf"),
        (files.image("PNG"), "png"),
        (files.image("JPEG"), "jpg"),
        (files.docx(), "docx"),
        (files.xlsx(), "xlsx"),
        (files.zip_of({"申请表.pdf": files.pdf(), "图纸.png": files.image()}), "zip"),
        (files.zip_of({"a.docx": files.docx(), "b.xlsx": files.xlsx()}), "zip"),
    ],
)
def test_real_files_of_each_kind_are_accepted(content, kind):
    assert uploads.inspect(content, kinds=ALL) == uploads.UploadCheck(kind=kind)


def test_a_pdf_html_polyglot_is_refused_though_it_starts_with_the_pdf_magic():
    polyglot = files.polyglot_pdf()
    assert polyglot.startswith(b"%PDF-")
    assert uploads.sniff(polyglot[:16]) == "pdf"  # what the old check looked at
    verdict = uploads.inspect(polyglot)
    assert verdict.kind is None and verdict.problem == uploads.MESSAGES["polyglot"]


@pytest.mark.parametrize("marker", [b"<script>", b"<HTML>", b"<!DOCTYPE html>", b"<svg onload=x>"])
def test_html_markers_near_the_start_of_an_image_are_refused(marker):
    png = files.image()
    assert uploads.inspect(png[:33] + marker + png[33:]).problem == uploads.MESSAGES["polyglot"]


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n",  # magic and end marker, no xref
        files.pdf()[:-40],  # truncated: no startxref / %%EOF
        files.pdf().replace(b"startxref\n", b"startxref\n9999"),  # offset past the end
        files.HAND_PDF.replace(b"startxref\n43", b"startxref\n10"),  # offset not at an xref
        b"%PDF-1.7\n" + b"\x00" * 100,
    ],
)
def test_a_pdf_that_does_not_parse_is_refused(content):
    assert uploads.inspect(content).problem == uploads.MESSAGES["pdf"]


def test_a_pdf_with_an_xref_stream_is_accepted():
    head = b"%PDF-1.5\n"
    xref_obj = b"7 0 obj\n<< /Type /XRef /Size 8 /W [1 2 1] /Root 1 0 R /Length 0 >>\nstream\n\nendstream\nendobj\n"
    content = head + xref_obj + f"startxref\n{len(head)}\n%%EOF\n".encode()
    assert uploads.inspect(content).kind == "pdf"


def test_a_zip_renamed_to_docx_is_refused():
    fake = files.zip_of({"word/document.xml": b"<w:document/>", "notes.txt": b"hello"})
    assert uploads.inspect(fake, kinds=("docx",)).problem == uploads.kinds_message(("docx",))
    # and as any document: a zip of loose XML and text is not a zip of documents
    assert uploads.inspect(fake).problem.startswith("压缩包中的「word/document.xml」不符合要求")


def test_a_docx_without_its_main_part_is_refused():
    real = zipfile.ZipFile(io.BytesIO(files.docx()))
    parts = {n: real.read(n) for n in real.namelist() if n != "word/document.xml"}
    assert uploads.inspect(files.zip_of(parts)).problem == uploads.MESSAGES["office"]


def test_a_macro_enabled_office_file_is_refused():
    real = zipfile.ZipFile(io.BytesIO(files.docx()))
    parts = {n: real.read(n) for n in real.namelist()} | {"word/vbaProject.bin": b"\x00" * 64}
    assert uploads.inspect(files.zip_of(parts)).problem == uploads.MESSAGES["macro"]


def test_a_zip_inside_a_zip_is_refused():
    inner = files.zip_of({"a.pdf": files.pdf()})
    assert uploads.inspect(files.zip_of({"inner.zip": inner})).problem.endswith(
        uploads.MESSAGES["zip_nested"]
    )


def test_a_zip_bomb_stops_at_the_unpacked_budget():
    # 60 MB of zeros deflates to about 60 KB: the declared size is over the budget
    bomb = files.zip_of({"a.pdf": b"\x00" * (uploads.MAX_UNPACKED_BYTES + 10_000_000)})
    assert len(bomb) < 200_000
    assert uploads.inspect(bomb).problem == uploads._too_large().problem


def test_a_zip_that_lies_about_its_sizes_still_stops_at_the_budget(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_UNPACKED_BYTES", 100_000)
    body = files.zip_of({"a.pdf": files.pdf() + b"\x00" * 200_000})
    # forge the declared uncompressed size (local header and central directory) to 10 bytes
    archive = zipfile.ZipFile(io.BytesIO(body))
    declared = archive.infolist()[0].file_size.to_bytes(4, "little")
    forged = body.replace(declared, (10).to_bytes(4, "little"))
    assert zipfile.ZipFile(io.BytesIO(forged)).infolist()[0].file_size == 10
    assert not uploads.inspect(forged).ok


def test_too_many_members_are_refused():
    many = files.zip_of({f"{n}.png": b"x" for n in range(uploads.MAX_ARCHIVE_MEMBERS + 1)})
    assert uploads.inspect(many).problem == uploads._too_large().problem


def test_a_password_protected_zip_is_refused():
    body = bytearray(files.zip_of({"a.pdf": files.pdf()}, compression=zipfile.ZIP_STORED))
    # set the "encrypted" flag bit in the local header (offset 6) and the central directory
    body[6] |= 0x1
    central = body.rfind(b"PK\x01\x02")
    body[central + 8] |= 0x1
    assert uploads.inspect(bytes(body)).problem == uploads.MESSAGES["zip_encrypted"]


def test_a_damaged_image_is_refused():
    png = files.image()
    assert uploads.inspect(png[: len(png) // 2]).problem == uploads.MESSAGES["image"]
    assert uploads.inspect(b"\x89PNG\r\n\x1a\n" + b"\x00" * 32).problem == uploads.MESSAGES["image"]


def test_scans_accept_only_pdf_and_images():
    message = "只能上传 PDF、JPEG 或 PNG 文件（按文件内容判断）。"
    assert uploads.kinds_message(uploads.SCAN_KINDS) == message
    assert uploads.inspect(files.docx(), kinds=uploads.SCAN_KINDS).problem == message
    assert uploads.inspect(b"MZ\x90\x00 an exe", kinds=uploads.SCAN_KINDS).problem == message


class Unreadable(io.BytesIO):
    def read(self, *args):
        raise AssertionError("the content was read")


def test_the_declared_size_is_refused_before_a_byte_is_read():
    upload = SimpleUploadedFile("big.pdf", b"")
    upload.file = Unreadable()
    upload.size = uploads.MAX_UPLOAD_BYTES + 1
    assert uploads.check_upload(upload) == "文件过大（10.0 MB），不能超过 10 MB。"


def test_names_are_sanitised():
    assert uploads.safe_filename("../../etc/签字 件;rm.PDF") == "签字_件_rm.pdf"
    assert uploads.safe_filename("C:\\temp\\合同 (1).JPEG") == "合同_1.jpg"
    assert uploads.safe_filename("x.exe", kind="pdf") == "x.pdf"
    assert uploads.safe_filename("a.p<d>f") == "a.pdf"


# --- fuzzing: the parser's only answers are a kind or one of its messages -------------------

KNOWN_PROBLEMS = {message for key, message in uploads.MESSAGES.items() if "{" not in message}


def documented(verdict) -> bool:
    if verdict.kind is not None:
        return verdict.problem is None and verdict.kind in ALL
    problem = verdict.problem or ""
    return (
        problem in KNOWN_PROBLEMS
        or problem == uploads.kinds_message(ALL)
        or problem == uploads._too_large().problem
        or problem.startswith("压缩包中的「")
        or problem.startswith("图片像素过多")
    )


SEEDS = [files.HAND_PDF, files.pdf(), files.image(), files.image("JPEG"), files.docx()]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4096))
def test_arbitrary_bytes_give_a_documented_answer(content):
    assert documented(uploads.inspect(content))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(SEEDS),
    st.integers(min_value=0, max_value=10_000),
    st.binary(min_size=1, max_size=64),
    st.booleans(),
)
def test_damaged_real_files_give_a_documented_answer(seed, at, patch, cut):
    at %= len(seed)
    content = seed[:at] if cut else seed[:at] + patch + seed[at + len(patch) :]
    assert documented(uploads.inspect(content))

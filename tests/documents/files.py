"""Real small files of every accepted kind (made by the libraries that write them, not by the
parser under test), and the hostile ones the parser must refuse."""

from __future__ import annotations

import io
import zipfile

#: A PDF written out by hand: header, one object, a classic xref table (offsets counted by
#: hand: object 1 starts at byte 9), trailer, startxref and %%EOF.
HAND_PDF = (
    b"%PDF-1.4\n"  # 9 bytes
    b"1 0 obj<< /Type /Catalog >>endobj\n"  # 34 bytes: 9 .. 42, so xref starts at 43
    b"xref\n0 2\n0000000000 65535 f \n0000000009 00000 n \n"
    b"trailer<< /Size 2 /Root 1 0 R >>\n"
    b"startxref\n43\n%%EOF\n"
)
SECRET = "TOP-SECRET-BANGBAN-7f3a"


def pdf(text: str = SECRET) -> bytes:
    from bangban.documents.pdf import simple_pdf

    return simple_pdf(text)


def image(fmt: str = "PNG", size=(32, 24)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format=fmt)
    return out.getvalue()


def docx(text: str = "委托材料") -> bytes:
    import docx as python_docx

    document = python_docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.active["A1"] = "材料清单"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_of(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def polyglot_pdf() -> bytes:
    """A file that starts as a PDF and also renders as a page with a script."""
    body = pdf()
    return (
        body[:9] + b"<html><body><script>alert(document.cookie)</script></body></html>\n" + body[9:]
    )

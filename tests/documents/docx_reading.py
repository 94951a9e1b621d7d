"""Reading generated .docx bytes back in tests: all text, table rows, the fonts of runs."""

from __future__ import annotations

import io
from collections.abc import Iterator

import docx
from docx.document import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run

CJK_FONTS = {"宋体", "仿宋", "黑体"}


def open_docx(data: bytes) -> Document:
    assert isinstance(data, bytes) and data[:2] == b"PK", "not a .docx (zip) file"
    return docx.Document(io.BytesIO(data))


def _table_paragraphs(table: Table, seen: set[int]) -> Iterator[Paragraph]:
    for row in table.rows:
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell is returned once per grid column
                continue
            seen.add(id(cell._tc))
            yield from cell.paragraphs
            for inner in cell.tables:
                yield from _table_paragraphs(inner, seen)


def paragraphs(document: Document) -> list[Paragraph]:
    """Every paragraph of the body, in the body's paragraphs and in table cells."""
    found: list[Paragraph] = list(document.paragraphs)
    seen: set[int] = set()
    for table in document.tables:
        found.extend(_table_paragraphs(table, seen))
    return found


def all_text(document: Document) -> str:
    """The text of every body paragraph and table cell, one paragraph a line."""
    return "\n".join(paragraph.text for paragraph in paragraphs(document))


def table_rows(document: Document) -> list[list[str]]:
    """Each row of each body table as the texts of its distinct cells."""
    rows = []
    for table in document.tables:
        for row in table.rows:
            cells, seen = [], set()
            for cell in row.cells:
                if id(cell._tc) not in seen:
                    seen.add(id(cell._tc))
                    cells.append(cell.text)
            rows.append(cells)
    return rows


def text_runs(document: Document) -> list[Run]:
    return [run for paragraph in paragraphs(document) for run in paragraph.runs if run.text]


def east_asia_font(run: Run) -> str | None:
    r_pr = run._element.rPr
    if r_pr is None or r_pr.rFonts is None:
        return None
    return r_pr.rFonts.get(qn("w:eastAsia"))

"""The base every form is built on: an A4 Word document with Chinese fonts (python-docx only).

- Page: A4 portrait, margins 25/22/28/26 mm (top/bottom/left/right), the centre's name in
  the header over a rule, "第 X 页 共 Y 页" in the footer.
- Fonts: every run names its East Asian font explicitly (``w:eastAsia``) with the
  ``eastAsia`` hint, so Word and LibreOffice show CJK text (and the Chinese quotation marks
  “”) in 宋体 / 仿宋 / 黑体 whatever the document defaults say; Latin letters and digits use
  Times New Roman. The document defaults carry the same fonts and the zh-CN language, with
  the template's theme fonts removed (a theme font would win over the named one).
- Form tables: fixed layout, widths in millimetres, borders drawn explicitly (a heavier
  outer frame), cells spanning columns (:class:`C`) and label cells merged down rows.
- Sizes: titles 黑体 小二; body 仿宋 小四 for the forms, 四号 for a notice (告知书); tables
  宋体 小四, list tables and codes 五号.

How values print (dates, numbers, tick boxes) is in :mod:`bangban.documents.formatting`, the
raw XML python-docx has no API for in :mod:`bangban.documents.ooxml`.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from bangban.documents.formatting import or_blank
from bangban.documents.ooxml import (
    add_field,
    paragraph_bottom_rule,
    set_run_fonts,
    set_table_borders,
)

SONG = "宋体"
FANGSONG = "仿宋"
HEI = "黑体"
LATIN = "Times New Roman"

SIZE_TITLE = 18.0  # 小二
SIZE_BODY = 12.0  # 小四, the forms' body
SIZE_LETTER = 14.0  # 四号, the body of a notice (告知书)
SIZE_TABLE = 12.0  # 小四
SIZE_SMALL = 10.5  # 五号

PAGE_WIDTH_MM = 210.0
PAGE_HEIGHT_MM = 297.0
MARGIN_TOP_MM = 25.0
MARGIN_BOTTOM_MM = 22.0
MARGIN_LEFT_MM = 28.0
MARGIN_RIGHT_MM = 26.0
#: The width a table may take: the page less both margins.
TEXT_WIDTH_MM = PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM

_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


# --- building blocks ------------------------------------------------------------------------


@dataclass(frozen=True)
class Seg:
    """A piece of a paragraph with its own look (an underlined filled-in value, bold words)."""

    text: str
    bold: bool = False
    underline: bool = False
    font: str | None = None


@dataclass(frozen=True)
class C:
    """One cell of a form-table row: text (``\\n`` starts a new paragraph) over `span` columns.

    label cells are centred; align overrides ("left", "center", "right", "justify").
    """

    text: str = ""
    span: int = 1
    label: bool = False
    align: str | None = None
    bold: bool = False
    size: float | None = None


class FormTable:
    """A bordered table of fixed column widths, filled row by row."""

    def __init__(
        self,
        document: FormDocument,
        widths_mm: Sequence[float],
        *,
        size: float = SIZE_TABLE,
        outer: int = 12,
        inner: int = 4,
        header_rows: int = 0,
    ):
        self.document = document
        self.widths = [Mm(w) for w in widths_mm]
        self.size = size
        self.header_rows = header_rows
        table = document.doc.add_table(rows=0, cols=len(widths_mm))
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for column, width in zip(table.columns, self.widths, strict=True):
            column.width = width
        set_table_borders(table, outer=outer, inner=inner)
        self.table = table

    @property
    def row_count(self) -> int:
        return len(self.table.rows)

    def add(self, *cells: C, min_height_mm: float | None = 9.0) -> int:
        """Append a row of `cells` (their spans must add up to the column count); its index."""
        total = sum(cell.span for cell in cells)
        if total != len(self.widths):
            raise ValueError(f"row spans {total} columns, table has {len(self.widths)}")
        row = self.table.add_row()
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))
        if self.row_count <= self.header_rows:
            tr_pr.append(OxmlElement("w:tblHeader"))
        if min_height_mm:
            row.height = Mm(min_height_mm)
            row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        for index, cell in enumerate(row.cells):
            cell.width = self.widths[index]
        column = 0
        for spec in cells:
            target = row.cells[column]
            if spec.span > 1:
                target = target.merge(row.cells[column + spec.span - 1])
            self.write(target, spec)
            column += spec.span
        return self.row_count - 1

    def write(self, cell: _Cell, spec: C) -> None:
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        align = spec.align or ("center" if spec.label else "left")
        lines = spec.text.split("\n") if spec.text else [""]
        first = cell.paragraphs[0]
        for extra in cell.paragraphs[1:]:
            extra._element.getparent().remove(extra._element)
        for index, line in enumerate(lines):
            paragraph = first if index == 0 else cell.add_paragraph()
            self.document.fill(
                paragraph,
                [Seg(line, bold=spec.bold)],
                font=SONG,
                size=spec.size or self.size,
                align=align,
                indent=False,
                line_pt=(spec.size or self.size) + 6,
            )

    def keep_together(self) -> None:
        """Keep the rows on one page (with the paragraph before them when it asks to)."""
        rows = self.table._tbl.findall(qn("w:tr"))
        for row in rows[:-1]:
            for paragraph in row.iter(qn("w:p")):
                Paragraph(paragraph, self.table._parent).paragraph_format.keep_with_next = True

    def group(self, column: int, first_row: int, last_row: int, text: str) -> None:
        """Merge `column` from `first_row` to `last_row` into one label cell reading `text`."""
        top = self.table.cell(first_row, column)
        if last_row > first_row:
            top = top.merge(self.table.cell(last_row, column))
        self.write(top, C(text, label=True))


class FormDocument:
    """An A4 document with the centre's name in the header; call :meth:`to_bytes` at the end."""

    def __init__(self, *, header: str, title: str, author: str = "", body_size: float = SIZE_BODY):
        self.doc = Document()
        self.body_size = body_size
        self._set_up_page()
        self._set_up_defaults()
        self._set_up_header_footer(header)
        properties = self.doc.core_properties
        properties.title = title
        properties.author = author or header
        properties.last_modified_by = author or header
        properties.comments = ""
        properties.language = "zh-CN"
        now = dt.datetime.now(tz=dt.UTC).replace(tzinfo=None, microsecond=0)
        properties.created = now
        properties.modified = now
        properties.revision = 1

    # --- set-up ---------------------------------------------------------------------------

    def _set_up_page(self) -> None:
        section = self.doc.sections[0]
        section.page_width = Mm(PAGE_WIDTH_MM)
        section.page_height = Mm(PAGE_HEIGHT_MM)
        section.top_margin = Mm(MARGIN_TOP_MM)
        section.bottom_margin = Mm(MARGIN_BOTTOM_MM)
        section.left_margin = Mm(MARGIN_LEFT_MM)
        section.right_margin = Mm(MARGIN_RIGHT_MM)
        section.header_distance = Mm(12)
        section.footer_distance = Mm(10)

    def _set_up_defaults(self) -> None:
        styles = self.doc.styles.element
        r_pr_default = styles.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault"))
        if r_pr_default is not None:
            r_pr = r_pr_default.find(qn("w:rPr"))
            if r_pr is None:
                r_pr = OxmlElement("w:rPr")
                r_pr_default.append(r_pr)
            r_fonts = r_pr.find(qn("w:rFonts"))
            if r_fonts is None:
                r_fonts = OxmlElement("w:rFonts")
                r_pr.insert(0, r_fonts)
            for attr in list(r_fonts.attrib):
                r_fonts.attrib.pop(attr)
            for attr, font in (
                ("ascii", LATIN),
                ("hAnsi", LATIN),
                ("cs", LATIN),
                ("eastAsia", SONG),
            ):
                r_fonts.set(qn(f"w:{attr}"), font)
            lang = r_pr.find(qn("w:lang"))
            if lang is None:
                lang = OxmlElement("w:lang")
                r_pr.append(lang)
            lang.set(qn("w:val"), "en-US")
            lang.set(qn("w:eastAsia"), "zh-CN")
        normal = self.doc.styles["Normal"]
        normal.font.name = LATIN
        normal.font.size = Pt(SIZE_SMALL)
        r_fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
        r_fonts.set(qn("w:eastAsia"), SONG)
        normal.paragraph_format.space_before = Pt(0)
        normal.paragraph_format.space_after = Pt(0)
        normal.paragraph_format.widow_control = True

    def _set_up_header_footer(self, header: str) -> None:
        section = self.doc.sections[0]
        paragraph = section.header.paragraphs[0]
        self.fill(
            paragraph, [Seg(header)], font=SONG, size=SIZE_SMALL, align="center", indent=False
        )
        paragraph_bottom_rule(paragraph)
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for text, field in (("第 ", "PAGE"), (" 页  共 ", "NUMPAGES"), (" 页", None)):
            run = footer.add_run(text)
            set_run_fonts(run, SONG, LATIN)
            run.font.size = Pt(SIZE_SMALL)
            if field:
                add_field(footer, field, size=SIZE_SMALL, east_asia=SONG, latin=LATIN)

    # --- paragraphs -----------------------------------------------------------------------

    def fill(
        self,
        paragraph: Paragraph,
        segments: Sequence[Seg | str],
        *,
        font: str = FANGSONG,
        size: float | None = None,
        align: str = "justify",
        indent: bool = True,
        line_pt: float | None = None,
        space_before: float = 0,
        space_after: float = 0,
        left_indent_chars: float = 0,
        right_indent_chars: float = 0,
        keep_with_next: bool = False,
    ) -> Paragraph:
        """Write `segments` into `paragraph` with the fonts named on every run.

        Sizes are in points (default: the document's body size); indents count characters
        of that size; the line spacing is exact (default: size + 9 pt).
        """
        size = size or self.body_size
        fmt = paragraph.paragraph_format
        paragraph.alignment = _ALIGN[align]
        if indent:
            fmt.first_line_indent = Pt(size * 2)
        if left_indent_chars:
            fmt.left_indent = Pt(size * left_indent_chars)
        if right_indent_chars:
            fmt.right_indent = Pt(size * right_indent_chars)
        fmt.line_spacing = Pt(line_pt if line_pt is not None else size + 9)
        fmt.space_before = Pt(space_before)
        fmt.space_after = Pt(space_after)
        if keep_with_next:
            fmt.keep_with_next = True
        for segment in segments:
            seg = Seg(segment) if isinstance(segment, str) else segment
            run = paragraph.add_run(seg.text)
            set_run_fonts(run, seg.font or font, LATIN)
            run.font.size = Pt(size)
            run.bold = seg.bold or None
            run.underline = seg.underline or None
        return paragraph

    def para(self, *segments: Seg | str, **options) -> Paragraph:
        """A body paragraph (仿宋, first line indented two characters unless told)."""
        return self.fill(self.doc.add_paragraph(), segments, **options)

    def title(self, text: str, *, subtitle: str = "") -> None:
        self.fill(
            self.doc.add_paragraph(),
            [text],
            font=HEI,
            size=SIZE_TITLE,
            align="center",
            indent=False,
            line_pt=SIZE_TITLE + 12,
            space_before=6,
            space_after=0 if subtitle else 10,
        )
        if subtitle:
            self.fill(
                self.doc.add_paragraph(),
                [subtitle],
                font=FANGSONG,
                align="center",
                indent=False,
                space_after=10,
            )

    def number_line(self, label: str, number: str) -> None:
        """``编号：…`` at the right, above the body."""
        self.fill(
            self.doc.add_paragraph(),
            [f"{label}{or_blank(number, 10)}"],
            font=SONG,
            size=SIZE_TABLE,
            align="right",
            indent=False,
            space_after=4,
        )

    def heading(self, text: str) -> None:
        """A section heading (黑体, the body's size), e.g. ``一、委托范围``; kept with what follows."""
        self.fill(
            self.doc.add_paragraph(),
            [text],
            font=HEI,
            align="left",
            indent=True,
            space_before=4,
            keep_with_next=True,
        )

    def numbered(self, lines: Iterable[str | Sequence[Seg | str]], *, start: int = 1) -> None:
        """Body paragraphs ``1. …``, ``2. …`` (each line a string or a list of segments)."""
        for offset, line in enumerate(lines):
            segments = [line] if isinstance(line, str) else list(line)
            self.para(f"{start + offset}. ", *segments)

    def spacer(self, points: float = 6, *, keep_with_next: bool = False) -> None:
        self.fill(
            self.doc.add_paragraph(),
            [""],
            size=SIZE_SMALL,
            line_pt=points,
            indent=False,
            keep_with_next=keep_with_next,
        )

    def page_break(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    # --- tables ---------------------------------------------------------------------------

    def form_table(self, widths_mm: Sequence[float], **options) -> FormTable:
        return FormTable(self, widths_mm, **options)

    def item_table(
        self,
        headers: Sequence[str],
        rows: Iterable[Sequence[str]],
        widths_mm: Sequence[float],
        *,
        size: float = SIZE_SMALL,
    ) -> FormTable:
        """A list table with a header row that repeats on every page."""
        table = FormTable(self, widths_mm, size=size, header_rows=1)
        table.add(*(C(header, label=True, bold=True) for header in headers), min_height_mm=8)
        for row in rows:
            table.add(
                *(
                    C(text, align="center" if index == 0 else "left")
                    for index, text in enumerate(row)
                ),
                min_height_mm=8,
            )
        return table

    def signatures(self, blocks: Sequence[Sequence[str]], *, space_before: float = 12) -> None:
        """Side-by-side signature blocks without borders, one column per party.

        The paragraph before is kept on the same page, so a signature never stands alone.
        """
        body = self.doc.element.body
        last = body[-2] if len(body) > 1 else None  # body[-1] is the section properties
        if last is not None and last.tag == qn("w:p"):
            Paragraph(last, self.doc._body).paragraph_format.keep_with_next = True
        elif last is not None and last.tag == qn("w:tbl"):
            for paragraph in last.findall(".//" + qn("w:tr"))[-1].iter(qn("w:p")):
                Paragraph(paragraph, self.doc._body).paragraph_format.keep_with_next = True
        self.spacer(space_before, keep_with_next=True)
        width = TEXT_WIDTH_MM / len(blocks)
        table = FormTable(self, [width] * len(blocks), outer=0, inner=0)
        row = table.table.add_row()
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        for cell, lines, column_width in zip(row.cells, blocks, table.widths, strict=True):
            cell.width = column_width
            first = cell.paragraphs[0]
            for index, line in enumerate(lines):
                paragraph = first if index == 0 else cell.add_paragraph()
                self.fill(
                    paragraph,
                    [line],
                    font=FANGSONG,
                    align="left",
                    indent=False,
                    line_pt=self.body_size + 12,
                    keep_with_next=index < len(lines) - 1,
                )

    # --- output ---------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()

"""The raw Office Open XML that python-docx has no API for (no page or font policy here).

Explicit run fonts (``w:rFonts`` with the ``eastAsia`` hint and no theme fonts), table
borders, a paragraph's bottom rule and Word fields (PAGE, NUMPAGES). Elements are inserted
in the schema's order, so Word opens the file without repairing it. The fonts, sizes and
page come from :mod:`bangban.documents.layout`.
"""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run

__all__ = ["add_field", "paragraph_bottom_rule", "set_run_fonts", "set_table_borders"]


def set_run_fonts(run: Run, east_asia: str, latin: str) -> None:
    """Name the East Asian and Latin fonts of a run explicitly (w:rFonts) with the hint."""
    r_pr = run._element.get_or_add_rPr()
    r_fonts = r_pr.get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        r_fonts.attrib.pop(qn(attr), None)
    r_fonts.set(qn("w:ascii"), latin)
    r_fonts.set(qn("w:hAnsi"), latin)
    r_fonts.set(qn("w:cs"), latin)
    r_fonts.set(qn("w:eastAsia"), east_asia)
    r_fonts.set(qn("w:hint"), "eastAsia")


def _border_element(tag: str, *, val: str = "single", size: int = 4) -> OxmlElement:
    element = OxmlElement(tag)
    element.set(qn("w:val"), val)
    element.set(qn("w:sz"), str(size))
    element.set(qn("w:space"), "0")
    element.set(qn("w:color"), "000000" if val != "nil" else "auto")
    return element


def set_table_borders(table: Table, *, outer: int, inner: int) -> None:
    """Draw the borders explicitly (sizes in eighths of a point; 0 means none)."""
    tbl_pr = table._tbl.tblPr
    for old in tbl_pr.findall(qn("w:tblBorders")):
        tbl_pr.remove(old)
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right"):
        borders.append(
            _border_element(f"w:{edge}", val="single" if outer else "nil", size=outer or 0)
        )
    for edge in ("insideH", "insideV"):
        borders.append(
            _border_element(f"w:{edge}", val="single" if inner else "nil", size=inner or 0)
        )
    # Schema order: tblBorders comes before shd, tblLayout, tblCellMar and tblLook.
    tbl_pr.insert_element_before(
        borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption"
    )


_AFTER_PBDR = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


def paragraph_bottom_rule(paragraph: Paragraph) -> None:
    """A thin rule under the paragraph (the header's line)."""
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    borders.append(_border_element("w:bottom", size=6))
    # Schema order: pBdr comes after numPr and before shd, tabs, spacing, ind, jc, ...
    p_pr.insert_element_before(borders, *_AFTER_PBDR)


def add_field(
    paragraph: Paragraph, instruction: str, *, size: float, east_asia: str, latin: str
) -> None:
    """A Word field (PAGE, NUMPAGES) whose cached value is 1 until the reader updates it."""
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None), ("", "1")):
        run = paragraph.add_run()
        set_run_fonts(run, east_asia, latin)
        run.font.size = Pt(size)
        if kind in ("begin", "separate"):
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._element.append(char)
        elif kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {text} "
            run._element.append(instr)
        else:
            run.text = text
    end = paragraph.add_run()
    set_run_fonts(end, east_asia, latin)
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), "end")
    end._element.append(char)

"""Documents of a plan: the one-time notice (Word) and the application schedule (Excel).

Both take the plain results (:class:`~bangban.planning.notice.Notice`,
:class:`~bangban.planning.outcome.PlanOutcome`) and return the file's bytes;
:func:`commission_notice_file` and :func:`commission_schedule_file` build them for a
commission's plan (file name and bytes), for its page and its API alike.
"""

from __future__ import annotations

import datetime as dt
import io

from django.utils import timezone
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from bangban.common.spreadsheet import append_row
from bangban.planning.notice import Notice, notice_build
from bangban.planning.outcome import PlanOutcome
from bangban.planning.promises import government_time

__all__ = [
    "DOCX_CONTENT_TYPE",
    "SCHEDULE_HEADERS",
    "XLSX_CONTENT_TYPE",
    "commission_notice_file",
    "commission_schedule_file",
    "notice_docx",
    "schedule_xlsx",
]

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

BODY_FONT = "宋体"
HEADING_FONT = "黑体"
LATIN_FONT = "Times New Roman"
CHINESE_NUMBERS = "一二三四五六七八九十"

GAPS_FOOTER = (
    "注：标注“非核心”的材料适用容缺受理——其他材料齐全、符合法定形式时，申请人书面承诺在"
    "规定期限内补正后即可先行受理；核心材料不得容缺。代办帮办服务全程免费。"
)


# --------------------------------------------------------------------------------------
# Word


def _fonts(element, east_asia: str, latin: str = LATIN_FONT) -> None:
    """Set the fonts of a style or run element; w:eastAsia is what Word uses for Chinese."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)


def _run(paragraph, text: str, *, bold: bool = False, size: float | None = None, font=BODY_FONT):
    run = paragraph.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    _fonts(run._element, font)
    return run


def _cell(cell, text: str, *, bold: bool = False, center: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(paragraph, text, bold=bold, size=10.5)


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _chinese_number(n: int) -> str:
    if n <= 10:
        return CHINESE_NUMBERS[n - 1]
    tens, ones = divmod(n, 10)
    return (
        (CHINESE_NUMBERS[tens - 1] if tens > 1 else "")
        + "十"
        + (CHINESE_NUMBERS[ones - 1] if ones else "")
    )


def level_text(item) -> str:
    """The handling level as the documents write it: 「盟市（本级初审后上报自治区能源局）」 for
    an item decided above the zone."""
    level = item.level_label
    if item.kind == "reported":
        level += f"（本级初审后上报{item.authority}）" if item.authority else "（本级初审后上报）"
    return level


def notice_docx(
    notice: Notice,
    *,
    issued_on: dt.date,
    item_count: int,
    project_name: str = "",
    enterprise_name: str = "",
    items=(),
    gtime=None,
) -> bytes:
    """The one-time notice as a Word document: a table of materials per stage; with
    ``items`` (the plan's) first a table of the items with their department and level, with
    ``gtime`` (a ``promises.GovernmentTime``) the government time against the promise."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2)
    section.top_margin = section.bottom_margin = Cm(2.2)

    normal = document.styles["Normal"]
    normal.font.size = Pt(11)
    _fonts(normal.element, BODY_FONT)
    for level in (1, 2):
        style = document.styles[f"Heading {level}"]
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.font.size = Pt(14 if level == 1 else 12)
        style.font.bold = True
        _fonts(style.element, HEADING_FONT)

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(title, "投资项目审批申请材料一次性告知单", bold=True, size=18, font=HEADING_FONT)

    facts = []
    if project_name:
        facts.append(f"项目名称：{project_name}")
    if enterprise_name:
        facts.append(f"项目单位：{enterprise_name}")
    facts.append(f"告知日期：{issued_on.year}年{issued_on.month}月{issued_on.day}日")
    for line in facts:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(2)
        _run(paragraph, line)

    intro = document.add_paragraph()
    _run(
        intro,
        f"根据项目情况，本项目共需办理 {item_count} 个审批事项，所需申请材料共 "
        f"{notice.material_count} 项，现一次性告知如下。同一材料只列一次，并注明需要该材料的"
        "全部事项；材料列在最早需要它的阶段。",
    )

    heading = 0
    if items:
        heading += 1
        document.add_heading(f"{_chinese_number(heading)}、办理事项与办理部门", level=1)
        table = document.add_table(rows=1, cols=5)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, text in zip(
            table.rows[0].cells,
            ("序号", "事项", "办理部门", "办理层级", "服务方式"),
            strict=True,
        ):
            _cell(cell, text, bold=True, center=True)
        _repeat_header(table.rows[0])
        for index, item in enumerate(items, start=1):
            values = (
                str(index),
                item.name,
                item.department,
                level_text(item),
                item.service_mode_label,
            )
            for column, (cell, text) in enumerate(zip(table.add_row().cells, values, strict=True)):
                _cell(cell, text, center=column == 0)
    if gtime is not None:
        heading += 1
        document.add_heading(f"{_chinese_number(heading)}、审批时间与承诺", level=1)
        for milestone in gtime.milestones:
            paragraph = document.add_paragraph()
            _run(paragraph, milestone.verdict, bold=milestone.breaks)
        if gtime.source:
            _run(document.add_paragraph(), f"承诺出处：{gtime.source}", size=9)

    for number, stage in enumerate(notice.sections, start=heading + 1):
        document.add_heading(f"{_chinese_number(number)}、{stage.stage_label}", level=1)
        table = document.add_table(rows=1, cols=5)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        widths = (Cm(1.3), Cm(6.2), Cm(2.4), Cm(2.0), Cm(5.1))
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width  # the grid, which LibreOffice and WPS read
        for cell, text, width in zip(
            table.rows[0].cells,
            ("序号", "材料名称", "形式及份数", "核心材料", "所需事项"),
            widths,
            strict=True,
        ):
            cell.width = width
            _cell(cell, text, bold=True, center=True)
        _repeat_header(table.rows[0])
        for index, material in enumerate(stage.materials, start=1):
            cells = table.add_row().cells
            values = (
                str(index),
                material.name,
                f"{material.form_label} {material.copies} 份",
                "核心" if material.is_core else "非核心",
                material.item_names,
            )
            for column, (cell, text, width) in enumerate(zip(cells, values, widths, strict=True)):
                cell.width = width
                _cell(cell, text, center=column in (0, 3))
            for note in material.notes:  # under the name, so the name stays its own line
                _run(cells[1].add_paragraph(), note, size=9)

    footer = document.add_paragraph()
    footer.paragraph_format.space_before = Pt(12)
    _run(footer, GAPS_FOOTER, size=10)
    page_footer = section.footer.paragraphs[0]
    page_footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(page_footer, "只进一扇门 · 只找一个人 · 一次性告知 · 限时办结", size=9)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------------------
# Excel

SCHEDULE_HEADERS = (
    "阶段",
    "事项",
    "办理部门",
    "审批层级",
    "服务方式",
    "计划开始",
    "计划受理",
    "计划办结",
    "工作日",
    "关键路径",
    "前置事项",
    "办理主体",
)
_WIDTHS = (16, 40, 30, 24, 11, 12, 12, 12, 8, 9, 40, 13)
_DATE_COLUMNS = (6, 7, 8)
_CRITICAL_COLUMN = 10


def schedule_xlsx(plan: PlanOutcome, *, project_name: str = "") -> bytes:
    """The application schedule (申报计划): one row per item in planned order, then a
    summary sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "申报计划"
    bold = Font(bold=True)
    thin = Side(style="thin", color="BCCCDC")
    header_fill = PatternFill("solid", fgColor="EEF2F7")
    critical_font = Font(color="B42318", bold=True)
    append_row(sheet, SCHEDULE_HEADERS)
    for column, width in enumerate(_WIDTHS, start=1):
        cell = sheet.cell(row=1, column=column)
        cell.font = bold
        cell.fill = header_fill
        cell.alignment = Alignment(horizontal="center", vertical="center")
        cell.border = Border(bottom=thin)
        sheet.column_dimensions[get_column_letter(column)].width = width
    for item in plan.items:
        append_row(
            sheet,
            (
                item.stage_label,
                item.name,
                item.department,
                level_text(item),
                item.service_mode_label,
                item.planned_start,
                item.planned_acceptance,
                item.planned_due,
                item.working_days,
                "是" if item.critical else "否",
                "、".join(item.prerequisite_names) or "无",
                item.handler_label,
            ),
        )
        row = sheet.max_row
        for column in _DATE_COLUMNS:
            sheet.cell(row=row, column=column).number_format = "yyyy-mm-dd"
        for column in (2, 4, 11):
            sheet.cell(row=row, column=column).alignment = Alignment(wrap_text=True)
        if item.critical:
            sheet.cell(row=row, column=_CRITICAL_COLUMN).font = critical_font
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(SCHEDULE_HEADERS))}{sheet.max_row}"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True

    summary = workbook.create_sheet("概况")
    rows = [
        ("项目名称", project_name or "（未填写）"),
        ("计划开始", plan.start_day),
        ("预计办结", plan.end_date),
        ("事项数", len(plan.items)),
        ("其中代办", plan.in_scope_count),
        ("并联办理工作日", plan.total_working_days),
        ("串联办理工作日", plan.serial_working_days),
        ("压缩比例", plan.compression),
        ("关键路径", " → ".join(plan.item(code).name for code in plan.critical_path)),
        ("事项清单版本", f"第 {plan.catalog_version} 版"),
    ]
    if plan.provisional:
        rows.append(("提示", "部分日期所在年份的节假日安排尚未发布，按周末推算，为暂定日期。"))
    for label, value in rows:
        append_row(summary, (label, value))
        cell = summary.cell(row=summary.max_row, column=2)
        if isinstance(value, dt.date):
            cell.number_format = "yyyy-mm-dd"
        elif label == "压缩比例":
            cell.number_format = "0.0%"
        cell.alignment = Alignment(horizontal="left", wrap_text=True)
        summary.cell(row=summary.max_row, column=1).font = bold
    summary.column_dimensions["A"].width = 18
    summary.column_dimensions["B"].width = 90

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------------------
# The files of a commission's plan (``found``: a ``selectors.CommissionPlan`` with a plan)


def commission_notice_file(found) -> tuple[str, bytes]:
    """The one-time notice of a commission's plan: (file name, Word bytes)."""
    project = found.commission.project
    content = notice_docx(
        notice_build(found.outcome.items),
        issued_on=timezone.localdate(),
        item_count=len(found.outcome.items),
        project_name=project.name,
        enterprise_name=project.enterprise.name,
        items=found.outcome.items,
        gtime=government_time(found.outcome, project.region),
    )
    return f"一次性告知单-{found.commission.number}.docx", content


def commission_schedule_file(found) -> tuple[str, bytes]:
    """The application schedule of a commission's plan: (file name, Excel bytes)."""
    content = schedule_xlsx(found.outcome, project_name=found.commission.project.name)
    return f"申报计划-{found.commission.number}.xlsx", content

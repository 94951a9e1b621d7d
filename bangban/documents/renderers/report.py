"""统计报表: a report of figures (the monthly report, the annual evaluation) as a Word document.

The caller writes every figure as it prints (``"85.7%"``, ``"12"``, ``"—"``): the document
shows the same text as the page and the workbook built from the same figures, nothing is
computed or formatted here.
"""

from __future__ import annotations

from bangban.documents.data import ReportTable, StatisticalReport
from bangban.documents.formatting import format_date
from bangban.documents.layout import SIZE_SMALL, TEXT_WIDTH_MM, C, FormDocument
from bangban.documents.renderers.shared import Checker

__all__ = ["render_statistical_report"]

#: The first column (a name) is this much wider than the figures' columns.
_NAME_SHARE = 2.2


def _widths(table: ReportTable) -> list[float]:
    count = len(table.headers)
    if table.widths_mm:
        return list(table.widths_mm)
    if count == 1:
        return [TEXT_WIDTH_MM]
    unit = TEXT_WIDTH_MM / (count - 1 + _NAME_SHARE)
    return [round(unit * _NAME_SHARE, 1)] + [round(unit, 1)] * (count - 1)


def _check_table(check: Checker, where: str, table: ReportTable) -> None:
    count = len(table.headers)
    check.require(f"{where}的表头", list(table.headers))
    if table.widths_mm and len(table.widths_mm) != count:
        check.problem(f"{where}的列宽个数（{len(table.widths_mm)}）与列数（{count}）不一致")
    for number, row in enumerate(table.rows, start=1):
        if len(row) != count:
            check.problem(f"{where}第{number}行有 {len(row)} 格，表头有 {count} 列")


def _table(document: FormDocument, table: ReportTable) -> None:
    if table.caption:
        document.para(table.caption, size=SIZE_SMALL, indent=False, space_before=4)
    if not table.rows:
        document.para(table.empty, indent=True)
        return
    grid = document.form_table(_widths(table), size=SIZE_SMALL, header_rows=1)
    grid.add(*(C(header, label=True, bold=True) for header in table.headers), min_height_mm=8)
    last = len(table.rows) - 1
    for index, row in enumerate(table.rows):
        bold = table.total_row and index == last
        grid.add(
            *(
                C(text, align="left" if column == 0 else "center", bold=bold)
                for column, text in enumerate(row)
            ),
            min_height_mm=7,
        )


def render_statistical_report(data: StatisticalReport) -> bytes:
    """The report: title and period, the unit it covers, each section's heading, paragraphs,
    tables (a header row repeated on every page; a total row in bold) and notes, then who
    prepared it and its review status.

    Required: centre name, title, period, at least one section (each with a heading); every
    table's rows as wide as its header.
    """
    check = Checker(data.title or "统计报表")
    check.centre(data.centre)
    check.require("报表名称", data.title)
    check.require("统计期间", data.period)
    check.require("报表内容", list(data.sections))
    for number, section in enumerate(data.sections, start=1):
        check.require(f"第{number}部分的标题", section.heading)
        for index, table in enumerate(section.tables, start=1):
            _check_table(check, f"第{number}部分表{index}", table)
    check.done(data)

    document = FormDocument(header=data.centre.name, title=data.title, author=data.centre.name)
    document.title(data.title, subtitle=data.period)
    if data.unit:
        document.para(data.unit, indent=False, align="center", space_after=6)
    for section in data.sections:
        document.heading(section.heading)
        for paragraph in section.paragraphs:
            document.para(paragraph)
        for table in section.tables:
            _table(document, table)
        for note in section.notes:
            document.para(note, size=SIZE_SMALL, indent=False, space_before=2)
        document.spacer(6)
    lines = []
    if data.prepared_by or data.prepared_on:
        lines.append(
            f"制表：{data.prepared_by or data.centre.name}　"
            f"制表日期：{format_date(data.prepared_on)}"
        )
    if data.status:
        lines.append(f"状态：{data.status}")
    for line in lines:
        document.para(line, size=SIZE_SMALL, indent=False, align="right", space_before=4)
    return document.to_bytes()

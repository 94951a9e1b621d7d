"""The monthly report and the annual evaluation as an Excel workbook and a Word document.

Both print the layout of :mod:`bangban.supervision.reports` (``monthly_layout``) or
:mod:`bangban.supervision.annual` (``evaluation_layout``) — the same sections, tables and
cells the page shows: the workbook writes each cell's raw value (counts as integers, rates
as fractions formatted ``0.0%``, points and scores as numbers, words as text through
``append_row`` so a department's name that starts with ``=`` stays text); the document
writes each cell's ``text``, exactly what the page prints, through the statistical report
renderer of :mod:`bangban.documents` (plain data in, bytes out).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from io import BytesIO
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from bangban.common.spreadsheet import append_row
from bangban.documents import data as d
from bangban.documents import renderers as render
from bangban.organization.models import Region
from bangban.organization.selectors import lead_department_for

from .annual import evaluation_layout
from .reports import COUNT, POINTS, RATE, SCORE, Section, monthly_layout

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

NUMBER_FORMATS = {COUNT: "0", RATE: "0.0%", POINTS: "0.00", SCORE: "0.0"}


def _local(iso: str) -> dt.datetime:
    return timezone.localtime(dt.datetime.fromisoformat(iso))


class DocumentUnavailable(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def centre_name(region: Region | None) -> str:
    """Whose report it is: the government-service unit of the region (routing domain 政务服务),
    else the region's name."""
    if region is None:
        return "投资项目代办帮办服务平台"
    unit = lead_department_for(region=region, domain="government_service")
    return unit.name if unit is not None else f"{region.name}代办帮办服务"


def _sheet_title(text: str, taken: set[str]) -> str:
    base = "".join(ch for ch in text if ch not in "[]:*?/\\")[:28] or "表"
    title, n = base, 2
    while title in taken:
        title, n = f"{base[:26]}{n}", n + 1
    taken.add(title)
    return title


def _workbook(title: str, info: Sequence[tuple[str, Any]], sections: list[Section]) -> bytes:
    """A cover sheet (说明: title, period, unit, status) and one sheet per table: its header
    row, its rows (a total row bold)."""
    book = Workbook()
    cover = book.active
    cover.title = "说明"
    append_row(cover, (title,))
    cover.cell(row=1, column=1).font = Font(bold=True, size=14)
    for label, value in info:
        row = append_row(cover, (label, value))
        if isinstance(value, dt.date):
            cover.cell(row=row, column=2).number_format = "yyyy-mm-dd"
    cover.column_dimensions["A"].width = 16
    cover.column_dimensions["B"].width = 70
    taken = {"说明"}
    bold = Font(bold=True)
    for section in sections:
        for table in section.tables:
            sheet = book.create_sheet(_sheet_title(table.title, taken))
            append_row(sheet, table.headers)
            for column, _ in enumerate(table.headers, start=1):
                cell = sheet.cell(row=1, column=column)
                cell.font = bold
                cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
                sheet.column_dimensions[get_column_letter(column)].width = 28 if column == 1 else 14
            last = len(table.rows) - 1
            for index, cells in enumerate(table.rows):
                row = append_row(
                    sheet,
                    [cell.value if cell.numeric else cell.text for cell in cells],
                )
                for column, cell in enumerate(cells, start=1):
                    target = sheet.cell(row=row, column=column)
                    if cell.numeric:
                        target.number_format = NUMBER_FORMATS[cell.kind]
                        if cell.value is None:
                            target.value = "—"
                            target.data_type = "s"
                    if table.total and index == last:
                        target.font = bold
            sheet.freeze_panes = "B2"
            for note in section.notes:
                append_row(sheet, ())
                append_row(sheet, (note,))
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _document(
    *,
    centre: str,
    title: str,
    period: str,
    unit: str,
    sections: list[Section],
    status: str = "",
    prepared_on: dt.date | None = None,
    prepared_by: str = "",
) -> bytes:
    data = d.StatisticalReport(
        centre=d.ServiceCentre(name=centre),
        title=title,
        period=period,
        unit=unit,
        sections=[
            d.ReportSection(
                heading=section.heading,
                paragraphs=list(section.paragraphs),
                tables=[
                    d.ReportTable(
                        caption=table.title,
                        headers=list(table.headers),
                        rows=[[cell.text for cell in cells] for cells in table.rows],
                        total_row=table.total,
                        empty=table.empty,
                    )
                    for table in section.tables
                ],
                notes=list(section.notes),
            )
            for section in sections
        ],
        status=status,
        prepared_on=prepared_on,
        prepared_by=prepared_by,
    )
    try:
        return render.render_statistical_report(data)
    except render.FormDataError as exc:
        raise DocumentUnavailable(str(exc)) from None


# --- the monthly report ------------------------------------------------------------------------


def _period_text(figures: dict[str, Any]) -> str:
    start = dt.date.fromisoformat(figures["period"]["start"])
    end = dt.date.fromisoformat(figures["period"]["end"])
    return f"统计期间：{start.year}年{start.month}月{start.day}日至{end.year}年{end.month}月{end.day}日"


def _unit_text(figures: dict[str, Any]) -> str:
    region = figures.get("region")
    return f"统计范围：{region['name']}" if region else "统计范围：全平台"


def monthly_title(figures: dict[str, Any]) -> str:
    start = dt.date.fromisoformat(figures["period"]["start"])
    return f"{start.year}年{start.month}月代办帮办工作月报"


def report_status(report) -> str:
    """What the files say of the report they print (a ``MonthlyReport`` or None)."""
    if report is None:
        return "实时数据（未生成月报）"
    if report.state == "reviewed":
        when = timezone.localtime(report.reviewed_at)
        return f"已审核（{report.reviewed_by or ''} {when:%Y-%m-%d}）"
    return f"待审核（报送期限 {report.due_date:%Y-%m-%d}）"


def monthly_workbook(figures: dict[str, Any], *, status: str = "") -> bytes:
    computed = _local(figures["computed_at"])
    info = [
        ("统计期间", _period_text(figures).removeprefix("统计期间：")),
        ("统计范围", _unit_text(figures).removeprefix("统计范围：")),
        ("数据时间", computed.strftime("%Y-%m-%d %H:%M")),
    ]
    if status:
        info.append(("状态", status))
    return _workbook(monthly_title(figures), info, monthly_layout(figures))


def monthly_document(
    figures: dict[str, Any],
    *,
    centre: str,
    status: str = "",
    prepared_by: str = "",
) -> bytes:
    computed = _local(figures["computed_at"])
    return _document(
        centre=centre,
        title=monthly_title(figures),
        period=_period_text(figures),
        unit=_unit_text(figures),
        sections=monthly_layout(figures),
        status=status,
        prepared_on=computed.date(),
        prepared_by=prepared_by,
    )


def monthly_filename(figures: dict[str, Any], extension: str) -> str:
    region = figures.get("region")
    where = f"-{region['name']}" if region else ""
    return f"代办帮办工作月报-{figures['month']}{where}.{extension}"


# --- the annual evaluation ---------------------------------------------------------------------


def evaluation_title(evaluation: dict[str, Any]) -> str:
    return f"{evaluation['year']}年度代办帮办服务综合评价"


def _evaluation_unit(evaluation: dict[str, Any]) -> str:
    regions = [t["region"] for t in evaluation["tables"] if t.get("region")]
    return f"评价范围：{regions[0]['name']}" if regions else "评价范围：全平台"


def _evaluation_period(evaluation: dict[str, Any]) -> str:
    as_of = [t["as_of"] for t in evaluation["tables"]]
    year = evaluation["year"]
    end = dt.date.fromisoformat(as_of[0]) if as_of else dt.date(year, 12, 31)
    return f"评价期间：{year}年1月1日至{end.year}年{end.month}月{end.day}日"


def evaluation_workbook(evaluation: dict[str, Any]) -> bytes:
    computed = _local(evaluation["computed_at"])
    info = [
        ("评价期间", _evaluation_period(evaluation).removeprefix("评价期间：")),
        ("评价范围", _evaluation_unit(evaluation).removeprefix("评价范围：")),
        ("数据时间", computed.strftime("%Y-%m-%d %H:%M")),
        (
            "计分方法",
            "百分制，各项得分 = 分值 × 比率；没有数据的项目不计，按其余各项折算为百分制。",
        ),
    ]
    info.extend(("未设置方案", text) for text in evaluation.get("missing", []))
    return _workbook(evaluation_title(evaluation), info, evaluation_layout(evaluation))


def evaluation_document(evaluation: dict[str, Any], *, centre: str) -> bytes:
    computed = _local(evaluation["computed_at"])
    sections = evaluation_layout(evaluation)
    if evaluation.get("missing"):
        sections.append(Section("说明", paragraphs=list(evaluation["missing"])))
    if not sections:
        raise DocumentUnavailable("该年度没有考核方案，无法生成综合评价。")
    return _document(
        centre=centre,
        title=evaluation_title(evaluation),
        period=_evaluation_period(evaluation),
        unit=_evaluation_unit(evaluation),
        sections=sections,
        prepared_on=computed.date(),
    )


def evaluation_filename(evaluation: dict[str, Any], extension: str) -> str:
    return f"代办帮办服务综合评价-{evaluation['year']}.{extension}"

"""The ledger as a workbook: the layout of a hand-kept 台账 (one row per case, planned,
actual and provisional columns), for the page's button and ``manage.py export_ledger``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from bangban.common.spreadsheet import append_row

from .models import Case
from .selectors import COLOURS

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: (header, width) of each column.
COLUMNS: tuple[tuple[str, int], ...] = (
    ("序号", 6),
    ("委托编号", 16),
    ("项目名称", 28),
    ("项目单位", 24),
    ("代办帮办员", 10),
    ("事项编码", 9),
    ("事项名称", 28),
    ("阶段", 14),
    ("办理部门", 20),
    ("状态", 10),
    ("预警", 12),
    ("原计划开始", 12),
    ("原计划办结", 12),
    ("计划开始", 12),
    ("计划办结", 12),
    ("计划日期暂定", 8),
    ("实际开始", 12),
    ("申报日期", 12),
    ("受理日期", 12),
    ("承诺时限（工作日）", 10),
    ("承诺办结期限", 12),
    ("法定办结期限", 12),
    ("期限暂定", 8),
    ("中止工作日", 8),
    ("容缺补正期限", 12),
    ("实际办结", 12),
    ("办理结果", 8),
    ("批文/证照文号", 22),
)
DATE_HEADERS = frozenset(
    {
        "原计划开始",
        "原计划办结",
        "计划开始",
        "计划办结",
        "实际开始",
        "申报日期",
        "受理日期",
        "承诺办结期限",
        "法定办结期限",
        "容缺补正期限",
        "实际办结",
    }
)
DATE_COLUMNS = [
    index for index, (header, _) in enumerate(COLUMNS, start=1) if header in DATE_HEADERS
]
WARNING_COLUMN = [header for header, _ in COLUMNS].index("预警") + 1
FILLS = {
    "yellow": PatternFill("solid", fgColor="FFF2CC"),
    "red": PatternFill("solid", fgColor="F8CBAD"),
}


def _row(number: int, case: Case) -> tuple:
    commission = case.commission
    warning = getattr(case, "warning", "green")
    return (
        number,
        commission.number,
        commission.project.name,
        commission.project.enterprise.name,
        str(commission.agent) if commission.agent_id else "",
        case.code,
        case.item.name,
        case.item.get_stage_display(),
        case.department.name if case.department_id else "",
        case.get_state_display(),
        COLOURS.get(warning, "") if warning != "green" else "",
        case.baseline_start,
        case.baseline_due,
        case.planned_start,
        case.planned_due,
        "是" if case.provisional else "",
        case.actual_start,
        case.submitted_on,
        case.accepted_on,
        case.limit_days,
        case.due_date,
        case.legal_due,
        "是" if case.clock_provisional else "",
        case.days_suspended or None,
        case.supplement_due,
        case.actual_finish,
        case.get_outcome_display() if case.outcome else "",
        case.result_number,
    )


def ledger_workbook(cases: Iterable[Case], *, today: dt.date) -> bytes:
    """The workbook of ``cases`` (a ``case_list_for`` queryset: relations selected)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "办件台账"
    append_row(sheet, [header for header, _ in COLUMNS])
    bold = Font(bold=True)
    for column, (_, width) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=column)
        cell.font = bold
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(column)].width = width
    for number, case in enumerate(cases, start=1):
        row = append_row(sheet, _row(number, case))
        for column in DATE_COLUMNS:
            sheet.cell(row=row, column=column).number_format = "yyyy-mm-dd"
        fill = FILLS.get(getattr(case, "warning", "green"))
        if fill is not None:
            sheet.cell(row=row, column=WARNING_COLUMN).fill = fill
    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{sheet.max_row}"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    notes = book.create_sheet("说明")
    append_row(notes, ("导出日期", today))
    notes.cell(row=1, column=2).number_format = "yyyy-mm-dd"
    append_row(notes, ("预警", "黄色：剩余工作日不超过承诺时限的20%（至少1日）；红色：已超期。"))
    append_row(notes, ("暂定", "所在年份节假日安排尚未发布的日期按周末推算，标为暂定。"))
    notes.column_dimensions["A"].width = 12
    notes.column_dimensions["B"].width = 80
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()

"""The policy entries as an Excel workbook: one sheet 「条目」, one row per entry, Chinese
headers and labels (the English values are accepted too), and a sheet 「版本」 saying which
version the file was exported from (read by people, not by the import).

The round trip is the catalog's (`bangban.catalog.workbook`): export → edit → import as a new
version. A bad row refuses the whole file, every problem named by row and column:
``工作表「条目」第 7 行「类别」：「鼓舞类」不是有效取值，…``. Text cells are written as text, never
as formulas (`bangban.common.spreadsheet.append_row`), so an entry that starts with ``=`` comes
back as the same text.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import TextChoices
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill

from bangban.common.spreadsheet import append_row
from bangban.rules import screening

from .models import PolicyEntry, PolicyVersion

ENTRIES_SHEET = "条目"
VERSION_SHEET = "版本"
MAX_ROWS = 5000
YES, NO = "是", "否"

# (header, field, kind): kind is "text", "date", "bool" or a TextChoices class.
COLUMNS: list[tuple[str, str, Any]] = [
    ("标识", "key", "text"),
    ("层级", "layer", PolicyEntry.Layer),
    ("类别", "policy_class", PolicyEntry.PolicyClass),
    ("所属行业/章节", "section", "text"),
    ("目录条目编号", "catalog_number", "text"),
    ("条目内容", "text", "text"),
    ("行业代码", "industry_codes", "text"),
    ("关键词", "keywords", "text"),
    ("适用地区", "region_keys", "text"),
    ("适用条件", "qualifier", "text"),
    ("适用于", "applies_to", PolicyEntry.AppliesTo),
    ("附加条件", "condition", PolicyEntry.Condition),
    ("来源", "source", "text"),
    ("来源日期", "source_date", "date"),
    ("备注", "note", "text"),
    ("已核对", "verified", "bool"),
    ("启用", "is_active", "bool"),
]
#: Columns that must be filled in; the others have defaults (层级 国家, 适用于 新建和改造升级,
#: 附加条件 无, 启用 是) or may stay empty (标识 is then made from the row).
REQUIRED = {"policy_class", "text", "source"}
DEFAULTS = {
    "layer": PolicyEntry.Layer.NATIONAL,
    "applies_to": PolicyEntry.AppliesTo.BOTH,
    "condition": PolicyEntry.Condition.NONE,
    "verified": False,
    "is_active": True,
}
HEADER_OF = {name: header for header, name, _ in COLUMNS}


# --- export ----------------------------------------------------------------------------------


def _export_value(entry: PolicyEntry, name: str, kind: Any) -> Any:
    value = getattr(entry, name)
    if isinstance(kind, type) and issubclass(kind, TextChoices):
        return str(kind(value).label)
    if kind == "bool":
        return YES if value else NO
    if kind == "date":
        return value  # a date cell (None stays empty)
    return value or ""


def export_policy_workbook(version: PolicyVersion) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = ENTRIES_SHEET
    append_row(sheet, [header for header, _, _ in COLUMNS])
    for entry in version.entries.order_by("layer", "sort_order", "key"):
        row = append_row(sheet, [_export_value(entry, name, kind) for _, name, kind in COLUMNS])
        date_cell = sheet.cell(row=row, column=[n for _, n, _ in COLUMNS].index("source_date") + 1)
        date_cell.number_format = "yyyy-mm-dd"
    header_font, fill = Font(bold=True), PatternFill("solid", fgColor="FCE7E6")
    for cell in sheet[1]:
        cell.font, cell.fill = header_font, fill
        cell.alignment = Alignment(vertical="center")
    sheet.freeze_panes = "B2"
    for column, width in {"A": 28, "D": 22, "F": 60, "M": 50, "O": 40}.items():
        sheet.column_dimensions[column].width = width

    info = book.create_sheet(VERSION_SHEET)
    coverage = version.coverage()
    append_row(info, ("项目", "内容"))
    append_row(info, ("目录文件名称", version.source))
    append_row(info, ("目录日期", version.source_date))
    append_row(info, ("版本", f"第 {version.pk} 版（{version.get_origin_display()}）"))
    for name in screening.COUNTED_CLASSES:
        total = coverage.totals.get(name)
        held = coverage.held.get(name, 0)
        text = f"{held}/{total} 条" if total is not None else f"{held} 条"
        append_row(info, (f"{screening.CLASSES[name]}（已导入/官方总数）", text))
    append_row(info, ("地方规定", f"{coverage.regional} 条"))
    append_row(
        info,
        (
            "说明",
            "导入时读取「条目」工作表，作为新版本；目录文件名称和日期在导入时填写。"
            "同一官方条目拆成多行时填写相同的「目录条目编号」；类别的说明填「说明」。",
        ),
    )
    info.column_dimensions["A"].width = 30
    info.column_dimensions["B"].width = 80
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- import ----------------------------------------------------------------------------------


def _text(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, dt.datetime):
        raw = raw.date()
    if isinstance(raw, dt.date):
        return raw.isoformat()
    return str(raw).strip()


def _choice(kind: type[TextChoices], raw: Any) -> str:
    text = _text(raw)
    by_label: dict[str, str] = {}
    for value, label in kind.choices:
        by_label[str(label)] = value
        by_label[re.sub(r"（.*）$", "", str(label))] = value  # 「禁止类」 for 「禁止类（地方）」
    if text in kind.values:
        return text
    if text in by_label:
        return by_label[text]
    raise ValueError(
        f"「{text}」不是有效取值，应为 {'、'.join(str(lbl) for lbl in kind.labels)} 之一。"
    )


def _date(raw: Any) -> dt.date | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    text = _text(raw)
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"「{text}」不是日期，应为 YYYY-MM-DD。") from None


def _bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = _text(raw).lower()
    if text in ("是", "true", "1", "y", "yes", "√"):
        return True
    if text in ("否", "false", "0", "n", "no"):
        return False
    raise ValueError(f"「{raw}」应填写“是”或“否”。")


def _convert(kind: Any, raw: Any) -> Any:
    if isinstance(kind, type) and issubclass(kind, TextChoices):
        return _choice(kind, raw)
    if kind == "date":
        return _date(raw)
    if kind == "bool":
        return _bool(raw)
    return _text(raw)


def _where(row: int, header: str = "") -> str:
    column = f"「{header}」" if header else ""
    return f"工作表「{ENTRIES_SHEET}」第 {row} 行{column}"


def parse_policy_workbook(content: bytes) -> tuple[list[PolicyEntry], list[str]]:
    """Read the 「条目」 sheet into unsaved entries (no version yet) and the problems, each
    naming its row and column. The caller refuses the file when there is any problem."""
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable file
        return [], [f"文件：无法读取 Excel 文件（.xlsx）：{exc.__class__.__name__}。"]
    if ENTRIES_SHEET not in book.sheetnames:
        return [], [f"文件：缺少工作表「{ENTRIES_SHEET}」。"]
    rows = book[ENTRIES_SHEET].iter_rows(values_only=True)
    header = [_text(h) for h in next(rows, ())]
    missing = [h for h, name, _ in COLUMNS if h not in header and name in REQUIRED]
    if missing:
        return [], [f"{_where(1)}：缺少列：{'、'.join(missing)}。"]
    index = {h: header.index(h) for h, _, _ in COLUMNS if h in header}

    entries: list[PolicyEntry] = []
    errors: list[str] = []
    keys: dict[str, int] = {}
    for row_number, row in enumerate(rows, start=2):
        if row_number > MAX_ROWS + 1:
            errors.append(f"{_where(row_number)}：行数超过 {MAX_ROWS}。")
            break
        if not any(_text(v) for v in row):
            continue
        values: dict[str, Any] = {}
        row_errors: list[str] = []
        for header_name, name, kind in COLUMNS:
            position = index.get(header_name)
            raw = row[position] if position is not None and position < len(row) else None
            if _text(raw) == "":
                if name in REQUIRED:
                    row_errors.append(f"{_where(row_number, header_name)}：不能为空。")
                elif name in DEFAULTS:
                    values[name] = DEFAULTS[name]
                else:
                    values[name] = None if kind == "date" else ""
                continue
            try:
                values[name] = _convert(kind, raw)
            except ValueError as exc:
                row_errors.append(f"{_where(row_number, header_name)}：{exc}")
        if row_errors:
            errors.extend(row_errors)
            continue
        if not values["key"]:
            values["key"] = f"{values['layer']}-{values['policy_class']}-r{row_number}"
        entry = PolicyEntry(**values, sort_order=(row_number - 1) * 10)
        try:
            entry.full_clean(exclude=["version"], validate_unique=False)
        except ValidationError as exc:
            errors.extend(_model_errors(exc, row_number))
            continue
        if entry.key in keys:
            errors.append(
                f"{_where(row_number, HEADER_OF['key'])}：标识「{entry.key}」"
                f"与第 {keys[entry.key]} 行重复。"
            )
            continue
        keys[entry.key] = row_number
        entries.append(entry)
    return entries, errors


def _model_errors(exc: ValidationError, row_number: int) -> list[str]:
    if not hasattr(exc, "error_dict"):
        return [f"{_where(row_number)}：{message}" for message in exc.messages]
    return [
        f"{_where(row_number, HEADER_OF.get(name, ''))}：{message}"
        for name, messages in exc.message_dict.items()
        for message in messages
    ]

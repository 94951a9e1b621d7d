"""The catalog as an Excel workbook, in the layout a centre keeps by hand: one sheet of
items (one row each), one sheet of materials (one row per material) and one sheet of tiers
(「分级情形」, one row per tier, in the order they are tried). Chinese labels for choices; the
import also accepts the English values. A bad row refuses the whole file, with its row,
column and reason. In the tier sheet a blank cell takes the item's value; 法定时限「无」
means the law sets no limit. Files without the 「审批机关」 column or the tier sheet (older
exports) are read as having none."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from django.db.models import TextChoices
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException

from bangban.common.spreadsheet import append_row
from bangban.organization.models import Department, Domain

from .models import HandlingLevel, ItemKind, LimitUnit, Material, ServiceMode, Stage
from .specs import (
    ESTIMABLE_FIELDS,
    CatalogValidationError,
    ItemSpec,
    MaterialSpec,
    SpecError,
    TierSpec,
)

ITEMS_SHEET = "事项"
MATERIALS_SHEET = "申请材料"
TIERS_SHEET = "分级情形"
NO_LIMIT = "无"
MAX_ROWS = 5000
YES, NO = "是", "否"

# (header, spec attribute, kind) — kind decides conversion both ways.
ITEM_COLUMNS: list[tuple[str, str, Any]] = [
    ("事项编码", "code", "text"),
    ("事项名称", "name", "text"),
    ("其他名称", "aliases", "names"),
    ("阶段", "stage", Stage),
    ("领域", "domain", Domain),
    ("办理部门", "department", "department"),
    ("办理层级", "handling_level", HandlingLevel),
    ("审批机关", "authority", "text"),
    ("办件类型", "kind", ItemKind),
    ("法定时限", "legal_limit_days", "optional_int"),
    ("法定时限单位", "legal_limit_unit", LimitUnit),
    ("承诺时限（工作日）", "promised_limit_days", "int"),
    ("准备时间（工作日）", "preparation_days", "int"),
    ("服务方式", "service_mode", ServiceMode),
    ("容缺受理", "accept_with_gaps", "bool"),
    ("容缺补正期限（工作日）", "gap_supplement_days", "int"),
    ("告知承诺", "notify_commit", "bool"),
    ("收费", "fees", "text"),
    ("设定依据", "legal_basis", "text"),
    ("适用条件", "condition", "text"),
    ("适用条件依据", "condition_basis", "text"),
    ("前置事项", "prerequisites", "codes"),
    ("估算字段", "estimated_fields", "estimated"),
    ("政策文件出处", "seed_ref", "text"),
    ("数据来源", "value_sources", "text"),
    ("备注", "notes", "text"),
]
MATERIAL_COLUMNS = ["事项编码", "材料名称", "材料形式", "份数", "核心材料", "说明"]
# Columns an older workbook may lack (read as empty).
OPTIONAL_ITEM_COLUMNS = {"审批机关"}
# The tier sheet: (header, TierSpec attribute, kind); 事项编码 first.
TIER_COLUMNS: list[tuple[str, str, Any]] = [
    ("情形", "label", "text"),
    ("适用条件", "condition", "text"),
    ("依据", "basis", "text"),
    ("领域", "domain", Domain),
    ("办理部门", "department", "department"),
    ("办理层级", "handling_level", HandlingLevel),
    ("审批机关", "authority", "text"),
    ("办件类型", "kind", ItemKind),
    ("法定时限", "legal_limit_days", "optional_int"),
    ("法定时限单位", "legal_limit_unit", LimitUnit),
    ("承诺时限（工作日）", "promised_limit_days", "int"),
    ("准备时间（工作日）", "preparation_days", "int"),
    ("服务方式", "service_mode", ServiceMode),
]
_ESTIMATED_BY_LABEL = {label: name for name, label in ESTIMABLE_FIELDS.items()}


def _split(value: str, separators: tuple[str, ...] = ("；", ";", "\n")) -> list[str]:
    """Split a list cell. Names may contain 、 and ，, so name lists use ； only."""
    for sep in separators:
        value = value.replace(sep, "\n")
    return [part.strip() for part in value.split("\n") if part.strip()]


def _split_codes(value: str) -> list[str]:
    return _split(value, ("；", ";", "，", ",", "、", " ", "\n"))


# --- export -----------------------------------------------------------------------------------


def export_workbook(specs: list[ItemSpec], department_names: dict[str, str]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = ITEMS_SHEET
    header_font = Font(bold=True)
    fill = PatternFill("solid", fgColor="FCE7E6")
    append_row(sheet, [header for header, _, _ in ITEM_COLUMNS])

    def cell(value: Any, kind: Any) -> Any:
        if isinstance(kind, type) and issubclass(kind, TextChoices):
            return kind(value).label
        if kind == "department":
            return department_names.get(value, value)
        if kind == "bool":
            return YES if value else NO
        if kind in ("names", "codes"):
            return "；".join(value)
        if kind == "estimated":
            return "；".join(ESTIMABLE_FIELDS.get(v, v) for v in value)
        return value

    for spec in specs:
        append_row(sheet, [cell(getattr(spec, attr), kind) for _, attr, kind in ITEM_COLUMNS])
    materials = book.create_sheet(MATERIALS_SHEET)
    append_row(materials, MATERIAL_COLUMNS)
    for spec in specs:
        for m in spec.materials:
            append_row(
                materials,
                [
                    spec.code,
                    m.name,
                    Material.Form(m.form).label,
                    m.copies,
                    YES if m.is_core else NO,
                    m.note,
                ],
            )
    tiers = book.create_sheet(TIERS_SHEET)
    append_row(tiers, ["事项编码", *(header for header, _, _ in TIER_COLUMNS)])
    for spec in specs:
        for tier in spec.tiers:
            row = [spec.code]
            for _, attr, kind in TIER_COLUMNS:
                value = getattr(tier, attr)
                row.append(
                    NO_LIMIT if kind == "optional_int" and value is None else cell(value, kind)
                )
            append_row(tiers, row)
    for ws, widths in (
        (sheet, {"B": 40, "F": 30, "S": 50, "T": 50}),
        (materials, {"B": 50, "F": 40}),
        (tiers, {"B": 40, "C": 50, "D": 40, "F": 30}),
    ):
        for cell in ws[1]:
            cell.font = header_font
            cell.fill = fill
            cell.alignment = Alignment(vertical="center")
        ws.freeze_panes = "C2" if ws is not materials else "B2"
        for column, width in widths.items():
            ws.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- import -----------------------------------------------------------------------------------


class _RowErrors:
    def __init__(self) -> None:
        self.errors: list[SpecError] = []

    def add(self, sheet: str, row: int, column: str, message: str) -> None:
        self.errors.append(SpecError(f"工作表「{sheet}」第 {row} 行", column, message))


def _choice(kind: type[TextChoices]) -> Callable[[Any], str]:
    by_label = {str(label): value for value, label in kind.choices}

    def convert(raw: Any) -> str:
        text = str(raw).strip()
        if text in kind.values:
            return text
        if text in by_label:
            return by_label[text]
        raise ValueError(
            f"「{text}」不是有效取值，应为 {'、'.join(str(lbl) for lbl in kind.labels)} 之一。"
        )

    return convert


def _int(raw: Any) -> int:
    if isinstance(raw, bool):
        raise ValueError("应为整数。")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    text = str(raw).strip()
    if text.lstrip("-").isdigit():
        return int(text)
    raise ValueError(f"「{text}」不是整数。")


def _copies(raw: Any) -> int:
    value = _int(raw)
    if not 1 <= value <= 99:
        raise ValueError(f"份数应为 1 到 99，而不是 {value}。")
    return value


def _bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in ("是", "true", "1", "y", "yes", "可以", "√"):
        return True
    if text in ("否", "false", "0", "n", "no", "不可以", ""):
        return False
    raise ValueError(f"「{raw}」应填写“是”或“否”。")


def _cell_text(raw: Any) -> str:
    return "" if raw is None else str(raw).strip()


def parse_workbook(
    content: bytes,
) -> tuple[list[ItemSpec], dict[str, str], list[SpecError], set[str]]:
    """Read a workbook into specs, each code's row, the row-level problems and the codes of
    rows that could not be read. Raises CatalogValidationError when the file itself is
    unusable (not a workbook, sheet or column missing). Semantic checks follow in
    validate_specs."""
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError, Exception) as exc:  # noqa: BLE001 - any unreadable file
        raise CatalogValidationError(
            [SpecError("文件", "", f"无法读取 Excel 文件（.xlsx）：{exc.__class__.__name__}。")]
        ) from exc
    errors = _RowErrors()
    for name in (ITEMS_SHEET, MATERIALS_SHEET):
        if name not in book.sheetnames:
            raise CatalogValidationError([SpecError("文件", "", f"缺少工作表「{name}」。")])

    departments = list(Department.objects.values_list("key", "name"))
    dept_by_name: dict[str, list[str]] = {}
    for key, dname in departments:
        dept_by_name.setdefault(dname, []).append(key)
    dept_keys = {key for key, _ in departments}

    def department(raw: Any) -> str:
        text = str(raw).strip()
        if text in dept_keys:
            return text
        keys = dept_by_name.get(text, [])
        if len(keys) == 1:
            return keys[0]
        if len(keys) > 1:
            raise ValueError(f"部门名称「{text}」不唯一，请填写部门标识。")
        raise ValueError(f"找不到部门「{text}」。")

    def estimated(raw: Any) -> list[str]:
        result = []
        for part in _split_codes(str(raw)):
            name = _ESTIMATED_BY_LABEL.get(part, part)
            if name not in ESTIMABLE_FIELDS:
                raise ValueError(f"「{part}」不是可估算的字段。")
            result.append(name)
        return result

    converters: dict[Any, Callable[[Any], Any]] = {
        "text": _cell_text,
        "int": _int,
        "optional_int": lambda raw: (
            None if _cell_text(raw) in ("", NO_LIMIT, "—", "-") else _int(raw)
        ),
        "bool": _bool,
        "names": lambda raw: _split(_cell_text(raw)),
        "codes": lambda raw: _split_codes(_cell_text(raw)),
        "department": department,
        "estimated": estimated,
    }

    rows = book[ITEMS_SHEET].iter_rows(values_only=True)
    header = [_cell_text(h) for h in next(rows, ())]
    expected = [h for h, _, _ in ITEM_COLUMNS]
    missing = [h for h in expected if h not in header and h not in OPTIONAL_ITEM_COLUMNS]
    if missing:
        raise CatalogValidationError(
            [SpecError(f"工作表「{ITEMS_SHEET}」第 1 行", "", f"缺少列：{'、'.join(missing)}。")]
        )
    index = {h: header.index(h) if h in header else len(header) + 10_000 for h in expected}

    specs: list[ItemSpec] = []
    where: dict[str, str] = {}
    failed_codes: set[str] = set()
    for row_number, row in enumerate(rows, start=2):
        if row_number > MAX_ROWS:
            errors.add(ITEMS_SHEET, row_number, "", f"行数超过 {MAX_ROWS}。")
            break
        if not any(_cell_text(v) for v in row):
            continue
        values: dict[str, Any] = {}
        for header_name, attr, kind in ITEM_COLUMNS:
            raw = row[index[header_name]] if index[header_name] < len(row) else None
            convert = _choice(kind) if isinstance(kind, type) else converters[kind]
            if header_name in OPTIONAL_ITEM_COLUMNS and raw is None:
                values[attr] = ""
                continue
            if raw is None and (kind == "int" or isinstance(kind, type)):
                errors.add(ITEMS_SHEET, row_number, header_name, "不能为空。")
                continue
            try:
                values[attr] = convert("" if raw is None else raw)
            except ValueError as exc:
                errors.add(ITEMS_SHEET, row_number, header_name, str(exc))
        if len(values) == len(ITEM_COLUMNS):
            spec = ItemSpec(**values)
            specs.append(spec)
            where.setdefault(spec.code, f"工作表「{ITEMS_SHEET}」第 {row_number} 行")
        else:
            failed_codes.add(
                _cell_text(row[index["事项编码"]]) if index["事项编码"] < len(row) else ""
            )

    by_code = {spec.code: spec for spec in specs}
    material_rows = book[MATERIALS_SHEET].iter_rows(values_only=True)
    m_header = [_cell_text(h) for h in next(material_rows, ())]
    m_missing = [h for h in MATERIAL_COLUMNS if h not in m_header]
    if m_missing:
        raise CatalogValidationError(
            [
                SpecError(
                    f"工作表「{MATERIALS_SHEET}」第 1 行", "", f"缺少列：{'、'.join(m_missing)}。"
                )
            ]
        )
    m_index = {h: m_header.index(h) for h in MATERIAL_COLUMNS}
    form_of = _choice(Material.Form)
    for row_number, row in enumerate(material_rows, start=2):
        if not any(_cell_text(v) for v in row):
            continue
        cell = {h: (row[i] if i < len(row) else None) for h, i in m_index.items()}
        code = _cell_text(cell["事项编码"])
        spec = by_code.get(code)
        if spec is None and code in failed_codes:
            continue  # its item row is already reported
        if spec is None:
            errors.add(
                MATERIALS_SHEET,
                row_number,
                "事项编码",
                f"事项「{code}」不在「{ITEMS_SHEET}」工作表中。",
            )
            continue
        parsed: dict[str, Any] = {}
        for column, attr, convert, default in (
            ("材料名称", "name", _cell_text, ""),
            ("材料形式", "form", form_of, "原件"),
            ("份数", "copies", _copies, 1),
            ("核心材料", "is_core", _bool, "是"),
            ("说明", "note", _cell_text, ""),
        ):
            raw = cell[column]
            try:
                parsed[attr] = convert(default if raw in (None, "") else raw)
            except ValueError as exc:
                errors.add(MATERIALS_SHEET, row_number, column, str(exc))
        if len(parsed) == 5:
            spec.materials.append(MaterialSpec(**parsed))
    if TIERS_SHEET in book.sheetnames:
        _parse_tiers(book[TIERS_SHEET], by_code, failed_codes, converters, errors)
    return specs, where, errors.errors, failed_codes


def _parse_tiers(sheet, by_code, failed_codes, converters, errors: _RowErrors) -> None:
    """The tier rows, appended to their items in sheet order; a blank cell takes the
    item's value (法定时限「无」: no legal limit)."""
    rows = sheet.iter_rows(values_only=True)
    header = [_cell_text(h) for h in next(rows, ())]
    expected = ["事项编码", *(h for h, _, _ in TIER_COLUMNS)]
    missing = [h for h in expected if h not in header]
    if missing:
        raise CatalogValidationError(
            [SpecError(f"工作表「{TIERS_SHEET}」第 1 行", "", f"缺少列：{'、'.join(missing)}。")]
        )
    index = {h: header.index(h) for h in expected}
    for row_number, row in enumerate(rows, start=2):
        if not any(_cell_text(v) for v in row):
            continue
        cell = {h: (row[i] if i < len(row) else None) for h, i in index.items()}
        code = _cell_text(cell["事项编码"])
        spec = by_code.get(code)
        if spec is None:
            if code not in failed_codes:
                errors.add(
                    TIERS_SHEET,
                    row_number,
                    "事项编码",
                    f"事项「{code}」不在「{ITEMS_SHEET}」工作表中。",
                )
            continue
        values: dict[str, Any] = {
            attr: getattr(spec, attr)
            for _, attr, _ in TIER_COLUMNS
            if attr not in ("label", "condition", "basis")
        }
        values |= {"label": "", "condition": "", "basis": ""}
        ok = True
        for header_name, attr, kind in TIER_COLUMNS:
            raw = cell[header_name]
            if _cell_text(raw) == "":
                continue
            convert = _choice(kind) if isinstance(kind, type) else converters[kind]
            try:
                values[attr] = convert(raw)
            except ValueError as exc:
                errors.add(TIERS_SHEET, row_number, header_name, str(exc))
                ok = False
        if ok:
            spec.tiers.append(TierSpec(**values))

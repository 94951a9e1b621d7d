"""Plain item specifications and their validation, shared by the YAML loader, the Excel
import and the admin. A spec is what a row of the catalog says; validation collects every
problem with its location before anything is written, so a bad file changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from bangban.common.fields import TOO_LONG
from bangban.common.hashing import sm3_hex
from bangban.organization.models import Domain
from bangban.rules.conditions import ConditionError, compile_condition
from bangban.rules.graph import find_cycle

from .models import (
    HandlingLevel,
    Item,
    ItemKind,
    ItemTier,
    LimitUnit,
    Material,
    ServiceMode,
    Stage,
)

# Item fields whose value may be marked as an estimate (tag E of the reference data).
ESTIMABLE_FIELDS = {
    "legal_limit_days": "法定时限",
    "promised_limit_days": "承诺时限",
    "preparation_days": "准备时间",
    "handling_level": "办理层级",
    "kind": "办件类型",
    "materials": "申请材料",
    "prerequisites": "前置事项",
    "condition": "适用条件",
    "department": "办理部门",
    "tiers": "分级情形",
}
MAX_LIMIT_DAYS = 366


@dataclass
class MaterialSpec:
    name: str
    form: str = Material.Form.ORIGINAL
    copies: int = 1
    is_core: bool = True
    note: str = ""


@dataclass
class TierSpec:
    """A variant of an item (see :class:`~bangban.catalog.models.ItemTier`); complete."""

    label: str
    condition: str
    domain: str
    department: str  # a Department key
    handling_level: str
    kind: str
    legal_limit_days: int | None
    legal_limit_unit: str
    promised_limit_days: int
    preparation_days: int
    service_mode: str
    authority: str = ""
    basis: str = ""


# The fields a tier may set; those it leaves out it takes from its item.
TIER_FIELDS = (
    "domain",
    "department",
    "handling_level",
    "authority",
    "kind",
    "legal_limit_days",
    "legal_limit_unit",
    "promised_limit_days",
    "preparation_days",
    "service_mode",
)


@dataclass
class ItemSpec:
    code: str
    name: str
    stage: str
    domain: str
    department: str  # a Department key
    handling_level: str
    kind: str
    legal_limit_days: int | None
    legal_limit_unit: str
    promised_limit_days: int
    preparation_days: int
    service_mode: str
    accept_with_gaps: bool = False
    gap_supplement_days: int = 5
    notify_commit: bool = False
    fees: str = "免费"
    legal_basis: str = ""
    condition: str = ""
    condition_basis: str = ""
    estimated_fields: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    notes: str = ""
    seed_ref: str = ""
    value_sources: str = ""
    prerequisites: list[str] = field(default_factory=list)
    materials: list[MaterialSpec] = field(default_factory=list)
    authority: str = ""
    tiers: list[TierSpec] = field(default_factory=list)


@dataclass(frozen=True)
class SpecError:
    """One problem: `where` is a human location (第 5 行 / 事项 DS08), `column` the field label."""

    where: str
    column: str
    message: str

    def __str__(self) -> str:
        column = f"「{self.column}」" if self.column else ""
        return f"{self.where}{column}：{self.message}"


class CatalogValidationError(Exception):
    def __init__(self, errors: list[SpecError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


def max_promised_days(legal_limit_days: int | None, unit: str) -> int | None:
    """The longest promise a legal limit allows: calendar days hold at most 5/7 working days."""
    if legal_limit_days is None:
        return None
    if unit == LimitUnit.CALENDAR:
        return legal_limit_days * 5 // 7
    return legal_limit_days


def specs_digest(specs: Iterable[ItemSpec]) -> str:
    """SM3 of the normalised content: prerequisite order does not matter, item order does."""
    rows = []
    for spec in specs:
        row = asdict(spec)
        row["prerequisites"] = sorted(set(spec.prerequisites))
        rows.append(row)
    payload = json.dumps(rows, ensure_ascii=False, sort_keys=True)
    return sm3_hex(payload.encode("utf-8"))


def _choice_error(where: str, value: str, choices, label: str) -> SpecError:
    return SpecError(
        where, label, f"「{value}」不是有效取值，应为 {'、'.join(choices.labels)} 之一。"
    )


def _variant_errors(
    spec: ItemSpec | TierSpec, w: str, department_keys: set[str]
) -> list[SpecError]:
    """The checks an item and each of its tiers share: choices, department, limits."""
    errors: list[SpecError] = []
    for value, choices, label in (
        (spec.handling_level, HandlingLevel, "办理层级"),
        (spec.kind, ItemKind, "办件类型"),
        (spec.legal_limit_unit, LimitUnit, "法定时限单位"),
        (spec.service_mode, ServiceMode, "服务方式"),
    ):
        if value not in choices.values:
            errors.append(_choice_error(w, value, choices, label))
    if spec.domain not in Domain.values:
        errors.append(SpecError(w, "领域", f"「{spec.domain}」不是有效领域。"))
    if spec.department not in department_keys:
        errors.append(SpecError(w, "办理部门", f"找不到部门「{spec.department}」。"))
    for value, label in (
        (spec.promised_limit_days, "承诺时限"),
        (spec.preparation_days, "准备时间"),
        *([(spec.gap_supplement_days, "容缺补正期限")] if isinstance(spec, ItemSpec) else []),
    ):
        if not _is_days(value):
            errors.append(SpecError(w, label, f"应为 0 到 {MAX_LIMIT_DAYS} 之间的整数。"))
    legal = spec.legal_limit_days
    if legal is not None and not _is_days(legal):
        errors.append(
            SpecError(w, "法定时限", f"应为 0 到 {MAX_LIMIT_DAYS} 之间的整数，或留空表示未设定。")
        )
    elif legal is not None and _is_days(spec.promised_limit_days):
        ceiling = max_promised_days(legal, spec.legal_limit_unit)
        if ceiling is not None and spec.promised_limit_days > ceiling:
            unit = "个工作日" if spec.legal_limit_unit == LimitUnit.WORKING else "日"
            errors.append(
                SpecError(
                    w,
                    "承诺时限",
                    f"承诺时限 {spec.promised_limit_days} 个工作日超过法定时限 {legal} {unit}（最多 {ceiling} 个工作日）。",
                )
            )
    if spec.kind == ItemKind.IMMEDIATE and spec.promised_limit_days not in (0, None):
        errors.append(SpecError(w, "承诺时限", "即办件当场办结，承诺时限应为 0。"))
    return errors


def _text_fields(model) -> list[tuple[str, str, int]]:
    """(attribute, column label, limit) of the model's free-text columns a spec carries."""
    return [
        (field.name, str(field.verbose_name), field.max_length)
        for field in model._meta.get_fields()
        if getattr(field, "max_length", None)
        and not getattr(field, "choices", None)
        and field.get_internal_type() in ("CharField", "TextField")
    ]


def _length_errors(spec, model, w: str) -> list[SpecError]:
    """A text longer than the model's column takes (the message of a model's own check:
    「最多 2000 个字符（现有 2001 个）。」). Names (aliases) take the item name's limit."""
    errors = []
    for attr, label, limit in _text_fields(model):
        value = getattr(spec, attr, None)
        if isinstance(value, str) and len(value) > limit:
            message = TOO_LONG % {"limit_value": limit, "show_value": len(value)}
            errors.append(SpecError(w, label, message))
    if isinstance(spec, ItemSpec):
        limit = Item._meta.get_field("name").max_length
        for alias in spec.aliases:
            if len(alias) > limit:
                message = TOO_LONG % {"limit_value": limit, "show_value": len(alias)}
                errors.append(SpecError(w, "其他名称", message))
    return errors


def _is_days(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_LIMIT_DAYS


def validate_specs(
    specs: list[ItemSpec],
    *,
    department_keys: set[str],
    where: dict[str, str] | None = None,
    unreadable_codes: set[str] = frozenset(),
) -> list[SpecError]:
    """Return every problem of `specs` (empty list when they can be saved).

    `where` maps an item code to its human location (e.g. "第 5 行"); default "事项 CODE".
    `unreadable_codes` are codes of rows already reported as unreadable: references to them
    are not reported again.
    """
    errors: list[SpecError] = []
    where = where or {}

    def loc(spec: ItemSpec) -> str:
        return where.get(spec.code) or f"事项 {spec.code or '（无编码）'}"

    seen: dict[str, ItemSpec] = {}
    for spec in specs:
        w = loc(spec)
        if not spec.code:
            errors.append(SpecError(w, "事项编码", "不能为空。"))
        elif spec.code in seen:
            errors.append(SpecError(w, "事项编码", f"编码 {spec.code} 重复。"))
        else:
            seen[spec.code] = spec
        if not spec.name.strip():
            errors.append(SpecError(w, "事项名称", "不能为空。"))
        if spec.stage not in Stage.values:
            errors.append(_choice_error(w, spec.stage, Stage, "阶段"))
        errors.extend(_variant_errors(spec, w, department_keys))
        errors.extend(_length_errors(spec, Item, w))
        if spec.condition.strip():
            try:
                compile_condition(spec.condition)
            except ConditionError as exc:
                errors.append(SpecError(w, "适用条件", str(exc)))
        labels: set[str] = set()
        for number, tier in enumerate(spec.tiers, start=1):
            tier_where = f"{w}分级情形 {number}"
            if not tier.label.strip():
                errors.append(SpecError(tier_where, "情形", "不能为空。"))
            elif tier.label in labels:
                errors.append(SpecError(tier_where, "情形", f"情形「{tier.label}」重复。"))
            labels.add(tier.label)
            errors.extend(_variant_errors(tier, tier_where, department_keys))
            errors.extend(_length_errors(tier, ItemTier, tier_where))
            if tier.condition.strip():
                try:
                    compile_condition(tier.condition)
                except ConditionError as exc:
                    errors.append(SpecError(tier_where, "适用条件", str(exc)))
        for name in spec.estimated_fields:
            if name not in ESTIMABLE_FIELDS:
                errors.append(SpecError(w, "估算字段", f"「{name}」不是可估算的字段。"))
        if not spec.materials:
            errors.append(SpecError(w, "申请材料", "每个事项至少需要一项申请材料。"))
        material_names: set[str] = set()
        for material in spec.materials:
            if not material.name.strip():
                errors.append(SpecError(w, "申请材料", "材料名称不能为空。"))
            elif material.name in material_names:
                errors.append(SpecError(w, "申请材料", f"材料「{material.name}」重复。"))
            material_names.add(material.name)
            errors.extend(_length_errors(material, Material, w))
            if material.form not in Material.Form.values:
                errors.append(
                    SpecError(
                        w, "材料形式", f"材料「{material.name}」的形式「{material.form}」无效。"
                    )
                )
            if (
                not isinstance(material.copies, int)
                or isinstance(material.copies, bool)
                or not 1 <= material.copies <= 99
            ):
                errors.append(SpecError(w, "份数", f"材料「{material.name}」的份数应为 1 到 99。"))

    edges: list[tuple[str, str]] = []
    for spec in specs:
        for required in spec.prerequisites:
            if required == spec.code:
                errors.append(SpecError(loc(spec), "前置事项", "事项不能以自身为前置。"))
            elif required in unreadable_codes:
                continue  # that row is reported already
            elif required not in seen:
                errors.append(SpecError(loc(spec), "前置事项", f"前置事项 {required} 不存在。"))
            else:
                edges.append((required, spec.code))
    cycle = find_cycle(edges)
    if cycle:
        errors.append(SpecError("前置事项", "", "存在循环：" + " → ".join(cycle) + "。"))
    return errors

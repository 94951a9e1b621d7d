"""Loading the region tree, departments, routing table and function holders from the
versioned data files."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import Department, FunctionHolder, Region, RoutingRule


@dataclass
class LoadReport:
    created: dict[str, int] = field(
        default_factory=lambda: {"regions": 0, "departments": 0, "routing": 0}
    )
    updated: dict[str, int] = field(
        default_factory=lambda: {"regions": 0, "departments": 0, "routing": 0}
    )

    def __str__(self) -> str:
        return "，".join(
            f"{label}新增 {self.created[key]}、更新 {self.updated[key]}"
            for key, label in (
                ("regions", "区划"),
                ("departments", "部门"),
                ("routing", "分办规则"),
            )
        )


def _upsert(
    model,
    lookup: dict[str, Any],
    values: dict[str, Any],
    *,
    overwrite: bool,
    fill: tuple[str, ...] = (),
) -> tuple[Any, str]:
    """Create the row, or (with `overwrite`) rewrite it; without `overwrite` only the `fill`
    fields still unset on the row (a column added later) are taken from the file."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean()
        obj.save()
        return obj, "created"
    if overwrite and any(getattr(obj, k) != v for k, v in values.items()):
        for k, v in values.items():
            setattr(obj, k, v)
        obj.full_clean()
        obj.save()
        return obj, "updated"
    unset = [k for k in fill if not getattr(obj, k) and values.get(k)]
    if unset:
        for k in unset:
            setattr(obj, k, values[k])
        obj.full_clean()
        obj.save(update_fields=unset)
        return obj, "updated"
    return obj, "kept"


def _department_function(index: int, row: dict) -> str:
    """The row's `function`, refused with a message naming the row when missing or unknown."""
    value = row.get("function")
    allowed = "、".join(f"{v}（{label}）" for v, label in Department.Function.choices)
    where = f"部门第 {index} 条（{row.get('name')}）"
    if value in (None, ""):
        raise ValidationError(f"{where}：未填写职能 function，应为 {allowed} 之一。")
    if value not in Department.Function.values:
        raise ValidationError(f"{where}：职能「{value}」不存在，应为 {allowed} 之一。")
    return str(value)


@transaction.atomic
def organization_load(
    *, regions: list[dict], departments: list[dict], rules: list[dict], overwrite: bool = False
) -> LoadReport:
    """Create what the data files list and is missing. Existing rows are kept as an
    administrator may have edited them, unless `overwrite` is set; only a department's
    function still unset (a row older than the field) is filled from the file. Idempotent.
    A department row without a known `function` is refused, naming the row."""
    report = LoadReport()
    region_by_key: dict[str, Region] = {r.key: r for r in Region.objects.all()}
    for index, row in enumerate(regions, start=1):
        parent_key = row.get("parent")
        if parent_key and parent_key not in region_by_key:
            raise ValidationError(
                f"区划第 {index} 条（{row.get('name')}）：上级「{parent_key}」不存在或排在其后。"
            )
        values = {
            "code": str(row.get("code") or ""),
            "code_kind": row["code_kind"],
            "name": row["name"],
            "level": row["level"],
            "parent": region_by_key.get(parent_key) if parent_key else None,
            "sort_order": index,
        }
        obj, outcome = _upsert(Region, {"key": str(row["key"])}, values, overwrite=overwrite)
        region_by_key[obj.key] = obj
        _count(report, "regions", outcome)

    department_by_key: dict[str, Department] = {
        d.key: d for d in Department.objects.select_related("region")
    }
    for index, row in enumerate(departments, start=1):
        region = region_by_key.get(row.get("region"))
        if region is None:
            raise ValidationError(
                f"部门第 {index} 条（{row.get('name')}）：区划「{row.get('region')}」不存在。"
            )
        values = {
            "name": row["name"],
            "region": region,
            "kind": row.get("kind", "government"),
            "function": _department_function(index, row),
            "phone": str(row.get("phone") or ""),
        }
        obj, outcome = _upsert(
            Department, {"key": row["key"]}, values, overwrite=overwrite, fill=("function",)
        )
        department_by_key[obj.key] = obj
        _count(report, "departments", outcome)

    for index, row in enumerate(rules, start=1):
        region = region_by_key.get(row.get("region"))
        department = department_by_key.get(row.get("department"))
        if region is None or department is None:
            raise ValidationError(
                f"分办规则第 {index} 条：区划「{row.get('region')}」或部门「{row.get('department')}」不存在。"
            )
        values = {"department": department, "note": str(row.get("note") or "")}
        _, outcome = _upsert(
            RoutingRule, {"region": region, "domain": row["domain"]}, values, overwrite=overwrite
        )
        _count(report, "routing", outcome)
    return report


def _count(report: LoadReport, key: str, outcome: str) -> None:
    if outcome == "created":
        report.created[key] += 1
    elif outcome == "updated":
        report.updated[key] += 1


@transaction.atomic
def function_holders_load(*, rows: list[dict], overwrite: bool = False) -> tuple[int, int]:
    """Write the rows of ``data/organization/function_holders.yaml``: (created, updated).
    Rows are keyed by ``key``; a row already held is kept as an administrator left it unless
    ``overwrite``. Every row is checked like an admin edit (``FunctionHolder.clean``); any bad
    row refuses the whole file with messages naming the row. Idempotent."""
    regions = {r.key: r for r in Region.objects.all()}
    departments = {d.key: d for d in Department.objects.select_related("region")}
    errors: list[str] = []
    created = updated = 0
    for index, raw in enumerate(rows, start=1):
        where = f"办理部门第 {index} 条（{raw.get('key') or '未写标识'}）"
        region = regions.get(str(raw.get("region") or ""))
        department = departments.get(str(raw.get("department") or ""))
        if not raw.get("key"):
            errors.append(f"{where}：未写标识 key。")
            continue
        if region is None:
            errors.append(f"{where}：区划「{raw.get('region')}」不存在。")
            continue
        if department is None:
            errors.append(f"{where}：部门「{raw.get('department')}」不存在。")
            continue
        values = {
            "region": region,
            "domain": str(raw.get("domain") or ""),
            "items": _items_text(raw.get("items")),
            "department": department,
            "service_mode": str(raw.get("service_mode") or ""),
            "source": str(raw.get("source") or ""),
            "note": str(raw.get("note") or ""),
        }
        row = FunctionHolder.objects.filter(key=str(raw["key"])).first()
        if row is not None and not overwrite:
            continue
        was_new = row is None
        row = row or FunctionHolder(key=str(raw["key"]))
        for name, value in values.items():
            setattr(row, name, value)
        try:
            row.full_clean()
        except ValidationError as exc:
            errors.extend(f"{where}：{message}" for message in exc.messages)
            continue
        row.save()
        created += was_new
        updated += not was_new
    if errors:
        raise ValidationError(errors)
    return created, updated


def _items_text(value) -> str:
    """The ``items`` of a data row: a string (``DS31 DS57``) or a list of codes."""
    if isinstance(value, list | tuple):
        return " ".join(str(code) for code in value)
    return str(value or "")

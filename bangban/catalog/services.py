"""Writes to the catalog. Each service is one transaction; nothing is half-saved."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from bangban.organization.models import Department

from .models import CatalogVersion, Item, ItemTier, Material, Prerequisite
from .specs import (
    TIER_FIELDS,
    CatalogValidationError,
    ItemSpec,
    MaterialSpec,
    SpecError,
    TierSpec,
    specs_digest,
    validate_specs,
)

# --- specs <-> data -----------------------------------------------------------------------


def specs_from_mapping(data: dict[str, Any]) -> tuple[list[ItemSpec], dict[str, str]]:
    """Item specs from the versioned YAML data file's mapping; also each code's location."""
    specs: list[ItemSpec] = []
    where: dict[str, str] = {}
    for index, raw in enumerate(data.get("items") or [], start=1):
        if not isinstance(raw, dict):
            raise CatalogValidationError(
                [SpecError(f"第 {index} 个事项", "", "应为映射（键: 值）。")]
            )
        code = str(raw.get("code") or "").strip()
        where[code] = f"事项 {code}（第 {index} 个）"
        legal = raw.get("legal_limit")
        specs.append(
            ItemSpec(
                code=code,
                name=str(raw.get("name") or "").strip(),
                aliases=[str(a) for a in raw.get("aliases") or []],
                stage=str(raw.get("stage") or ""),
                domain=str(raw.get("domain") or ""),
                department=str(raw.get("department") or ""),
                handling_level=str(raw.get("level") or "zone"),
                kind=str(raw.get("kind") or ""),
                legal_limit_days=legal if legal is None else legal,
                legal_limit_unit=str(raw.get("legal_limit_unit") or "working"),
                promised_limit_days=raw.get("promised_limit", 0),
                preparation_days=raw.get("preparation_days", 0),
                service_mode=str(raw.get("service_mode") or ""),
                accept_with_gaps=bool(raw.get("accept_with_gaps", False)),
                gap_supplement_days=raw.get("gap_supplement_days", 5),
                notify_commit=bool(raw.get("notify_commit", False)),
                fees=str(raw.get("fees") or "免费"),
                legal_basis=str(raw.get("legal_basis") or ""),
                condition=str(raw.get("condition") or ""),
                condition_basis=str(raw.get("condition_basis") or ""),
                estimated_fields=[_estimated_name(n) for n in raw.get("estimated") or []],
                notes=str(raw.get("notes") or ""),
                seed_ref=str(raw.get("seed") or ""),
                value_sources=str(raw.get("sources") or ""),
                prerequisites=[str(c) for c in raw.get("prerequisites") or []],
                materials=[
                    MaterialSpec(
                        name=str(m.get("name") or "").strip(),
                        form=str(m.get("form") or "original"),
                        copies=m.get("copies", 1),
                        is_core=bool(m.get("core", True)),
                        note=str(m.get("note") or ""),
                    )
                    for m in raw.get("materials") or []
                ],
                authority=str(raw.get("authority") or ""),
            )
        )
        specs[-1].tiers = _tiers_from_mapping(specs[-1], raw.get("tiers") or [])
    return specs, where


def _tiers_from_mapping(item: ItemSpec, rows: list) -> list[TierSpec]:
    """An item's tiers from the data file: what a tier leaves out it takes from the item
    (``legal_limit: null`` written out means "no legal limit", left out means the item's)."""
    tiers = []
    for raw in rows:
        if not isinstance(raw, dict):
            raw = {}
        values = {name: getattr(item, name) for name in TIER_FIELDS}
        for key, value in raw.items():
            name = _DATA_FIELD_NAMES.get(str(key), str(key))
            if name in TIER_FIELDS:
                values[name] = value
        for name in ("domain", "department", "handling_level", "authority", "kind"):
            values[name] = str(values[name] or "")
        values["legal_limit_unit"] = str(values["legal_limit_unit"] or "working")
        values["service_mode"] = str(values["service_mode"] or "")
        tiers.append(
            TierSpec(
                label=str(raw.get("label") or "").strip(),
                condition=str(raw.get("condition") or "").strip(),
                basis=str(raw.get("basis") or ""),
                **values,
            )
        )
    return tiers


# The data file names a few fields shortly; the model uses the long names.
_DATA_FIELD_NAMES = {
    "legal_limit": "legal_limit_days",
    "promised_limit": "promised_limit_days",
    "level": "handling_level",
}


def _estimated_name(name: str) -> str:
    return _DATA_FIELD_NAMES.get(str(name), str(name))


def specs_from_version(version: CatalogVersion) -> list[ItemSpec]:
    items = (
        version.items.select_related("department")
        .prefetch_related("materials", "prerequisite_links__required", "tiers__department")
        .order_by("sort_order", "code")
    )
    return [
        ItemSpec(
            code=item.code,
            name=item.name,
            aliases=list(item.aliases),
            stage=item.stage,
            domain=item.domain,
            department=item.department.key,
            handling_level=item.handling_level,
            kind=item.kind,
            legal_limit_days=item.legal_limit_days,
            legal_limit_unit=item.legal_limit_unit,
            promised_limit_days=item.promised_limit_days,
            preparation_days=item.preparation_days,
            service_mode=item.service_mode,
            accept_with_gaps=item.accept_with_gaps,
            gap_supplement_days=item.gap_supplement_days,
            notify_commit=item.notify_commit,
            fees=item.fees,
            legal_basis=item.legal_basis,
            condition=item.condition,
            condition_basis=item.condition_basis,
            estimated_fields=list(item.estimated_fields),
            notes=item.notes,
            seed_ref=item.seed_ref,
            value_sources=item.value_sources,
            prerequisites=sorted(link.required.code for link in item.prerequisite_links.all()),
            materials=[
                MaterialSpec(
                    name=m.name, form=m.form, copies=m.copies, is_core=m.is_core, note=m.note
                )
                for m in item.materials.all()
            ],
            authority=item.authority,
            tiers=[
                TierSpec(
                    label=t.label,
                    condition=t.condition,
                    basis=t.basis,
                    domain=t.domain,
                    department=t.department.key,
                    handling_level=t.handling_level,
                    authority=t.authority,
                    kind=t.kind,
                    legal_limit_days=t.legal_limit_days,
                    legal_limit_unit=t.legal_limit_unit,
                    promised_limit_days=t.promised_limit_days,
                    preparation_days=t.preparation_days,
                    service_mode=t.service_mode,
                )
                for t in item.tiers.all()
            ],
        )
        for item in items
    ]


# --- versions -------------------------------------------------------------------------------


def _validate_or_raise(
    specs: list[ItemSpec], where: dict[str, str] | None = None
) -> dict[str, int]:
    departments = dict(Department.objects.values_list("key", "id"))
    errors = validate_specs(specs, department_keys=set(departments), where=where)
    if errors:
        raise CatalogValidationError(errors)
    return departments


def _write_items(
    version: CatalogVersion, specs: list[ItemSpec], departments: dict[str, int]
) -> None:
    items = Item.objects.bulk_create(
        [
            Item(
                version=version,
                code=s.code,
                name=s.name,
                aliases=s.aliases,
                stage=s.stage,
                domain=s.domain,
                department_id=departments[s.department],
                handling_level=s.handling_level,
                authority=s.authority,
                kind=s.kind,
                legal_limit_days=s.legal_limit_days,
                legal_limit_unit=s.legal_limit_unit,
                promised_limit_days=s.promised_limit_days,
                preparation_days=s.preparation_days,
                service_mode=s.service_mode,
                accept_with_gaps=s.accept_with_gaps,
                gap_supplement_days=s.gap_supplement_days,
                notify_commit=s.notify_commit,
                fees=s.fees,
                legal_basis=s.legal_basis,
                condition=s.condition.strip(),
                condition_basis=s.condition_basis,
                estimated_fields=s.estimated_fields,
                notes=s.notes,
                seed_ref=s.seed_ref,
                value_sources=s.value_sources,
                sort_order=index,
            )
            for index, s in enumerate(specs, start=1)
        ]
    )
    by_code = {item.code: item for item in items}
    if any(item.pk is None for item in items):  # backends without RETURNING
        by_code = {item.code: item for item in version.items.all()}
    Material.objects.bulk_create(
        [
            Material(
                item=by_code[s.code],
                name=m.name,
                form=m.form,
                copies=m.copies,
                is_core=m.is_core,
                note=m.note,
                sort_order=i,
            )
            for s in specs
            for i, m in enumerate(s.materials, start=1)
        ]
    )
    Prerequisite.objects.bulk_create(
        [
            Prerequisite(item=by_code[s.code], required=by_code[code])
            for s in specs
            for code in dict.fromkeys(s.prerequisites)
        ]
    )
    ItemTier.objects.bulk_create(
        [
            ItemTier(
                item=by_code[s.code],
                label=t.label,
                condition=t.condition.strip(),
                basis=t.basis,
                domain=t.domain,
                department_id=departments[t.department],
                handling_level=t.handling_level,
                authority=t.authority,
                kind=t.kind,
                legal_limit_days=t.legal_limit_days,
                legal_limit_unit=t.legal_limit_unit,
                promised_limit_days=t.promised_limit_days,
                preparation_days=t.preparation_days,
                service_mode=t.service_mode,
                sort_order=i,
            )
            for s in specs
            for i, t in enumerate(s.tiers, start=1)
        ]
    )


def _next_number() -> int:
    return (CatalogVersion.objects.aggregate(n=Max("number"))["n"] or 0) + 1


@transaction.atomic
def catalog_draft_replace(
    *,
    specs: list[ItemSpec],
    source: str,
    user=None,
    where: dict[str, str] | None = None,
    note: str = "",
) -> CatalogVersion:
    """Validate `specs` and make them the content of the (single) draft version."""
    departments = _validate_or_raise(specs, where)
    draft = (
        CatalogVersion.objects.select_for_update()
        .filter(status=CatalogVersion.Status.DRAFT)
        .first()
    )
    if draft is None:
        draft = CatalogVersion.objects.create(
            number=_next_number(), status=CatalogVersion.Status.DRAFT, created_by=user
        )
    else:
        Item.objects.filter(version=draft).delete()
    draft.source = source[:200]
    draft.note = note[:200]
    draft.digest = specs_digest(specs)
    draft.save(update_fields=["source", "note", "digest"])
    _write_items(draft, specs, departments)
    return draft


@transaction.atomic
def catalog_draft_get_or_create(*, user=None) -> CatalogVersion:
    """The draft to edit: the existing one, or a copy of the published version."""
    draft = CatalogVersion.objects.filter(status=CatalogVersion.Status.DRAFT).first()
    if draft is not None:
        return draft
    published = CatalogVersion.objects.filter(status=CatalogVersion.Status.PUBLISHED).first()
    specs = specs_from_version(published) if published else []
    draft = CatalogVersion.objects.create(
        number=_next_number(),
        status=CatalogVersion.Status.DRAFT,
        created_by=user,
        source=f"复制自第 {published.number} 版" if published else "新建",
        digest=specs_digest(specs),
    )
    if specs:
        _write_items(draft, specs, dict(Department.objects.values_list("key", "id")))
    return draft


@transaction.atomic
def catalog_version_publish(*, version: CatalogVersion, user=None) -> CatalogVersion:
    """Publish the draft: validate it whole, supersede the published version."""
    version = CatalogVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != CatalogVersion.Status.DRAFT:
        raise CatalogValidationError([SpecError(str(version), "", "只有草稿版本可以发布。")])
    specs = specs_from_version(version)
    if not specs:
        raise CatalogValidationError([SpecError(str(version), "", "草稿中没有事项，不能发布。")])
    _validate_or_raise(specs)
    CatalogVersion.objects.filter(status=CatalogVersion.Status.PUBLISHED).update(
        status=CatalogVersion.Status.SUPERSEDED
    )
    version.status = CatalogVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.digest = specs_digest(specs)
    version.save(update_fields=["status", "published_at", "digest"])
    return version


@transaction.atomic
def catalog_load(
    *, specs: list[ItemSpec], source: str, where: dict[str, str] | None = None, user=None
) -> tuple[CatalogVersion, bool]:
    """Make `specs` the published catalog. Idempotent: when the published version already
    has exactly this content nothing is written and (version, False) is returned."""
    digest = specs_digest(specs)
    published = CatalogVersion.objects.filter(status=CatalogVersion.Status.PUBLISHED).first()
    if published is not None and published.digest == digest:
        _validate_or_raise(specs, where)
        return published, False
    draft = CatalogVersion.objects.filter(status=CatalogVersion.Status.DRAFT).first()
    if draft is not None and draft.digest != digest:
        raise CatalogValidationError(
            [
                SpecError(
                    str(draft),
                    "",
                    "存在未发布的草稿，为免覆盖其中的编辑，载入已中止。请先发布或删除该草稿。",
                )
            ]
        )
    draft = catalog_draft_replace(
        specs=specs, source=source, user=user, where=where, note="由数据文件载入"
    )
    return catalog_version_publish(version=draft, user=user), True


@transaction.atomic
def catalog_import_workbook(*, content: bytes, filename: str, user=None) -> CatalogVersion:
    """Read an Excel workbook into the draft version. Any bad row refuses the whole file."""
    from .workbook import parse_workbook

    specs, where, errors, failed_codes = parse_workbook(content)
    if errors:
        departments = set(Department.objects.values_list("key", flat=True))
        errors += validate_specs(
            specs, department_keys=departments, where=where, unreadable_codes=failed_codes
        )
        raise CatalogValidationError(errors)
    if not specs:
        raise CatalogValidationError([SpecError("文件", "", "工作表「事项」中没有事项。")])
    return catalog_draft_replace(
        specs=specs,
        source=f"Excel 导入：{filename}"[:200],
        user=user,
        where=where,
        note="Excel 导入",
    )


def catalog_export_workbook(*, version: CatalogVersion) -> bytes:
    from .workbook import export_workbook

    names = dict(Department.objects.values_list("key", "name"))
    return export_workbook(specs_from_version(version), names)

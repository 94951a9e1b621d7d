"""The compiled catalog: a catalog version read once and kept ready to plan with (SPEC §5).

The items of a version (compiled conditions, prerequisite edges, materials, department names)
are compiled once per process and kept per version; a version is identified by its number and
its content digest, so a republished or reloaded catalog is never served stale. Which version
is published is asked with one plain SQL statement (every plan asks it).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from django.db import connection

from bangban.catalog.models import (
    STAGE_ORDER,
    CatalogVersion,
    HandlingLevel,
    Item,
    ItemKind,
    ItemTier,
    Material,
    Prerequisite,
    ServiceMode,
    Stage,
)
from bangban.organization.models import Region
from bangban.rules.conditions import Condition, compile_condition

__all__ = [
    "CatalogEntry",
    "CatalogMaterial",
    "CatalogUnavailable",
    "CompiledCatalog",
    "catalog_compiled",
    "catalog_compiled_cache_clear",
]

_STAGE_LABELS = dict(Stage.choices)
_KIND_LABELS = dict(ItemKind.choices)
_MODE_LABELS = dict(ServiceMode.choices)
_LEVEL_LABELS = dict(HandlingLevel.choices)
_FORM_LABELS = dict(Material.Form.choices)


class CatalogUnavailable(Exception):
    """There is no published catalog (or the requested version does not exist)."""

    message = "事项清单尚未发布，暂时无法生成方案。"

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True, slots=True)
class CatalogMaterial:
    name: str
    form: str
    form_label: str
    copies: int
    is_core: bool
    note: str


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    code: str
    name: str
    stage: str
    stage_label: str
    stage_order: int
    sort_order: int
    department: str  # name
    department_key: str
    kind: str
    kind_label: str
    service_mode: str
    service_mode_label: str
    preparation_days: int
    promised_days: int
    accept_with_gaps: bool
    condition: Condition
    prerequisites: tuple[str, ...]
    materials: tuple[CatalogMaterial, ...]
    level: str = HandlingLevel.ZONE.value
    level_label: str = _LEVEL_LABELS[HandlingLevel.ZONE.value]
    authority: str = ""  # who decides above the zone (上报件), when the data names it
    legal_limit_days: int | None = None  # None: the law sets no limit
    legal_limit_unit: str = "working"
    # The region path of the handling department: local for the projects whose 旗县区/园区
    # contains it, 专业跑腿 for the others (bangban.rules.handling.service_mode_in).
    department_path: str = ""
    domain: str = ""  # the item's (tier's) domain: which function-holder rows apply
    tier_label: str = ""  # the tier this entry stands for ("" : the item itself)
    tier_condition: Condition | None = None
    # The item's tiers, in order: the planner takes the first whose condition holds.
    tiers: tuple[CatalogEntry, ...] = ()

    def variant_for(self, values: Mapping) -> CatalogEntry:
        """The entry for a project: its first tier whose condition holds, else itself."""
        for tier in self.tiers:
            if tier.tier_condition is None or tier.tier_condition.evaluate(values):
                return tier
        return self


@dataclass(frozen=True)
class CompiledCatalog:
    """One catalog version, ready to plan with (immutable; shared between threads)."""

    number: int
    digest: str
    entries: tuple[CatalogEntry, ...]  # catalog order (sort_order, code)
    by_code: Mapping[str, CatalogEntry]
    names: Mapping[str, str]  # code -> name
    always: tuple[CatalogEntry, ...]  # entries with an empty condition
    conditional: tuple[CatalogEntry, ...]  # the others
    # Region path -> level, read with the version: where a project's 旗县区/园区 is.
    region_levels: Mapping[str, str] = field(default_factory=dict)


_cache_lock = threading.Lock()
_cache: dict[tuple[int, str], CompiledCatalog] = {}
_latest_by_number: dict[int, CompiledCatalog] = {}


def catalog_compiled_cache_clear() -> None:
    """Forget every compiled catalog of this process."""
    with _cache_lock:
        _cache.clear()
        _latest_by_number.clear()


def _compile_version(version: CatalogVersion) -> CompiledCatalog:
    """Read one version in five queries (items, materials, prerequisites, tiers, the region
    tree) and compile it."""
    items = list(
        Item.objects.filter(version=version)
        .select_related("department__region")
        .order_by("sort_order", "code")
        .only(
            "id",
            "code",
            "name",
            "stage",
            "domain",
            "sort_order",
            "kind",
            "service_mode",
            "preparation_days",
            "promised_limit_days",
            "accept_with_gaps",
            "condition",
            "handling_level",
            "authority",
            "legal_limit_days",
            "legal_limit_unit",
            "department__name",
            "department__key",
            "department__region__path",
        )
    )
    levels = dict(Region.objects.values_list("path", "level"))
    materials: dict[int, list[CatalogMaterial]] = {}
    rows = (
        Material.objects.filter(item__version=version)
        .order_by("item_id", "sort_order", "id")
        .values_list("item_id", "name", "form", "copies", "is_core", "note")
    )
    for item_id, name, form, copies, is_core, note in rows:
        materials.setdefault(item_id, []).append(
            CatalogMaterial(name, form, _FORM_LABELS.get(form, form), copies, is_core, note)
        )
    prerequisites: dict[int, list[str]] = {}
    for item_id, code in Prerequisite.objects.filter(item__version=version).values_list(
        "item_id", "required__code"
    ):
        prerequisites.setdefault(item_id, []).append(code)
    tiers: dict[int, list[ItemTier]] = {}
    for tier in (
        ItemTier.objects.filter(item__version=version)
        .select_related("department__region")
        .order_by("item_id", "sort_order", "id")
    ):
        tiers.setdefault(tier.item_id, []).append(tier)

    entries = tuple(
        _with_tiers(
            CatalogEntry(
                code=item.code,
                name=item.name,
                stage=item.stage,
                stage_label=_STAGE_LABELS.get(item.stage, item.stage),
                stage_order=STAGE_ORDER.get(item.stage, len(STAGE_ORDER)),
                sort_order=item.sort_order,
                department=item.department.name,
                department_key=item.department.key,
                kind=item.kind,
                kind_label=_KIND_LABELS.get(item.kind, item.kind),
                service_mode=item.service_mode,
                service_mode_label=_MODE_LABELS.get(item.service_mode, item.service_mode),
                preparation_days=item.preparation_days,
                promised_days=item.promised_limit_days,
                accept_with_gaps=item.accept_with_gaps,
                condition=compile_condition(item.condition or ""),
                prerequisites=tuple(sorted(prerequisites.get(item.id, ()))),
                materials=tuple(materials.get(item.id, ())),
                level=item.handling_level,
                level_label=_LEVEL_LABELS.get(item.handling_level, item.handling_level),
                authority=item.authority,
                legal_limit_days=item.legal_limit_days,
                legal_limit_unit=item.legal_limit_unit,
                department_path=item.department.region.path,
                domain=item.domain,
            ),
            tiers.get(item.id, ()),
        )
        for item in items
    )
    return CompiledCatalog(
        number=version.number,
        digest=version.digest,
        entries=entries,
        by_code={entry.code: entry for entry in entries},
        names={entry.code: entry.name for entry in entries},
        always=tuple(e for e in entries if e.condition.is_empty),
        conditional=tuple(e for e in entries if not e.condition.is_empty),
        region_levels=levels,
    )


def _with_tiers(entry: CatalogEntry, tiers) -> CatalogEntry:
    """``entry`` with its tiers compiled as entries of their own (same code, materials and
    prerequisites; the tier's level, department, limits and mode)."""
    if not tiers:
        return entry
    variants = tuple(
        replace(
            entry,
            department=tier.department.name,
            department_key=tier.department.key,
            department_path=tier.department.region.path,
            domain=tier.domain,
            kind=tier.kind,
            kind_label=_KIND_LABELS.get(tier.kind, tier.kind),
            service_mode=tier.service_mode,
            service_mode_label=_MODE_LABELS.get(tier.service_mode, tier.service_mode),
            preparation_days=tier.preparation_days,
            promised_days=tier.promised_limit_days,
            level=tier.handling_level,
            level_label=_LEVEL_LABELS.get(tier.handling_level, tier.handling_level),
            authority=tier.authority,
            legal_limit_days=tier.legal_limit_days,
            legal_limit_unit=tier.legal_limit_unit,
            tier_label=tier.label,
            tier_condition=compile_condition(tier.condition) if tier.condition.strip() else None,
        )
        for tier in tiers
    )
    return replace(entry, tiers=variants)


def _remember(compiled: CompiledCatalog) -> CompiledCatalog:
    with _cache_lock:
        _cache[(compiled.number, compiled.digest)] = compiled
        _latest_by_number[compiled.number] = compiled
    return compiled


_PUBLISHED_SQL = "SELECT number, digest FROM {table} WHERE status = %s"


def _published_key() -> tuple[int, str] | None:
    """(number, digest) of the published version. This runs on every plan, so it is one
    plain SQL statement (about a sixth of the ORM's cost for the same query)."""
    sql = _PUBLISHED_SQL.format(table=connection.ops.quote_name(CatalogVersion._meta.db_table))
    with connection.cursor() as cursor:
        cursor.execute(sql, [CatalogVersion.Status.PUBLISHED.value])
        row = cursor.fetchone()
    return (int(row[0]), row[1]) if row else None


def catalog_compiled(version: int | CatalogVersion | None = None) -> CompiledCatalog:
    """The compiled catalog of ``version`` (a number or a row), or of the published version.

    Published and superseded versions never change, so they are cached in-process by
    (number, digest); a draft is compiled afresh every time. Costs one query when
    ``version`` is None (which version is published?), none when a cached version is
    given, and three more to compile a version the first time.
    Raises :class:`CatalogUnavailable` when there is no such version.
    """
    if isinstance(version, int):
        found = _latest_by_number.get(version)
        if found is not None:
            return found
        row = CatalogVersion.objects.filter(number=version).first()
    elif isinstance(version, CatalogVersion):
        row = version
    else:
        key = _published_key()
        if key is None:
            raise CatalogUnavailable()
        found = _cache.get(key)
        if found is not None:
            return found
        row = CatalogVersion.objects.filter(number=key[0]).first()
    if row is None:
        raise CatalogUnavailable()
    if row.status == CatalogVersion.Status.DRAFT:
        return _compile_version(row)
    found = _cache.get((row.number, row.digest))
    if found is not None:
        return found
    return _remember(_compile_version(row))

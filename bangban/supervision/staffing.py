"""Staffing minimums (SPEC §7, issue 13 item 8): which units are short of the agents or helpers
the policies require, counted in the database.

The minimums are data (:class:`~bangban.supervision.models.StaffingMinimum`, loaded from
``data/supervision/staffing.yaml`` by ``load_staffing``, editable in the admin). The county-
level city's 实施意见 (seed 004): 「原则上各镇代办机构配备代办员不少于3名，各主功能区配备不少于5名」;
Baotou (seed 002): each department 「选派至少1名业务骨干作为本部门代办帮办人员」 (Ordos, seed 000:
「各相关部门、自然资源分局至少选派1—2名」).

What a *unit* is — read from the organisation register, never from a name:

| unit kind | the departments | counted |
|---|---|---|
| town agency (苏木乡镇街道代办机构) | kind 乡镇街道 (the town's government, which hosts the town's 代办机构: 「各镇（区）设立代办机构」), or function 代办机构 in a town or village | active users of the minimum's role (代办帮办员) |
| zone agency (旗县区/园区代办机构) | function 代办机构 in a 旗县区 or a 园区/新区 (the 主功能区) | the same (代办帮办员) |
| department (审批及相关部门) | function 发展改革, 行业主管部门 or 审批部门, not an errand company | 部门帮办员 |

An agency of a 盟市 or of the 自治区 has no minimum in the seeds and is not listed; neither are
investment promotion, industry offices, public services and the other departments. A user
counts for the department it belongs to (``User.department``) when it is active and holds the
minimum's role.

Which minimum applies: the row of the unit's kind for the unit's region or its nearest
ancestor region, else the platform-wide row (region empty). Everything — the unit's kind, the
applicable minimum, the head count and the shortfall — is computed in ONE query (correlated
subqueries and a ``CASE``), filtered and ordered in the database, so the dashboard reads only
the rows it shows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from bangban.accounts.models import Role, User
from bangban.common import scoping
from bangban.organization.models import Department, Region

from .models import StaffingMinimum
from .selectors import may_read_metrics

UnitKind = StaffingMinimum.UnitKind

#: Functions of the departments held to the department minimum (审批及相关部门).
DEPARTMENT_FUNCTIONS = (
    Department.Function.DEVELOPMENT_REFORM,
    Department.Function.INDUSTRY_AUTHORITY,
    Department.Function.APPROVAL,
)
TOWN_LEVELS = (Region.Level.TOWN, Region.Level.VILLAGE)
ZONE_LEVELS = (Region.Level.COUNTY, Region.Level.ZONE)

#: Who may see the staffing list: the readers of the metrics (supervisors, leaders and the
#: centre admins who keep the staff) of a region, and platform operators.
may_view_staffing = may_read_metrics


def staffing_minimum_scope(user) -> Q:
    """The minimums a user manages in the admin: those of its region subtree (the platform-
    wide defaults are the platform operators'; the staffing page shows which row applies)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return scoping.NOTHING
    if scoping.is_platform_operator(user):
        return Q()
    if not user.region_id:
        return scoping.NOTHING
    return Q(region__path__startswith=user.region.path)


def register_scopes() -> None:
    """Tell ``bangban.common.scoping`` (read by the admin) the scoping of the minimums."""
    scoping.register(StaffingMinimum, staffing_minimum_scope)


def unit_kind_expression() -> Case:
    """The unit kind of a department as SQL (empty: not a unit)."""
    return Case(
        When(kind=Department.Kind.TOWN, then=Value(UnitKind.TOWN_AGENCY)),
        When(
            function=Department.Function.AGENCY,
            region__level__in=TOWN_LEVELS,
            then=Value(UnitKind.TOWN_AGENCY),
        ),
        When(
            function=Department.Function.AGENCY,
            region__level__in=ZONE_LEVELS,
            then=Value(UnitKind.ZONE_AGENCY),
        ),
        When(
            Q(function__in=DEPARTMENT_FUNCTIONS) & ~Q(kind=Department.Kind.ERRAND),
            then=Value(UnitKind.DEPARTMENT),
        ),
        default=Value(""),
        output_field=CharField(),
    )


def _applicable_minimum() -> QuerySet[StaffingMinimum]:
    """The minimum of the outer department's unit kind for its region or the nearest region
    above it, else the default (ordered deepest first: an ancestor's path is a prefix of its
    descendants', so the longest matching path is the nearest)."""
    return (
        StaffingMinimum.objects.annotate(
            unit_path=ExpressionWrapper(OuterRef("region__path"), output_field=CharField())
        )
        .filter(unit_kind=OuterRef("unit_kind"))
        .filter(Q(region__isnull=True) | Q(unit_path__startswith=F("region__path")))
        .order_by(F("region__path").desc(nulls_last=True), "pk")
    )


def staffing_units(user) -> QuerySet[Department]:
    """The units ``user`` may see (its region subtree), each annotated with ``unit_kind``,
    ``minimum_id``, ``minimum``, ``staff_role``, ``staff_count`` and ``shortfall``; units
    without an applicable minimum are left out. Ordered by shortfall (largest first), then
    region and name. One query."""
    if not may_view_staffing(user):
        return Department.objects.none()
    applicable = _applicable_minimum()
    head_count = (
        User.objects.filter(
            department_id=OuterRef("pk"), is_active=True, role=OuterRef("staff_role")
        )
        .order_by()
        .values("department_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Department.objects.filter(scoping.scope_for(Department, user), is_active=True)
        .annotate(unit_kind=unit_kind_expression())
        .exclude(unit_kind="")
        .annotate(
            minimum_id=Subquery(applicable.values("pk")[:1]),
            minimum=Subquery(applicable.values("minimum")[:1], output_field=IntegerField()),
            staff_role=Subquery(applicable.values("role")[:1], output_field=CharField()),
        )
        .filter(minimum_id__isnull=False)
        .annotate(staff_count=Coalesce(Subquery(head_count, output_field=IntegerField()), 0))
        .annotate(shortfall=F("minimum") - F("staff_count"))
        .select_related("region")
        .order_by("-shortfall", "region__path", "name", "pk")
    )


def staffing_shortages(user) -> QuerySet[Department]:
    """The units short of their minimum (:func:`staffing_units` whose head count is below it)."""
    return staffing_units(user).filter(staff_count__lt=F("minimum"))


@dataclass(frozen=True)
class StaffingRow:
    department_id: int
    department: str
    region: str
    unit_kind: str
    unit_kind_label: str
    role: str
    role_label: str
    minimum: int
    staff_count: int
    shortfall: int  # 0 when the unit is fully staffed
    minimum_region: str  # the region whose row applies; "" for the platform-wide default
    source: str

    @property
    def is_short(self) -> bool:
        return self.shortfall > 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "department": {"id": self.department_id, "name": self.department},
            "region": self.region,
            "unit_kind": self.unit_kind,
            "unit_kind_label": self.unit_kind_label,
            "role": self.role,
            "role_label": self.role_label,
            "minimum": self.minimum,
            "staff_count": self.staff_count,
            "shortfall": self.shortfall,
            "minimum_region": self.minimum_region or None,
            "source": self.source,
        }


def minimums_by_id() -> dict[int, StaffingMinimum]:
    """Every minimum with its region (a small table: one query)."""
    return {row.pk: row for row in StaffingMinimum.objects.select_related("region")}


def staffing_rows(units, minimums: Mapping[int, StaffingMinimum]) -> list[StaffingRow]:
    """Plain rows from annotated units (a sliced or whole :func:`staffing_units` queryset)."""
    kinds = dict(UnitKind.choices)
    roles = dict(Role.choices)
    rows = []
    for unit in units:
        rule = minimums.get(unit.minimum_id)
        rows.append(
            StaffingRow(
                department_id=unit.pk,
                department=unit.name,
                region=unit.region.name,
                unit_kind=unit.unit_kind,
                unit_kind_label=kinds.get(unit.unit_kind, unit.unit_kind),
                role=unit.staff_role,
                role_label=roles.get(unit.staff_role, unit.staff_role),
                minimum=unit.minimum,
                staff_count=unit.staff_count,
                shortfall=max(unit.shortfall, 0),
                minimum_region=rule.region.name if rule and rule.region_id else "",
                source=rule.source if rule else "",
            )
        )
    return rows


# --- the data file ---------------------------------------------------------------------------


@transaction.atomic
def staffing_minimums_load(
    rows: list[Mapping[str, Any]], *, overwrite: bool = False
) -> tuple[int, int]:
    """Write the minimums of ``data/supervision/staffing.yaml``: (created, updated). Rows are
    keyed by region (empty: the platform-wide default) and unit kind; a row already held is
    kept as an administrator left it unless ``overwrite``. A bad row refuses the whole file
    (Chinese messages)."""
    regions = dict(Region.objects.values_list("key", "pk"))
    errors: list[str] = []
    clean: list[dict[str, Any]] = []
    seen: set[tuple[Any, str]] = set()
    for number, raw in enumerate(rows, start=1):
        where = f"第 {number} 条人员配备标准"
        region_key = raw.get("region")
        region_key = str(region_key) if region_key not in (None, "") else None
        kind = str(raw.get("unit_kind") or "")
        role = str(raw.get("role") or "")
        minimum = raw.get("minimum")
        source = str(raw.get("source") or "").strip()
        if region_key is not None and region_key not in regions:
            errors.append(f"{where}：找不到区划「{region_key}」。")
        if kind not in UnitKind.values:
            errors.append(f"{where}：单位类型「{kind}」无效。")
        if role not in Role.values:
            errors.append(f"{where}：角色「{role}」无效。")
        if not isinstance(minimum, int) or isinstance(minimum, bool) or not 0 <= minimum <= 500:
            errors.append(f"{where}：最低人数应为 0 到 500 之间的整数。")
        if not source:
            errors.append(f"{where}：须写明出处。")
        elif len(source) > 300:
            errors.append(f"{where}：出处不能超过 300 字。")
        key = (region_key, kind)
        if key in seen:
            errors.append(f"{where}：同一区划、同一单位类型只能有一条标准。")
        seen.add(key)
        clean.append(
            {
                "region_id": regions.get(region_key) if region_key else None,
                "unit_kind": kind,
                "role": role,
                "minimum": minimum,
                "source": source,
            }
        )
    if errors:
        raise ValidationError(errors)
    created = updated = 0
    for values in clean:
        lookup = {"region_id": values.pop("region_id"), "unit_kind": values.pop("unit_kind")}
        row = StaffingMinimum.objects.filter(**lookup).first()
        if row is None:
            StaffingMinimum.objects.create(**lookup, **values)
            created += 1
        elif overwrite and any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            row.save(update_fields=list(values))
            updated += 1
    return created, updated

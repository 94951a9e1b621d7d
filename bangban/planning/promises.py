"""Government handling time against the region's published promise (issue 11, item 10).

:func:`time_promises_load` writes the promises of ``data/planning/time_promises.yaml`` (one
transaction); :func:`government_time` reads the promises that hold for a plan's region and
project type and sets them beside the plan's handling times (computed by the pure core,
:mod:`bangban.rules.handling`, inside ``plan_compute``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from bangban.organization.models import Region
from bangban.rules.conditions import ConditionError, compile_condition
from bangban.rules.handling import PromiseCheck, promise_check

from .models import TimePromise
from .outcome import PlanOutcome

__all__ = [
    "GovernmentTime",
    "MilestoneTime",
    "government_time",
    "project_type_of",
    "project_types_of",
    "region_choices",
    "region_find",
    "time_promises_for",
    "time_promises_load",
]


def project_type_of(attributes: Mapping[str, Any]) -> str:
    """Which promise a project is held against: 政府投资 or 社会投资 (企业投资)."""
    if attributes.get("investment_type") == "government":
        return TimePromise.ProjectType.GOVERNMENT
    return TimePromise.ProjectType.SOCIAL


def project_types_of(attributes: Mapping[str, Any]) -> tuple[str, ...]:
    """The promise types that may hold for a project, the most specific first: a social-
    investment project declared 简易低风险 (``simple_low_risk``) may be held against the
    simple low-risk promise — when that promise's condition (the region's thresholds, data)
    holds — and otherwise against the social-investment one."""
    base = project_type_of(attributes)
    if base == TimePromise.ProjectType.SOCIAL and attributes.get("simple_low_risk"):
        return (TimePromise.ProjectType.SIMPLE_LOW_RISK.value, base.value)
    return (str(base),)


def _condition_holds(text: str, attributes: Mapping[str, Any] | None) -> bool:
    if not text.strip():
        return True
    if attributes is None:
        return False  # nothing to test it on
    try:
        return compile_condition(text).evaluate(attributes)
    except ConditionError:
        return False  # checked on save; a bad one never applies


def region_find(value: str) -> Region | None:
    """A region by its key or its code (the preview's ``region``)."""
    value = (value or "").strip()
    if not value:
        return None
    return Region.objects.filter(Q(key=value) | Q(code=value)).order_by("path").first()


def region_choices(levels: tuple[str, ...]) -> list[tuple[str, str]]:
    """(key, name) of the regions of ``levels``, in tree order (the preview's place list)."""
    return list(Region.objects.filter(level__in=levels).order_by("path").values_list("key", "name"))


def _root_regions() -> list[Region]:
    return list(Region.objects.filter(parent__isnull=True))


def time_promises_for(
    region: Region | None,
    project_type: str | Sequence[str],
    attributes: Mapping[str, Any] | None = None,
) -> dict[str, TimePromise]:
    """The promise per milestone for a project of ``project_type`` (a type, or the types of
    :func:`project_types_of`, the most specific first) in ``region``: that of the region
    itself or of the nearest region above it; at the same region a more specific type wins,
    and one for the project's type wins over one for every project. A promise with a
    condition holds only when the project's (complete) ``attributes`` satisfy it (简易低风险:
    总建筑面积 within the region's threshold). ``region`` None: the top regions'."""
    types = (project_type,) if isinstance(project_type, str) else tuple(project_type)
    if region is None:
        keys = [r.key for r in _root_regions()]
        depth = {key: 0 for key in keys}
    else:
        keys = [key for key in region.path.strip("/").split("/") if key]
        depth = {key: index for index, key in enumerate(keys)}
    specific = {ptype: len(types) - index for index, ptype in enumerate(types)}
    rows = TimePromise.objects.filter(
        region__key__in=keys, project_type__in=(*types, TimePromise.ProjectType.ANY)
    ).select_related("region")
    best: dict[str, tuple[tuple[int, int], TimePromise]] = {}
    for row in rows:
        if not _condition_holds(row.condition, attributes):
            continue
        rank = (depth[row.region.key], specific.get(row.project_type, 0))
        held = best.get(row.milestone)
        if held is None or rank > held[0]:
            best[row.milestone] = (rank, row)
    return {milestone: row for milestone, (_, row) in best.items()}


@dataclass(frozen=True)
class MilestoneTime:
    """The handling time up to one milestone, beside its promise (if any)."""

    milestone: str
    label: str  # 至施工许可 / 至竣工验收
    check: PromiseCheck
    promise: TimePromise | None
    names: Mapping[str, str]  # code -> name of the plan's items

    @property
    def days(self) -> int:
        return self.check.time.days

    @property
    def promised_days(self) -> int | None:
        return self.check.promised_days

    @property
    def breaks(self) -> bool:
        return self.check.breaks

    @property
    def over_by(self) -> int:
        return self.check.over_by

    @property
    def chain(self) -> list[dict[str, Any]]:
        time = self.check.time
        return [
            {"code": code, "name": self.names.get(code, code), "days": days}
            for code, days in zip(time.chain, time.chain_days, strict=True)
        ]

    @property
    def culprits(self) -> list[dict[str, Any]]:
        days = dict(zip(self.check.time.chain, self.check.time.chain_days, strict=True))
        return [
            {"code": code, "name": self.names.get(code, code), "days": days[code]}
            for code in self.check.culprits
        ]

    @property
    def verdict(self) -> str:
        """The plain sentence the plan shows."""
        if self.promised_days is None:
            return f"{self.label}审批时间 {self.days} 个工作日（该地区未公布这一阶段的承诺时间）。"
        if not self.breaks:
            return (
                f"{self.label}审批时间 {self.days} 个工作日，"
                f"在承诺的 {self.promised_days} 个工作日以内。"
            )
        items = "、".join(f"{c['name']}（{c['days']} 个工作日）" for c in self.culprits)
        return (
            f"{self.label}审批时间 {self.days} 个工作日，超出承诺的 {self.promised_days} 个工作日 "
            f"{self.over_by} 个工作日；造成超出的是审批时间最长的一条前后衔接链上的事项：{items}。"
        )


@dataclass(frozen=True)
class GovernmentTime:
    """Both milestones of a plan against the promises of its region."""

    region_name: str
    project_type: str
    project_type_label: str
    milestones: tuple[MilestoneTime, ...]  # 至施工许可, 至竣工验收

    @property
    def construction_permit(self) -> MilestoneTime:
        return self.milestones[0]

    @property
    def completion(self) -> MilestoneTime:
        return self.milestones[1]

    @property
    def breaks(self) -> bool:
        return any(m.breaks for m in self.milestones)

    @property
    def source(self) -> str:
        return "；".join(m.promise.source for m in self.milestones if m.promise is not None)


def government_time(outcome: PlanOutcome, region: Region | None = None) -> GovernmentTime:
    """The plan's handling days through 施工许可 and 竣工验收 beside the promises of
    ``region`` (None: the top region's, e.g. for the public preview without a place).
    One query (two when ``region`` is None)."""
    types = project_types_of(outcome.attributes)
    promises = time_promises_for(region, types, outcome.attributes)
    chosen = {promise.project_type for promise in promises.values()}
    ptype = next((t for t in types if t in chosen), types[-1])
    names = {item.code: item.name for item in outcome.items}
    milestones = []
    for milestone, time in (
        (TimePromise.Milestone.CONSTRUCTION_PERMIT, outcome.handling_to_permit),
        (TimePromise.Milestone.COMPLETION, outcome.handling_to_completion),
    ):
        promise = promises.get(milestone)
        milestones.append(
            MilestoneTime(
                milestone=milestone.value,
                label=milestone.label,
                check=promise_check(time, promise.working_days if promise else None),
                promise=promise,
                names=names,
            )
        )
    place = region.name if region is not None else "、".join(r.name for r in _root_regions())
    return GovernmentTime(
        region_name=place,
        project_type=ptype,
        project_type_label=TimePromise.ProjectType(ptype).label,
        milestones=tuple(milestones),
    )


@transaction.atomic
def time_promises_load(
    rows: list[Mapping[str, Any]], *, overwrite: bool = False
) -> tuple[int, int]:
    """Write the promises of the data file: (created, updated). Rows are keyed by region,
    project type and milestone; a promise already held is kept as an administrator left
    it unless ``overwrite`` (only a condition still unset, a column added later, is filled
    from the file). A bad row refuses the whole file (Chinese messages)."""
    regions = dict(Region.objects.values_list("key", "pk"))
    errors: list[str] = []
    clean: list[dict[str, Any]] = []
    for number, raw in enumerate(rows, start=1):
        where = f"第 {number} 条承诺"
        region = str(raw.get("region") or "")
        ptype = str(raw.get("project_type") or TimePromise.ProjectType.ANY)
        milestone = str(raw.get("milestone") or TimePromise.Milestone.COMPLETION)
        days = raw.get("working_days")
        if region not in regions:
            errors.append(f"{where}：找不到区划「{region}」。")
        if ptype not in TimePromise.ProjectType.values:
            errors.append(f"{where}：项目类型「{ptype}」无效。")
        if milestone not in TimePromise.Milestone.values:
            errors.append(f"{where}：「计至」取值「{milestone}」无效。")
        if not isinstance(days, int) or isinstance(days, bool) or not 0 < days <= 1000:
            errors.append(f"{where}：承诺审批时间应为 1 到 1000 之间的整数（工作日）。")
        if not str(raw.get("source") or "").strip():
            errors.append(f"{where}：须写明出处。")
        condition = str(raw.get("condition") or "")
        if condition.strip():
            try:
                compile_condition(condition)
            except ConditionError as exc:
                errors.append(f"{where}：适用条件{exc}")
        clean.append(
            {
                "region_id": regions.get(region),
                "project_type": ptype,
                "milestone": milestone,
                "working_days": days,
                "condition": condition[:500],
                "source": str(raw.get("source") or "")[:300],
                "note": str(raw.get("note") or "")[:300],
            }
        )
    if errors:
        raise ValidationError(errors)
    created = updated = 0
    for values in clean:
        write = (
            TimePromise.objects.update_or_create if overwrite else TimePromise.objects.get_or_create
        )
        row, was_created = write(
            region_id=values.pop("region_id"),
            project_type=values.pop("project_type"),
            milestone=values.pop("milestone"),
            defaults=values,
        )
        if not was_created and not overwrite:
            if values["condition"] and not row.condition:  # a column added later: fill it
                row.condition = values["condition"]
                row.save(update_fields=["condition"])
                updated += 1
            continue
        created += was_created
        updated += not was_created
    return created, updated

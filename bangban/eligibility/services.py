"""Writes of the eligibility app: loading the policy catalog (the seed file, an Excel import
as a new version), screening a project (核实), the agent's confirmation of an eligible answer
against an incomplete catalog and the development & reform department's decision. Each
service is one transaction; on an error a `ValidationError` with a Chinese message is raised
and nothing is written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bangban.accounts.models import Role
from bangban.common.datafiles import read_yaml
from bangban.common.fields import TOO_LONG
from bangban.organization.models import Department, Region
from bangban.rules import screening

from .models import EligibilityCheck, EligibilityMatch, PolicyEntry, PolicyVersion, policy_coverage
from .selectors import policy_entries_active, policy_version_current

#: The official catalogs with the size of each list (data, not constants).
CATALOGS_FILE = "industry/catalogs.yaml"


def official_catalogs() -> dict[str, dict[str, Any]]:
    """name -> {"date", "totals": {class: count}, …} from `data/industry/catalogs.yaml`."""
    data = read_yaml(CATALOGS_FILE)
    return {str(row["name"]).strip(): row for row in data.get("catalogs") or []}


def default_catalog_name() -> str:
    data = read_yaml(CATALOGS_FILE)
    return str(data.get("default") or "").strip()


def official_totals_for(source: str) -> dict[str, int] | None:
    """The official size of each list of the catalog named `source`, or None if unknown."""
    row = official_catalogs().get((source or "").strip())
    if row is None:
        return None
    return {str(k): int(v) for k, v in (row.get("totals") or {}).items()}


# --- loading the catalog -------------------------------------------------------------------

#: The data file's names -> the model's fields (the file says ``class``, a Python keyword).
ENTRY_FIELDS = {
    "key": "key",
    "layer": "layer",
    "class": "policy_class",
    "section": "section",
    "number": "catalog_number",
    "text": "text",
    "industry_codes": "industry_codes",
    "keywords": "keywords",
    "regions": "region_keys",
    "qualifier": "qualifier",
    "applies_to": "applies_to",
    "condition": "condition",
    "source": "source",
    "source_date": "source_date",
    "note": "note",
    "verified": "verified",
    "is_active": "is_active",
}
#: Fields a load compares and (with overwrite) rewrites.
LOADED_FIELDS = [name for name in ENTRY_FIELDS.values() if name != "key"] + ["sort_order"]


@dataclass
class PolicyLoadResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # differ from the file; admin edits kept
    version: PolicyVersion | None = None

    @property
    def total(self) -> int:
        return len(self.created) + len(self.updated) + len(self.unchanged) + len(self.kept)


def _entry_from_mapping(raw: Mapping[str, Any], index: int) -> PolicyEntry:
    unknown = sorted(set(raw) - set(ENTRY_FIELDS))
    if unknown:
        raise ValidationError(f"未知字段：{'、'.join(unknown)}。")
    values: dict[str, Any] = {"sort_order": index * 10}
    for name, field_name in ENTRY_FIELDS.items():
        if name not in raw or raw[name] is None:
            continue
        value = raw[name]
        if name in ("industry_codes", "keywords", "regions"):
            if isinstance(value, str):
                value = [value]
            value = ("、" if name == "keywords" else " ").join(str(v) for v in value)
        elif name == "source_date":
            if isinstance(value, str):
                try:
                    value = dt.date.fromisoformat(value)
                except ValueError:
                    raise ValidationError(f"来源日期“{value}”应为 YYYY-MM-DD。") from None
        elif name in ("is_active", "verified"):
            value = bool(value)
        else:
            value = str(value)
        values[field_name] = value
    entry = PolicyEntry(**values)
    entry.full_clean(exclude=["version"], validate_unique=False)
    return entry


def policy_entries_load(*, data: Mapping[str, Any], overwrite: bool = False) -> PolicyLoadResult:
    """Load the entries of a parsed `policy.yaml` into the seed version (created on the first
    load, current when no version is): create the missing ones by key; keep the existing ones
    as an admin may have edited them, unless `overwrite`. Entries that are in the database but
    not in the file are left alone; an imported version is never touched. Every entry is
    validated first; on any problem nothing is written and the `ValidationError` lists each
    one by position and key."""
    raw_entries = data.get("entries") if isinstance(data, Mapping) else None
    if not isinstance(raw_entries, list) or not raw_entries:
        raise ValidationError("数据文件应包含非空的 entries 列表。")
    entries: list[PolicyEntry] = []
    errors: list[str] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_entries, start=1):
        where = f"第 {index} 条"
        if not isinstance(raw, Mapping):
            errors.append(f"{where}：应为映射（键: 值）。")
            continue
        where += f"（{raw.get('key') or '无标识'}）"
        try:
            entry = _entry_from_mapping(raw, index)
        except ValidationError as exc:
            errors.extend(f"{where}：{message}" for message in _flat_messages(exc))
            continue
        if entry.key in seen:
            errors.append(f"{where}：标识重复。")
        seen.add(entry.key)
        entries.append(entry)
    if errors:
        raise ValidationError(errors)

    result = PolicyLoadResult()
    with transaction.atomic():
        version = _seed_version(data)
        result.version = version
        existing = {
            e.key: e
            for e in PolicyEntry.objects.select_for_update().filter(version=version, key__in=seen)
        }
        for entry in entries:
            current = existing.get(entry.key)
            if current is None:
                entry.version = version
                entry.save()
                result.created.append(entry.key)
                continue
            changed = [f for f in LOADED_FIELDS if getattr(current, f) != getattr(entry, f)]
            if not changed:
                result.unchanged.append(entry.key)
            elif overwrite:
                for name in changed:
                    setattr(current, name, getattr(entry, name))
                current.save(update_fields=[*changed, "updated_at"])
                result.updated.append(entry.key)
            else:
                result.kept.append(entry.key)
    return result


def _seed_version(data: Mapping[str, Any]) -> PolicyVersion:
    """The version the seed file loads into: the latest seed version, or a new one (current
    when there is none) named after the file's ``catalog`` (default: the catalogs file's)."""
    version = (
        PolicyVersion.objects.select_for_update()
        .filter(origin=PolicyVersion.Origin.SEED)
        .order_by("-id")
        .first()
    )
    if version is not None:
        return version
    source = str(data.get("catalog") or default_catalog_name()).strip()
    row = official_catalogs().get(source) or {}
    raw_date = data.get("catalog_date") or row.get("date")
    if isinstance(raw_date, str):
        raw_date = dt.date.fromisoformat(raw_date)
    if not source or raw_date is None:
        raise ValidationError("数据文件未写明所依据的目录（catalog、catalog_date）。")
    has_current = PolicyVersion.objects.select_for_update().filter(is_current=True).exists()
    return PolicyVersion.objects.create(
        source=source,
        source_date=raw_date,
        origin=PolicyVersion.Origin.SEED,
        file_name="data/industry/policy.yaml",
        official_totals=official_totals_for(source) or {},
        is_current=not has_current,
        note="种子数据：部分条目为概括或待对照官方文本核对，见各条备注。",
    )


def policy_version_import(
    *,
    content: bytes,
    file_name: str,
    source: str,
    source_date: dt.date,
    totals: Mapping[str, int] | None = None,
    note: str = "",
    user=None,
) -> PolicyVersion:
    """Import an Excel workbook of policy entries as a new version and make it current.

    source: the document the list is (《产业结构调整指导目录（2024年本）》); source_date its
    date; totals: the official size of each list — by default the catalogs file's for
    `source`. Any bad row refuses the whole file: the `ValidationError` lists every problem as
    「工作表「条目」第 7 行「类别」：…」 and nothing is written.
    """
    from .workbook import parse_policy_workbook

    source = (source or "").strip()
    errors: list[str] = []
    if not source:
        errors.append("请填写目录文件名称（如《产业结构调整指导目录（2024年本）》）。")
    if source_date is None:
        errors.append("请填写目录日期（YYYY-MM-DD）。")
    for name, label, value in (("source", "目录文件名称", source), ("note", "版本说明", note)):
        limit = PolicyVersion._meta.get_field(name).max_length
        if len(value or "") > limit:
            errors.append(
                f"{label}：" + TOO_LONG % {"limit_value": limit, "show_value": len(value)}
            )
    official = dict(totals) if totals else official_totals_for(source)
    if source and not official:
        errors.append(
            f"「{source}」不是已登记的目录（data/industry/catalogs.yaml），"
            "请填写鼓励类、限制类、淘汰类的官方条目总数。"
        )
    official = {str(k): int(v) for k, v in (official or {}).items()}
    bad = [k for k, v in official.items() if k not in screening.COUNTED_CLASSES or v < 0]
    if bad:
        errors.append("官方条目总数只能按鼓励类、限制类、淘汰类填写非负整数。")
    entries, row_errors = parse_policy_workbook(content)
    errors.extend(row_errors)
    if not errors and not entries:
        errors.append("工作表「条目」中没有条目。")
    if not errors:
        coverage = policy_coverage(
            source,
            official,
            [(e.layer, e.policy_class, e.catalog_number) for e in entries if e.is_active],
        )
        for name, total in official.items():
            held = coverage.held.get(name, 0)
            if held > total:
                errors.append(
                    f"文件：{screening.CLASSES[name]} {held} 条，多于{source}的官方总数 {total} 条；"
                    "同一官方条目拆成多行时，请填写相同的「目录条目编号」。"
                )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        PolicyVersion.objects.select_for_update().filter(is_current=True).update(is_current=False)
        version = PolicyVersion.objects.create(
            source=source,
            source_date=source_date,
            origin=PolicyVersion.Origin.EXCEL,
            file_name=(file_name or "")[:200],
            official_totals=official,
            is_current=True,
            note=note,
            created_by=_user_or_none(user),
        )
        for entry in entries:
            entry.version = version
        PolicyEntry.objects.bulk_create(entries)
    return version


def policy_version_make_current(*, version: PolicyVersion) -> PolicyVersion:
    """Make an earlier version current again (e.g. to undo an import)."""
    with transaction.atomic():
        PolicyVersion.objects.select_for_update().filter(is_current=True).exclude(
            pk=version.pk
        ).update(is_current=False)
        PolicyVersion.objects.filter(pk=version.pk).update(is_current=True)
    version.refresh_from_db()
    return version


def policy_version_export(*, version: PolicyVersion) -> bytes:
    """The version's entries as an Excel workbook (the layout the import reads)."""
    from .workbook import export_policy_workbook

    return export_policy_workbook(version)


def _flat_messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        labels = {f.name: f.verbose_name for f in PolicyEntry._meta.get_fields() if f.concrete}
        return [
            f"{labels.get(name, name)}：{message}"
            for name, errors in exc.message_dict.items()
            for message in errors
        ]
    return list(exc.messages)


# --- screening -----------------------------------------------------------------------------


def eligibility_screen(
    *,
    project,
    is_new_capacity: bool,
    below_energy_benchmark: bool = False,
    in_industrial_park: bool = True,
    user,
    not_applicable: Mapping[str, str] | None = None,
) -> EligibilityCheck:
    """Screen `project` against the active policy entries and record the result.

    is_new_capacity: a new project or new capacity (True) or an upgrade of existing capacity
        without new capacity (False).
    below_energy_benchmark: the project's energy efficiency is below the benchmark level of
        《工业重点领域能效标杆水平和基准水平》 (a new industrial project is then restricted).
    in_industrial_park: the site lies inside an industrial park (heavy chemicals must).
    not_applicable: entry key -> the agent's reason why a matched entry's qualifier (a scale
        threshold, an exception) is not met; only entries with a qualifier may be set aside.

    Returns the new `EligibilityCheck`; its `explanation_lines()` is the written answer.
    """
    if project is None or project.pk is None:
        raise ValidationError("请先保存项目再进行核实。")
    declared = {str(k): str(v or "") for k, v in (not_applicable or {}).items()}
    facts = screening.ProjectFacts(
        industry_code=project.industry_code or "",
        name=project.name or "",
        description=project.description or "",
        is_new_capacity=bool(is_new_capacity),
        below_energy_benchmark=bool(below_energy_benchmark),
        in_industrial_park=bool(in_industrial_park),
        not_applicable=declared,
        regions=_regions_of(project),
    )
    with transaction.atomic():
        version = policy_version_current()
        if version is None:
            raise ValidationError("尚未载入产业政策目录，无法核实；请中心管理员先导入目录。")
        rows = {entry.key: entry for entry in policy_entries_active()}
        coverage = policy_coverage(
            version.source,
            version.official_totals,
            [(row.layer, row.policy_class, row.catalog_number) for row in rows.values()],
        )
        try:
            result = screening.screen(facts, [row.to_core() for row in rows.values()], coverage)
        except screening.ScreeningError as exc:
            raise ValidationError(exc.messages) from None
        check = EligibilityCheck(
            project=project,
            industry_code=screening.normalize_code(project.industry_code),
            is_new_capacity=facts.is_new_capacity,
            below_energy_benchmark=facts.below_energy_benchmark,
            in_industrial_park=facts.in_industrial_park,
            outcome=result.outcome,
            explanation=result.explanation,
            policy_version=version,
            coverage=_coverage_record(version, coverage),
            needs_confirmation=result.needs_confirmation,
            checked_by=_user_or_none(user),
        )
        check.full_clean()
        check.save()
        EligibilityMatch.objects.bulk_create(
            _match_row(check, position, match, rows.get(match.entry.key))
            for position, match in enumerate(result.matches, start=1)
        )
    return check


def _match_row(
    check: EligibilityCheck, position: int, match: screening.Match, row: PolicyEntry | None
) -> EligibilityMatch:
    entry = match.entry
    return EligibilityMatch(
        eligibility_check=check,
        entry=row,
        position=position,
        key=entry.key,
        layer=entry.layer,
        policy_class=entry.policy_class,
        section=entry.section,
        text=entry.text,
        qualifier=entry.qualifier,
        source=entry.source,
        source_date=entry.source_date,
        matched_by=match.matched_by,
        effect=match.effect,
        not_applicable_reason=match.reason,
        sentence=screening.describe_match(match),
    )


def _regions_of(project) -> dict[str, str]:
    """The project's region and the regions above it: key -> name (one query)."""
    region = getattr(project, "region", None)
    if region is None:
        return {}
    keys = [key for key in region.path.split("/") if key]
    return dict(Region.objects.filter(key__in=keys).values_list("key", "name"))


def _coverage_record(version: PolicyVersion, coverage: screening.Coverage) -> dict[str, Any]:
    return {
        "version": version.pk,
        "source": version.source,
        "source_date": version.source_date.isoformat(),
        "held": dict(coverage.held),
        "totals": dict(coverage.totals),
        "regional": coverage.regional,
        "complete": coverage.complete,
        "sentence": coverage.sentence(),
    }


def _user_or_none(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None


# --- the agent's confirmation --------------------------------------------------------------


def may_confirm(user) -> bool:
    """Agents and centre admins confirm an eligible answer against the full catalog."""
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.role in (Role.AGENT, Role.CENTRE_ADMIN)
    )


def _is_latest(check: EligibilityCheck) -> bool:
    """Whether ``check`` is its project's latest check (an older one is superseded)."""
    latest = (
        EligibilityCheck.objects.filter(project_id=check.project_id)
        .order_by("-checked_at", "-id")
        .values_list("pk", flat=True)
        .first()
    )
    return latest == check.pk


def eligibility_confirm(*, check: EligibilityCheck, note: str, user) -> EligibilityCheck:
    """The agent confirms an eligible answer given while the catalog was incomplete: the
    project was checked against the full official text and is in none of its lists. Only the
    project's latest check, awaiting confirmation, can be confirmed; the note (what was
    checked) is required and becomes part of the written answer."""
    note = (note or "").strip()
    if not may_confirm(user):
        raise ValidationError("只有代办帮办员或中心管理员可以确认核实结论。", code="forbidden")
    if not note:
        raise ValidationError(
            {"confirmation_note": "请写明核对依据（如对照的目录文本及所查章节）。"}
        )
    with transaction.atomic():
        locked = EligibilityCheck.objects.select_for_update().get(pk=check.pk)
        if not locked.awaiting_confirmation:
            raise ValidationError(
                "只有“允许类（待代办员确认）”的核实结果可以确认，"
                f"本次核实结果为“{locked.outcome_label}”。",
                code="not_awaiting_confirmation",
            )
        if not _is_latest(locked):
            raise ValidationError(
                "该核实结果已被该项目更新的核实取代，请确认最新一次核实。", code="stale"
            )
        locked.confirmed_by = user
        locked.confirmed_at = timezone.now()
        locked.confirmation_note = note
        locked.full_clean()
        locked.save(update_fields=["confirmed_by", "confirmed_at", "confirmation_note"])
    return locked


# --- the development & reform department's decision ----------------------------------------


def may_decide(user, project) -> bool:
    """Whether `user` may decide on an upgrade of existing restricted capacity of `project`:
    an approval officer of a development & reform department (its `function` in the
    organization data, not its name), or a centre admin, whose region holds the project's."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.role == Role.DEPT_OFFICER:
        if not is_development_officer(user):
            return False
    elif user.role != Role.CENTRE_ADMIN:
        return False
    return user.region_id is not None and project.region.is_within(user.region)


def is_development_officer(user) -> bool:
    """An approval officer of a development & reform department (by its ``function`` in the
    organization data, not its name): who decides 待发改决定 in their region."""
    return (
        user.role == Role.DEPT_OFFICER
        and user.department_id is not None
        and user.department.function == Department.Function.DEVELOPMENT_REFORM
    )


def eligibility_decide(
    *, check: EligibilityCheck, approve: bool, reason: str, conditions: str = "", user
) -> EligibilityCheck:
    """Record the development & reform department's decision on a check awaiting it.

    Only the project's latest check, and only while it awaits a decision, can be decided; a
    refusal needs a reason; conditions belong to an approval. The outcome becomes
    ``approved_with_conditions`` or ``refused_by_decision``.
    """
    reason = (reason or "").strip()
    conditions = (conditions or "").strip()
    if not may_decide(user, check.project):
        raise ValidationError(
            "只有本辖区发展改革部门的审批人员或中心管理员可以对限制类现有产能改造升级作出决定。",
            code="forbidden",
        )
    if not approve and not reason:
        raise ValidationError({"decision_reason": "不同意继续办理须写明理由。"})
    if not approve and conditions:
        raise ValidationError({"conditions": "不同意继续办理时无需填写办理条件。"})
    with transaction.atomic():
        locked = EligibilityCheck.objects.select_for_update().get(pk=check.pk)
        if locked.outcome != EligibilityCheck.Outcome.AWAITING_DECISION:
            raise ValidationError(
                f"只有“待发展改革部门决定”的核实结果可以作出决定，"
                f"本次核实结果为“{locked.get_outcome_display()}”。",
                code="not_awaiting",
            )
        if not _is_latest(locked):
            raise ValidationError(
                "该核实结果已被该项目更新的核实取代，请对最新一次核实作出决定。", code="stale"
            )
        locked.outcome = (
            EligibilityCheck.Outcome.APPROVED_WITH_CONDITIONS
            if approve
            else EligibilityCheck.Outcome.REFUSED_BY_DECISION
        )
        locked.decided_by = user
        locked.decided_at = timezone.now()
        locked.decision_reason = reason
        locked.conditions = conditions
        locked.full_clean()
        locked.save(
            update_fields=["outcome", "decided_by", "decided_at", "decision_reason", "conditions"]
        )
    return locked

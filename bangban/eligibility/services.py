"""Writes of the eligibility app: loading the policy catalog, screening a project (核实) and
the development & reform department's decision. Each service is one transaction; on an error
a `ValidationError` with a Chinese message is raised and nothing is written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bangban.accounts.models import Role
from bangban.organization.models import Department
from bangban.rules import screening

from .models import EligibilityCheck, EligibilityMatch, PolicyEntry
from .selectors import policy_entries_active

# --- loading the catalog -------------------------------------------------------------------

#: The data file's names -> the model's fields (the file says ``class``, a Python keyword).
ENTRY_FIELDS = {
    "key": "key",
    "layer": "layer",
    "class": "policy_class",
    "section": "section",
    "text": "text",
    "industry_codes": "industry_codes",
    "keywords": "keywords",
    "qualifier": "qualifier",
    "applies_to": "applies_to",
    "condition": "condition",
    "source": "source",
    "source_date": "source_date",
    "note": "note",
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
        if name in ("industry_codes", "keywords"):
            if isinstance(value, str):
                value = [value]
            value = (" " if name == "industry_codes" else "、").join(str(v) for v in value)
        elif name == "source_date":
            if isinstance(value, str):
                try:
                    value = dt.date.fromisoformat(value)
                except ValueError:
                    raise ValidationError(f"来源日期“{value}”应为 YYYY-MM-DD。") from None
        elif name == "is_active":
            value = bool(value)
        else:
            value = str(value)
        values[field_name] = value
    entry = PolicyEntry(**values)
    entry.full_clean(validate_unique=False)
    return entry


def policy_entries_load(*, data: Mapping[str, Any], overwrite: bool = False) -> PolicyLoadResult:
    """Load the entries of a parsed `policy.yaml`: create the missing ones by key; keep the
    existing ones as an admin may have edited them, unless `overwrite`. Entries that are in
    the database but not in the file are left alone. Every entry is validated first; on any
    problem nothing is written and the `ValidationError` lists each one by position and key."""
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
        existing = {e.key: e for e in PolicyEntry.objects.select_for_update().filter(key__in=seen)}
        for entry in entries:
            current = existing.get(entry.key)
            if current is None:
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
    )
    with transaction.atomic():
        rows = {entry.key: entry for entry in policy_entries_active()}
        try:
            result = screening.screen(facts, [row.to_core() for row in rows.values()])
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


def _user_or_none(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None


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
        latest = (
            EligibilityCheck.objects.filter(project_id=locked.project_id)
            .order_by("-checked_at", "-id")
            .values_list("pk", flat=True)
            .first()
        )
        if latest != locked.pk:
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

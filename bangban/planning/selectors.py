"""Reads of the planner: a project's plan computed from the catalog (SPEC §5).

:func:`plan_compute` takes a project's attributes and a start date and returns a
:class:`PlanOutcome` — plain, immutable data that the API, the pages, the one-time notice,
the application schedule and the Gantt chart all read. Nothing is written.

Speed: the catalog of a version (items, compiled conditions, prerequisite edges, materials,
department names) is compiled once per process and kept per version; a version is identified
by its number and its content digest, so a republished or reloaded catalog is never served
stale. A call checks the published version with one small query and takes the working-day
calendar with one more (``get_calendar``); pass ``version`` and ``calendar`` in to plan with
no query at all (a loop over many projects, the benchmark).
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Prefetch

from bangban.accounts.models import Role
from bangban.cases.models import Case
from bangban.catalog.models import (
    STAGE_ORDER,
    CatalogVersion,
    Item,
    ItemKind,
    Material,
    Prerequisite,
    ServiceMode,
    Stage,
)
from bangban.planning.models import Plan, PlanAdjustment
from bangban.projects import lifecycle
from bangban.projects.selectors import commission_can_act, commission_get_for
from bangban.rules import workdays as workdays_core
from bangban.rules.attributes import ATTRIBUTES, validate_attributes
from bangban.rules.conditions import Condition, compile_condition
from bangban.rules.scheduler import PlanInput, PlanItem, schedule
from bangban.rules.workdays import Calendar
from bangban.workdays.selectors import get_calendar

__all__ = [
    "EARLIEST_START",
    "LATEST_START",
    "CatalogEntry",
    "CatalogMaterial",
    "CatalogUnavailable",
    "CompiledCatalog",
    "PlanInputError",
    "PlanOutcome",
    "PlannedItem",
    "WorkdayCalendar",
    "calendar_adapter",
    "catalog_compiled",
    "catalog_compiled_cache_clear",
    "plan_compute",
    "reason_text",
]

EARLIEST_START = dt.date(2000, 1, 1)
LATEST_START = dt.date(2100, 12, 31)

_STAGE_LABELS = dict(Stage.choices)
_KIND_LABELS = dict(ItemKind.choices)
_MODE_LABELS = dict(ServiceMode.choices)
_FORM_LABELS = dict(Material.Form.choices)


class PlanInputError(ValidationError):
    """Bad planner input: per-attribute messages and/or a start-date message (Chinese).

    A Django ``ValidationError`` whose ``message_dict`` maps each attribute name (and
    ``start_date``) to its messages; ``attribute_errors`` and ``start_date_error`` keep them
    apart for callers that nest them (the API answers ``{"attributes": {...}}``).
    """

    def __init__(self, *, attributes: Mapping[str, str] | None = None, start_date: str = ""):
        self.attribute_errors = dict(attributes or {})
        self.start_date_error = start_date
        detail = {name: [message] for name, message in self.attribute_errors.items()}
        if start_date:
            detail["start_date"] = [start_date]
        super().__init__(detail)


class CatalogUnavailable(Exception):
    """There is no published catalog (or the requested version does not exist)."""

    message = "事项清单尚未发布，暂时无法生成方案。"

    def __str__(self) -> str:
        return self.message


# --------------------------------------------------------------------------------------
# The compiled catalog


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


_cache_lock = threading.Lock()
_cache: dict[tuple[int, str], CompiledCatalog] = {}
_latest_by_number: dict[int, CompiledCatalog] = {}


def catalog_compiled_cache_clear() -> None:
    """Forget every compiled catalog of this process."""
    with _cache_lock:
        _cache.clear()
        _latest_by_number.clear()


def _compile_version(version: CatalogVersion) -> CompiledCatalog:
    """Read one version in three queries and compile it."""
    items = list(
        Item.objects.filter(version=version)
        .select_related("department")
        .order_by("sort_order", "code")
        .only(
            "id",
            "code",
            "name",
            "stage",
            "sort_order",
            "kind",
            "service_mode",
            "preparation_days",
            "promised_limit_days",
            "accept_with_gaps",
            "condition",
            "department__name",
            "department__key",
        )
    )
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

    entries = tuple(
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
    )


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


# --------------------------------------------------------------------------------------
# The calendar adapter


class WorkdayCalendar:
    """The scheduler's calendar protocol over :mod:`bangban.rules.workdays`.

    Answers are memoised: plans of different projects starting on the same day ask for the
    same dates again and again. Use :func:`calendar_adapter` to share one adapter (and its
    memo) per calendar object.
    """

    __slots__ = ("_added", "_counted", "calendar")

    MEMO_LIMIT = 100_000

    def __init__(self, calendar: Calendar):
        self.calendar = calendar
        self._added: dict[tuple[dt.date, int], tuple[dt.date, bool]] = {}
        self._counted: dict[tuple[dt.date, dt.date], tuple[int, bool]] = {}

    def add(self, start: dt.date, n: int) -> tuple[dt.date, bool]:
        key = (start, n)
        found = self._added.get(key)
        if found is None:
            due = workdays_core.add_working_days(self.calendar, start, n)
            if len(self._added) >= self.MEMO_LIMIT:
                self._added.clear()
            found = self._added[key] = (due.date, due.provisional)
        return found

    def count(self, a: dt.date, b: dt.date) -> tuple[int, bool]:
        key = (a, b)
        found = self._counted.get(key)
        if found is None:
            counted = workdays_core.count_working_days(self.calendar, a, b)
            if len(self._counted) >= self.MEMO_LIMIT:
                self._counted.clear()
            found = self._counted[key] = (counted.days, counted.provisional)
        return found


_adapter: WorkdayCalendar | None = None


def calendar_adapter(calendar: Calendar) -> WorkdayCalendar:
    """The shared adapter of ``calendar`` (a new one when the calendar object changed:
    ``get_calendar`` returns the same object until an override or a year is entered)."""
    global _adapter
    adapter = _adapter
    if adapter is None or adapter.calendar is not calendar:
        adapter = _adapter = WorkdayCalendar(calendar)
    return adapter


# --------------------------------------------------------------------------------------
# Explanations in words


_ENUM_LABELS = {
    value: label
    for spec in ATTRIBUTES.values()
    if spec.type == "enum"
    for value, label in spec.choices.items()
}
_NAME_RE = re.compile(r"\b[a-z][a-z0-9_]*\b")
_QUOTED_RE = re.compile(r"'([a-z_]+)'")
_LONG_LIST_RE = re.compile(r"((?:'[^']*'(?:、|, )){3})(?:'[^']*'(?:、|, ))+('[^']*')")


def _attribute_label(match: re.Match) -> str:
    spec = ATTRIBUTES.get(match.group(0))
    return spec.label if spec is not None else match.group(0)


def _enum_label(match: re.Match) -> str:
    return _ENUM_LABELS.get(match.group(1), match.group(0))


def _shorten(match: re.Match) -> str:
    count = match.group(0).count("'") // 2
    return f"{match.group(1).rstrip('、, ')} 等 {count} 项"


@lru_cache(maxsize=8192)
def reason_text(line: str) -> str:
    """One line of ``Condition.explain`` in words: attribute names become their Chinese
    labels, enumeration values their labels, and long code lists are shortened
    (``investment_type = 'government'`` → ``投资类型 = 政府投资``)."""
    line = _LONG_LIST_RE.sub(_shorten, line)
    line = _QUOTED_RE.sub(_enum_label, line)
    return _NAME_RE.sub(_attribute_label, line)


# --------------------------------------------------------------------------------------
# The outcome


@dataclass(frozen=True, slots=True)
class PlannedItem:
    """One item of a project's plan, with everything a page or a document shows.

    The catalog facts (name, stage, department, materials, ...) are read from the shared,
    immutable :class:`CatalogEntry`; ``reasons`` (why the item is in the plan) is worded
    when read, so a plan nobody reads the explanations of does not pay for them.
    """

    entry: CatalogEntry
    working_days: int  # planned duration (preparation + promised, or as re-planned)
    es: int  # working-day offset of the planned start
    ef: int  # working-day offset of the planned due date
    planned_start: dt.date
    planned_acceptance: dt.date
    planned_due: dt.date
    slack: int
    critical: bool
    in_scope: bool  # False: the enterprise handles it itself (企业自行办理)
    provisional: bool
    prerequisites: tuple[str, ...]  # the codes it waits for (those in the plan)
    prerequisite_names: tuple[str, ...]
    attributes: Mapping[str, Any]  # the project's (complete) attributes
    actual_start: dt.date | None = None
    actual_finish: dt.date | None = None
    added_reason: str = ""  # set when the agent added the item by hand (with this reason)

    code = property(lambda self: self.entry.code)
    name = property(lambda self: self.entry.name)
    stage = property(lambda self: self.entry.stage)
    stage_label = property(lambda self: self.entry.stage_label)
    stage_order = property(lambda self: self.entry.stage_order)
    department = property(lambda self: self.entry.department)
    department_key = property(lambda self: self.entry.department_key)
    kind = property(lambda self: self.entry.kind)
    kind_label = property(lambda self: self.entry.kind_label)
    service_mode = property(lambda self: self.entry.service_mode)
    service_mode_label = property(lambda self: self.entry.service_mode_label)
    preparation_days = property(lambda self: self.entry.preparation_days)
    promised_days = property(lambda self: self.entry.promised_days)
    accept_with_gaps = property(lambda self: self.entry.accept_with_gaps)
    materials = property(lambda self: self.entry.materials)

    @property
    def condition(self) -> str:
        """The applicability condition ("" = every project)."""
        return self.entry.condition.text

    @property
    def reasons(self) -> tuple[str, ...]:
        """Why the item is in the plan, in words (empty: every project needs it)."""
        if self.added_reason:
            return (f"代办员添加：{self.added_reason}",)
        condition = self.entry.condition
        if condition.is_empty:
            return ()
        return tuple(reason_text(line) for line in condition.explain(self.attributes))

    @property
    def handler_label(self) -> str:
        return "代办" if self.in_scope else "企业自行办理"


@dataclass(frozen=True)
class PlanOutcome:
    """A project's plan: items in planned order (start, stage, code) and the totals."""

    items: tuple[PlannedItem, ...]
    critical_path: tuple[str, ...]
    total_working_days: int  # the parallel plan
    serial_working_days: int  # every item one after the other
    compression: float  # 1 - total / serial
    start_date: dt.date  # as asked
    start_day: dt.date  # the first working day on or after it
    end_date: dt.date
    provisional: bool  # some date lies in a year whose holidays are not confirmed
    catalog_version: int
    attributes: Mapping[str, Any]  # complete (neutral values filled in)

    def item(self, code: str) -> PlannedItem:
        for planned in self.items:
            if planned.code == code:
                return planned
        raise KeyError(code)

    @property
    def codes(self) -> set[str]:
        return {planned.code for planned in self.items}

    @property
    def in_scope_count(self) -> int:
        return sum(1 for planned in self.items if planned.in_scope)

    @property
    def critical_items(self) -> list[PlannedItem]:
        """The items of the critical path, in order."""
        by_code = {planned.code: planned for planned in self.items}
        return [by_code[code] for code in self.critical_path]

    @property
    def compression_percent(self) -> float:
        """The compression in per cent, one decimal (from the exact ratio: no double rounding)."""
        if not self.serial_working_days:
            return 0.0
        return round(100 * (1 - self.total_working_days / self.serial_working_days), 1)

    def stages(self) -> list[tuple[str, str, list[PlannedItem]]]:
        """(stage, label, items) in stage order; items keep the planned order."""
        groups: dict[str, list[PlannedItem]] = {}
        for planned in sorted(self.items, key=_stage_key):
            groups.setdefault(planned.stage, []).append(planned)
        return [(stage, items[0].stage_label, items) for stage, items in groups.items()]


def _stage_key(item: PlannedItem) -> tuple[int, int, str]:
    return (item.stage_order, item.es, item.code)


def _normalise(attributes: Mapping[str, Any]) -> dict[str, Any]:
    values = dict(attributes)
    code = values.get("industry_code")
    if isinstance(code, str):
        values["industry_code"] = code.strip().replace(" ", "").upper()
    return values


def plan_compute(
    *,
    attributes: Mapping[str, Any],
    start_date: dt.date,
    version: int | CatalogVersion | None = None,
    scope_codes: Iterable[str] | None = None,
    actuals: Mapping[str, tuple[dt.date | None, dt.date | None]] | None = None,
    calendar: Calendar | None = None,
    added: Mapping[str, str] | None = None,
    removed: Iterable[str] | None = None,
) -> PlanOutcome:
    """Plan a project: the items its attributes need, scheduled in parallel on working days.

    ``attributes`` use the SPEC §4 names; one left out takes its neutral value; unknown or
    ill-typed ones raise :class:`PlanInputError` naming them (as does a start date outside
    2000–2100). ``version`` (number or row) defaults to the published catalog. Items whose
    code is not in ``scope_codes`` (when given) are planned all the same with
    ``in_scope=False`` (企业自行办理). ``actuals`` maps codes to (actual start, actual
    finish) for re-planning. ``calendar`` defaults to the current working-day calendar.
    ``added`` maps codes the agent added by hand to the reason given (codes unknown to the
    version are ignored; callers validate them); ``removed`` codes are left out whatever
    their conditions say.
    Raises :class:`CatalogUnavailable` when there is no catalog to plan with.
    """
    values, errors = validate_attributes(_normalise(attributes))
    date_error = ""
    if isinstance(start_date, dt.datetime) or not isinstance(start_date, dt.date):
        date_error = "开始日期应为日期（YYYY-MM-DD）。"
    elif not EARLIEST_START <= start_date <= LATEST_START:
        date_error = (
            f"开始日期应在 {EARLIEST_START.isoformat()} 至 {LATEST_START.isoformat()} 之间。"
        )
    if errors or date_error:
        raise PlanInputError(attributes=errors, start_date=date_error)

    catalog = catalog_compiled(version)
    adapter = calendar_adapter(calendar if calendar is not None else get_calendar())

    selected = list(catalog.always)
    selected.extend(entry for entry in catalog.conditional if entry.condition.evaluate(values))
    added = dict(added or {})
    if added or removed:
        gone = set(removed or ())
        chosen = {entry.code for entry in selected}
        selected = [entry for entry in selected if entry.code not in gone]
        selected.extend(
            catalog.by_code[code]
            for code in sorted(added)
            if code in catalog.by_code and code not in chosen and code not in gone
        )
        added = {code: reason for code, reason in added.items() if code not in chosen}
    scope = None if scope_codes is None else set(scope_codes)
    actuals = actuals or {}
    plan_items = []
    for entry in selected:
        actual = actuals.get(entry.code)
        plan_items.append(
            PlanItem(
                entry.code,
                entry.name,
                entry.stage,
                entry.stage_order,
                entry.preparation_days,
                entry.promised_days,
                entry.prerequisites,
                scope is None or entry.code in scope,
                actual[0] if actual else None,
                actual[1] if actual else None,
            )
        )
    result = schedule(PlanInput(start_date, plan_items), adapter)

    by_code = catalog.by_code
    names = catalog.names
    items = [
        PlannedItem(
            by_code[scheduled.code],
            scheduled.ef - scheduled.es,
            scheduled.es,
            scheduled.ef,
            scheduled.planned_start,
            scheduled.planned_acceptance,
            scheduled.planned_due,
            scheduled.slack,
            scheduled.critical,
            scheduled.in_scope,
            scheduled.provisional,
            scheduled.prerequisites,
            tuple([names[code] for code in scheduled.prerequisites]),
            values,
            scheduled.actual_start,
            scheduled.actual_finish,
            added.get(scheduled.code, ""),
        )
        for scheduled in result.items
    ]
    return PlanOutcome(
        items=tuple(items),
        critical_path=tuple(result.critical_path),
        total_working_days=result.total_working_days,
        serial_working_days=result.serial_working_days,
        compression=result.compression,
        start_date=start_date,
        start_day=result.start_day,
        end_date=result.end_date,
        provisional=result.provisional,
        catalog_version=catalog.number,
        attributes=values,
    )


# --------------------------------------------------------------------------------------
# The plan of a commission


def commission_scope_codes(commission, catalog: CompiledCatalog) -> set[str] | None:
    """The codes a commission covers (None: all of them, 全程代办)."""
    if commission.scope != commission.Scope.PARTIAL:
        return None
    stages = set(commission.scope_stages or ())
    items = {str(code).upper() for code in commission.scope_items or ()}
    return {entry.code for entry in catalog.entries if entry.stage in stages or entry.code in items}


def plan_outcome_for(plan, *, cases=None, calendar: Calendar | None = None) -> PlanOutcome:
    """The schedule of a commission's plan: its catalog version, start date and attributes,
    the commission's scope, the agent's active adjustments and, once fixed, the actual dates
    of its cases (``cases`` given, or read). Deterministic: the same inputs give the same plan.

    Queries: none when ``plan.catalog_version``, ``plan.commission`` and the adjustments and
    cases are prefetched (``plan_get_for`` does), otherwise one each.
    """
    catalog = catalog_compiled(plan.catalog_version)
    added: dict[str, str] = {}
    removed: set[str] = set()
    for adjustment in plan.adjustments.all() if plan.pk else ():
        if not adjustment.active:
            continue
        if adjustment.kind == "add":
            added[adjustment.code] = adjustment.reason
        else:
            removed.add(adjustment.code)
    if cases is None:
        cases = plan.commission.cases.all() if plan.state == "fixed" else ()
    actuals = {
        case.code: (case.actual_start, case.actual_finish)
        for case in cases
        if case.actual_start or case.actual_finish
    }
    return plan_compute(
        attributes=plan.attributes or {},
        start_date=plan.start_date,
        version=catalog.number,
        scope_codes=commission_scope_codes(plan.commission, catalog),
        actuals=actuals,
        calendar=calendar,
        added=added,
        removed=removed,
    )


@dataclass(frozen=True)
class PlanRow:
    """One line of a commission's plan: the planned item and, once fixed, its case."""

    item: PlannedItem
    case: Any = None  # bangban.cases.models.Case

    @property
    def code(self) -> str:
        return self.item.code

    @property
    def delayed(self) -> bool:
        """The current due date lies past the baseline (re-planned later)."""
        return self.case is not None and self.case.planned_due > self.case.baseline_due


@dataclass(frozen=True)
class CommissionPlan:
    """Everything the plan page and the plan endpoint show, read in a constant number of
    queries (the commission's own, then the plan with its version and adjustments, and the
    cases with their items)."""

    commission: Any
    plan: Any  # bangban.planning.models.Plan, or None before one is generated
    outcome: PlanOutcome | None
    rows: tuple[PlanRow, ...]
    adjustments: tuple[Any, ...]

    @property
    def is_fixed(self) -> bool:
        return self.plan is not None and self.plan.state == "fixed"

    def missing_codes(self) -> list[CatalogEntry]:
        """Catalog entries of the plan's version not in the plan (what the agent may add)."""
        if self.outcome is None:
            return []
        catalog = catalog_compiled(self.outcome.catalog_version)
        return [entry for entry in catalog.entries if entry.code not in self.outcome.codes]


def commission_plan_get_for(user, pk) -> CommissionPlan | None:
    """The plan of a commission the user may see (None: no such commission for this user)."""
    commission = commission_get_for(user, pk)
    if commission is None:
        return None
    return commission_plan_for(commission)


def commission_plan_for(commission) -> CommissionPlan:
    """The plan of a commission already read through the scoped selectors (three queries)."""
    plan = (
        Plan.objects.select_related("catalog_version", "fixed_by")
        .prefetch_related(
            Prefetch("adjustments", queryset=PlanAdjustment.objects.select_related("actor"))
        )
        .filter(commission=commission)
        .first()
    )
    if plan is None:
        return CommissionPlan(commission, None, None, (), ())
    plan.commission = commission
    cases = list(Case.objects.filter(commission=commission).select_related("item"))
    outcome = plan_outcome_for(plan, cases=cases if plan.state == "fixed" else ())
    by_code = {case.code: case for case in cases}
    rows = tuple(PlanRow(item, by_code.get(item.code)) for item in outcome.items)
    return CommissionPlan(commission, plan, outcome, rows, tuple(plan.adjustments.all()))


def plan_permissions(found: CommissionPlan, user) -> dict[str, bool]:
    """Which plan actions the user gets on the page and in the API (the services check again)."""
    commission = found.commission
    owner = commission_can_act(user) and (
        user.role == Role.CENTRE_ADMIN
        or (user.role == Role.AGENT and commission.agent_id == user.pk)
    )
    draft = found.plan is not None and found.plan.is_draft
    return {
        "may_generate": owner and commission.state == lifecycle.AGREED and found.plan is None,
        "may_adjust": owner and commission.state == lifecycle.AGREED and draft,
        "may_replan": owner
        and found.is_fixed
        and commission.state in (lifecycle.PLANNED, lifecycle.IN_PROGRESS),
    }

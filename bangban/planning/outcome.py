"""What a plan is made of: :class:`PlannedItem` and :class:`PlanOutcome` (plain, immutable
data that the API, the pages, the one-time notice, the application schedule and the Gantt
chart all read). Why an item is in the plan is worded by `bangban.rules.conditions.wording`
(docs/wording.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bangban.rules.conditions.wording import reasons as condition_reasons
from bangban.rules.handling import HandlingTime

from .catalog import CatalogEntry

__all__ = ["PlanOutcome", "PlannedItem"]


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
    level = property(lambda self: self.entry.level)
    level_label = property(lambda self: self.entry.level_label)
    authority = property(lambda self: self.entry.authority)
    tier_label = property(lambda self: self.entry.tier_label)
    legal_limit_days = property(lambda self: self.entry.legal_limit_days)
    legal_limit_unit = property(lambda self: self.entry.legal_limit_unit)
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
        return tuple(condition_reasons(condition, self.attributes))

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
    # Government handling time (promised days, no preparation) along the longest chain
    # through 施工许可 and through 竣工验收 (bangban.rules.handling).
    handling_to_permit: HandlingTime = HandlingTime(0, (), ())
    handling_to_completion: HandlingTime = HandlingTime(0, (), ())

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

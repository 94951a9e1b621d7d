"""Scoped reads of a commission's plan: everything the plan page and the plan endpoint show,
for a user who may see the commission, in a constant number of queries.

The engine lives elsewhere: the compiled catalog in :mod:`.catalog`, the planner in
:mod:`.compute`, the outcome types in :mod:`.outcome`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch

from bangban.cases.models import Case
from bangban.projects.selectors import commission_get_for

from .catalog import CatalogEntry, catalog_compiled
from .compute import plan_outcome_for
from .models import Plan, PlanAdjustment
from .outcome import PlannedItem, PlanOutcome

__all__ = ["CommissionPlan", "PlanRow", "commission_plan_for", "commission_plan_get_for"]


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
    dropped: tuple[Any, ...] = ()  # cases no longer in the plan (不需办理, 撤回)

    @property
    def is_fixed(self) -> bool:
        return self.plan is not None and self.plan.state == Plan.State.FIXED

    def missing_codes(self) -> list[CatalogEntry]:
        """Catalog entries of the plan's version not in the plan and without a case (what
        the agent may add)."""
        if self.outcome is None:
            return []
        catalog = catalog_compiled(self.outcome.catalog_version)
        taken = set(self.outcome.codes) | {case.code for case in self.dropped}
        return [entry for entry in catalog.entries if entry.code not in taken]

    def droppable_rows(self) -> list[PlanRow]:
        """Rows whose case may still be marked 不需办理 (not yet submitted)."""
        return [
            row
            for row in self.rows
            if row.case is not None and row.case.state in (Case.State.PLANNED, Case.State.PREPARING)
        ]


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
    outcome = plan_outcome_for(plan, cases=cases if plan.state == Plan.State.FIXED else ())
    by_code = {case.code: case for case in cases}
    rows = tuple(PlanRow(item, by_code.get(item.code)) for item in outcome.items)
    held = set(outcome.codes)
    dropped = tuple(case for case in cases if case.code not in held)
    return CommissionPlan(commission, plan, outcome, rows, tuple(plan.adjustments.all()), dropped)
